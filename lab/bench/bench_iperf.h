/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_BENCH_IPERF_H
#define LAB_BENCH_IPERF_H

#include <stddef.h>
#include <stdint.h>

#include "netns/addr.h"
#include "traffic/tput.h"

struct netns;

/*
 * iperf3 on the same path as the built-in generator, for `wglab bench` and
 * the tests that hold the generator to iperf3: a one-off server in the
 * receiving node (ready when its socket listens there), the client in the
 * sending node with -J, its JSON read back.  Both die with the lab.
 */

struct bench_iperf_result {
	double bps;			/* TCP: sum_received; UDP: the receiver's figure */
	uint64_t retransmits;		/* TCP: sum_sent.retransmits */
	double lost_percent;		/* UDP */
	double cpu_client, cpu_server;	/* cpu_utilization_percent host_total, remote_total */
};

/* Same request as tput_run() (dst, proto, streams, duration, UDP rate and
 * length; the port is iperf3's, 5201 unless req->port).  0, or -errno with
 * one line of detail in err (iperf3's own message when it failed). */
int bench_iperf3(struct netns *from, struct netns *to, const struct tput_req *req,
		 struct bench_iperf_result *ret, char *err, size_t errlen);

/* Parses iperf3 -J output (pure; unit-tested).  -EBADMSG when a figure is
 * missing, -EPROTO with iperf3's "error" text in err. */
int bench_iperf3_parse(const char *json, enum tput_proto proto, struct bench_iperf_result *ret,
		       char *err, size_t errlen);

#endif
