/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_LINK_H
#define NETNS_LINK_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <net/if.h>

struct netns;
struct nlmsghdr;

/* All return 0 or -errno; the kernel's reason is in netns_extack(ns). */

/* A veth pair with one end (ifa) created in a and the other (ifb) created
 * directly in b; nothing appears in the caller's namespace.  mtu 0 keeps
 * the default.  The two ends get different interface indices (see
 * ifindex_hint() in netns/ifindex.h), so the kernel brings them up without
 * delay. */
int link_add_veth(struct netns *a, const char *ifa, struct netns *b, const char *ifb,
		  unsigned int mtu);
int link_add_bridge(struct netns *ns, const char *name);
int link_set_master(struct netns *ns, const char *ifname, const char *master);
int link_set_up(struct netns *ns, const char *ifname, bool up);
int link_set_mtu(struct netns *ns, const char *ifname, unsigned int mtu);
int link_del(struct netns *ns, const char *ifname);
/* Moves ifname from ns into to (the WireGuard selftest's trick). */
int link_move(struct netns *ns, const char *ifname, struct netns *to);
/* ifindex of ifname in ns, or -ENODEV. */
int link_index(struct netns *ns, const char *ifname);

struct link_info {
	int index;
	unsigned int mtu;
	unsigned int flags;		/* IFF_* */
	bool carrier;
	uint8_t operstate;		/* IF_OPER_* (linux/if.h): IF_OPER_UP = 6 once
					 * the kernel's link watch saw the carrier */
	char name[IF_NAMESIZE];
	char kind[32];			/* "veth", "bridge", "wireguard", "tun", "" */
	uint64_t rx_bytes, tx_bytes, rx_packets, tx_packets;
	uint64_t rx_dropped, tx_dropped;
};

int link_get(struct netns *ns, const char *ifname, struct link_info *ret);
/* The same by index (e.g. to name the device of a route). */
int link_get_by_index(struct netns *ns, int index, struct link_info *ret);
/* Calls cb for every link of ns; a non-zero return from cb stops the walk
 * and is returned. */
int link_walk(struct netns *ns, int (*cb)(const struct link_info *, void *), void *data);

/*
 * The messages, built into buf (size bytes) without a kernel, for the unit
 * tests.  Header flags are NLM_F_REQUEST|NLM_F_ACK|flags, the sequence number
 * is 0 (the caller sets it).  NULL with errno EMSGSIZE when buf is too small,
 * EINVAL for a name longer than IF_NAMESIZE - 1.
 */
/* RTM_NEWLINK veth ifa with its peer ifb created in the namespace of
 * peer_ns_fd (-1: the same namespace as ifa), asking for the interface
 * indices index_a and index_b (0: the kernel picks; it honours index_b only
 * together with index_a). */
struct nlmsghdr *link_build_veth(void *buf, size_t size, uint16_t flags, const char *ifa,
				 int index_a, const char *ifb, int index_b, int peer_ns_fd,
				 unsigned int mtu);
/* RTM_NEWLINK bridge with STP off and forward delay 0, so ports forward as
 * soon as they are up; index 0: the kernel picks. */
struct nlmsghdr *link_build_bridge(void *buf, size_t size, uint16_t flags, const char *name,
				   int index);

#endif
