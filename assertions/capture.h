/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef ASSERTIONS_CAPTURE_H
#define ASSERTIONS_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct capture;
struct loop;
struct rewrite_pattern;
struct verdict;

/* Where a window of a capture starts: packets before `from` do not count,
 * nor do the kernel's counters as they were then (capture_stats()). */
struct sees_window {
	size_t from;
	uint64_t taken;			/* kernel_taken then */
	uint64_t lost;			/* kernel_drops + not_stored then */
	/* Why the window cannot speak for everything the interface carried
	 * (its capture started after the interface could carry, or stopped
	 * for a while), in words for the evidence; "": it saw all of it. */
	char blind[512];
};

/* Packets matching a tcpdump filter on a capture, in the window w (NULL:
 * since the capture started): at least (or exactly) count within wait_ms;
 * negate: none, in what was captured so far and during wait_ms more.  The
 * evidence gives the packets taken and dropped in the window; `sees no`
 * and `exactly N` fail as inconclusive when any was dropped (or could not
 * be read), when the capture stopped (the interface failed) or when
 * w->blind says it missed some of the window, since the missing ones
 * could have matched.  A bad filter
 * fails with pcap's message as the evidence. */
int expect_sees(struct loop *l, struct capture *cap, const struct sees_window *w, const char *where,
		const char *filter, bool negate, unsigned int count, bool exactly,
		unsigned int wait_ms, struct verdict *ret);

/* One side of a rewrite: the capture, where its window starts (NULL: since
 * the capture started) and its name for the evidence ("wan"). */
struct rewrite_side {
	struct capture *cap;
	const struct sees_window *window;
	const char *where;
};

/* The same packet seen entering (in) with p's original addresses and ports
 * and leaving (out) with the rewritten ones, both in their windows, within
 * wait_ms; a pair capture_match_rewrite() finds ambiguous does not count
 * (the evidence says why, and what the captures dropped in the windows). */
int expect_rewrite(struct loop *l, const struct rewrite_side *in, const struct rewrite_side *out,
		   const struct rewrite_pattern *p, unsigned int wait_ms, struct verdict *ret);

#endif
