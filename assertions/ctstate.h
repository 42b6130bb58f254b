/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef ASSERTIONS_CTSTATE_H
#define ASSERTIONS_CTSTATE_H

#include <stdbool.h>

struct ct_pattern;
struct loop;
struct netns;
struct verdict;

/* An entry of ns's conntrack table matching p (its original tuple, and
 * what NAT rewrote it to) appears within wait_ms; negate: none does during
 * the whole wait.  Evidence: the entries, as `conntrack -L` prints them. */
int expect_conntrack(struct loop *l, struct netns *ns, const struct ct_pattern *p, bool negate,
		     unsigned int wait_ms, struct verdict *ret);

#endif
