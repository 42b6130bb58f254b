// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "assertions/capture.h"
#include "assertions/verdict.h"
#include "traffic/capture.h"
#include "traffic/capture_decode.h"
#include "traffic/loop.h"
#include "netns/util/now.h"

#include <errno.h>
#include <string.h>

#define CAPTURE_POLL_MS 20

/* Matching packets among the window [from, end). */
static int window_count(struct capture *cap, size_t from, const char *filter, unsigned int *ret,
			const struct capture_pkt **first, const struct capture_pkt **last, char *err,
			size_t errlen)
{
	const struct capture_pkt *const *all;
	size_t n = capture_packets(cap, &all), at;
	int r;

	*first = *last = NULL;
	if (from > n)
		from = n;
	r = capture_filter_scan(capture_linktype(cap), all + from, n - from, filter, &at, err, errlen);
	if (r < 0)
		return r;
	*ret = (unsigned int)r;
	if (n > from)
		*last = all[n - 1];
	if (r > 0)
		*first = all[from + at];
	return 0;
}

int expect_sees(struct loop *l, struct capture *cap, size_t from, const char *where,
		const char *filter, bool negate, unsigned int count, bool exactly,
		unsigned int wait_ms, struct verdict *ret)
{
	uint64_t end = now_ms() + wait_ms;
	const struct capture_pkt *first, *last;
	const struct capture_pkt *const *all;
	unsigned int got = 0;
	char err[256] = "", line[512];
	size_t total;
	int r;

	for (;;) {
		uint64_t now;

		capture_poll(cap);
		r = window_count(cap, from, filter, &got, &first, &last, err, sizeof(err));
		if (r == -EINVAL) {
			verdict_set(ret, false, "bad capture filter \"%s\": %s", filter, err);
			return 0;
		}
		if (r < 0)
			return r;
		now = now_ms();
		/* Enough ends a positive wait; one ends a negative one;
		 * exact counts and negatives need the whole window. */
		if (now >= end || (negate && got) || (!negate && !exactly && got >= count) ||
		    (exactly && got > count))
			break;
		loop_run_once(l, (int)(end - now < CAPTURE_POLL_MS ? end - now : CAPTURE_POLL_MS));
	}
	total = capture_packets(cap, &all);
	total = total > from ? total - from : 0;
	if (negate)
		verdict_set(ret, !got, "%u of %zu packets captured on %s match \"%s\"", got, total, where,
			    filter);
	else if (exactly)
		verdict_set(ret, got == count, "%u of %zu packets captured on %s match \"%s\" (wanted exactly %u)",
			    got, total, where, filter, count);
	else
		verdict_set(ret, got >= count, "%u of %zu packets captured on %s match \"%s\"%s", got, total,
			    where, filter, got >= count ? "" : " in time");
	if (first)
		verdict_add(ret, "; first: %s", capture_format(first, line, sizeof(line)));
	else if (last)
		verdict_add(ret, "; last captured: %s", capture_format(last, line, sizeof(line)));
	return 0;
}

int expect_rewrite(struct loop *l, struct capture *in, struct capture *out,
		   const struct rewrite_pattern *p, unsigned int wait_ms, struct verdict *ret)
{
	uint64_t end = now_ms() + wait_ms;
	struct rewrite_match m = { 0 };
	char a[512], b[512];
	int r;

	for (;;) {
		uint64_t now;

		r = capture_find_rewrite(in, out, p, &m);
		if (r != -ENOENT && r < 0)
			return r;
		now = now_ms();
		if (!r || now >= end)
			break;
		loop_run_once(l, (int)(end - now < CAPTURE_POLL_MS ? end - now : CAPTURE_POLL_MS));
	}
	if (!r) {
		verdict_set(ret, true, "in: %s; out: %s", capture_format(m.in, a, sizeof(a)),
			    capture_format(m.out, b, sizeof(b)));
		return 0;
	}
	verdict_set(ret, false, "no rewrite seen: %u packets came in as the original, %u went out as the rewritten",
		    m.in_candidates, m.out_candidates);
	if (m.in)
		verdict_add(ret, "; in: %s", capture_format(m.in, a, sizeof(a)));
	if (m.out)
		verdict_add(ret, "; out: %s", capture_format(m.out, b, sizeof(b)));
	return 0;
}
