/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_LANG_PARSE_WG_H
#define LAB_LANG_PARSE_WG_H

struct pctx;
struct stmt;

/* The WireGuard statements' parsers (for parse_table.c): wireguard, peer,
 * wg-quick. */
struct stmt *parse_wireguard(struct pctx *c);
struct stmt *parse_peer(struct pctx *c);
struct stmt *parse_wgquick(struct pctx *c);

#endif
