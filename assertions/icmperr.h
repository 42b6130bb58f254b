/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef ASSERTIONS_ICMPERR_H
#define ASSERTIONS_ICMPERR_H

#include <stdbool.h>

#include "netns/addr.h"

struct loop;
struct netns;
struct probe_req;
struct verdict;

/* The ICMP errors a probe may get back, by name (both families). */
enum icmperr_type {
	ICMPERR_UNREACHABLE,		/* any destination unreachable */
	ICMPERR_NET_UNREACHABLE,
	ICMPERR_HOST_UNREACHABLE,
	ICMPERR_PORT_UNREACHABLE,
	ICMPERR_ADMIN_PROHIBITED,
	ICMPERR_FRAG_NEEDED,		/* IPv4 fragmentation needed, IPv6 packet too big */
	ICMPERR_TIME_EXCEEDED,
};

/* NULL-terminated names, indexed by enum icmperr_type. */
extern const char *const icmperr_names[];

/* Probes (req) until an ICMP error comes back: holds when it is of type
 * and (from.family) sent by from. */
int expect_icmperr(struct loop *l, struct netns *ns, const struct probe_req *req,
		   enum icmperr_type type, const struct addr *from, struct verdict *ret);

#endif
