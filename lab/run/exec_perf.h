/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_BENCH_EXPECT_H
#define LAB_BENCH_EXPECT_H

#include <stdint.h>

#include "netns/addr.h"
#include "traffic/latency.h"
#include "traffic/tput.h"

struct netns;
struct pctx;
struct run;
struct stmt;
struct stmt_expect;
struct verdict;

/*
 * The performance statements of the scenario language, for the lead's
 * parser and runner to call (see tests/bench/lead-wiring.patch):
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

/* Evaluators for exec_expect.c: 0 with the verdict (and the figures in
 * ret, which may be NULL), or -errno with run_error() called. */
int exec_throughput(struct run *r, const struct stmt_expect *e, struct verdict *v,
		    struct tput_result *ret);
int exec_latency(struct run *r, const struct stmt_expect *e, struct verdict *v,
		 struct latency_result *ret);
/* The request exec_throughput() runs (the destination resolved), for
 * running iperf3 on the same path.  0 or -errno with run_error(). */
int exec_throughput_path(struct run *r, const struct stmt_expect *e, struct netns **ret_from,
			 struct netns **ret_to, struct tput_req *ret);

/* For exec_link(): rate, delay, jitter, loss of a link statement on the
 * egress of both ends, so the link is shaped each way.  0 (also when the
 * statement shapes nothing) or -errno with run_error() called; without
 * sch_netem: "Unable to emulate delay or loss on 'a:eth0': this kernel
 * has no sch_netem: Specified qdisc kind is unknown". */
int exec_link_shape(struct run *r, const struct stmt *s);

#endif
