/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_LANG_PARSE_FW_H
#define LAB_LANG_PARSE_FW_H

struct pctx;
struct stmt;

/* The firewall and NAT statements' parsers (for parse_table.c): firewall,
 * nft, nat, conntrack, capture. */
struct stmt *parse_firewall(struct pctx *c);
struct stmt *parse_nft(struct pctx *c);
struct stmt *parse_nat(struct pctx *c);
struct stmt *parse_conntrack(struct pctx *c);
struct stmt *parse_capture(struct pctx *c);

#endif
