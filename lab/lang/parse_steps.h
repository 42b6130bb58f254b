/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_LANG_PARSE_STEPS_H
#define LAB_LANG_PARSE_STEPS_H

struct pctx;
struct stmt;

/* The parsers of the steps that act (for parse_table.c): run, serve, wait. */
struct stmt *parse_run(struct pctx *c);
/* The daemon words of a run at the cursor (parse_daemon.c): `daemon`,
 * `ready tcp PORT|udp PORT|link IF|handshake IF|command "SHELL"`,
 * `within D`.  0 or -EINVAL with an error. */
struct stmt_run;
int parse_run_daemon(struct pctx *c, struct stmt_run *r);
struct stmt *parse_serve(struct pctx *c);
struct stmt *parse_wait(struct pctx *c);

#endif
