/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_RUN_WGNOTE_H
#define LAB_RUN_WGNOTE_H

#include <stddef.h>

struct addr;
struct run;
struct rwg;
struct wgnote;

/*
 * What WireGuard saw of a probe that got no answer.  When the node the
 * probe left, or a node on its way, routes the destination into one of its
 * WireGuard interfaces:
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

/* "; WireGuard: ..." (caller frees), or "" when no node on the way routes
 * dst into a WireGuard interface of the lab.  src: the probe's source
 * address (NULL: the one node's route gives it), which the far end's
 * allowed IPs must hold.  *cache (NULL at first; NULL cache: none) keeps
 * the interfaces read, each once, for the other pairs of one expectation:
 * wgnote_free() it after. */
char *wgnote_pair(struct run *r, struct wgnote **cache, const char *node, const struct addr *dst,
		  const struct addr *src);
void wgnote_free(struct wgnote *n);

/* A WireGuard tunnel a packet crosses: sent into from, received by to. */
struct wgnote_tunnel {
	const struct rwg *from, *to;
};

/* The lab's tunnels a packet from node to dst crosses, in order, at most
 * max: where a node on the way routes dst into one of the lab's WireGuard
 * interfaces, the peer interface whose allowed IPs hold dst (the underlay
 * hops as the nodes' kernels route them; rewrites by NAT not followed).
 * Their count; 0 when none is known.  *cache as for wgnote_pair() (one
 * must be given). */
size_t wgnote_tunnels(struct run *r, struct wgnote **cache, const char *node, const struct addr *dst,
		      struct wgnote_tunnel *ret, size_t max);

#endif
