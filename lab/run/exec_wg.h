/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_RUN_EXEC_WG_H
#define LAB_RUN_EXEC_WG_H

#include <stdbool.h>
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
/* Whether b may go to WireGuard together with a: both `peer` statements
 * (not `refused`) of one interface, as a `for` writes a mesh. */
bool exec_peer_joins(const struct stmt *a, const struct stmt *b);
/* The peer statements v[0..n) (each joining the first) in one
 * configuration; *ret_done says how many were applied, r->cur is the one
 * an error is about.  The configuration may still be on its way (its
 * answer read by a later call, while other interfaces take theirs):
 * exec_peers_flush() before any statement that is no `peer`. */
int exec_peers(struct run *r, const struct stmt *const *v, size_t n, size_t *ret_done);
/* Reads every answer still due, adds their peers' routes: 0, or -errno
 * with r->cur at the statement it is about. */
int exec_peers_flush(struct run *r);
int exec_wgquick(struct run *r, const struct stmt *s);
/* Makes the keys of every WireGuard interface of the lab (before the
 * first statement, so a peer may name an interface made further down). */
int run_wg_keys(struct run *r);
/* Before the build, for a lab with WireGuard interfaces: the data path
 * is chosen and the WireGuard host started now, its Go runtime's start
 * beside the nodes' build.  A failure is left to the first interface. */
void run_wg_begin(struct run *r);
/* Whether the lab's userspace interfaces would be in its WireGuard host
 * (wglab-wghost, one process) rather than a program each. */
bool run_wg_hosted(const struct run *r);
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
