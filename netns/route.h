/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_ROUTE_H
#define NETNS_ROUTE_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>

#include "netns/addr.h"

struct netns;
struct nlmsghdr;

enum {
	ROUTE_HAS_GW = 1U << 0,
	ROUTE_HAS_DEV = 1U << 1,
	ROUTE_HAS_TABLE = 1U << 2,
	ROUTE_HAS_METRIC = 1U << 3,
	ROUTE_HAS_SRC = 1U << 4,
	ROUTE_HAS_MTU = 1U << 5,
	ROUTE_HAS_TYPE = 1U << 6,
	ROUTE_HAS_MARK = 1U << 7,	/* lookups only: the fwmark to use */
};

struct route {
	unsigned int flags;	/* ROUTE_HAS_* */
	struct addr dst;	/* prefixlen 0 = default; family set */
	struct addr gw;
	struct addr src;
	char dev[IF_NAMESIZE];
	uint32_t table;		/* default: main (254) */
	uint32_t metric;
	uint32_t mtu;
	uint8_t type;		/* RTN_UNICAST (default), RTN_BLACKHOLE, RTN_UNREACHABLE, RTN_PROHIBIT */
	uint32_t mark;
};

/* 0 or -errno, kernel reason in netns_extack(). */
int route_add(struct netns *ns, const struct route *r);
int route_del(struct netns *ns, const struct route *r);
/* What `ip route get DST [mark M] [from SRC]` says: fills ret (dev, gw,
 * src, table; type).  q->dst (host), q->mark, q->src are used. */
int route_get(struct netns *ns, const struct route *q, struct route *ret);
/* Forgets the path MTU ns learned for dst (from an ICMP fragmentation
 * needed or packet too big), so that the next big packet asks the way
 * again.  IPv4: the namespace's whole route cache.  0 or -errno. */
int route_forget_pmtu(struct netns *ns, const struct addr *dst);

/*
 * The messages, built into buf (size bytes) without a kernel.  Header flags
 * are NLM_F_REQUEST|NLM_F_ACK|flags, sequence number 0.  NULL with errno
 * EMSGSIZE (buf too small) or EINVAL (gateway or source of another family
 * than the destination).
 */
/* RTM_NEWROUTE/RTM_DELROUTE (type) for r, leaving through oif_index (0:
 * none).  As ip(8): protocol boot, scope link for a unicast route without
 * a gateway, universe otherwise; a delete matches any scope, protocol and
 * (without ROUTE_HAS_TYPE) type. */
struct nlmsghdr *route_build(void *buf, size_t size, uint16_t type, uint16_t flags,
			     const struct route *r, int oif_index);
/* RTM_GETROUTE for the lookup q (q->dst as a host, q->mark, q->src), with
 * RTM_F_LOOKUP_TABLE so the reply names the table that matched. */
struct nlmsghdr *route_build_get(void *buf, size_t size, const struct route *q);

#endif
