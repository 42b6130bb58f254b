// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "traffic/http.h"
#include "traffic/loop.h"
#include "traffic/probe.h"
#include "traffic/sock.h"
#include "traffic/stamp.h"
#include "netns/util/now.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/epoll.h>

struct http_ctx {
	struct loop *l;
	struct netns *ns;
	struct http_url url;
	struct sockaddr_storage dst;
	socklen_t dst_len;
	int fd;
	bool connected;
	bool done;
	int outcome;		/* 1: complete response; -errno: broken one */
	char req[2048];
	size_t req_len, req_off;
	size_t received;	/* bytes of the current connection */
	uint64_t attempt_us;
	uint64_t response_us;
	uint64_t arrived_us;	/* the newest bytes read arrived then (traffic/stamp.h) */
	uint64_t late_ms;	/* a response complete only this long after the wait */
	uint64_t next_ms;
	unsigned int attempts;
	int last_error;
	struct http_response *resp;
};

static void http_close(struct http_ctx *c)
{
	if (c->fd < 0)
		return;
	loop_del(c->l, c->fd);
	close(c->fd);
	c->fd = -1;
	c->connected = false;
}

/* This connection gave nothing: try another one after the interval. */
static void http_retry(struct http_ctx *c, int err)
{
	uint64_t retry = c->attempt_us / 1000 + PROBE_INTERVAL_MS;
	uint64_t now = now_ms();

	c->last_error = err;
	http_close(c);
	c->next_ms = retry > now ? retry : now;
}

static void http_finish(struct http_ctx *c, int outcome)
{
	c->outcome = outcome;
	c->response_us = c->arrived_us > c->attempt_us ? c->arrived_us - c->attempt_us : 0;
	c->done = true;
	http_close(c);
}

static void http_read(struct http_ctx *c)
{
	char buf[16384];
	uint64_t at;
	ssize_t n;
	int ret;

	for (;;) {
		n = stamp_recv(c->fd, buf, sizeof(buf), 0, NULL, NULL, &at);
		if (n > 0)
			c->arrived_us = at;
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			ret = errno;
			if (!c->received) {
				http_retry(c, ret);
				return;
			}
			c->last_error = ret;
			http_finish(c, -ret);
			return;
		}
		if (!n) {
			if (!c->received) {
				http_retry(c, ECONNRESET);
				return;
			}
			ret = http_response_eof(c->resp);
			http_finish(c, ret);
			return;
		}
		c->received += (size_t)n;
		ret = http_response_feed(c->resp, buf, (size_t)n);
		if (ret) {
			http_finish(c, ret);
			return;
		}
	}
}

static void http_cb(int fd, uint32_t events, void *data)
{
	struct http_ctx *c = data;

	if (!c->connected) {
		socklen_t len = sizeof(int);
		int err = 0;

		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len))
			err = errno;
		if (err || !(events & EPOLLOUT)) {
			http_retry(c, err ? err : ECONNRESET);
			return;
		}
		c->connected = true;
	}
	if ((events & EPOLLOUT) && c->req_off < c->req_len) {
		ssize_t n = send(fd, c->req + c->req_off, c->req_len - c->req_off, MSG_NOSIGNAL);

		if (n < 0 && errno != EAGAIN) {
			http_retry(c, errno);
			return;
		}
		if (n > 0)
			c->req_off += (size_t)n;
		if (c->req_off == c->req_len)
			loop_mod(c->l, fd, EPOLLIN);
	}
	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
		http_read(c);
}

static int http_connect(struct http_ctx *c)
{
	int fd, ret;

	if (c->fd >= 0) {
		/* Still connecting, or connected with no answer: only a
		 * pending connect is replaced. */
		if (c->connected) {
			c->next_ms = UINT64_MAX;
			return 0;
		}
		c->last_error = ETIMEDOUT;
		http_close(c);
	}
	fd = traffic_socket(c->ns, c->url.addr.family, SOCK_STREAM, IPPROTO_TCP);
	if (fd < 0)
		return fd;
	traffic_set_recverr(fd, c->url.addr.family);
	stamp_enable(fd);
	c->fd = fd;
	c->attempts++;
	c->received = 0;
	c->req_off = 0;
	c->attempt_us = now_us();
	c->next_ms = c->attempt_us / 1000 + PROBE_TCP_PENDING_MS;
	http_response_init(c->resp, false);
	if (connect(fd, (struct sockaddr *)&c->dst, c->dst_len) && errno != EINPROGRESS) {
		http_retry(c, errno);
		return 0;
	}
	ret = loop_add(c->l, fd, EPOLLOUT | EPOLLIN, http_cb, c);
	if (ret < 0) {
		close(fd);
		c->fd = -1;
	}
	return ret;
}

static void http_result_fill(struct http_ctx *c, const char *url, struct http_result *r)
{
	const struct http_response *resp = c->resp;
	char where[ADDR_STRLEN + 8];

	r->attempts = c->attempts;
	r->last_error = c->last_error;
	traffic_endpoint_format(&c->url.addr, c->url.port, where, sizeof(where));
	if (!c->done && c->late_ms) {
		snprintf(r->evidence, sizeof(r->evidence),
			 "GET %s: no complete response from %s in %.1f s; the response came %llu ms after the wait",
			 url, where, (double)r->elapsed_ms / 1000.0, (unsigned long long)c->late_ms);
		return;
	}
	if (!c->done) {
		if (c->connected)
			snprintf(r->evidence, sizeof(r->evidence),
				 "GET %s: connected to %s but no complete response in %.1f s", url,
				 where, (double)r->elapsed_ms / 1000.0);
		else
			snprintf(r->evidence, sizeof(r->evidence),
				 "GET %s: no connection to %s in %.1f s (%u %s); last: %s", url,
				 where, (double)r->elapsed_ms / 1000.0, c->attempts,
				 c->attempts == 1 ? "attempt" : "attempts",
				 c->last_error == ECONNREFUSED ? "connection refused (tcp reset)" :
				 traffic_strerror(c->last_error ? c->last_error : ETIMEDOUT));
		return;
	}
	if (c->outcome < 0) {
		snprintf(r->evidence, sizeof(r->evidence), "GET %s: %s from %s after %zu bytes", url,
			 c->outcome == -EPIPE ? "response cut short" :
			 c->outcome == -EMSGSIZE ? "response head too long" : "malformed response",
			 where, c->received);
		if (resp->have_head)
			r->status = resp->head.status;
		return;
	}
	r->ok = true;
	r->status = resp->head.status;
	r->version = resp->head.version;
	r->has_content_length = resp->head.flags & HTTP_HAS_CONTENT_LENGTH;
	r->content_length = resp->head.content_length;
	r->chunked = resp->head.flags & HTTP_CHUNKED;
	snprintf(r->content_type, sizeof(r->content_type), "%s", resp->head.content_type);
	r->body_total = resp->body.total;
	r->body_len = resp->body_len;
	memcpy(r->body, resp->body_buf, resp->body_len);
	r->body[r->body_len] = '\0';
	snprintf(r->evidence, sizeof(r->evidence),
		 "GET %s: HTTP/1.%u %u%s%.32s from %s, %llu bytes%s%.40s, in %.2f ms", url,
		 r->version % 10, r->status, resp->head.reason[0] ? " " : "", resp->head.reason,
		 where, (unsigned long long)r->body_total, r->content_type[0] ? " of " : "",
		 r->content_type, (double)c->response_us / 1000.0);
}

int http_get(struct loop *l, struct netns *from, const char *url, const struct addr *at,
	     unsigned int wait_ms, struct http_result *ret)
{
	struct http_ctx c = { .l = l, .ns = from, .fd = -1 };
	struct http_result *r = NULL;
	uint64_t start, deadline, now;
	int err;

	err = http_url_parse(url, &c.url);
	if (err < 0)
		return err;
	if (at)
		c.url.addr = *at;
	if (!c.url.addr.family)
		return -EINVAL;
	err = http_format_request(c.req, sizeof(c.req), "GET", &c.url);
	if (err < 0)
		return err;
	c.req_len = (size_t)err;
	c.dst_len = traffic_sockaddr(&c.url.addr, c.url.port, 0, &c.dst);
	c.resp = xmalloc(sizeof(*c.resp));
	r = xcalloc(1, sizeof(*r));
	if (!wait_ms)
		wait_ms = HTTP_WAIT_MS;
	start = now_ms();
	deadline = start + wait_ms;
	c.next_ms = start;
	while (!c.done && (now = now_ms()) < deadline) {
		uint64_t until;

		if (now >= c.next_ms) {
			err = http_connect(&c);
			if (err < 0)
				goto cleanup;
			continue;
		}
		until = c.next_ms < deadline ? c.next_ms : deadline;
		err = loop_run_once(l, (int)(until - now));
		if (err < 0)
			goto cleanup;
	}
	/* What has arrived is read before the wait is declared over (a loop
	 * late on a busy machine); a response that came after it does not
	 * count, and is named. */
	if (!c.done)
		loop_drain(l);
	c.late_ms = c.done ? stamp_late_ms(c.arrived_us, deadline) : 0;
	if (c.late_ms)
		c.done = false;
	r->elapsed_ms = now_ms() - start;
	http_result_fill(&c, url, r);
	*ret = *r;
	err = 0;
cleanup:
	http_close(&c);
	free(c.resp);
	free(r);
	return err;
}
