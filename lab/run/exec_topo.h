/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_RUN_EXEC_TOPO_H
#define LAB_RUN_EXEC_TOPO_H

struct run;
struct stmt;

/* Topology statements (node, link, lan, address, route, rule, sysctl):
 * 0, or -errno with run_error() called. */
int exec_node(struct run *r, const struct stmt *s);
int exec_link(struct run *r, const struct stmt *s);
int exec_link_set(struct run *r, const struct stmt *s);
int exec_lan(struct run *r, const struct stmt *s);
int exec_address(struct run *r, const struct stmt *s);
int exec_route(struct run *r, const struct stmt *s);
int exec_rule(struct run *r, const struct stmt *s);
int exec_sysctl(struct run *r, const struct stmt *s);
/* Waits (on the condition, with a deadline) until every interface built
 * so far carries traffic; a note names any that never did. */
void run_wait_ready(struct run *r);

#endif
