/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef TRAFFIC_SOCK_H
#define TRAFFIC_SOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "netns/addr.h"

struct netns;
struct loop;

/*
 * Sockets inside nodes.  A socket stays in the namespace it was created in,
 * so one thread drives every node: enter, create, come back.  All namespace
 * switching of traffic/ goes through traffic_in_netns().
 */

/* Runs fn(data) with the calling thread inside ns (NULL: the current one)
 * and returns there; returns what fn returned, or -errno of the switch. */
int traffic_in_netns(struct netns *ns, int (*fn)(void *data), void *data);
/* socket(2) inside ns, non-blocking and close-on-exec: the fd or -errno. */
int traffic_socket(struct netns *ns, int domain, int type, int proto);
/* ifindex of ifname inside ns, or -errno. */
int traffic_ifindex(struct netns *ns, const char *ifname);


/* a:port as a sockaddr; scope is the IPv6 scope id (0: none).  Returns the
 * length, 0 when a->family is neither AF_INET nor AF_INET6. */
socklen_t traffic_sockaddr(const struct addr *a, uint16_t port, uint32_t scope,
			   struct sockaddr_storage *ret);
/* The reverse; a v4-mapped IPv6 address comes back as AF_INET.  -EAFNOSUPPORT. */
int traffic_sockaddr_parse(const struct sockaddr *sa, socklen_t len, struct addr *ret,
			   uint16_t *ret_port);
/* "10.0.0.1:80", "[fd00::1]:80", or the bare address when port is 0. */
const char *traffic_endpoint_format(const struct addr *a, uint16_t port, char *buf, size_t len);

/* An ICMP error (or a local one) reported for a socket's traffic. */
struct traffic_icmp {
	int family;		/* AF_INET or AF_INET6; 0: none seen */
	bool local;		/* raised by the local stack (no ICMP packet) */
	uint8_t type, code;	/* ICMP or ICMPv6 */
	uint32_t info;		/* MTU of "too big" / "fragmentation needed" */
	int err;		/* the errno the kernel maps it to (positive) */
	struct addr from;	/* the reporting (offending) address */
};

/* Turns on IP_RECVERR / IPV6_RECVERR: ICMP errors land in the error queue
 * with the address of the reporting router. */
int traffic_set_recverr(int fd, int family);
/* Reads one entry of fd's error queue: 1 when one was read, 0 when the queue
 * is empty, -errno.  orig (may be NULL) gets the original destination,
 * payload/payload_len (may be NULL) the start of the original payload. */
int traffic_recverr(int fd, struct traffic_icmp *ret, struct sockaddr_storage *orig,
		    void *payload, size_t *payload_len);
/* "destination unreachable (host) from 10.0.1.1", "time exceeded (ttl) from
 * 10.0.0.1", "packet too big (mtu 1280) from fd00::1". */
const char *traffic_icmp_describe(const struct traffic_icmp *e, char *buf, size_t len);
/* True for ICMP(v6) destination unreachable; *_port for port unreachable,
 * time_exceeded for TTL / hop limit exceeded. */
bool traffic_icmp_is_unreach(const struct traffic_icmp *e);
bool traffic_icmp_is_port_unreach(const struct traffic_icmp *e);
bool traffic_icmp_is_time_exceeded(const struct traffic_icmp *e);
/* Short lower-case text for a positive errno ("connection refused"). */
const char *traffic_strerror(int err);

/* Runs the loop until *done turns true or the monotonic deadline (ms)
 * passes.  0 when done, -ETIMEDOUT, or -errno of the loop. */
int traffic_wait(struct loop *l, uint64_t deadline_ms, const bool *done);

#endif
