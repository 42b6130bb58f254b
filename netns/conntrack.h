/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_CONNTRACK_H
#define NETNS_CONNTRACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netns/addr.h"

struct netns;
struct nlmsghdr;

/* One direction of a connection, as conntrack -L prints it.  Addresses
 * have their full prefix length. */
struct ct_tuple {
	struct addr src, dst;
	uint16_t sport, dport;		/* TCP, UDP (host order) */
	uint8_t icmp_type, icmp_code;	/* ICMP, ICMPv6 */
	uint16_t icmp_id;
};

/* Status bits, from the kernel's IPS_* */
enum {
	CT_ASSURED = 1U << 0,
	CT_REPLIED = 1U << 1,		/* a packet was seen in the reply direction */
	CT_SNAT = 1U << 2,		/* source NAT done */
	CT_DNAT = 1U << 3,		/* destination NAT done */
	CT_CONFIRMED = 1U << 4,
};

struct ct_entry {
	int family;			/* AF_INET, AF_INET6 */
	uint8_t proto;			/* IPPROTO_* */
	struct ct_tuple orig;		/* as the first packet arrived */
	struct ct_tuple reply;		/* what replies look like: the NAT rewrite */
	unsigned int flags;		/* CT_* */
	uint32_t status;		/* raw IPS_* bits */
	uint32_t timeout;		/* seconds left */
	uint32_t mark;
	uint32_t use;
	uint32_t id;
	uint8_t tcp_state;		/* TCP_CONNTRACK_*, for TCP */
};

/* All entries of ns (both families).  *ret is malloc'ed (free() it), NULL
 * when there are none.  0 or -errno. */
int conntrack_list(struct netns *ns, struct ct_entry **ret, size_t *n);
int conntrack_flush(struct netns *ns);
/* Deletes the entry with e's original tuple (and id).  -ENOENT if gone. */
int conntrack_delete(struct netns *ns, const struct ct_entry *e);

/* An endpoint of a pattern; anything not given matches anything. */
enum {
	CT_EP_ADDR = 1U << 0,		/* addr (a prefix: 10.0.0.0/8 matches) */
	CT_EP_PORT = 1U << 1,
};

struct ct_endpoint {
	unsigned int flags;		/* CT_EP_* */
	struct addr addr;
	uint16_t port;
};

/*
 * Matches a connection the way an expectation names it: the packet as it
 * arrived (orig_src > orig_dst) and, optionally, the same packet after the
 * NAT rewrote it (new_src > new_dst).  The rewrite is read from the reply
 * tuple: new_src is the reply's destination and new_dst its source.
 */
struct ct_pattern {
	uint8_t proto;			/* 0: any */
	struct ct_endpoint orig_src, orig_dst;
	bool has_new;
	struct ct_endpoint new_src, new_dst;
};

bool conntrack_match(const struct ct_entry *e, const struct ct_pattern *p);
/* "10.0.0.1:80", "10.0.0.1:*", "*:53", "10.0.0.0/8", "*", "[fd00::1]:80".
 * -EINVAL when malformed. */
int conntrack_endpoint_parse(const char *s, struct ct_endpoint *ret);

/* One line as `conntrack -L` prints it: "udp      17 29 src=... dst=...
 * sport=... dport=... [UNREPLIED] src=... [ASSURED] mark=0 use=1". */
const char *conntrack_format(const struct ct_entry *e, char *buf, size_t len);

/* Parses one IPCTNL_MSG_CT_NEW message (a dump reply) into ret. */
int conntrack_parse(const struct nlmsghdr *nlh, struct ct_entry *ret);

#endif
