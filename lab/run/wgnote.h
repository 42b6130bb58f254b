/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_RUN_WGNOTE_H
#define LAB_RUN_WGNOTE_H

struct addr;
struct run;
struct wgnote;

/*
 * What WireGuard saw of a probe that got no answer.  When the node the
 * probe left routes the destination into one of its WireGuard interfaces:
 * the peer WireGuard sends it to (the longest of its peers' allowed IPs
 * that holds it; or that there is none, and WireGuard drops it), with its
 * latest handshake and bytes each way; and, when that peer is an interface
 * of the lab, what that interface has of the one it was sent from.  So "no
 * reply" says whether a handshake was sent, answered or never heard of:
 *
 *   WireGuard: p1:wg0, peer p11:wg0 for 10.200.0.11: no handshake,
 *   0 B received, 296 B sent; p11:wg0, peer p1:wg0: no handshake,
 *   148 B received, 92 B sent
 */

/* "; WireGuard: ..." (caller frees), or "" when node does not route dst
 * into a WireGuard interface of the lab.  *cache (NULL at first; NULL
 * cache: none) keeps the interfaces read, each once, for the other pairs
 * of one expectation: wgnote_free() it after. */
char *wgnote_pair(struct run *r, struct wgnote **cache, const char *node, const struct addr *dst);
void wgnote_free(struct wgnote *n);

#endif
