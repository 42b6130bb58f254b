/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_LANG_PARSE_TOPO_H
#define LAB_LANG_PARSE_TOPO_H

struct pctx;
struct stmt;

/* The topology statements' parsers (for parse_table.c): node, link, lan,
 * address, route, rule, sysctl. */
struct stmt *parse_node(struct pctx *c);
struct stmt *parse_link(struct pctx *c);
struct stmt *parse_lan(struct pctx *c);
struct stmt *parse_address(struct pctx *c);
struct stmt *parse_route(struct pctx *c);
struct stmt *parse_rule(struct pctx *c);
struct stmt *parse_sysctl(struct pctx *c);

#endif
