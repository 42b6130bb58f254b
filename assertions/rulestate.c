// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "assertions/rulestate.h"
#include "assertions/verdict.h"
#include "netns/rule_list.h"
#include "netns/util/now.h"
#include "traffic/loop.h"

#include <stdio.h>
#include <stdlib.h>

#define RULESTATE_POLL_MS 25
#define RULESTATE_SHOWN 8

/* As `ip rule` prints one. */
static void rulestate_add(struct verdict *v, const struct rule *r)
{
	char a[ADDR_STRLEN];

	verdict_add(v, "%u:", r->flags & RULE_HAS_PRIORITY ? r->priority : 0);
	if (r->flags & RULE_INVERT)
		verdict_add(v, " not");
	verdict_add(v, " from %s", r->flags & RULE_HAS_SRC ? addr_format(&r->src, true, a, sizeof(a)) : "all");
	if (r->flags & RULE_HAS_DST)
		verdict_add(v, " to %s", addr_format(&r->dst, true, a, sizeof(a)));
	if (r->flags & RULE_HAS_FWMARK) {
		verdict_add(v, " fwmark 0x%x", r->fwmark);
		if (r->fwmask != 0xffffffff)
			verdict_add(v, "/0x%x", r->fwmask);
	}
	if (r->flags & RULE_HAS_IIF)
		verdict_add(v, " iif %s", r->iif);
	if (r->flags & RULE_HAS_OIF)
		verdict_add(v, " oif %s", r->oif);
	if (r->flags & RULE_HAS_TABLE)
		verdict_add(v, " lookup %u", r->table);
	if (r->flags & RULE_HAS_SUPPRESS_PREFIXLEN)
		verdict_add(v, " suppress_prefixlength %u", r->suppress_prefixlen);
}

int expect_rule(struct loop *l, struct netns *ns, const struct rule *want, bool negate,
		unsigned int wait_ms, struct verdict *ret)
{
	uint64_t end = now_ms() + wait_ms;
	const struct rule *hit = NULL;
	struct rule *v = NULL;
	size_t n = 0;
	int err;

	for (;;) {
		uint64_t now;

		free(v);
		v = NULL;
		err = rule_list(ns, want->family, &v, &n);
		if (err < 0)
			return err;
		hit = NULL;
		for (size_t i = 0; i < n && !hit; i++)
			if (rule_matches(&v[i], want))
				hit = &v[i];
		now = now_ms();
		if (hit || now >= end)
			break;
		loop_run_once(l, (int)(end - now < RULESTATE_POLL_MS ? end - now : RULESTATE_POLL_MS));
	}
	verdict_set(ret, !!hit != negate, "%s", "");
	if (hit) {
		verdict_add(ret, "rule ");
		rulestate_add(ret, hit);
	} else {
		verdict_add(ret, "no such rule; %zu rule%s: ", n, n == 1 ? "" : "s");
		for (size_t i = 0; i < n && i < RULESTATE_SHOWN; i++) {
			verdict_add(ret, "%s", i ? "; " : "");
			rulestate_add(ret, &v[i]);
		}
		if (n > RULESTATE_SHOWN)
			verdict_add(ret, "; ...");
	}
	free(v);
	return 0;
}
