/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef ASSERTIONS_REACH_H
#define ASSERTIONS_REACH_H

#include <stdbool.h>

struct loop;
struct netns;
struct probe_req;
struct verdict;

/* `reaches` (negate false): an answer within the wait.  `cannot reach`
 * (negate true): no answer during the whole wait. */
int expect_reach(struct loop *l, struct netns *from, const struct probe_req *req, bool negate,
		 struct verdict *ret);

#endif
