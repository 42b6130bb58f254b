/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef TESTS_INTEGRATION_FWTEST_H
#define TESTS_INTEGRATION_FWTEST_H

/*
 * Helpers for the firewall, NAT and conntrack integration tests: topologies
 * built by running iproute2 inside namespaces (an independent tool, so the
 * tests do not depend on the lab's own link code), sockets created inside
 * namespaces, and the nft witness.  Prefixed fwt_.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct netns;
struct fw_ruleset;

/* A new namespace with lo up; fails the test on error. */
struct netns *fwt_ns(void);
/* Runs "ip ARGS" inside ns; fails the test when ip fails. */
void fwt_ip(struct netns *ns, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A veth pair a:ifa -- b:ifb, both up, with addresses (CIDR, or NULL). */
void fwt_veth(struct netns *a, const char *ifa, const char *addr_a, struct netns *b,
	      const char *ifb, const char *addr_b);
void fwt_sysctl(struct netns *ns, const char *key, const char *value);
/* Output of a command run inside ns (nsenter --net), malloc'ed. */
char *fwt_run(struct netns *ns, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Feeds lines (separated by \n) to rs and applies them; fails the test on
 * any error. */
void fwt_fw(struct netns *ns, struct fw_ruleset *rs, int family, const char *text);

/* Sockets inside ns, bound to addr:port (port 0: any). */
int fwt_udp(struct netns *ns, const char *addr, uint16_t port);
int fwt_tcp_listen(struct netns *ns, const char *addr, uint16_t port);
/* 0 when connected, -ECONNREFUSED, -ETIMEDOUT (after timeout_ms), -errno. */
int fwt_tcp_connect(struct netns *ns, const char *dst, uint16_t port, int timeout_ms, int *ret_fd);
/* Accepts within timeout_ms and writes the peer as "ip:port". */
int fwt_tcp_accept(int lfd, int timeout_ms, char *peer, size_t len);
int fwt_udp_send(int fd, const char *dst, uint16_t port, const char *msg);
/* Receives one datagram within timeout_ms; "ip:port" of the sender. */
int fwt_udp_recv(int fd, int timeout_ms, char *from, size_t len, char *data, size_t dlen);

#endif
