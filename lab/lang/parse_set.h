/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_LANG_PARSE_SET_H
#define LAB_LANG_PARSE_SET_H

struct pctx;
struct stmt;

/* expect all SET... reach|cannot reach|handshake|no handshake each other|SET2...
 * [icmp|tcp PORT|udp PORT] [-4|-6] [within D], with c->i at "all". */
struct stmt *parse_expect_set(struct pctx *c);

#endif
