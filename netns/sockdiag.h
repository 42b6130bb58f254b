/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_SOCKDIAG_H
#define NETNS_SOCKDIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct netns;

/*
 * Whether a socket of ns listens on port: a TCP socket in LISTEN, or a
 * bound UDP socket, of either family (sock_diag, as `ss -ltn`/`ss -lun`
 * read it).  proto is IPPROTO_TCP or IPPROTO_UDP.  0 with *ret, or -errno.
 */
int sockdiag_listening(struct netns *ns, int proto, uint16_t port, bool *ret);

struct sockdiag_sock {
	int family;			/* AF_INET, AF_INET6 */
	unsigned long inode;		/* as /proc/PID/fd names it: socket:[inode] */
};

/* The sockets sockdiag_listening() looks for, each of them: up to max
 * into v (NULL when max is 0), IPv4 ones first.  How many there are, or
 * -errno. */
int sockdiag_bound(struct netns *ns, int proto, uint16_t port, struct sockdiag_sock *v, size_t max);

#endif
