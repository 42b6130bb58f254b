/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_RUN_EXEC_FW_H
#define LAB_RUN_EXEC_FW_H

#include <stdbool.h>

struct run;
struct stmt;

/* Firewall statements (firewall, nft, nat, conntrack): 0, or -errno with
 * the run's message set. */
int exec_firewall(struct run *r, const struct stmt *s);
int exec_nft(struct run *r, const struct stmt *s);
int exec_nat(struct run *r, const struct stmt *s);
int exec_conntrack(struct run *r, const struct stmt *s);
/* Measures every NAT declared so far and not yet measured, one result
 * each; one with no node behind it or beyond it yet waits for a later
 * call, or with last gets a note that it was not measured.  0 or
 * -errno. */
int run_nat_checks(struct run *r, bool last);
/* Frees the NATs, the wiring and the nodes' rule sets. */
void run_fw_teardown(struct run *r);

#endif
