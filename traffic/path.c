// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "traffic/path.h"
#include "traffic/echo.h"
#include "traffic/loop.h"
#include "netns/util/now.h"
#include "netns/util/strbuf.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <netinet/icmp6.h>
#include <sys/epoll.h>

#define PATH_MAX_TRIES 8
#define PATH_SEQS (PATH_MAX_HOPS * PATH_MAX_TRIES)

struct path_ctx {
	struct loop *l;
	struct path_req r;
	struct addr dst;
	struct sockaddr_storage dsa;
	socklen_t dlen;
	int fd;
	uint16_t id;
	uint64_t nonce;
	unsigned int seq;			/* last sent */
	uint8_t seq_ttl[PATH_SEQS + 1];
	uint64_t seq_sent[PATH_SEQS + 1];
	struct path_result *res;
	bool stop;
};

static void path_answer(struct path_ctx *c, unsigned int seq, const struct addr *from,
			const struct traffic_icmp *icmp)
{
	struct path_hop *hop;

	if (!seq || seq > c->seq)
		return;
	hop = &c->res->hops[c->seq_ttl[seq] - 1];
	if (hop->answered)
		return;
	hop->answered = true;
	hop->addr = *from;
	if (icmp)
		hop->icmp = *icmp;
	hop->rtt_us = now_us() - c->seq_sent[seq];
	if (icmp && traffic_icmp_is_time_exceeded(icmp))
		return;
	/* An answer that is not "time exceeded" ends the path: the
	 * destination's own reply, or an unreachable on the way. */
	c->stop = true;
	if (addr_equal(from, &c->dst))
		c->res->reached = true;
}

static void path_udp_cb(int fd, uint32_t events, void *data)
{
	struct path_ctx *c = data;
	struct sockaddr_storage orig, from;
	socklen_t fromlen = sizeof(from);
	struct traffic_icmp e;
	struct addr a;
	uint16_t port;
	char buf[64];

	while (traffic_recverr(fd, &e, &orig, NULL, NULL) > 0) {
		if (e.local || !e.from.family)
			continue;
		if (traffic_sockaddr_parse((struct sockaddr *)&orig, sizeof(orig), &a, &port) < 0)
			continue;
		if (port >= c->r.port)
			path_answer(c, (unsigned int)(port - c->r.port) + 1, &e.from, &e);
	}
	/* A service on the port answered: that is the destination too. */
	if ((events & EPOLLIN) &&
	    recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fromlen) >= 0 &&
	    traffic_sockaddr_parse((struct sockaddr *)&from, fromlen, &a, NULL) == 0)
		path_answer(c, c->seq, &a, NULL);
}

static void path_icmp_cb(int fd, uint32_t events, void *data)
{
	struct path_ctx *c = data;
	struct echo_got got;

	(void)events;
	while (echo_recv(fd, c->dst.family, c->id, c->nonce, &got))
		path_answer(c, got.seq, &got.from, got.kind == ECHO_ERROR ? &got.err : NULL);
}

static int path_open(struct path_ctx *c, struct netns *ns)
{
	int fd, ret = 0;

	if (c->r.method == PATH_ICMP)
		fd = echo_socket(ns, c->dst.family);
	else
		fd = traffic_socket(ns, c->dst.family, SOCK_DGRAM, IPPROTO_UDP);
	if (fd < 0)
		return fd;
	c->fd = fd;
	if (c->r.method == PATH_UDP)
		ret = traffic_set_recverr(fd, c->dst.family);
	if (!ret && (c->r.flags & PATH_HAS_DEV) &&
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, c->r.dev, (socklen_t)strlen(c->r.dev)))
		ret = -errno;
	if (!ret && (c->r.flags & PATH_HAS_SRC)) {
		struct sockaddr_storage sa;
		socklen_t len = traffic_sockaddr(&c->r.src, 0, 0, &sa);

		if (c->r.src.family != c->dst.family)
			ret = -EAFNOSUPPORT;
		else if (bind(fd, (struct sockaddr *)&sa, len))
			ret = -errno;
	}
	if (!ret)
		ret = loop_add(c->l, fd, EPOLLIN,
			       c->r.method == PATH_ICMP ? path_icmp_cb : path_udp_cb, c);
	return ret;
}

/* One probe with the given TTL.  0, or -errno (positive errno recorded)
 * when the stack refused to send it. */
static int path_send(struct path_ctx *c, unsigned int ttl)
{
	uint8_t pkt[ECHO_PACKET_LEN] = { 0 };
	unsigned int seq = ++c->seq;
	int hops = (int)ttl, tries, err = 0;
	size_t len = 32;

	if (c->dst.family == AF_INET6)
		tries = setsockopt(c->fd, SOL_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof(hops));
	else
		tries = setsockopt(c->fd, SOL_IP, IP_TTL, &hops, sizeof(hops));
	if (tries)
		return -errno;
	c->seq_ttl[seq] = (uint8_t)ttl;
	c->seq_sent[seq] = now_us();
	if (c->r.method == PATH_ICMP) {
		len = echo_build(c->dst.family, c->id, (uint16_t)seq, c->nonce, c->seq_sent[seq], pkt);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&c->dsa;
		struct sockaddr_in *sin = (struct sockaddr_in *)&c->dsa;
		uint16_t port = htons((uint16_t)(c->r.port + seq - 1));

		if (c->dst.family == AF_INET6)
			sin6->sin6_port = port;
		else
			sin->sin_port = port;
	}
	/* An error left by an earlier probe makes a UDP send fail once. */
	for (tries = 0; tries < 2; tries++) {
		if (sendto(c->fd, pkt, len, 0, (struct sockaddr *)&c->dsa, c->dlen) >= 0)
			return 0;
		err = errno;
		if (c->r.method == PATH_ICMP ||
		    (err != EHOSTUNREACH && err != ECONNREFUSED && err != ENETUNREACH))
			break;
		path_udp_cb(c->fd, EPOLLERR, c);
	}
	c->res->local_error = err;
	return -err;
}

int path_trace(struct loop *l, struct netns *from, const struct addr *dst,
	       const struct path_req *req, struct path_result *ret)
{
	struct path_req defaults = { 0 };
	struct path_result *res = NULL;
	struct path_ctx *c = NULL;
	unsigned int ttl, silent = 0;
	int err;

	if (dst->family != AF_INET && dst->family != AF_INET6)
		return -EAFNOSUPPORT;
	c = xcalloc(1, sizeof(*c));
	res = xcalloc(1, sizeof(*res));
	c->l = l;
	c->fd = -1;
	c->r = req ? *req : defaults;
	c->dst = *dst;
	c->res = res;
	if (!c->r.max_hops)
		c->r.max_hops = PATH_HOPS;
	if (c->r.max_hops > PATH_MAX_HOPS)
		c->r.max_hops = PATH_MAX_HOPS;
	if (!c->r.tries)
		c->r.tries = PATH_TRIES;
	if (c->r.tries > PATH_MAX_TRIES)
		c->r.tries = PATH_MAX_TRIES;
	if (!c->r.hop_wait_ms)
		c->r.hop_wait_ms = PATH_HOP_WAIT_MS;
	if (!c->r.max_silent)
		c->r.max_silent = PATH_SILENT;
	if (!c->r.port)
		c->r.port = PATH_PORT;
	if ((unsigned int)c->r.port + PATH_SEQS > 65535) {
		err = -ERANGE;
		goto cleanup;
	}
	c->dlen = traffic_sockaddr(dst, 0, 0, &c->dsa);
	c->id = (uint16_t)echo_random();
	c->nonce = echo_random();
	err = path_open(c, from);
	if (err < 0)
		goto cleanup;

	for (ttl = 1; ttl <= c->r.max_hops && !c->stop; ttl++) {
		struct path_hop *hop = &res->hops[ttl - 1];
		unsigned int t;

		hop->ttl = ttl;
		res->nhops = ttl;
		for (t = 0; t < c->r.tries && !hop->answered; t++) {
			err = path_send(c, ttl);
			if (err < 0)
				break;
			err = traffic_wait(l, now_ms() + c->r.hop_wait_ms, &hop->answered);
			if (err < 0 && err != -ETIMEDOUT)
				goto cleanup;
		}
		if (res->local_error)
			break;
		silent = hop->answered ? 0 : silent + 1;
		if (silent >= c->r.max_silent) {
			res->gave_up = true;
			break;
		}
	}
	path_format_evidence(res, res->evidence, sizeof(res->evidence));
	*ret = *res;
	err = 0;
cleanup:
	if (c && c->fd >= 0) {
		loop_del(l, c->fd);
		close(c->fd);
	}
	free(c);
	free(res);
	return err;
}

/* traceroute's annotation for an unreachable answer. */
static const char *path_mark(const struct path_hop *h, bool last, bool reached)
{
	const struct traffic_icmp *e = &h->icmp;

	if (!e->family || !traffic_icmp_is_unreach(e) || (last && reached &&
							  traffic_icmp_is_port_unreach(e)))
		return "";
	if (e->family == AF_INET) {
		switch (e->code) {
		case ICMP_NET_UNREACH:
		case ICMP_NET_UNKNOWN:
			return " !N";
		case ICMP_HOST_UNREACH:
		case ICMP_HOST_UNKNOWN:
			return " !H";
		case ICMP_PROT_UNREACH:
			return " !P";
		case ICMP_PORT_UNREACH:
			return " !p";
		case ICMP_FRAG_NEEDED:
			return " !F";
		default:
			return " !X";
		}
	}
	switch (e->code) {
	case ICMP6_DST_UNREACH_NOROUTE:
		return " !N";
	case ICMP6_DST_UNREACH_ADDR:
		return " !H";
	case ICMP6_DST_UNREACH_NOPORT:
		return " !p";
	case ICMP6_DST_UNREACH_BEYONDSCOPE:
		return " !S";
	default:
		return " !X";
	}
}

const char *path_format_evidence(const struct path_result *r, char *buf, size_t len)
{
	size_t off = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < r->nhops; i++) {
		const struct path_hop *h = &r->hops[i];
		char a[ADDR_STRLEN];

		if (h->answered)
			strbuf_appendf(buf, len, &off, "%s%u %s%s", i ? ", " : "", h->ttl,
				       addr_format(&h->addr, false, a, sizeof(a)),
				       path_mark(h, i + 1 == r->nhops, r->reached));
		else
			strbuf_appendf(buf, len, &off, "%s%u *", i ? ", " : "", h->ttl);
	}
	if (r->local_error) {
		strbuf_appendf(buf, len, &off, "%s(send failed: %s)", off ? " " : "",
			       traffic_strerror(r->local_error));
	} else if (r->gave_up) {
		unsigned int silent = 0;

		while (silent < r->nhops && !r->hops[r->nhops - 1 - silent].answered)
			silent++;
		strbuf_appendf(buf, len, &off, "; destination not reached (gave up after %u silent hops)",
			       silent);
	} else if (!r->reached) {
		strbuf_appendf(buf, len, &off, "; destination not reached");
	}
	return buf;
}
