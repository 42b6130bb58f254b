// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "assertions/latency.h"
#include "assertions/verdict.h"

#include <errno.h>
#include <math.h>

double expect_latency_value(const struct latency_result *res, unsigned int pct)
{
	switch (pct) {
	case 50:
		return res->p50_us;
	case 90:
		return res->p90_us;
	default:
		return res->p99_us;
	}
}

int expect_latency(struct loop *l, struct netns *from, struct netns *to, const struct latency_req *req,
		   unsigned int pct, double max_us, struct verdict *ret, struct latency_result *ret_res)
{
	struct latency_result res;
	char text[256];
	double v;
	int err;

	if (pct != 50 && pct != 90 && pct != 99)
		return -EINVAL;
	err = latency_run(l, from, to, req, &res);
	if (err < 0)
		return err;
	v = expect_latency_value(&res, pct);
	latency_format(&res, text, sizeof(text));
	if (isinf(v))
		verdict_set(ret, false, "p%u lost (too many requests unanswered), wanted < %g ms: %s", pct,
			    max_us / 1e3, text);
	else
		verdict_set(ret, v < max_us, "p%u %.3f ms %s %g ms: %s", pct, v / 1e3, v < max_us ? "<" : ">=",
			    max_us / 1e3, text);
	if (ret_res)
		*ret_res = res;
	return 0;
}
