/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef ASSERTIONS_CAPTURE_H
#define ASSERTIONS_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>

struct capture;
struct loop;
struct rewrite_pattern;
struct verdict;

/* Packets matching a tcpdump filter on a capture, counting from packet
 * `from` on (a window): at least (or exactly) count within wait_ms;
 * negate: none, in what was captured so far and during wait_ms more.  A
 * bad filter fails with pcap's message as the evidence. */
int expect_sees(struct loop *l, struct capture *cap, size_t from, const char *where,
		const char *filter, bool negate, unsigned int count, bool exactly,
		unsigned int wait_ms, struct verdict *ret);

/* The same packet seen entering (in) with p's original addresses and ports
 * and leaving (out) with the rewritten ones, within wait_ms. */
int expect_rewrite(struct loop *l, struct capture *in, struct capture *out,
		   const struct rewrite_pattern *p, unsigned int wait_ms, struct verdict *ret);

#endif
