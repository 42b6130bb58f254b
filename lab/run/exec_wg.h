/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_RUN_EXEC_WG_H
#define LAB_RUN_EXEC_WG_H

#include <stddef.h>
#include <stdint.h>

struct run;
struct stmt;
struct rwg;
struct rwgkey;
struct expect_wg;

/* WireGuard statements (wireguard, peer, wg-quick): 0, or -errno with
 * run_error() called. */
int exec_wireguard(struct run *r, const struct stmt *s);
int exec_peer(struct run *r, const struct stmt *s);
int exec_wgquick(struct run *r, const struct stmt *s);
/* Makes the keys of every WireGuard interface of the lab (before the
 * first statement, so a peer may name an interface made further down). */
int run_wg_keys(struct run *r);
/* The interface a statement names, or NULL. */
struct rwg *run_wg(struct run *r, const char *node, const char *ifname);
/* The keys of an interface, or NULL. */
struct rwgkey *run_wg_key(struct run *r, const char *node, const char *ifname);
/* The public key an expectation's peer stands for (a named interface's,
 * or the key written in the statement) into pub (WGKEY_LEN bytes), its
 * name ("NODE:IF", or "the peer") into name.  0, or -ENOKEY with
 * run_error() called. */
int run_wg_peer_key(struct run *r, const struct expect_wg *wg, uint8_t *pub, char *name, size_t len);
/* Takes every WireGuard interface down (wg-quick's order), frees keys. */
void run_wg_teardown(struct run *r);

#endif
