/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef TRAFFIC_LATENCY_H
#define TRAFFIC_LATENCY_H

#include <stddef.h>
#include <stdint.h>

#include "netns/addr.h"

struct loop;
struct netns;

/*
 * Round-trip latency between two nodes: UDP requests answered by an echo
 * server, one at a time (the next leaves when the previous came back or
 * timed out), like `ping -c N` without ICMP.  The echo server is the lab's
 * own (traffic/server.h), started in the receiving node for the
 * measurement, and the loop runs while waiting, so the lab's servers keep
 * answering.
 */

#define LATENCY_SAMPLES 100
#define LATENCY_TIMEOUT_MS 1000		/* a request unanswered this long is lost */
#define LATENCY_LEN 64

struct latency_req {
	struct addr dst;
	uint16_t port;			/* 0: an echo server started in `to` */
	unsigned int samples;		/* 0: LATENCY_SAMPLES */
	unsigned int timeout_ms;	/* 0: LATENCY_TIMEOUT_MS */
	unsigned int interval_ms;	/* pause between samples; 0: none */
	unsigned int len;		/* payload bytes; 0: LATENCY_LEN */
};

struct latency_result {
	unsigned int sent, received;
	double min_us, avg_us, max_us;	/* of the answered */
	double p50_us, p90_us, p99_us;	/* of all sent (INFINITY: too many lost) */
	uint64_t elapsed_ms;
	unsigned int not_sent;		/* requests the node could not send */
	int local_error;		/* the last send's (or connect's) errno, 0: none */
};

/* Measures from `from` to req->dst; with req->port 0 an echo server runs
 * in `to` (required then) on every address of dst's family.  0 when the
 * measurement ran, whatever came back (a request the node could not send,
 * no route, a firewall, is a lost sample, not_sent and local_error say
 * so), or -errno: then ret is untouched. */
int latency_run(struct loop *l, struct netns *from, struct netns *to, const struct latency_req *req,
		struct latency_result *ret);

/* --- pure helpers (unit-tested) --- */

/* The pct-th percentile of n sorted samples by nearest rank (the smallest
 * sample with at least pct % of the samples at or below it); 0 when n is 0. */
double latency_percentile(const double *sorted, size_t n, double pct);
/* Sorts the n answered samples (microseconds) of sent requests and fills
 * the statistics of ret (sent, received and the figures).  Percentiles are
 * over every request sent, an unanswered one counting as infinitely late:
 * with 2 of 100 lost, p99 is INFINITY. */
void latency_stats(double *samples, size_t n, size_t sent, struct latency_result *ret);
/* "200/200 answered: p50 0.071 ms, p90 0.082 ms, p99 0.120 ms (min 0.052,
 * max 0.310)"; a percentile lost to unanswered requests reads "lost". */
const char *latency_format(const struct latency_result *res, char *buf, size_t len);

#endif
