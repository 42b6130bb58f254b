// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* The performance expectations' words: throughput and latency. */
#include "lab/lang/perf.h"
#include "lab/lang/lexer.h"
#include "lab/lang/model.h"
#include "lab/lang/parse_value.h"
#include "lab/lang/pctx.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PERF_DURATION_MIN_MS 100
#define PERF_DURATION_MAX_MS 600000
#define PERF_SAMPLES_MAX 100000

static void perf_expect_free(void *data)
{
	struct perf_expect *p = data;

	if (!p)
		return;
	free(p->peer);
	free(p);
}

static struct perf_expect *perf_new(struct stmt_expect *e)
{
	struct perf_expect *p = xcalloc(1, sizeof(*p));

	e->ext = p;
	e->ext_free = perf_expect_free;
	return p;
}

const char *perf_expect_peer(const struct stmt_expect *e)
{
	if ((e->kind != EXPECT_THROUGHPUT && e->kind != EXPECT_LATENCY) || !e->ext)
		return NULL;
	return ((const struct perf_expect *)e->ext)->peer;
}

static int parse_perf_peer(struct pctx *c, struct perf_expect *p)
{
	if (!pctx_word(c, "the receiving NODE"))
		return -EINVAL;
	if (strchr(c->t->v[c->i - 1].text, ':')) {
		perr(c, c->i - 1, "'%s': the other end is a NODE, not NODE:IF (say `to ADDR` for an address)",
		     c->t->v[c->i - 1].text);
		return -EINVAL;
	}
	return parse_node_name(c, c->i - 1, &p->peer);
}

/* Options both kinds take: to ADDR, port P.  *taken false: not one. */
static int parse_common_opt(struct pctx *c, struct perf_expect *p, uint16_t *port, bool *taken)
{
	uint32_t v;

	*taken = true;
	if (pctx_accept(c, "to")) {
		if (!pctx_word(c, "an address"))
			return -EINVAL;
		return parse_addr(c, c->i - 1, 0, &p->to);
	}
	if (pctx_accept(c, "port")) {
		if (!pctx_word(c, "a port") || parse_u32(c, c->i - 1, 1, UINT16_MAX, &v) < 0)
			return -EINVAL;
		*port = (uint16_t)v;
		return 0;
	}
	*taken = false;
	return 0;
}

/* expect A throughput B [tcp|udp] >= RATE [for D] [streams N] [rate R] [to ADDR] [port P] */
int parse_throughput(struct pctx *c, struct stmt_expect *e)
{
	struct perf_expect *p = perf_new(e);
	uint32_t v;
	bool taken;

	p->req.proto = TPUT_TCP;
	if (parse_perf_peer(c, p) < 0)
		return -EINVAL;
	if (pctx_accept(c, "udp"))
		p->req.proto = TPUT_UDP;
	else
		pctx_accept(c, "tcp");
	if (!pctx_accept(c, ">=")) {
		perr(c, c->i, "missing '>= RATE' (e.g. >= 100mbit)");
		return -EINVAL;
	}
	if (!pctx_word(c, "a rate (e.g. 100mbit)") || parse_rate(c, c->i - 1, &p->min_bps) < 0)
		return -EINVAL;
	while (pctx_more(c)) {
		size_t at = c->i;

		if (parse_common_opt(c, p, &p->req.port, &taken) < 0)
			return -EINVAL;
		if (taken)
			continue;
		if (pctx_accept(c, "for")) {
			if (!pctx_word(c, "a duration") || parse_duration_ms(c, c->i - 1, &p->req.duration_ms) < 0)
				return -EINVAL;
			if (p->req.duration_ms < PERF_DURATION_MIN_MS || p->req.duration_ms > PERF_DURATION_MAX_MS) {
				perr(c, c->i - 1, "a measurement lasts 100ms to 10m");
				return -EINVAL;
			}
		} else if (pctx_accept(c, "streams")) {
			if (!pctx_word(c, "a number of streams") ||
			    parse_u32(c, c->i - 1, 1, TPUT_STREAMS_MAX, &v) < 0)
				return -EINVAL;
			if (p->req.proto != TPUT_TCP) {
				perr(c, at, "streams is for tcp");
				return -EINVAL;
			}
			p->req.streams = v;
		} else if (pctx_accept(c, "rate")) {
			if (!pctx_word(c, "an offered rate") || parse_rate(c, c->i - 1, &p->req.rate_bps) < 0)
				return -EINVAL;
			if (p->req.proto != TPUT_UDP) {
				perr(c, at, "rate (the offered rate) is for udp");
				return -EINVAL;
			}
		} else {
			perr(c, at, "unknown throughput option '%s' (for D, streams N, rate R, to ADDR, port P)",
			     c->t->v[at].text);
			return -EINVAL;
		}
	}
	return 0;
}

/* "1.5" "ms", "1.5ms", "800us", "0.2s": microseconds. */
static int parse_latency_bound(struct pctx *c, double *ret)
{
	const char *s = pctx_word(c, "a time (e.g. 5 ms)"), *unit;
	size_t at = c->i - 1;
	char *end;
	double v;

	if (!s)
		return -EINVAL;
	v = strtod(s, &end);
	if (end == s || !isfinite(v) || v <= 0)
		goto bad;
	unit = end;
	if (!*unit) {
		if (!pctx_more(c))
			goto bad;
		unit = pctx_peek(c);
		if (strcmp(unit, "ms") && strcmp(unit, "us") && strcmp(unit, "s"))
			goto bad;
		c->i++;
	}
	if (!strcmp(unit, "ms"))
		*ret = v * 1e3;
	else if (!strcmp(unit, "us"))
		*ret = v;
	else if (!strcmp(unit, "s"))
		*ret = v * 1e6;
	else
		goto bad;
	return 0;
bad:
	perr(c, at, "'%s' is not a time with its unit (e.g. 5 ms, 800us)", s);
	return -EINVAL;
}

/* expect A latency B p50|p90|p99 < X ms [samples N] [to ADDR] [port P] */
int parse_latency(struct pctx *c, struct stmt_expect *e)
{
	struct perf_expect *p = perf_new(e);
	const char *w;
	uint32_t v;
	bool taken;

	if (parse_perf_peer(c, p) < 0)
		return -EINVAL;
	w = pctx_word(c, "p50, p90 or p99");
	if (!w)
		return -EINVAL;
	if (!strcmp(w, "p50") || !strcmp(w, "p90") || !strcmp(w, "p99")) {
		p->pct = (unsigned int)atoi(w + 1);
	} else {
		perr(c, c->i - 1, "'%s' is not a percentile (p50, p90, p99)", w);
		return -EINVAL;
	}
	if (!pctx_accept(c, "<")) {
		perr(c, c->i, "missing '< TIME' (e.g. < 5 ms)");
		return -EINVAL;
	}
	if (parse_latency_bound(c, &p->max_us) < 0)
		return -EINVAL;
	while (pctx_more(c)) {
		size_t at = c->i;

		if (parse_common_opt(c, p, &p->lat.port, &taken) < 0)
			return -EINVAL;
		if (taken)
			continue;
		if (pctx_accept(c, "samples")) {
			if (!pctx_word(c, "a number of samples") ||
			    parse_u32(c, c->i - 1, 1, PERF_SAMPLES_MAX, &v) < 0)
				return -EINVAL;
			p->lat.samples = v;
		} else {
			perr(c, at, "unknown latency option '%s' (samples N, to ADDR, port P)", c->t->v[at].text);
			return -EINVAL;
		}
	}
	if (p->lat.port && !p->to.family) {
		perr(c, c->i, "latency with port P needs `to ADDR`: the echo server answering there");
		return -EINVAL;
	}
	return 0;
}
