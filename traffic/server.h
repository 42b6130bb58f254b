/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef TRAFFIC_SERVER_H
#define TRAFFIC_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netns/addr.h"

struct loop;
struct netns;

/*
 * Servers inside nodes, driven by the lab's loop: TCP echo, UDP echo (each
 * datagram goes back to its sender, from the address it was sent to) and
 * HTTP/1.1 (one canned response for every request; keep-alive, pipelining
 * and HEAD).  A server counts what it served and remembers the last peers
 * it saw, so the lab can say who the server saw as the source.
 */
struct server;

enum server_kind {
	SERVER_TCP_ECHO = 1,
	SERVER_UDP_ECHO,
	SERVER_HTTP,
};

enum {
	/* Bind to addr; without it the server takes any address of both
	 * families (an IPv6 socket with IPV6_V6ONLY=0).  addr "::" is also
	 * dual-stack, "0.0.0.0" IPv4 only. */
	SERVER_HAS_ADDR = 1U << 0,
	/* HTTP: Connection: close after each response. */
	SERVER_HTTP_CLOSE = 1U << 1,
	/* HTTP: the body is `size` bytes made on the fly (large bodies). */
	SERVER_HTTP_SIZE = 1U << 2,
};

struct server_spec {
	enum server_kind kind;
	unsigned int flags;		/* SERVER_* */
	struct addr addr;
	uint16_t port;			/* 0: the kernel picks, see server_port() */
	/* HTTP; copied by server_start */
	unsigned int status;		/* 0: 200 */
	const char *body;		/* NULL: "wglab\n" */
	const char *content_type;	/* NULL: "text/plain" */
	uint64_t size;			/* with SERVER_HTTP_SIZE */
};

#define SERVER_PEERS_MAX 16

struct server_peer {
	struct addr addr;		/* IPv4-mapped peers come back as IPv4 */
	uint16_t port;
};

struct server_stats {
	uint64_t connections;		/* TCP connections accepted */
	uint64_t requests;		/* HTTP requests answered, UDP datagrams echoed */
	uint64_t bytes_in, bytes_out;	/* payload */
};

/* Listens inside ns (NULL: here) and registers with l; ret is the new
 * server.  0 or -errno (-EADDRINUSE, -EADDRNOTAVAIL...). */
int server_start(struct server **ret, struct loop *l, struct netns *ns,
		 const struct server_spec *spec);
/* Closes the listening socket and every connection.  NULL-safe; call it
 * before loop_free(). */
void server_free(struct server *s);

uint16_t server_port(const struct server *s);
void server_stats(const struct server *s, struct server_stats *ret);
/* Copies up to max peers, newest first (a peer repeating itself counts
 * once); returns how many. */
size_t server_peers(const struct server *s, struct server_peer *peers, size_t max);

#endif
