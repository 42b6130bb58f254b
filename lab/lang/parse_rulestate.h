/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_LANG_PARSE_RULESTATE_H
#define LAB_LANG_PARSE_RULESTATE_H

#include "lab/lang/model.h"

struct pctx;

/* `expect NODE [no] rule [-4|-6] [not] [from P] [to P] [fwmark M[/MASK]]
 * [iif IF] [oif IF] table T [priority P] [within D]` (EXPECT_RULE): a policy
 * rule with those fields is in the node (`ip rule`); ext is the struct
 * rule, read by the `rule` statement's own parser. */
int parse_rulestate(struct pctx *c, struct stmt_expect *e);

#endif
