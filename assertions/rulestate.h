/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef ASSERTIONS_RULESTATE_H
#define ASSERTIONS_RULESTATE_H

#include <stdbool.h>

struct loop;
struct netns;
struct rule;
struct verdict;

/* A policy rule matching want (its fields given) is in ns (`ip rule`):
 * as soon as one is, within wait_ms; negate: none during the whole wait.
 * Evidence: the matching rule, or the family's rules. */
int expect_rule(struct loop *l, struct netns *ns, const struct rule *want, bool negate,
		unsigned int wait_ms, struct verdict *ret);

#endif
