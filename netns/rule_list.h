/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_RULE_LIST_H
#define NETNS_RULE_LIST_H

#include <stddef.h>

#include "netns/rule.h"

struct netns;

/* Every policy rule of family in ns, as `ip -4|-6 rule show` lists them
 * (flags say which fields each has; FR_ACT_TO_TBL rules' table).  The
 * caller frees *ret.  0 or -errno. */
int rule_list(struct netns *ns, int family, struct rule **ret, size_t *ret_n);
/* Whether have matches want on every field want has (RULE_HAS_*, and
 * RULE_INVERT). */
bool rule_matches(const struct rule *have, const struct rule *want);

#endif
