/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_RUN_EXEC_ICMPERR_H
#define LAB_RUN_EXEC_ICMPERR_H

struct run;
struct stmt_expect;
struct verdict;

/* `expect NODE icmp-error ADDR TYPE [from ROUTER] ...`. */
int exec_icmperr(struct run *r, const struct stmt_expect *e, struct verdict *v);

#endif
