// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "assertions/verdict.h"
#include "assertions/wgstate.h"
#include "netns/wg/wgconf.h"
#include "netns/wg/wgdev.h"
#include "netns/wg/wgget.h"
#include "traffic/loop.h"
#include "netns/util/now.h"
#include "netns/util/xalloc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* How often the interface is read while waiting. */
#define WGSTATE_POLL_MS 25

struct wgseen {
	bool found;
	bool handshake;
	int64_t handshake_sec, handshake_nsec;
	bool has_endpoint;
	struct addr endpoint;
	uint16_t port;
	uint64_t rx, tx;
};

/* What state says of peer. */
static void wgstate_find(const struct wgconf_device *state, const uint8_t peer[static WGKEY_LEN],
			 struct wgseen *ret)
{
	const struct wgconf_peer *p;

	memset(ret, 0, sizeof(*ret));
	p = wgconf_device_find_peer(state, peer);
	if (p) {
		ret->found = true;
		ret->handshake = p->flags & WGCONF_PEER_HAS_HANDSHAKE;
		ret->handshake_sec = p->last_handshake_sec;
		ret->handshake_nsec = p->last_handshake_nsec;
		ret->rx = p->rx_bytes;
		ret->tx = p->tx_bytes;
		if (p->flags & WGCONF_PEER_HAS_ENDPOINT) {
			ret->has_endpoint = true;
			if (p->endpoint.sa.sa_family == AF_INET) {
				ret->endpoint.family = AF_INET;
				ret->endpoint.prefixlen = 32;
				ret->endpoint.v4 = p->endpoint.in.sin_addr;
				ret->port = ntohs(p->endpoint.in.sin_port);
			} else {
				ret->endpoint.family = AF_INET6;
				ret->endpoint.prefixlen = 128;
				ret->endpoint.v6 = p->endpoint.in6.sin6_addr;
				ret->port = ntohs(p->endpoint.in6.sin6_port);
			}
		}
	}
}

static int wgstate_read(struct wgdev *dev, const uint8_t peer[static WGKEY_LEN], struct wgseen *ret)
{
	struct wgconf_device *state = NULL;
	int err;

	err = wgdev_get(dev, &state);
	if (err < 0)
		return err;
	wgstate_find(state, peer, ret);
	wgconf_device_free(state);
	return 0;
}

/* Whether an authenticated packet came from the peer since its endpoint
 * was last configured: more bytes received, or a newer handshake. */
static bool wgstate_since_set(const struct wgstate_want *w, const struct wgseen *s)
{
	if (s->rx > w->set_rx)
		return true;
	return s->handshake && (s->handshake_sec > w->set_hs_sec ||
				(s->handshake_sec == w->set_hs_sec && s->handshake_nsec > w->set_hs_nsec));
}

static bool wgstate_holds(const struct wgstate_want *w, const struct wgseen *s)
{
	/* Nothing holds of a peer the interface does not have (`no
	 * handshake` does, negated). */
	if (!s->found)
		return false;
	switch (w->kind) {
	case WGSTATE_HANDSHAKE:
		return s->handshake;
	case WGSTATE_ENDPOINT:
		if (!w->endpoint.family)
			return !s->has_endpoint;
		/* Learned: WireGuard sets the endpoint to the source of
		 * every authenticated packet it receives; one received after
		 * the endpoint was last configured makes what it has what it
		 * learned (a configured endpoint, with nothing since, is
		 * not). */
		if (w->learned && !wgstate_since_set(w, s))
			return false;
		return s->has_endpoint && addr_equal(&w->endpoint, &s->endpoint) &&
		       (w->any_port || w->port == s->port);
	case WGSTATE_TRANSFER:
		return s->rx >= w->rx_min && s->tx >= w->tx_min && s->rx <= w->rx_max &&
		       s->tx <= w->tx_max;
	}
	return false;
}

static const char *wgstate_ep(const struct addr *a, uint16_t port, char *buf, size_t len)
{
	char ip[ADDR_STRLEN];

	addr_format(a, false, ip, sizeof(ip));
	snprintf(buf, len, a->family == AF_INET6 ? "[%s]:%u" : "%s:%u", ip, port);
	return buf;
}

static void wgstate_describe(const struct wgstate_want *w, const struct wgseen *s, struct verdict *v)
{
	char ep[ADDR_STRLEN + 8];
	uint64_t n;

	if (!s->found) {
		verdict_add(v, "%s is not a peer of this interface", w->peer_name);
		return;
	}
	if (s->handshake)
		verdict_add(v, "latest handshake with %s %lld s ago", w->peer_name,
			    (long long)(time(NULL) - s->handshake_sec));
	else
		verdict_add(v, "no handshake with %s", w->peer_name);
	if (s->has_endpoint)
		verdict_add(v, "; endpoint %s", wgstate_ep(&s->endpoint, s->port, ep, sizeof(ep)));
	else
		verdict_add(v, "; no endpoint");
	verdict_add(v, "; transfer %llu B received, %llu B sent", (unsigned long long)s->rx,
		    (unsigned long long)s->tx);
	n = wgstate_initiations_only(s->handshake, s->rx);
	if (n)
		verdict_add(v, "; what it received is %llu handshake initiation%s, no answer to its own: "
			    "the ends' initiations crossed (each took the other's and refused the answer to "
			    "its own) or the answers were lost", (unsigned long long)n, n == 1 ? "" : "s");
}

uint64_t wgstate_initiations_only(bool handshake, uint64_t rx)
{
	if (handshake || !rx || rx % WGSTATE_INITIATION_LEN)
		return 0;
	return rx / WGSTATE_INITIATION_LEN;
}

/* What `learned` rests on: the bytes received since the endpoint was last
 * configured, as the caller knows it. */
static void wgstate_learned(const struct wgstate_want *w, const struct wgseen *s, struct verdict *v)
{
	unsigned long long got = s->rx - (s->rx > w->set_rx ? w->set_rx : s->rx);
	char when[40] = "";

	if (s->handshake) {
		time_t t = (time_t)s->handshake_sec;
		struct tm tm;

		if (gmtime_r(&t, &tm))
			strftime(when, sizeof(when), ", latest handshake at %H:%M:%S UTC", &tm);
	}
	if (!wgstate_since_set(w, s)) {
		if (w->set_where)
			verdict_add(v, "; not learned: nothing received since %s set the endpoint (%llu B received before)",
				    w->set_where, (unsigned long long)w->set_rx);
		else
			verdict_add(v, "; not learned: no authenticated packet received yet (the endpoint is the configured one, if any)");
		return;
	}
	if (w->set_where)
		verdict_add(v, "; learned from authenticated packets: %llu B received since %s set the endpoint%s",
			    got, w->set_where, when);
	else
		verdict_add(v, "; learned from authenticated packets: %llu B received since the peer was added%s",
			    got, when);
	verdict_add(v, " (an endpoint a program set, as `wg set`, is not seen)");
}

/* The verdict once the wait is over (or it held). */
static void wgstate_verdict(const struct wgstate_want *w, const struct wgseen *seen, bool holds,
			    struct verdict *ret)
{
	verdict_set(ret, holds != w->negate, "%s", "");
	wgstate_describe(w, seen, ret);
	if (w->kind == WGSTATE_ENDPOINT && w->learned && seen->found)
		wgstate_learned(w, seen, ret);
	if (w->kind == WGSTATE_ENDPOINT && !ret->held) {
		char ep[ADDR_STRLEN + 8];

		if (w->endpoint.family)
			verdict_add(ret, "; wanted %s%s", wgstate_ep(&w->endpoint, w->port, ep, sizeof(ep)),
				    w->any_port ? " (any port)" : "");
		else
			verdict_add(ret, "; wanted none");
	}
	if (w->kind == WGSTATE_TRANSFER && !ret->held) {
		verdict_add(ret, "; wanted %llu", (unsigned long long)w->rx_min);
		if (w->rx_max != UINT64_MAX)
			verdict_add(ret, "-%llu", (unsigned long long)w->rx_max);
		else
			verdict_add(ret, " or more");
		verdict_add(ret, " B received, %llu", (unsigned long long)w->tx_min);
		if (w->tx_max != UINT64_MAX)
			verdict_add(ret, "-%llu", (unsigned long long)w->tx_max);
		else
			verdict_add(ret, " or more");
		verdict_add(ret, " B sent");
	}
}

static int wgstate_job_cmp(const void *a, const void *b)
{
	const struct wgstate_job *x = *(const struct wgstate_job *const *)a;
	const struct wgstate_job *y = *(const struct wgstate_job *const *)b;

	return x->dev < y->dev ? -1 : x->dev > y->dev;
}

/* Interfaces read at once, at most. */
#define WGSTATE_IN_FLIGHT 64

/* The jobs v[0..n) of one interface, against its state (or err). */
static void wgstate_judge(struct wgstate_job **v, size_t n, const struct wgconf_device *state, int err,
			  uint64_t start, size_t *left, uint64_t *next)
{
	uint64_t now = now_ms();

	for (size_t j = 0; j < n; j++) {
		struct wgstate_job *jb = v[j];
		struct wgseen seen;
		bool holds;

		if (jb->done)
			continue;
		if (err < 0) {
			jb->err = err;
			jb->done = true;
			jb->elapsed_ms = now - start;
			(*left)--;
			continue;
		}
		wgstate_find(state, jb->want.peer, &seen);
		holds = wgstate_holds(&jb->want, &seen);
		if (holds || now >= start + jb->want.wait_ms) {
			wgstate_verdict(&jb->want, &seen, holds, &jb->v);
			jb->done = true;
			jb->elapsed_ms = now - start;
			(*left)--;
		} else if (start + jb->want.wait_ms < *next) {
			*next = start + jb->want.wait_ms;
		}
	}
}

/* One round: every interface with a job still waiting is read once,
 * WGSTATE_IN_FLIGHT of them at a time (all requests sent, then the
 * answers read).  v is sorted by interface; its jobs of interface g are
 * v[grp[g]..grp[g + 1]). */
static void wgstate_round(struct wgstate_job **v, const size_t *grp, size_t n_grp, uint64_t start, size_t *left,
			  uint64_t *next)
{
	size_t pending[WGSTATE_IN_FLIGHT];
	struct wgget *get[WGSTATE_IN_FLIGHT];
	int err[WGSTATE_IN_FLIGHT];
	size_t g = 0;

	while (g < n_grp) {
		size_t m = 0;

		for (; g < n_grp && m < WGSTATE_IN_FLIGHT; g++) {
			bool waits = false;

			for (size_t k = grp[g]; k < grp[g + 1] && !waits; k++)
				waits = !v[k]->done;
			if (!waits)
				continue;
			pending[m] = g;
			err[m] = wgget_begin(v[grp[g]]->dev, &get[m]);
			m++;
		}
		for (size_t x = 0; x < m; x++) {
			struct wgconf_device *state = NULL;
			size_t first = grp[pending[x]];
			int e = err[x] < 0 ? err[x] : wgget_end(get[x], &state);

			wgstate_judge(v + first, grp[pending[x] + 1] - first, state, e, start, left, next);
			wgconf_device_free(state);
		}
	}
}

int expect_wgstate_many(struct loop *l, struct wgstate_job *jobs, size_t n)
{
	struct wgstate_job **v = xcalloc(n ? n : 1, sizeof(*v));
	size_t *grp = xcalloc(n + 1, sizeof(*grp));
	uint64_t start = now_ms();
	size_t left = n, n_grp = 0, i;

	for (i = 0; i < n; i++) {
		v[i] = &jobs[i];
		jobs[i].done = false;
		jobs[i].err = 0;
		jobs[i].elapsed_ms = 0;
	}
	/* One read of each interface per round serves all its peers. */
	qsort(v, n, sizeof(*v), wgstate_job_cmp);
	for (i = 0; i < n; i++)
		if (!i || v[i]->dev != v[i - 1]->dev)
			grp[n_grp++] = i;
	grp[n_grp] = n;
	while (left) {
		uint64_t now, next = UINT64_MAX;

		wgstate_round(v, grp, n_grp, start, &left, &next);
		if (!left)
			break;
		now = now_ms();
		if (next != UINT64_MAX && next > now)
			loop_run_once(l, (int)(next - now < WGSTATE_POLL_MS ? next - now : WGSTATE_POLL_MS));
	}
	free(grp);
	free(v);
	return 0;
}

int expect_wgstate(struct loop *l, struct wgdev *dev, const struct wgstate_want *w,
		   struct verdict *ret)
{
	uint64_t end = now_ms() + w->wait_ms;
	struct wgseen seen;
	bool holds;
	int err;

	/* Positive: done as soon as it holds.  Negative (no handshake):
	 * it must not hold at any point of the whole wait. */
	for (;;) {
		uint64_t now;

		err = wgstate_read(dev, w->peer, &seen);
		if (err < 0)
			return err;
		holds = wgstate_holds(w, &seen);
		now = now_ms();
		/* Holding ends a positive wait (done) and a negative one
		 * (violated) alike. */
		if (holds || now >= end)
			break;
		loop_run_once(l, (int)(end - now < WGSTATE_POLL_MS ? end - now : WGSTATE_POLL_MS));
	}
	wgstate_verdict(w, &seen, holds, ret);
	return 0;
}
