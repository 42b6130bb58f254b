/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_READY_H
#define NETNS_READY_H

#include <stdbool.h>

struct netns;

/*
 * Whether ifname in ns carries traffic yet: the kernel marked it running
 * (carrier, up to a second after both veth ends are up), and IPv6 is
 * usable: it has a link-local address (unless it does no neighbour
 * discovery), none is tentative, and it has joined the solicited-node
 * group of each address (a nodad address is usable at once, but joined a
 * moment later; neighbour solicitations for it are dropped until then).
 * In a namespace made without IPv6 (NETNS_NO_IPV6), running is enough.
 * 0 with *ret, or -errno.
 */
int link_ready(struct netns *ns, const char *ifname, bool *ret);

/*
 * The same for many interfaces of one namespace: one rtnetlink dump each
 * of its links, IPv6 addresses and IPv6 multicast groups, then every
 * interface answered from that, so that waiting for n interfaces costs
 * O(n log n), not n reads of tables of n lines.
 */
struct ready_snap;
/* 0 with *ret (ready_snap_free() it), or -errno. */
int ready_snap_take(struct netns *ns, struct ready_snap **ret);
/* Whether ifname carries traffic, as link_ready() says; -ENODEV when the
 * namespace has no such interface. */
int ready_snap_if(const struct ready_snap *s, const char *ifname, bool *ret);
void ready_snap_free(struct ready_snap *s);

#endif
