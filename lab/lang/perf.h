/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_LANG_PERF_H
#define LAB_LANG_PERF_H

#include <stdint.h>

#include "netns/addr.h"
#include "traffic/latency.h"
#include "traffic/tput.h"

struct pctx;
struct stmt_expect;

/*
 * The performance expectations of the scenario language (carried out by
 * lab/run/exec_perf.c; link shaping is lab/run/exec_topo.c's):
 *
 *   expect A throughput B [tcp|udp] >= RATE [for D] [streams N] [rate R]
 *          [to ADDR] [port P]
 *   expect A latency B p50|p90|p99 < X ms [samples N] [to ADDR] [port P]
 *   link A:IF ... -- B:IF ... [rate R] [delay D] [jitter J] [loss P%]
 *
 * B is a node: the generator's receiver (or the echo server) runs there,
 * and traffic goes to B's first IPv4 address as built so far (else its
 * first IPv6 one), or to ADDR (e.g. an address that a DNAT forwards to B).
 * With `port P` the receiver listens on P (say, for a port forward);
 * latency with `port P` and `to ADDR` uses whatever echo server answers
 * there (the scenario's own `serve`) instead of starting one.
 */

/* What the parsers keep in stmt_expect.ext (freed with ext_free). */
struct perf_expect {
	char *peer;			/* node B */
	struct addr to;			/* family 0: B's first address */
	/* throughput */
	struct tput_req req;		/* proto, streams, duration, rate, port */
	uint64_t min_bps;
	/* latency */
	unsigned int pct;		/* 50, 90, 99 */
	double max_us;
	struct latency_req lat;		/* samples, port */
};

/* Parsers for parse_expect.c's expect_table (the words after the kind):
 * 0, or -EINVAL after perr(). */
int parse_throughput(struct pctx *c, struct stmt_expect *e);
int parse_latency(struct pctx *c, struct stmt_expect *e);
/* The node B a performance expectation names, for validation (NULL for
 * other kinds). */
const char *perf_expect_peer(const struct stmt_expect *e);

#endif
