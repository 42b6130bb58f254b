// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "traffic/server.h"
#include "traffic/http.h"
#include "traffic/loop.h"
#include "traffic/sock.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/epoll.h>

#define SERVER_CONNS_MAX 512
#define SERVER_IN_MAX (HTTP_HEAD_MAX + 4096)
#define SERVER_OUT_HIGH (256 * 1024)	/* stop reading above this */

struct server_conn {
	struct server *srv;
	int fd;
	bool closing;		/* shut down writing once out is sent */
	bool draining;		/* written side shut: read to EOF, then close */
	bool in_body;		/* HTTP: skipping a request body */
	bool eof;		/* the peer shut its side */
	uint32_t events;
	uint64_t fill_left;	/* HTTP size N: body bytes still to queue */
	struct http_body body;
	char *in;
	size_t in_len;
	char *out;
	size_t out_len, out_off, out_cap;
	struct server_conn *prev, *next;
};

struct server {
	struct loop *l;
	struct server_spec spec;
	char *body;
	char *content_type;
	int fd;
	uint16_t port;
	unsigned int nconns;
	struct server_conn *conns;
	struct server_stats stats;
	struct server_peer peers[SERVER_PEERS_MAX];
	unsigned int npeers, peer_head;
};

static void server_saw(struct server *s, const struct sockaddr *sa, socklen_t len)
{
	struct server_peer p = { 0 };
	struct server_peer *last;

	if (traffic_sockaddr_parse(sa, len, &p.addr, &p.port) < 0)
		return;
	last = &s->peers[(s->peer_head + SERVER_PEERS_MAX - 1) % SERVER_PEERS_MAX];
	if (s->npeers && addr_equal(&last->addr, &p.addr) && last->port == p.port)
		return;
	s->peers[s->peer_head] = p;
	s->peer_head = (s->peer_head + 1) % SERVER_PEERS_MAX;
	if (s->npeers < SERVER_PEERS_MAX)
		s->npeers++;
}

size_t server_peers(const struct server *s, struct server_peer *peers, size_t max)
{
	size_t i;

	for (i = 0; i < max && i < s->npeers; i++)
		peers[i] = s->peers[(s->peer_head + SERVER_PEERS_MAX - 1 - i) % SERVER_PEERS_MAX];
	return i;
}

uint16_t server_port(const struct server *s)
{
	return s->port;
}

void server_stats(const struct server *s, struct server_stats *ret)
{
	*ret = s->stats;
}

static void server_conn_free(struct server_conn *c)
{
	struct server *s = c->srv;

	loop_del(s->l, c->fd);
	close(c->fd);
	if (c->prev)
		c->prev->next = c->next;
	else
		s->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	s->nconns--;
	free(c->in);
	free(c->out);
	free(c);
}

static void server_out(struct server_conn *c, const char *p, size_t n)
{
	if (c->out_off && c->out_off == c->out_len)
		c->out_off = c->out_len = 0;
	if (c->out_len + n > c->out_cap) {
		size_t cap = c->out_cap ? c->out_cap : 4096;

		while (cap < c->out_len + n)
			cap *= 2;
		c->out = xrealloc(c->out, cap);
		c->out_cap = cap;
	}
	memcpy(c->out + c->out_len, p, n);
	c->out_len += n;
}

/* A large body (size N) is queued 64 KiB at a time as the socket drains:
 * the same printable pattern, never all of it in memory. */
#define SERVER_FILL_CHUNK 65536

static void server_fill(struct server_conn *c)
{
	static char chunk[SERVER_FILL_CHUNK];
	size_t n = c->fill_left < sizeof(chunk) ? (size_t)c->fill_left : sizeof(chunk);

	if (!chunk[0])
		for (size_t i = 0; i < sizeof(chunk); i++)
			chunk[i] = (i + 1) % 64 ? (char)('a' + i % 26) : '\n';
	server_out(c, chunk, n);
	c->fill_left -= n;
}

/* Sends what is queued; 0, or -errno when the connection is gone. */
static int server_flush(struct server_conn *c)
{
	for (;;) {
		while (c->out_off < c->out_len) {
			ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
					 MSG_NOSIGNAL);

			if (n < 0)
				return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
			c->out_off += (size_t)n;
			c->srv->stats.bytes_out += (uint64_t)n;
		}
		c->out_off = c->out_len = 0;
		if (!c->fill_left)
			break;
		server_fill(c);
	}
	if (c->closing && !c->draining) {
		shutdown(c->fd, SHUT_WR);
		c->draining = true;
	}
	return 0;
}

static void server_http_respond(struct server_conn *c, unsigned int status, bool head,
				bool close)
{
	struct server *s = c->srv;
	const char *body = status == s->spec.status ? s->body : http_reason(status);
	bool sized = status == s->spec.status && (s->spec.flags & SERVER_HTTP_SIZE);
	size_t blen = sized ? (size_t)s->spec.size : strlen(body);
	char h[512];
	int n;

	n = http_format_response_head(h, sizeof(h), status,
				      status == s->spec.status ? s->content_type : "text/plain",
				      blen, close);
	if (n < 0) {
		c->closing = true;
	} else {
		server_out(c, h, (size_t)n);
		if (!head && sized)
			c->fill_left = s->spec.size;
		else if (!head)
			server_out(c, body, blen);
	}
	if (close)
		c->closing = true;
}

/* Answers every complete request in c->in, in order. */
static void server_http_process(struct server_conn *c)
{
	struct server *s = c->srv;
	size_t pos = 0;

	/* A body still being made goes first: later requests wait. */
	while (!c->closing && !c->fill_left && pos < c->in_len) {
		struct http_head h;
		ssize_t n;
		bool keep;

		if (c->in_body) {
			n = http_body_feed(&c->body, c->in + pos, c->in_len - pos, NULL, 0, NULL);
			if (n < 0) {
				server_http_respond(c, 400, false, true);
				break;
			}
			pos += (size_t)n;
			if (!c->body.done)
				break;
			c->in_body = false;
			continue;
		}
		n = http_parse_request_head(c->in + pos, c->in_len - pos, &h);
		if (!n)
			break;
		if (n < 0) {
			server_http_respond(c, n == -EMSGSIZE ? 431 : 400, false, true);
			break;
		}
		pos += (size_t)n;
		s->stats.requests++;
		keep = http_keep_alive(&h) && !(s->spec.flags & SERVER_HTTP_CLOSE);
		server_http_respond(c, s->spec.status, !strcmp(h.method, "HEAD"), !keep);
		http_body_init_request(&c->body, &h);
		c->in_body = !c->body.done;
	}
	if (c->closing)
		pos = c->in_len;
	memmove(c->in, c->in + pos, c->in_len - pos);
	c->in_len -= pos;
}

static void server_conn_update(struct server_conn *c)
{
	uint32_t ev = 0;

	if (c->out_off < c->out_len || c->fill_left)
		ev |= EPOLLOUT;
	if (!c->eof && c->out_len - c->out_off < SERVER_OUT_HIGH && c->in_len < SERVER_IN_MAX)
		ev |= EPOLLIN;
	if (ev != c->events) {
		loop_mod(c->srv->l, c->fd, ev);
		c->events = ev;
	}
}

static void server_conn_cb(int fd, uint32_t events, void *data)
{
	struct server_conn *c = data;
	struct server *s = c->srv;

	if ((events & EPOLLOUT) && server_flush(c) < 0)
		goto gone;
	while (!c->eof && (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) &&
	       c->in_len < SERVER_IN_MAX && c->out_len - c->out_off < SERVER_OUT_HIGH) {
		ssize_t n = recv(fd, c->in + c->in_len, SERVER_IN_MAX - c->in_len, 0);

		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			goto gone;
		}
		if (!n) {
			/* The peer is done: answer what it sent, then close. */
			c->eof = true;
			c->closing = true;
			break;
		}
		s->stats.bytes_in += (uint64_t)n;
		if (c->draining)
			continue;
		c->in_len += (size_t)n;
		if (s->spec.kind == SERVER_TCP_ECHO) {
			server_out(c, c->in, c->in_len);
			c->in_len = 0;
		} else {
			server_http_process(c);
		}
	}
	if (server_flush(c) < 0)
		goto gone;
	/* Requests that waited behind a large body. */
	if (!c->fill_left && c->in_len && s->spec.kind == SERVER_HTTP && !c->draining) {
		server_http_process(c);
		if (server_flush(c) < 0)
			goto gone;
	}
	if (c->eof && c->out_off == c->out_len && !c->fill_left)
		goto gone;
	server_conn_update(c);
	return;
gone:
	server_conn_free(c);
}

static void server_accept_cb(int fd, uint32_t events, void *data)
{
	struct server *s = data;

	(void)events;
	for (;;) {
		struct sockaddr_storage sa;
		socklen_t len = sizeof(sa);
		struct server_conn *c;
		int cfd;

		cfd = accept4(fd, (struct sockaddr *)&sa, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (cfd < 0)
			return;
		s->stats.connections++;
		server_saw(s, (struct sockaddr *)&sa, len);
		if (s->nconns >= SERVER_CONNS_MAX) {
			close(cfd);
			continue;
		}
		c = xcalloc(1, sizeof(*c));
		c->in = xmalloc(SERVER_IN_MAX);
		if (loop_add(s->l, cfd, EPOLLIN, server_conn_cb, c) < 0) {
			free(c->in);
			free(c);
			close(cfd);
			continue;
		}
		c->srv = s;
		c->fd = cfd;
		c->events = EPOLLIN;
		c->next = s->conns;
		if (s->conns)
			s->conns->prev = c;
		s->conns = c;
		s->nconns++;
	}
}

/* Replies come from the address the datagram was sent to, so a client
 * that sent to one of several addresses recognises its answer. */
static void server_udp_cb(int fd, uint32_t events, void *data)
{
	struct server *s = data;

	(void)events;
	for (;;) {
		union {
			char buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
			struct cmsghdr align;
		} control, reply;
		char buf[65536];
		struct sockaddr_storage sa;
		struct iovec iov = { buf, sizeof(buf) };
		struct msghdr msg = {
			.msg_name = &sa,
			.msg_namelen = sizeof(sa),
			.msg_iov = &iov,
			.msg_iovlen = 1,
			.msg_control = control.buf,
			.msg_controllen = sizeof(control.buf),
		};
		struct cmsghdr *cmsg, *out;
		ssize_t n;

		n = recvmsg(fd, &msg, 0);
		if (n < 0)
			return;
		s->stats.requests++;
		s->stats.bytes_in += (uint64_t)n;
		server_saw(s, (struct sockaddr *)&sa, msg.msg_namelen);
		iov.iov_len = (size_t)n;
		memset(&reply, 0, sizeof(reply));
		msg.msg_controllen = 0;
		for (cmsg = CMSG_FIRSTHDR(&msg); cmsg; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
			if (cmsg->cmsg_level == SOL_IP && cmsg->cmsg_type == IP_PKTINFO) {
				struct in_pktinfo pi;

				memcpy(&pi, CMSG_DATA(cmsg), sizeof(pi));
				pi.ipi_ifindex = 0;
				out = (struct cmsghdr *)reply.buf;
				out->cmsg_level = SOL_IP;
				out->cmsg_type = IP_PKTINFO;
				out->cmsg_len = CMSG_LEN(sizeof(pi));
				memcpy(CMSG_DATA(out), &pi, sizeof(pi));
				msg.msg_controllen = CMSG_SPACE(sizeof(pi));
			} else if (cmsg->cmsg_level == SOL_IPV6 && cmsg->cmsg_type == IPV6_PKTINFO) {
				struct in6_pktinfo pi;

				memcpy(&pi, CMSG_DATA(cmsg), sizeof(pi));
				/* Link-local sources need their interface. */
				if (!IN6_IS_ADDR_LINKLOCAL(&pi.ipi6_addr))
					pi.ipi6_ifindex = 0;
				out = (struct cmsghdr *)reply.buf;
				out->cmsg_level = SOL_IPV6;
				out->cmsg_type = IPV6_PKTINFO;
				out->cmsg_len = CMSG_LEN(sizeof(pi));
				memcpy(CMSG_DATA(out), &pi, sizeof(pi));
				msg.msg_controllen = CMSG_SPACE(sizeof(pi));
			}
		}
		msg.msg_control = msg.msg_controllen ? reply.buf : NULL;
		n = sendmsg(fd, &msg, MSG_DONTWAIT);
		if (n > 0)
			s->stats.bytes_out += (uint64_t)n;
	}
}

static int server_listen(struct server *s, struct netns *ns)
{
	const struct server_spec *sp = &s->spec;
	bool tcp = sp->kind != SERVER_UDP_ECHO;
	struct addr a = { .family = AF_INET6 };
	struct sockaddr_storage sa;
	socklen_t len;
	int on = 1, off = 0, fd;

	if (sp->flags & SERVER_HAS_ADDR)
		a = sp->addr;
	fd = traffic_socket(ns, a.family, tcp ? SOCK_STREAM : SOCK_DGRAM,
			    tcp ? IPPROTO_TCP : IPPROTO_UDP);
	if (fd < 0)
		return fd;
	s->fd = fd;
	if (tcp && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)))
		return -errno;
	if (a.family == AF_INET6 && addr_is_any(&a) &&
	    setsockopt(fd, SOL_IPV6, IPV6_V6ONLY, &off, sizeof(off)))
		return -errno;
	if (!tcp) {
		if (a.family == AF_INET6 &&
		    setsockopt(fd, SOL_IPV6, IPV6_RECVPKTINFO, &on, sizeof(on)))
			return -errno;
		if (a.family == AF_INET && setsockopt(fd, SOL_IP, IP_PKTINFO, &on, sizeof(on)))
			return -errno;
	}
	len = traffic_sockaddr(&a, sp->port, 0, &sa);
	if (bind(fd, (struct sockaddr *)&sa, len))
		return -errno;
	if (tcp && listen(fd, 128))
		return -errno;
	len = sizeof(sa);
	if (getsockname(fd, (struct sockaddr *)&sa, &len))
		return -errno;
	traffic_sockaddr_parse((struct sockaddr *)&sa, len, &a, &s->port);
	return loop_add(s->l, fd, EPOLLIN, tcp ? server_accept_cb : server_udp_cb, s);
}

int server_start(struct server **ret, struct loop *l, struct netns *ns,
		 const struct server_spec *spec)
{
	struct server *s = NULL;
	int err;

	if (spec->kind != SERVER_TCP_ECHO && spec->kind != SERVER_UDP_ECHO &&
	    spec->kind != SERVER_HTTP)
		return -EINVAL;
	if ((spec->flags & SERVER_HAS_ADDR) && spec->addr.family != AF_INET &&
	    spec->addr.family != AF_INET6)
		return -EAFNOSUPPORT;
	if (spec->status && (spec->status < 100 || spec->status > 999))
		return -EINVAL;
	s = xcalloc(1, sizeof(*s));
	s->l = l;
	s->fd = -1;
	s->spec = *spec;
	if (!s->spec.status)
		s->spec.status = 200;
	s->body = xstrdup(spec->body ? spec->body : "wglab\n");
	s->content_type = xstrdup(spec->content_type ? spec->content_type : "text/plain");
	s->spec.body = NULL;
	s->spec.content_type = NULL;
	err = server_listen(s, ns);
	if (err < 0)
		goto err;
	*ret = s;
	return 0;
err:
	if (s->fd >= 0) {
		close(s->fd);
		s->fd = -1;
	}
	server_free(s);
	return err;
}

void server_free(struct server *s)
{
	if (!s)
		return;
	while (s->conns)
		server_conn_free(s->conns);
	if (s->fd >= 0) {
		loop_del(s->l, s->fd);
		close(s->fd);
	}
	free(s->body);
	free(s->content_type);
	free(s);
}
