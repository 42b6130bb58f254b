/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_LANG_PARSE_EXPECT_OPTS_H
#define LAB_LANG_PARSE_EXPECT_OPTS_H

struct pctx;
struct expect_reach;
struct stmt_expect;

/* What every expectation's parser may use: `within D` (or an unknown
 * option, listing known), and a WireGuard PEER (NODE:IF or key) into
 * e->wg. */
int parse_wait_opt(struct pctx *c, struct stmt_expect *e, const char *known);
int parse_wg_peer(struct pctx *c, struct stmt_expect *e);
/* `tcp PORT` or `udp PORT` at c->i into r: 1 when taken, 0 when the word
 * is neither, -EINVAL (error printed). */
int parse_port_proto(struct pctx *c, struct expect_reach *r);

#endif
