/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef TRAFFIC_PATH_H
#define TRAFFIC_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>

#include "netns/addr.h"
#include "traffic/sock.h"

struct loop;
struct netns;

/*
 * Traceroute from inside a node: probes with a rising TTL (hop limit) and
 * the address of whoever answers each one, until the destination answers.
 */

enum path_method {
	PATH_UDP = 0,	/* datagrams to high ports; ICMP errors read from the error queue */
	PATH_ICMP,	/* echo requests on a raw socket */
};

enum {
	PATH_HAS_SRC = 1U << 0,
	PATH_HAS_DEV = 1U << 1,
};

#define PATH_MAX_HOPS 64
#define PATH_HOPS 30		/* default max_hops */
#define PATH_TRIES 2		/* default probes per hop */
#define PATH_HOP_WAIT_MS 400	/* default wait for each probe */
#define PATH_SILENT 5		/* default: give up after this many silent hops */
#define PATH_PORT 33434
#define PATH_EVIDENCE_LEN 1024

struct path_req {
	enum path_method method;
	unsigned int flags;		/* PATH_HAS_* */
	struct addr src;
	char dev[IF_NAMESIZE];
	unsigned int max_hops;		/* 0: PATH_HOPS; at most PATH_MAX_HOPS */
	unsigned int tries;		/* 0: PATH_TRIES */
	unsigned int hop_wait_ms;	/* 0: PATH_HOP_WAIT_MS */
	unsigned int max_silent;	/* 0: PATH_SILENT */
	uint16_t port;			/* UDP: first port, 0: PATH_PORT */
};

struct path_hop {
	unsigned int ttl;
	bool answered;
	struct addr addr;		/* who answered */
	struct traffic_icmp icmp;	/* what it said (family 0: an echo reply / datagram) */
	uint64_t rtt_us;
};

struct path_result {
	bool reached;			/* the destination answered */
	bool gave_up;			/* max_silent hops in a row said nothing */
	unsigned int nhops;
	int local_error;		/* positive errno of a failed send, 0: none */
	struct path_hop hops[PATH_MAX_HOPS];
	char evidence[PATH_EVIDENCE_LEN];
};

/* Traces the path to dst from node from (NULL: here); req may be NULL for
 * the defaults.  0 when the trace ran (whatever it found), or -errno when it
 * could not (ret untouched). */
int path_trace(struct loop *l, struct netns *from, const struct addr *dst,
	       const struct path_req *req, struct path_result *ret);

/* "1 10.10.11.1, 2 10.10.9.0, 3 10.10.10.230"; a silent hop is "2 *", an
 * unreachable answer carries traceroute's mark ("3 10.0.0.1 !N"). */
const char *path_format_evidence(const struct path_result *r, char *buf, size_t len);

#endif
