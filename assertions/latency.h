/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef ASSERTIONS_LATENCY_H
#define ASSERTIONS_LATENCY_H

#include "traffic/latency.h"

struct loop;
struct netns;
struct verdict;

/* The percentile a `latency` expectation names (50, 90 or 99) of a
 * result, in microseconds (INFINITY when too many requests were lost). */
double expect_latency_value(const struct latency_result *res, unsigned int pct);

/* `latency A B p50|p90|p99 < X ms [samples N]`: the pct-th percentile of
 * the round trips from `from` to req->dst (an echo server in `to` when
 * req->port is 0) is below max_us.  Evidence: "p99 0.412 ms < 5 ms: 100/100
 * answered: p50 ...".  ret_res (may be NULL) gets the figures.  0 when
 * evaluated, -errno when the measurement could not run. */
int expect_latency(struct loop *l, struct netns *from, struct netns *to, const struct latency_req *req,
		   unsigned int pct, double max_us, struct verdict *ret, struct latency_result *ret_res);

#endif
