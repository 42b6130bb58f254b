// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "traffic/probe.h"
#include "traffic/echo.h"
#include "traffic/loop.h"
#include "traffic/stamp.h"
#include "netns/util/now.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/epoll.h>

#define PROBE_UDP_LEN 32
/* A node's ICMP socket holds this much of answers waiting to be read
 * (about a thousand echo replies; charged only while they wait). */
#define PROBE_SHARED_RCVBUF (1 << 20)

static const uint8_t probe_udp_magic[8] = "wglab-u";

/* One raw ICMP socket of a node (per family), shared by every ICMP probe
 * from there: a raw socket sees every ICMP message of its namespace, so a
 * socket per probe would copy each reply to all of them. */
struct probe_sock {
	struct netns *ns;
	int family;
	int fd;
	struct probe_many *m;
};

struct probe_ctx {
	struct loop *l;
	struct netns *ns;
	const struct probe_req *req;
	struct probe_req r;		/* req with its defaults */
	struct probe_result res;
	struct probe_job *job;
	struct sockaddr_storage dst;
	socklen_t dst_len;
	int fd;
	struct probe_sock *shared;	/* ICMP: the node's socket (fd is its) */
	bool own_icmp;			/* shared is the probe's own (bound) socket */
	bool done;
	uint16_t id;
	uint64_t nonce;
	uint64_t start_ms;
	uint64_t deadline;
	uint64_t next_ms;	/* next request or connect */
	uint64_t attempt_us;	/* TCP: when the pending connect started */
	uint64_t answer_us;	/* when the answer that ended it arrived */
	uint8_t *answered;	/* ICMP series: per seq, 1 once answered */
};

struct probe_many {
	struct loop *l;
	struct probe_ctx **active;
	size_t n_active;
	struct probe_ctx *by_id[65536];	/* ICMP probes by echo id */
	uint16_t next_id;
	struct probe_sock **socks;
	size_t n_socks;
	int err;			/* a loop failure */
};

const char *probe_proto_name(enum probe_proto proto)
{
	switch (proto) {
	case PROBE_ICMP:
		return "icmp";
	case PROBE_TCP:
		return "tcp";
	case PROBE_UDP:
		return "udp";
	}
	return "?";
}

static void probe_fail(struct probe_ctx *c, int err, const struct traffic_icmp *icmp)
{
	c->res.last_error = err;
	if (err == ENOBUFS)
		c->res.enobufs++;
	if (icmp)
		c->res.last_icmp = *icmp;
	else
		memset(&c->res.last_icmp, 0, sizeof(c->res.last_icmp));
	if (icmp && !icmp->local && c->req->stop_on_icmp)
		c->done = true;
}

/* at_us: when the answer arrived (the kernel's stamp), not when it was
 * read: a loop late on a busy machine does not lengthen the round trip. */
static void probe_success(struct probe_ctx *c, unsigned int seq, uint64_t sent_us, uint64_t at_us,
			  const struct addr *from, uint16_t port)
{
	c->res.ok = true;
	c->res.seq = seq;
	c->res.rtt_us = sent_us && at_us > sent_us ? at_us - sent_us : 0;
	c->res.responder = *from;
	c->res.responder_port = port;
	c->answer_us = at_us;
	c->done = true;
}

/* Reads every queued ICMP error; the last one becomes the probe's. */
static void probe_drain_errors(struct probe_ctx *c)
{
	struct traffic_icmp e;

	while (traffic_recverr(c->fd, &e, NULL, NULL, NULL) > 0)
		probe_fail(c, e.err, e.local ? NULL : &e);
}

/* Socket options and binding shared by every kind.  0 or -errno. */
static int probe_prepare(struct probe_ctx *c, int fd)
{
	const struct probe_req *r = c->req;
	struct sockaddr_storage sa;
	socklen_t len;
	int on = 1, ret;

	if ((r->flags & PROBE_HAS_DEV) &&
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, r->dev, (socklen_t)strlen(r->dev)))
		return -errno;
	if (r->proto != PROBE_ICMP) {
		ret = traffic_set_recverr(fd, r->dst.family);
		if (ret < 0)
			return ret;
	}
	/* A size without df may be fragmented (ping -s without -M do);
	 * with df it must not be, here or on the way. */
	if (r->proto == PROBE_ICMP && (r->df || r->size)) {
		int v4 = r->df ? IP_PMTUDISC_DO : IP_PMTUDISC_DONT;
		int v6 = r->df ? IPV6_PMTUDISC_DO : IPV6_PMTUDISC_DONT;

		if (r->dst.family == AF_INET ?
		    setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &v4, sizeof(v4)) :
		    setsockopt(fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER, &v6, sizeof(v6)))
			return -errno;
	}
	if (!(r->flags & (PROBE_HAS_SRC | PROBE_HAS_SPORT)))
		return 0;
	if (r->proto == PROBE_TCP && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)))
		return -errno;
	if (r->flags & PROBE_HAS_SRC) {
		if (r->src.family != r->dst.family)
			return -EAFNOSUPPORT;
		len = traffic_sockaddr(&r->src, r->flags & PROBE_HAS_SPORT ? r->sport : 0, 0, &sa);
	} else {
		struct addr any = { .family = r->dst.family };

		len = traffic_sockaddr(&any, r->sport, 0, &sa);
	}
	return bind(fd, (struct sockaddr *)&sa, len) ? -errno : 0;
}

/* Sockets a probe reads answers from: stamped by the kernel on arrival
 * (SO_TIMESTAMPNS), so that an answer is judged by when it came, not by
 * when a busy loop got to it.  A node's shared ICMP socket also gets a
 * buffer for a burst of answers (root may go past rmem_max). */
static void probe_stamped(int fd, bool shared)
{
	int rcv = PROBE_SHARED_RCVBUF;

	stamp_enable(fd);
	if (shared && setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof(rcv)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
}

/* An answer that arrived after the probe's wait does not count; the first
 * one is named in the evidence.  True when at_us is late for c. */
static bool probe_late(struct probe_ctx *c, uint64_t at_us)
{
	uint64_t late = stamp_late_ms(at_us, c->deadline);

	if (late && !c->res.late_ms)
		c->res.late_ms = late;
	return late;
}

/* Whether an answer from (from, port) is one from the address probed (port
 * 0: ICMP, no port): else it does not count, and the first is named.  A
 * multicast group's members, and the host that answers the unspecified
 * address, answer from their own addresses. */
static bool probe_from_dst(struct probe_ctx *c, const struct addr *from, uint16_t port)
{
	const struct addr *dst = &c->req->dst;
	bool any = dst->family == AF_INET ? IN_MULTICAST(ntohl(dst->v4.s_addr)) || dst->v4.s_addr == INADDR_ANY ||
					     dst->v4.s_addr == INADDR_BROADCAST :
					     IN6_IS_ADDR_MULTICAST(&dst->v6) || IN6_IS_ADDR_UNSPECIFIED(&dst->v6);

	if (any || (addr_equal(from, dst) && (!port || port == c->req->port)))
		return true;
	if (!c->res.stranger.family) {
		c->res.stranger = *from;
		c->res.stranger_port = port;
	}
	return false;
}

/* Every packet of a node's ICMP socket, to the probe whose id it carries. */
static void probe_icmp_cb(int fd, uint32_t events, void *data)
{
	struct probe_sock *ps = data;
	struct sockaddr_storage from;
	static uint8_t buf[65536];	/* sized replies (count ... size) */
	socklen_t fromlen;
	struct echo_got got;
	struct probe_ctx *c;
	struct addr a;
	uint64_t at;
	uint16_t id;
	ssize_t n;

	(void)events;
	for (;;) {
		n = stamp_recv(fd, buf, sizeof(buf), 0, &from, &fromlen, &at);
		if (n < 0)
			return;
		if (traffic_sockaddr_parse((struct sockaddr *)&from, fromlen, &a, NULL) < 0 ||
		    !echo_peek_id(ps->family, buf, (size_t)n, &id))
			continue;
		c = ps->m->by_id[id];
		if (!c || c->shared != ps || c->done ||
		    !echo_parse(ps->family, buf, (size_t)n, &a, c->id, c->nonce, &got))
			continue;
		if (got.kind == ECHO_ERROR) {
			probe_fail(c, got.err.err, &got.err);
		} else if (probe_late(c, at) || !probe_from_dst(c, &got.from, 0)) {
			continue;
		} else if (c->answered) {
			/* A series: each request once, done when all are. */
			if (!got.seq || got.seq > c->req->count || c->answered[got.seq - 1])
				continue;
			c->answered[got.seq - 1] = 1;
			c->res.responder = got.from;
			if (++c->res.replies == c->req->count)
				probe_success(c, got.seq, got.sent_us, at, &got.from, 0);
		} else {
			probe_success(c, got.seq, got.sent_us, at, &got.from, 0);
		}
	}
}

static void probe_icmp_send(struct probe_ctx *c)
{
	static uint8_t pkt[8 + PROBE_SIZE_MAX];
	uint16_t seq = (uint16_t)(c->res.attempts + 1);
	size_t len;

	/* Zeros after the payload leave the checksum as it is. */
	memset(pkt, 0, 8 + (c->req->size > ECHO_PAYLOAD_LEN ? c->req->size : ECHO_PAYLOAD_LEN));
	len = echo_build(c->req->dst.family, c->id, seq, c->nonce, now_us(), pkt);
	if (c->req->size > ECHO_PAYLOAD_LEN)
		len = 8 + c->req->size;
	c->res.attempts++;
	if (sendto(c->fd, pkt, len, 0, (struct sockaddr *)&c->dst, c->dst_len) < 0)
		probe_fail(c, errno, NULL);
}

static void probe_udp_cb(int fd, uint32_t events, void *data)
{
	struct probe_ctx *c = data;
	uint8_t buf[2048];
	struct sockaddr_storage from;
	socklen_t fromlen;
	uint64_t nonce, sent, at;
	uint32_t seq;
	struct addr a;
	uint16_t port;
	ssize_t n;

	if (events & EPOLLERR)
		probe_drain_errors(c);
	for (;;) {
		n = stamp_recv(fd, buf, sizeof(buf), 0, &from, &fromlen, &at);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			/* A pending ICMP error: its details are in the queue. */
			probe_fail(c, errno, NULL);
			probe_drain_errors(c);
			continue;
		}
		if (n < PROBE_UDP_LEN || memcmp(buf, probe_udp_magic, sizeof(probe_udp_magic)))
			continue;
		memcpy(&nonce, buf + 8, sizeof(nonce));
		memcpy(&seq, buf + 16, sizeof(seq));
		memcpy(&sent, buf + 24, sizeof(sent));
		if (nonce != c->nonce || c->done || probe_late(c, at))
			continue;
		if (traffic_sockaddr_parse((struct sockaddr *)&from, fromlen, &a, &port) < 0 ||
		    !probe_from_dst(c, &a, port))
			continue;
		probe_success(c, seq, sent, at, &a, port);
	}
}

static void probe_udp_send(struct probe_ctx *c)
{
	uint8_t buf[PROBE_UDP_LEN] = { 0 };
	uint32_t seq = c->res.attempts + 1;
	uint64_t now = now_us();

	memcpy(buf, probe_udp_magic, sizeof(probe_udp_magic));
	memcpy(buf + 8, &c->nonce, sizeof(c->nonce));
	memcpy(buf + 16, &seq, sizeof(seq));
	memcpy(buf + 24, &now, sizeof(now));
	/* A pending error would fail this send: collect it first. */
	probe_drain_errors(c);
	c->res.attempts++;
	if (sendto(c->fd, buf, sizeof(buf), 0, (struct sockaddr *)&c->dst, c->dst_len) < 0) {
		probe_fail(c, errno, NULL);
		probe_drain_errors(c);
	}
}

static void probe_tcp_close(struct probe_ctx *c)
{
	if (c->fd < 0)
		return;
	loop_del(c->l, c->fd);
	close(c->fd);
	c->fd = -1;
}

static void probe_tcp_failed(struct probe_ctx *c, int err)
{
	uint64_t retry = c->attempt_us / 1000 + c->req->interval_ms;
	uint64_t now = now_ms();

	probe_fail(c, err, NULL);
	probe_drain_errors(c);
	probe_tcp_close(c);
	c->next_ms = retry > now ? retry : now;
}

static void probe_tcp_cb(int fd, uint32_t events, void *data)
{
	struct probe_ctx *c = data;
	socklen_t len = sizeof(int);
	uint64_t at;
	int err = 0;

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len))
		err = errno;
	if (!err && (events & EPOLLOUT)) {
		struct sockaddr_storage peer;
		struct addr a;
		uint16_t port;

		len = sizeof(peer);
		if (getpeername(fd, (struct sockaddr *)&peer, &len) ||
		    traffic_sockaddr_parse((struct sockaddr *)&peer, len, &a, &port) < 0) {
			a = c->req->dst;
			port = c->req->port;
		}
		at = stamp_tcp_answer(fd, c->attempt_us);
		if (!probe_late(c, at))
			probe_success(c, c->res.attempts, c->attempt_us, at, &a, port);
		probe_tcp_close(c);
		return;
	}
	probe_tcp_failed(c, err ? err : ECONNRESET);
}

/* Starts a connect; on an immediate failure schedules the next one. */
static int probe_tcp_send(struct probe_ctx *c)
{
	int fd, ret;

	if (c->fd >= 0) {
		/* Pending for too long: the SYN (or its answer) was lost. */
		probe_fail(c, ETIMEDOUT, NULL);
		probe_tcp_close(c);
	}
	fd = traffic_socket(c->ns, c->req->dst.family, SOCK_STREAM, IPPROTO_TCP);
	if (fd < 0)
		return fd;
	ret = probe_prepare(c, fd);
	if (ret < 0) {
		close(fd);
		return ret;
	}
	c->fd = fd;
	c->res.attempts++;
	c->attempt_us = now_us();
	c->next_ms = c->attempt_us / 1000 + PROBE_TCP_PENDING_MS;
	if (connect(fd, (struct sockaddr *)&c->dst, c->dst_len) && errno != EINPROGRESS) {
		probe_tcp_failed(c, errno);
		return 0;
	}
	ret = loop_add(c->l, fd, EPOLLOUT, probe_tcp_cb, c);
	if (ret < 0) {
		close(fd);
		c->fd = -1;
	}
	return ret;
}

/* The node's shared ICMP socket, made at first use. */
static int probe_icmp_sock(struct probe_many *m, struct netns *ns, int family, struct probe_sock **ret)
{
	struct probe_sock *ps;
	int fd, err;

	for (size_t i = 0; i < m->n_socks; i++) {
		if (m->socks[i]->ns == ns && m->socks[i]->family == family) {
			*ret = m->socks[i];
			return 0;
		}
	}
	fd = echo_socket(ns, family);
	if (fd < 0)
		return fd;
	probe_stamped(fd, true);
	ps = xcalloc(1, sizeof(*ps));
	ps->ns = ns;
	ps->family = family;
	ps->fd = fd;
	ps->m = m;
	err = loop_add(m->l, fd, EPOLLIN, probe_icmp_cb, ps);
	if (err < 0) {
		close(fd);
		free(ps);
		return err;
	}
	m->socks = xgrow(m->socks, m->n_socks, sizeof(*m->socks));
	m->socks[m->n_socks++] = ps;
	*ret = ps;
	return 0;
}

static int probe_open(struct probe_many *m, struct probe_ctx *c)
{
	const struct probe_req *r = c->req;
	int fd, ret;

	if (r->proto == PROBE_TCP)
		return 0;
	/* Sized or don't-fragment requests set options of their own socket. */
	if (r->proto == PROBE_ICMP && !(r->flags & (PROBE_HAS_DEV | PROBE_HAS_SRC | PROBE_HAS_SPORT)) &&
	    !r->size && !r->df) {
		ret = probe_icmp_sock(m, c->ns, r->dst.family, &c->shared);
		if (ret < 0)
			return ret;
		c->fd = c->shared->fd;
		return 0;
	}
	/* A probe bound to an address or device has a socket of its own;
	 * its replies reach it through the same table. */
	if (r->proto == PROBE_ICMP)
		fd = echo_socket(c->ns, r->dst.family);
	else
		fd = traffic_socket(c->ns, r->dst.family, SOCK_DGRAM, IPPROTO_UDP);
	if (fd < 0)
		return fd;
	probe_stamped(fd, false);
	ret = probe_prepare(c, fd);
	if (!ret && r->proto == PROBE_ICMP) {
		c->shared = xcalloc(1, sizeof(*c->shared));
		c->shared->ns = c->ns;
		c->shared->family = r->dst.family;
		c->shared->fd = fd;
		c->shared->m = m;
		c->own_icmp = true;
		ret = loop_add(c->l, fd, EPOLLIN, probe_icmp_cb, c->shared);
		if (ret < 0) {
			free(c->shared);
			c->shared = NULL;
			c->own_icmp = false;
		}
	} else if (!ret) {
		ret = loop_add(c->l, fd, EPOLLIN, probe_udp_cb, c);
	}
	if (ret < 0) {
		close(fd);
		return ret;
	}
	c->fd = fd;
	return 0;
}

/* A free echo id: probes of one run never share one. */
static uint16_t probe_new_id(struct probe_many *m)
{
	for (unsigned int k = 0; k < 65536; k++) {
		uint16_t id = m->next_id++;

		if (!m->by_id[id])
			return id;
	}
	return 0;
}

static int probe_start(struct probe_many *m, struct probe_job *j, struct probe_ctx *c)
{
	struct probe_req *r = &c->r;
	uint32_t scope = 0;
	int err;

	memset(c, 0, sizeof(*c));
	c->l = m->l;
	c->ns = j->from;
	c->job = j;
	c->fd = -1;
	*r = j->req;
	c->req = r;
	if (r->proto != PROBE_ICMP && r->proto != PROBE_TCP && r->proto != PROBE_UDP)
		return -EINVAL;
	if (r->dst.family != AF_INET && r->dst.family != AF_INET6)
		return -EAFNOSUPPORT;
	if (r->proto != PROBE_ICMP && !r->port)
		return -EINVAL;
	if (r->count > PROBE_COUNT_MAX || r->size > PROBE_SIZE_MAX ||
	    (r->proto != PROBE_ICMP && (r->count || r->size || r->df)))
		return -EINVAL;
	if (!r->wait_ms)
		r->wait_ms = PROBE_WAIT_MS;
	if (!r->interval_ms)
		r->interval_ms = PROBE_INTERVAL_MS;
	if (r->dst.family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&r->dst.v6) && (r->flags & PROBE_HAS_DEV)) {
		err = traffic_ifindex(c->ns, r->dev);
		if (err < 0)
			return err;
		scope = (uint32_t)err;
	}
	c->dst_len = traffic_sockaddr(&r->dst, r->proto == PROBE_ICMP ? 0 : r->port, scope, &c->dst);
	c->id = probe_new_id(m);
	c->nonce = echo_random();
	err = probe_open(m, c);
	if (err < 0)
		return err;
	if (r->count)
		c->answered = xcalloc(r->count, 1);
	if (r->proto == PROBE_ICMP)
		m->by_id[c->id] = c;
	c->start_ms = now_ms();
	c->next_ms = c->start_ms;
	c->deadline = c->start_ms + r->wait_ms;
	return 0;
}

static void probe_finish(struct probe_many *m, struct probe_ctx *c)
{
	if (c->req->proto == PROBE_TCP && !c->done && c->fd >= 0)
		probe_fail(c, ETIMEDOUT, NULL);
	/* a success lasted until its answer arrived, however late the
	 * loop got to it: the same clock its wait was judged by */
	if (c->res.ok)
		c->res.elapsed_ms = c->answer_us / 1000 > c->start_ms ? c->answer_us / 1000 - c->start_ms : 0;
	else
		c->res.elapsed_ms = now_ms() - c->start_ms;
	probe_format_evidence(c->req, &c->res, c->res.evidence, sizeof(c->res.evidence));
	c->job->res = c->res;
	c->job->err = 0;
	if (c->req->proto == PROBE_ICMP && m->by_id[c->id] == c)
		m->by_id[c->id] = NULL;
	if ((c->req->proto != PROBE_ICMP || c->own_icmp) && c->fd >= 0) {
		loop_del(c->l, c->fd);
		close(c->fd);
	}
	if (c->own_icmp)
		free(c->shared);
	c->shared = NULL;
	free(c->answered);
	c->answered = NULL;
	c->fd = -1;
}

/* Sends what is due; the time of c's next event. */
/* The wait after the sent-th request: interval_ms, or with backoff a
 * tenth of the whole wait (at least interval_ms), doubled per retry, at
 * most PROBE_BACKOFF_MAX_MS (nor less than interval_ms). */
static unsigned int probe_interval(const struct probe_req *req, unsigned int sent)
{
	unsigned int cap = req->interval_ms > PROBE_BACKOFF_MAX_MS ? req->interval_ms : PROBE_BACKOFF_MAX_MS;
	uint64_t ms = req->wait_ms / 10 > req->interval_ms ? req->wait_ms / 10 : req->interval_ms;

	if (!req->backoff || req->count)
		return req->interval_ms;
	for (unsigned int i = 1; i < sent && ms < cap; i++)
		ms *= 2;
	return ms < cap ? (unsigned int)ms : cap;
}

static int probe_tick(struct probe_ctx *c, uint64_t now, uint64_t *next)
{
	int err;

	if (now >= c->next_ms) {
		if (c->req->proto == PROBE_TCP) {
			err = probe_tcp_send(c);
			if (err < 0)
				return err;
		} else {
			/* a series sends its count, then waits */
			if (c->req->proto == PROBE_ICMP &&
			    (!c->req->count || c->res.attempts < c->req->count))
				probe_icmp_send(c);
			else if (c->req->proto != PROBE_ICMP)
				probe_udp_send(c);
			c->next_ms = now + probe_interval(c->req, c->res.attempts);
		}
	}
	*next = c->next_ms < c->deadline ? c->next_ms : c->deadline;
	return 0;
}

int probe_run_many(struct loop *l, struct probe_job *jobs, size_t n, unsigned int max_open)
{
	struct probe_many *m = xcalloc(1, sizeof(*m));
	struct probe_ctx *pool;
	size_t started = 0, k;
	int err = 0;

	if (!max_open)
		max_open = 256;
	if (max_open > n)
		max_open = n ? (unsigned int)n : 1;
	m->l = l;
	m->next_id = (uint16_t)echo_random();
	m->active = xcalloc(max_open, sizeof(*m->active));
	pool = xcalloc(max_open, sizeof(*pool));
	while (started < n || m->n_active) {
		uint64_t now, next = UINT64_MAX;

		/* Start what fits, in order. */
		while (started < n && m->n_active < max_open) {
			struct probe_ctx *c = NULL;

			for (k = 0; k < max_open && !c; k++)
				if (!pool[k].job)
					c = &pool[k];
			err = probe_start(m, &jobs[started], c);
			if (err < 0) {
				jobs[started].err = err;
				memset(c, 0, sizeof(*c));
				started++;
				err = 0;
				continue;
			}
			m->active[m->n_active++] = c;
			started++;
		}
		now = now_ms();
		/* Before a probe is given up, what has arrived is read: a loop
		 * late on a busy machine, or more sockets ready than one wait
		 * returns, must not make "no reply" of an answer that sits in a
		 * buffer.  Arrival stamps tell in time from late. */
		for (k = 0; k < m->n_active; k++)
			if (!m->active[k]->done && now >= m->active[k]->deadline)
				break;
		if (k < m->n_active)
			loop_drain(l);
		for (k = 0; k < m->n_active;) {
			struct probe_ctx *c = m->active[k];
			uint64_t when = UINT64_MAX;
			int terr = 0;

			if (c->done || now >= c->deadline || (terr = probe_tick(c, now, &when)) < 0) {
				probe_finish(m, c);
				/* A TCP probe that could not make its socket. */
				if (terr < 0)
					c->job->err = terr;
				c->job = NULL;
				m->active[k] = m->active[--m->n_active];
				continue;
			}
			if (when < next)
				next = when;
			k++;
		}
		if (!m->n_active)
			continue;
		err = loop_run_once(l, next > now ? (int)(next - now) : 0);
		if (err < 0)
			break;
		err = 0;
	}
	for (k = 0; k < m->n_active; k++)
		probe_finish(m, m->active[k]);
	for (k = 0; k < m->n_socks; k++) {
		loop_del(l, m->socks[k]->fd);
		close(m->socks[k]->fd);
		free(m->socks[k]);
	}
	free(m->socks);
	free(m->active);
	free(pool);
	free(m);
	return err;
}

int probe_run(struct loop *l, struct netns *from, const struct probe_req *req,
	      struct probe_result *ret)
{
	struct probe_job j = { .from = from, .req = *req };
	int err = probe_run_many(l, &j, 1, 1);

	if (err < 0)
		return err;
	if (j.err < 0)
		return j.err;
	*ret = j.res;
	return 0;
}

static const char *probe_plural(unsigned int n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static const char *probe_last(const struct probe_req *req, const struct probe_result *res,
			      char *buf, size_t len)
{
	if (res->last_icmp.family)
		return traffic_icmp_describe(&res->last_icmp, buf, len);
	if (req->proto == PROBE_TCP && res->last_error == ECONNREFUSED)
		snprintf(buf, len, "connection refused (tcp reset)");
	else
		snprintf(buf, len, "%s", traffic_strerror(res->last_error));
	return buf;
}

/* "; echo reply from 10.2.0.2, not 10.2.0.50": an answer that did not
 * count. */
static void probe_stranger(const struct probe_req *req, const struct probe_result *res, char *buf, size_t len)
{
	char got[ADDR_STRLEN + 8], want[ADDR_STRLEN + 8];

	if (req->proto == PROBE_ICMP)
		snprintf(buf, len, "; echo reply from %s, not %s",
			 addr_format(&res->stranger, false, got, sizeof(got)),
			 addr_format(&req->dst, false, want, sizeof(want)));
	else
		snprintf(buf, len, "; udp echo from %s, not %s",
			 traffic_endpoint_format(&res->stranger, res->stranger_port, got, sizeof(got)),
			 traffic_endpoint_format(&req->dst, req->port, want, sizeof(want)));
}

const char *probe_format_evidence(const struct probe_req *req, const struct probe_result *res,
				  char *buf, size_t len)
{
	char who[ADDR_STRLEN + 8], last[320] = "";
	double secs = (double)res->elapsed_ms / 1000.0;
	double ms = (double)res->rtt_us / 1000.0;
	unsigned int n = res->attempts;

	if (!res->ok && (res->last_error || res->last_icmp.family)) {
		memcpy(last, "; last: ", 8);
		probe_last(req, res, last + 8, sizeof(last) - 8);
	}
	if (!res->ok && res->late_ms)
		snprintf(last + strlen(last), sizeof(last) - strlen(last), "; an answer came %llu ms after the wait",
			 (unsigned long long)res->late_ms);
	if (res->stranger.family && !res->ok)
		probe_stranger(req, res, last + strlen(last), sizeof(last) - strlen(last));
	switch (req->proto) {
	case PROBE_ICMP:
		if (req->count) {
			char what[64] = "";

			if (req->size || req->df)
				snprintf(what, sizeof(what), " of %u bytes%s",
					 req->size ? req->size : ECHO_PAYLOAD_LEN, req->df ? ", don't fragment" : "");
			snprintf(buf, len, "%u of %u icmp echo requests%s answered%s%s in %.1f s%s",
				 res->replies, req->count, what, res->replies ? " by " : "",
				 res->replies ? addr_format(&res->responder, false, who, sizeof(who)) : "",
				 secs, last);
			break;
		}
		if (res->ok)
			snprintf(buf, len, "icmp echo reply from %s (seq %u, %.2f ms) after %u %s",
				 addr_format(&res->responder, false, who, sizeof(who)), res->seq, ms,
				 n, probe_plural(n, "request", "requests"));
		else
			snprintf(buf, len, "no reply to %u icmp echo %s in %.1f s%s", n,
				 probe_plural(n, "request", "requests"), secs, last);
		break;
	case PROBE_TCP:
		traffic_endpoint_format(&req->dst, req->port, who, sizeof(who));
		if (res->ok)
			snprintf(buf, len, "tcp connection to %s established (%.2f ms) after %u %s",
				 who, ms, n, probe_plural(n, "attempt", "attempts"));
		else
			snprintf(buf, len, "no tcp connection to %s in %.1f s (%u %s)%s", who, secs,
				 n, probe_plural(n, "attempt", "attempts"), last);
		break;
	case PROBE_UDP:
		if (res->ok)
			snprintf(buf, len, "udp echo from %s (seq %u, %.2f ms) after %u %s",
				 traffic_endpoint_format(&res->responder, res->responder_port, who,
							 sizeof(who)),
				 res->seq, ms, n, probe_plural(n, "datagram", "datagrams"));
		else
			snprintf(buf, len, "no udp echo from %s to %u %s in %.1f s%s",
				 traffic_endpoint_format(&req->dst, req->port, who, sizeof(who)), n,
				 probe_plural(n, "datagram", "datagrams"), secs, last);
		break;
	default:
		snprintf(buf, len, "unknown probe");
	}
	return buf;
}
