/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_FW_EXPR_H
#define NETNS_FW_EXPR_H

/* A rule's matches and target as nftables expressions (fw_expr.c), for
 * fw_nft.c.  Not part of the API. */

struct fw_build;
struct fw_op;
struct nftnl_rule;

/* The expressions of kernel rule k of op's rule into r; the anonymous sets
 * it needs are appended to the batch first.  0 or -errno. */
int fw_rule_exprs(struct fw_build *fb, struct nftnl_rule *r, struct fw_op *op, unsigned int k);

#endif
