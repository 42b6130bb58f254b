/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef TESTS_INTEGRATION_TRAFFICLIB_H
#define TESTS_INTEGRATION_TRAFFICLIB_H

#include <stdbool.h>
#include <stddef.h>

#include "netns/addr.h"

struct netns;

/*
 * Topologies for the traffic tests, built with netns/ (links, addresses,
 * routes); tt_ip() runs iproute2 inside a namespace for the odd change and
 * as an independent witness.  Prefix tt_.
 */

/* A namespace with lo up. */
struct netns *tt_ns(void);
/* Runs "ip ARGS" inside ns (NULL: here); returns the exit status. */
int tt_ip(struct netns *ns, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Polls link_ready() (netns/ready.h) until ifname is operationally up
 * (IFF_RUNNING) and its IPv6 addresses are usable (a link-local one, none
 * tentative, each one's solicited-node group joined).  Until the kernel's linkwatch work has run
 * (up to a second after the carrier came on) a new link has no qdisc and
 * drops what is sent; until addrconf's work has joined the groups the
 * neighbour solicitations for a (nodad) address are dropped and the first
 * packets wait a second for the retry.  Wait before traffic, after adding
 * addresses. */
void tt_wait_running(struct netns *ns, const char *ifname);
/* A veth pair a:ifa -- b:ifb, both set up (see tt_wait_running()). */
void tt_veth(struct netns *a, const char *ifa, struct netns *b, const char *ifb);
void tt_addr(struct netns *ns, const char *ifname, const char *cidr);
void tt_default_route(struct netns *ns, const char *gw);
struct addr tt_parse(const char *s);
/* a equals the address s. */
bool tt_addr_is(const struct addr *a, const char *s);

/*
 * A (ra) -- (ar) R (rb) -- (br) B
 *   A: 10.0.1.2/24 fd01::2/64, default via R
 *   R: 10.0.1.1/24 fd01::1/64, 10.0.2.1/24 fd02::1/64, forwarding
 *   B: 10.0.2.2/24 fd02::2/64, default via R
 */
struct tt_topo {
	struct netns *a, *r, *b;
};

void tt_topo_build(struct tt_topo *t);
void tt_topo_free(struct tt_topo *t);

/* Prints a line to stderr when TT_VERBOSE is set (evidence strings). */
void tt_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Runs a shell command line (in the caller's namespace) and returns its
 * first output line as a number, or -1. */
long tt_sh_number(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
