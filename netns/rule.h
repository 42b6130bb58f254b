/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_RULE_H
#define NETNS_RULE_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>

#include "netns/addr.h"

struct netns;
struct nlmsghdr;

enum {
	RULE_HAS_FWMARK = 1U << 0,
	RULE_HAS_FWMASK = 1U << 1,
	RULE_HAS_TABLE = 1U << 2,
	RULE_HAS_SUPPRESS_PREFIXLEN = 1U << 3,
	RULE_HAS_PRIORITY = 1U << 4,
	RULE_HAS_SRC = 1U << 5,
	RULE_HAS_DST = 1U << 6,
	RULE_HAS_IIF = 1U << 7,
	RULE_HAS_OIF = 1U << 8,
	RULE_INVERT = 1U << 9,		/* "not" */
};

/* A policy routing rule, as `ip rule add` takes it. */
struct rule {
	unsigned int flags;	/* RULE_* */
	int family;		/* AF_INET or AF_INET6 */
	uint32_t fwmark, fwmask;
	uint32_t table;
	uint32_t suppress_prefixlen;
	uint32_t priority;
	struct addr src, dst;
	char iif[IF_NAMESIZE], oif[IF_NAMESIZE];
};

int rule_add(struct netns *ns, const struct rule *r);
int rule_del(struct netns *ns, const struct rule *r);

/* The RTM_NEWRULE/RTM_DELRULE (type) message for r, built into buf (size
 * bytes) without a kernel: action FR_ACT_TO_TBL, FRA_TABLE (main when not
 * given) and the 8-bit table when it fits, FIB_RULE_INVERT for "not".  A
 * delete has no action, and no table unless given, so it matches any.
 * Header flags are NLM_F_REQUEST|NLM_F_ACK|flags, sequence number 0.  NULL
 * with errno EMSGSIZE (buf too small) or EINVAL (family mismatch, bad
 * interface name). */
struct nlmsghdr *rule_build(void *buf, size_t size, uint16_t type, uint16_t flags,
			    const struct rule *r);

#endif
