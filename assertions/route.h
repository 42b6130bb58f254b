/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef ASSERTIONS_ROUTE_H
#define ASSERTIONS_ROUTE_H

struct netns;
struct route;
struct verdict;

/* A route lookup inside ns (what `ip route get` answers for q->dst, with
 * q->src and q->mark when their ROUTE_HAS_* flags are set), compared with
 * the fields want's ROUTE_HAS_* flags name: dev, gw, src, table, type. */
int expect_route(struct netns *ns, const struct route *q, const struct route *want,
		 struct verdict *ret);

#endif
