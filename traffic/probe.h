/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef TRAFFIC_PROBE_H
#define TRAFFIC_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>

#include "netns/addr.h"
#include "traffic/sock.h"

struct loop;
struct netns;

/*
 * Reachability probes from inside a node.  A probe retries until it gets
 * its answer or wait_ms runs out, running the loop meanwhile so the lab's
 * servers keep answering.  "Cannot reach" is the same call: the caller
 * passes when !ok after the full wait.
 */

enum probe_proto {
	PROBE_ICMP = 1,	/* echo request / reply */
	PROBE_TCP,	/* the connection is established */
	PROBE_UDP,	/* a datagram carrying a nonce comes back (echo server) */
};

enum {
	PROBE_HAS_SRC = 1U << 0,	/* bind to src */
	PROBE_HAS_SPORT = 1U << 1,	/* bind to sport (TCP, UDP) */
	PROBE_HAS_DEV = 1U << 2,	/* SO_BINDTODEVICE dev */
};

#define PROBE_WAIT_MS 2000
#define PROBE_INTERVAL_MS 100		/* ICMP and UDP requests, TCP after a failure */
#define PROBE_BACKOFF_MAX_MS 1000	/* the longest wait between retries with backoff */
#define PROBE_TCP_PENDING_MS 1000	/* a new connect after this long pending */
#define PROBE_EVIDENCE_LEN 384

struct probe_req {
	enum probe_proto proto;
	unsigned int flags;		/* PROBE_HAS_* */
	struct addr dst;
	uint16_t port;			/* TCP, UDP */
	struct addr src;
	uint16_t sport;
	char dev[IF_NAMESIZE];
	unsigned int wait_ms;		/* 0: PROBE_WAIT_MS */
	unsigned int interval_ms;	/* 0: PROBE_INTERVAL_MS */
	/* ICMP and UDP retries (not a series) wait twice as long each time,
	 * from interval_ms up to PROBE_BACKOFF_MAX_MS, as fping backs off:
	 * for thousands of probes at once, where a retry of each every
	 * 100 ms would be most of the traffic (a first packet that waits for
	 * a WireGuard handshake is sent once the handshake is done anyway). */
	bool backoff;
	/* ICMP series (`reaches ... count N size S df interval D`): count
	 * requests, every one of which must be answered (0: any one answer
	 * is enough, retrying), of size payload bytes (0: the default),
	 * with don't-fragment (df). */
	unsigned int count;
	unsigned int size;
	bool df;
	/* Stop at the first ICMP error a router sends back (the icmp-error
	 * expectation): res.last_icmp says which. */
	bool stop_on_icmp;
};

#define PROBE_COUNT_MAX 10000
#define PROBE_SIZE_MAX 65000

struct probe_result {
	bool ok;
	unsigned int attempts;		/* requests sent, connects started */
	unsigned int seq;		/* ICMP, UDP: the request answered (1-based) */
	unsigned int replies;		/* ICMP series: distinct requests answered */
	uint64_t rtt_us;		/* of the success */
	uint64_t elapsed_ms;		/* until the answer arrived (ok), else until the end */
	struct addr responder;		/* who answered (ok), family 0 otherwise */
	uint16_t responder_port;
	/* An answer that came from another address (or UDP port) than the
	 * one probed, which does not count: the first (family 0: none).  A
	 * multicast destination is answered by its members, from their own
	 * addresses: any of them counts. */
	struct addr stranger;
	uint16_t stranger_port;
	int last_error;			/* positive errno of the last failure, 0: none */
	unsigned int enobufs;		/* sends the kernel refused with ENOBUFS */
	uint64_t late_ms;		/* the first answer after the wait came this late (0: none) */
	struct traffic_icmp last_icmp;	/* last ICMP error seen (family 0: none) */
	char evidence[PROBE_EVIDENCE_LEN];
};

/* Runs req from inside node from (NULL: the caller's namespace).  Returns 0
 * when the probe ran, whatever its outcome (see ret->ok), or -errno when it
 * could not run (bad request, no socket): then ret is untouched. */
int probe_run(struct loop *l, struct netns *from, const struct probe_req *req,
	      struct probe_result *ret);

/* One probe of a set run together. */
struct probe_job {
	struct netns *from;		/* NULL: the caller's namespace */
	struct probe_req req;
	struct probe_result res;	/* when err is 0 */
	int err;			/* -errno: the probe could not run */
};

/* Runs jobs concurrently: at most max_open at once (0: 256), started in
 * order, each with its own wait from its start; ICMP probes from one node
 * share one raw socket per address family.  Every job ends with res or
 * err; returns 0, or -errno when the loop failed. */
int probe_run_many(struct loop *l, struct probe_job *jobs, size_t n, unsigned int max_open);

/* The one-line evidence for a result (what probe_run puts in ->evidence):
 * "icmp echo reply from 10.0.0.2 (seq 3, 0.21 ms) after 3 requests",
 * "no reply to 20 icmp echo requests in 2.0 s; last: destination
 * unreachable (host) from 10.0.1.1". */
const char *probe_format_evidence(const struct probe_req *req, const struct probe_result *res,
				  char *buf, size_t len);

const char *probe_proto_name(enum probe_proto proto);

#endif
