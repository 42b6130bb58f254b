// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "assertions/ctstate.h"
#include "assertions/verdict.h"
#include "netns/conntrack.h"
#include "traffic/loop.h"
#include "netns/util/now.h"

#include <stdlib.h>

#define CTSTATE_POLL_MS 25
#define CTSTATE_SHOWN 4

int expect_conntrack(struct loop *l, struct netns *ns, const struct ct_pattern *p, bool negate,
		     unsigned int wait_ms, struct verdict *ret)
{
	uint64_t end = now_ms() + wait_ms;
	struct ct_entry *v = NULL;
	size_t n = 0, hit = 0, shown = 0, same_proto = 0;
	bool found = false;
	char line[512];
	int err;

	for (;;) {
		uint64_t now;

		free(v);
		v = NULL;
		err = conntrack_list(ns, &v, &n);
		if (err < 0)
			return err;
		for (hit = 0; hit < n && !conntrack_match(&v[hit], p); hit++)
			;
		found = hit < n;
		now = now_ms();
		if (found || now >= end)
			break;
		loop_run_once(l, (int)(end - now < CTSTATE_POLL_MS ? end - now : CTSTATE_POLL_MS));
	}
	verdict_set(ret, found != negate, "%s", "");
	if (found) {
		verdict_add(ret, "conntrack: %s", conntrack_format(&v[hit], line, sizeof(line)));
	} else {
		for (size_t i = 0; i < n; i++)
			same_proto += !p->proto || v[i].proto == p->proto;
		verdict_add(ret, "no matching conntrack entry among %zu (%zu of the protocol)", n, same_proto);
		for (size_t i = 0; i < n && shown < CTSTATE_SHOWN; i++) {
			if (p->proto && v[i].proto != p->proto)
				continue;
			verdict_add(ret, "%s %s", shown++ ? ";" : ":", conntrack_format(&v[i], line, sizeof(line)));
		}
	}
	free(v);
	return 0;
}
