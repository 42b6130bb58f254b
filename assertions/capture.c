// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "assertions/capture.h"
#include "assertions/verdict.h"
#include "traffic/capture.h"
#include "traffic/capture_decode.h"
#include "traffic/capture_filter.h"
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

/* Packets the window could not see: dropped by the ring, over the memory
 * limit, or (sync failed) taken and not yet readable. */
struct sees_count {
	uint64_t taken, lost, unread;
	bool stopped;			/* the interface failed: the capture ended */
};

static void window_losses(struct capture *cap, const struct sees_window *w, bool synced,
			  struct sees_count *ret)
{
	struct capture_stats st;
	uint64_t lost;

	capture_stats(cap, &st);
	lost = st.kernel_drops + st.not_stored;
	ret->taken = st.kernel_taken - (w ? w->taken : 0);
	ret->lost = lost - (w ? w->lost : 0);
	ret->unread = 0;
	if (!synced && st.kernel_taken > st.seen + st.kernel_drops)
		ret->unread = st.kernel_taken - st.seen - st.kernel_drops;
	ret->stopped = st.error != 0;
}

/* What the window missed, for the evidence: inconclusive's reason
 * (verdict) or a failing count's note. */
static const char *blind_why(const struct sees_count *c, const struct sees_window *w, bool verdict)
{
	if (c->lost)
		return verdict ? "packets the capture dropped could have matched" : "the capture dropped packets";
	if (c->unread)
		return verdict ? "packets the capture could not read in time could have matched" :
				 "the capture could not read some packets in time";
	if (w && w->blind[0])
		return w->blind;
	return "the capture stopped (the interface failed): what crossed the interface after is not seen";
}

int expect_sees(struct loop *l, struct capture *cap, const struct sees_window *w, const char *where,
		const char *filter, bool negate, unsigned int count, bool exactly,
		unsigned int wait_ms, struct verdict *ret)
{
	uint64_t end = now_ms() + wait_ms;
	const struct capture_pkt *first, *last;
	const struct capture_pkt *const *all;
	size_t from = w ? w->from : 0, total;
	unsigned int got = 0;
	char err[256] = "", line[512];
	struct sees_count c;
	bool done = false, synced, blind;
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
		done = (negate && got) || (!negate && !exactly && got >= count) || (exactly && got > count);
		if (now >= end || done)
			break;
		loop_run_once(l, (int)(end - now < CAPTURE_POLL_MS ? end - now : CAPTURE_POLL_MS));
	}
	/* The window ends now: what the kernel took until now is read
	 * before the count that decides. */
	synced = done || capture_sync(cap) == 0;
	if (!done) {
		r = window_count(cap, from, filter, &got, &first, &last, err, sizeof(err));
		if (r < 0)
			return r;
	}
	window_losses(cap, w, synced, &c);
	total = capture_packets(cap, &all);
	total = total > from ? total - from : 0;
	/* Absence (and an exact count) cannot be proven over packets the
	 * capture never saw: dropped, unread, or crossing while it did not
	 * run. */
	blind = c.lost || c.unread || c.stopped || (w && w->blind[0]);
	if (negate)
		verdict_set(ret, !got && !blind, "%u of %zu packets captured on %s match \"%s\"", got, total,
			    where, filter);
	else if (exactly)
		verdict_set(ret, got == count && !blind,
			    "%u of %zu packets captured on %s match \"%s\" (wanted exactly %u)", got, total,
			    where, filter, count);
	else
		verdict_set(ret, got >= count, "%u of %zu packets captured on %s match \"%s\"%s", got, total,
			    where, filter, got >= count ? "" : " in time");
	verdict_add(ret, " (this window: %llu taken by the kernel, %llu dropped%s%s)",
		    (unsigned long long)c.taken, (unsigned long long)c.lost,
		    c.unread ? ", some not readable in time" : "",
		    c.stopped ? ", capture stopped: the interface failed" : "");
	if (blind && (negate || exactly) && !(negate && got) && !(exactly && got > count))
		verdict_add(ret, "; inconclusive: %s", blind_why(&c, w, true));
	else if (blind && !ret->held)
		verdict_add(ret, "; %s: some may have matched", blind_why(&c, w, false));
	if (first)
		verdict_add(ret, "; first: %s", capture_format(first, line, sizeof(line)));
	else if (last)
		verdict_add(ret, "; last captured: %s", capture_format(last, line, sizeof(line)));
	return 0;
}

/* What the two captures could not see in their windows, for a failure's
 * evidence. */
static void rewrite_losses(const struct rewrite_side *in, const struct rewrite_side *out,
			   struct verdict *v)
{
	struct sees_count a, b = { 0 };
	uint64_t lost;

	window_losses(in->cap, in->window, true, &a);
	if (out->cap != in->cap)
		window_losses(out->cap, out->window, true, &b);
	lost = a.lost + b.lost;
	if (lost)
		verdict_add(v, "; the captures dropped %llu packets: the rewrite may have been among them",
			    (unsigned long long)lost);
}

static int rewrite_find(const struct rewrite_side *in, const struct rewrite_side *out,
			const struct rewrite_pattern *p, struct rewrite_match *ret)
{
	return capture_find_rewrite(in->cap, in->window ? in->window->from : 0, out->cap,
				    out->window ? out->window->from : 0, p, ret);
}

int expect_rewrite(struct loop *l, const struct rewrite_side *in, const struct rewrite_side *out,
		   const struct rewrite_pattern *p, unsigned int wait_ms, struct verdict *ret)
{
	uint64_t end = now_ms() + wait_ms;
	struct rewrite_match m = { 0 };
	char a[512], b[512];
	int r;

	for (;;) {
		uint64_t now;

		r = rewrite_find(in, out, p, &m);
		if (r != -ENOENT && r < 0)
			return r;
		now = now_ms();
		if (!r || now >= end)
			break;
		loop_run_once(l, (int)(end - now < CAPTURE_POLL_MS ? end - now : CAPTURE_POLL_MS));
	}
	if (r) {
		/* Before saying no: what the kernel still holds back. */
		capture_sync(in->cap);
		if (out->cap != in->cap)
			capture_sync(out->cap);
		r = rewrite_find(in, out, p, &m);
		if (r != -ENOENT && r < 0)
			return r;
	}
	if (!r) {
		verdict_set(ret, true, "in: %s; out: %s", capture_format(m.in, a, sizeof(a)),
			    capture_format(m.out, b, sizeof(b)));
		return 0;
	}
	verdict_set(ret, false, "no rewrite seen: %u packets came in as the original, %u went out as the rewritten",
		    m.in_candidates, m.out_candidates);
	rewrite_losses(in, out, ret);
	/* Alike packets of other flows: which one the node forwarded as
	 * which is not known, so none proves the rewrite. */
	if (m.ambiguous && m.ambiguous_outs > 1)
		verdict_add(ret, "; ambiguous: %u packets leaving %s within %llu ms could be this one: %s",
			    m.ambiguous_outs, out->where,
			    (unsigned long long)((CAPTURE_FORWARD_US + p->queue_us) / 1000),
			    capture_format(m.ambiguous, a, sizeof(a)));
	else if (m.ambiguous)
		verdict_add(ret, "; ambiguous: the one copy leaving %s of %s could be of %u packets entering %s",
			    out->where, capture_format(m.ambiguous, a, sizeof(a)), m.ambiguous_ins,
			    in->where);
	if (m.other_in)
		verdict_add(ret, "; in: %s; it left %s as: %s", capture_format(m.other_in, a, sizeof(a)),
			    out->where, capture_format(m.other_out, b, sizeof(b)));
	return 0;
}
