// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "traffic/latency.h"
#include "traffic/echo.h"
#include "traffic/loop.h"
#include "traffic/server.h"
#include "traffic/sock.h"
#include "netns/util/now.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#define LATENCY_MAGIC 0x776c6174U	/* "wlat" */

struct latency_head {
	uint32_t magic;
	uint32_t seq;
	uint64_t nonce;
};

struct latency_ctx {
	int fd;
	uint32_t seq;			/* the request in flight */
	uint64_t nonce;
	uint64_t sent_us;
	bool answered;
	double rtt_us;
	unsigned int len;
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double latency_percentile(const double *sorted, size_t n, double pct)
{
	size_t rank;

	if (!n)
		return 0;
	rank = (size_t)ceil(pct / 100.0 * (double)n);
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return sorted[rank - 1];
}

/* The percentile of sent requests when the lost ones are infinitely late. */
static double latency_pct_of_sent(const double *sorted, size_t n, size_t sent, double pct)
{
	size_t rank;

	if (!sent)
		return 0;
	rank = (size_t)ceil(pct / 100.0 * (double)sent);
	if (rank < 1)
		rank = 1;
	return rank > n ? INFINITY : sorted[rank - 1];
}

void latency_stats(double *samples, size_t n, size_t sent, struct latency_result *ret)
{
	double sum = 0;

	qsort(samples, n, sizeof(*samples), cmp_double);
	for (size_t i = 0; i < n; i++)
		sum += samples[i];
	ret->sent = (unsigned int)sent;
	ret->received = (unsigned int)n;
	ret->min_us = n ? samples[0] : 0;
	ret->max_us = n ? samples[n - 1] : 0;
	ret->avg_us = n ? sum / (double)n : 0;
	ret->p50_us = latency_pct_of_sent(samples, n, sent, 50);
	ret->p90_us = latency_pct_of_sent(samples, n, sent, 90);
	ret->p99_us = latency_pct_of_sent(samples, n, sent, 99);
}

static const char *ms(double us, char *buf, size_t len)
{
	if (isinf(us))
		snprintf(buf, len, "lost");
	else
		snprintf(buf, len, "%.3f ms", us / 1e3);
	return buf;
}

const char *latency_format(const struct latency_result *res, char *buf, size_t len)
{
	char a[32], b[32], c[32];

	int n;

	if (!res->received)
		n = snprintf(buf, len, "0/%u answered", res->sent);
	else
		n = snprintf(buf, len, "%u/%u answered: p50 %s, p90 %s, p99 %s (min %.3f, max %.3f)",
			     res->received, res->sent, ms(res->p50_us, a, sizeof(a)), ms(res->p90_us, b, sizeof(b)),
			     ms(res->p99_us, c, sizeof(c)), res->min_us / 1e3, res->max_us / 1e3);
	if (n < 0 || (size_t)n >= len)
		return buf;
	if (res->not_sent)
		snprintf(buf + n, len - (size_t)n, "; %u not sent: %s", res->not_sent, traffic_strerror(res->local_error));
	else if (res->local_error)
		snprintf(buf + n, len - (size_t)n, "; last: %s", traffic_strerror(res->local_error));
	return buf;
}

static void latency_readable(int fd, uint32_t events, void *data)
{
	struct latency_ctx *c = data;
	char buf[2048];
	ssize_t n;

	(void)events;
	while ((n = recv(fd, buf, sizeof(buf), 0)) >= 0 || errno == EINTR) {
		const struct latency_head *h = (const struct latency_head *)buf;

		if (n < 0)
			continue;
		/* Late answers to earlier (lost) requests are not this one. */
		if ((size_t)n >= sizeof(*h) && h->magic == LATENCY_MAGIC && h->nonce == c->nonce &&
		    h->seq == c->seq && !c->answered) {
			c->rtt_us = (double)(now_us() - c->sent_us);
			c->answered = true;
		}
	}
}

int latency_run(struct loop *l, struct netns *from, struct netns *to, const struct latency_req *req,
		struct latency_result *ret)
{
	unsigned int samples = req->samples ? req->samples : LATENCY_SAMPLES;
	unsigned int timeout = req->timeout_ms ? req->timeout_ms : LATENCY_TIMEOUT_MS;
	struct latency_ctx c = { .fd = -1 };
	struct latency_result res = { 0 };
	struct server_spec spec = { 0 };
	struct server *srv = NULL;
	struct sockaddr_storage ss;
	double *rtts = NULL;
	uint64_t start = now_ms();
	char *buf = NULL;
	socklen_t sl;
	uint16_t port = req->port;
	int err;

	c.len = req->len ? req->len : LATENCY_LEN;
	if (c.len < sizeof(struct latency_head) || c.len > 1400 ||
	    (req->dst.family != AF_INET && req->dst.family != AF_INET6) || (!port && !to))
		return -EINVAL;
	rtts = xcalloc(samples, sizeof(*rtts));
	buf = xcalloc(1, c.len);
	if (!port) {
		spec.kind = SERVER_UDP_ECHO;
		err = server_start(&srv, l, to, &spec);
		if (err < 0)
			goto cleanup;
		port = server_port(srv);
	}
	c.fd = traffic_socket(from, req->dst.family, SOCK_DGRAM, 0);
	if (c.fd < 0) {
		err = c.fd;
		goto cleanup;
	}
	sl = traffic_sockaddr(&req->dst, port, 0, &ss);
	/* No route, no source address: every request is lost, none sent. */
	if (connect(c.fd, (struct sockaddr *)&ss, sl) < 0) {
		res.sent = res.not_sent = samples;
		res.local_error = errno;
		latency_stats(rtts, 0, res.sent, &res);
		res.elapsed_ms = now_ms() - start;
		*ret = res;
		err = 0;
		goto cleanup;
	}
	err = loop_add(l, c.fd, EPOLLIN, latency_readable, &c);
	if (err < 0)
		goto cleanup;
	c.nonce = echo_random();
	for (unsigned int i = 0; i < samples; i++) {
		struct latency_head *h = (struct latency_head *)buf;
		uint64_t deadline;

		if (i && req->interval_ms) {
			bool never = false;

			/* Lets the loop (the lab's servers) run meanwhile. */
			traffic_wait(l, now_ms() + req->interval_ms, &never);
		}
		c.seq = i + 1;
		c.answered = false;
		h->magic = LATENCY_MAGIC;
		h->seq = c.seq;
		h->nonce = c.nonce;
		c.sent_us = now_us();
		res.sent++;
		/* A refused send (an ICMP error for the previous one) is a
		 * lost sample like any other; one that did not leave (a
		 * firewall, no route) is lost without a wait. */
		if (send(c.fd, buf, c.len, 0) < 0) {
			if (errno != ECONNREFUSED && errno != EHOSTUNREACH && errno != ENETUNREACH &&
			    errno != EHOSTDOWN) {
				res.not_sent++;
				res.local_error = errno;
				continue;
			}
			res.local_error = errno;
		}
		deadline = now_ms() + timeout;
		err = traffic_wait(l, deadline, &c.answered);
		if (err < 0 && err != -ETIMEDOUT)
			goto cleanup;
		if (c.answered)
			rtts[res.received++] = c.rtt_us;
	}
	latency_stats(rtts, res.received, res.sent, &res);
	res.elapsed_ms = now_ms() - start;
	*ret = res;
	err = 0;
cleanup:
	if (c.fd >= 0) {
		loop_del(l, c.fd);
		close(c.fd);
	}
	server_free(srv);
	free(rtts);
	free(buf);
	return err;
}
