// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "assertions/path.h"
#include "assertions/verdict.h"
#include "traffic/path.h"
#include "netns/util/xalloc.h"

#include <stdlib.h>

int expect_path(struct loop *l, struct netns *from, const struct addr *dst, bool icmp,
		const struct addr *hops, size_t n_hops, struct verdict *ret)
{
	struct path_req req = { 0 };
	struct path_result *res = xcalloc(1, sizeof(*res));
	bool held;
	int err;

	req.method = icmp ? PATH_ICMP : PATH_UDP;
	/* A few hops more than expected show where a longer path goes. */
	req.max_hops = (unsigned int)n_hops + 3;
	err = path_trace(l, from, dst, &req, res);
	if (err < 0) {
		free(res);
		return err;
	}
	held = res->reached && res->nhops == n_hops;
	for (size_t i = 0; held && i < n_hops; i++)
		held = res->hops[i].answered && addr_equal(&res->hops[i].addr, &hops[i]);
	verdict_set(ret, held, "path: %s", res->evidence);
	free(res);
	return 0;
}
