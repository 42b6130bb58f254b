/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef TRAFFIC_TPUT_H
#define TRAFFIC_TPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netns/addr.h"

struct netns;

/*
 * A throughput generator between two nodes, like iperf3: TCP (one or more
 * streams) or UDP (at an offered rate) for a duration.  The sender runs in
 * the calling process; the receiver runs in a forked child (its socket made
 * inside the receiving node before the fork), so sender and receiver use
 * different cores, as iperf3's client and server do.  The child reports
 * over a pipe and dies with the caller (PR_SET_PDEATHSIG).  The lab's loop
 * is not run during a measurement: the lab's own servers pause meanwhile.
 */

enum tput_proto {
	TPUT_TCP = 1,
	TPUT_UDP,
};

#define TPUT_DURATION_MS 5000
#define TPUT_CONNECT_MS 3000		/* TCP connects must complete in this */
#define TPUT_UDP_LEN 1200		/* fits a 1280-byte tunnel with IPv6 */
#define TPUT_TCP_WRITE (128 * 1024)	/* bytes per send(), as iperf3 */
#define TPUT_STREAMS_MAX 128

struct tput_req {
	enum tput_proto proto;
	struct addr dst;		/* the sender's destination: an address of
					 * the receiving node, or one leading
					 * there (a DNAT) */
	uint16_t port;			/* the receiver's port; 0: the kernel picks */
	unsigned int streams;		/* TCP; 0: 1 */
	unsigned int duration_ms;	/* 0: TPUT_DURATION_MS */
	uint64_t rate_bps;		/* UDP: offered rate of payload bits (required) */
	unsigned int len;		/* UDP payload bytes; 0: TPUT_UDP_LEN */
};

struct tput_result {
	enum tput_proto proto;
	unsigned int streams;
	uint64_t duration_us;		/* the sender's window */
	uint64_t window_us;		/* receiver: first byte to the last (TCP: last EOF) */
	uint64_t bytes_sent;		/* payload handed to the kernel */
	uint64_t bytes;			/* payload received */
	double bps;			/* goodput: TCP bytes over the receiver's
					 * window, UDP bytes over the sender's */
	uint64_t retransmits;		/* TCP: tcpi_total_retrans, all streams */
	uint64_t dgrams_offered;	/* UDP: due at the rate over the window */
	uint64_t dgrams_sent, dgrams_received, dgrams_lost;	/* UDP */
	double loss;			/* UDP: lost / sent, 0..1 */
	double cpu_sender_s;		/* CPU time of the sending thread */
	double cpu_receiver_s;		/* CPU time of the receiving child */
	int error;			/* positive errno when traffic could not
					 * flow (connect refused, reset), else 0 */
};

/* Measures from node `from` to node `to` (NULL: the caller's namespace).
 * The receiver listens in `to` on every address of req->dst's family.
 * Returns 0 when the measurement ran, whatever it measured (a path that
 * carried nothing gives 0 bit/s and ret->error), or -errno when it could not
 * run (bad request, no socket, no fork): then ret is untouched. */
int tput_run(struct netns *from, struct netns *to, const struct tput_req *req,
	     struct tput_result *ret);

/* --- pure helpers (unit-tested) --- */

/* bytes over us as bit/s (0 when us is 0). */
double tput_bps(uint64_t bytes, uint64_t us);
/* "412 Mbit/s", "14.2 Gbit/s", "950 kbit/s", "12 bit/s": three significant
 * digits. */
const char *tput_format_rate(double bps, char *buf, size_t len);
/* How many UDP datagrams of len bytes a sender at rate_bps owes after
 * elapsed_us: floor(elapsed_us * rate / (len * 8 * 1e6)). */
uint64_t tput_udp_due(uint64_t rate_bps, unsigned int len, uint64_t elapsed_us);
/* "tcp 1 stream 5.0 s: 412 Mbit/s, 31744 retransmits, generator CPU 0.8 s",
 * "udp 100 Mbit/s offered 5.0 s: 99.8 Mbit/s, 12/52084 datagrams lost
 * (0.02 %), generator CPU 0.6 s", or the error when nothing flowed. */
const char *tput_format(const struct tput_req *req, const struct tput_result *res, char *buf,
			size_t len);

#endif
