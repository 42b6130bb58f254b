/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef ASSERTIONS_THROUGHPUT_H
#define ASSERTIONS_THROUGHPUT_H

#include <stdint.h>

#include "traffic/tput.h"

struct netns;
struct verdict;

/* `throughput A B [tcp|udp] >= RATE`: the goodput the generator measures
 * from `from` to `to` is at least min_bps.  For UDP without an offered
 * rate, it offers min_bps + 10 % (at the threshold exactly, one lost
 * datagram would fail it).  Evidence: "tcp 1 stream 5.0 s: 412 Mbit/s,
 * 31744 retransmits, generator CPU 0.8 s; wanted >= 100 Mbit/s".  ret_res
 * (may be NULL) gets the figures.  0 when evaluated, -errno when the
 * generator could not run. */
int expect_throughput(struct netns *from, struct netns *to, const struct tput_req *req,
		      uint64_t min_bps, struct verdict *ret, struct tput_result *ret_res);

/* The request expect_throughput() runs for req (the UDP default rate
 * filled in). */
void expect_throughput_req(const struct tput_req *req, uint64_t min_bps, struct tput_req *ret);

#endif
