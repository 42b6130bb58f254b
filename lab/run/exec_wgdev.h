/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_RUN_EXEC_WGDEV_H
#define LAB_RUN_EXEC_WGDEV_H

struct run;
struct stmt_expect;
struct verdict;

/* `expect NODE:IF device ...` / `allowed-ips PEER is ...`. */
int exec_wgdevice(struct run *r, const struct stmt_expect *e, struct verdict *v);

#endif
