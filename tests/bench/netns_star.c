// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * Build-cost probe for netns/ (not a test): N nodes in a star, each a new
 * namespace with a veth into a hub, an IPv4 /30 on both ends, both ends up
 * (research/perf-anchors.md section 2 measures the same with raw libmnl).
 *
 *   cc -O2 -D_GNU_SOURCE -I. -o build/netns_star tests/bench/netns_star.c \
 *      build/libwglab.a $(pkg-config --libs libmnl libnftnl libnftables libsodium libpcap)
 *   build/netns_star [N]
 *
 * Prints total and per-node build time and the split between namespace,
 * veth, and addresses + link up.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "netns/addr.h"
#include "netns/link.h"
#include "netns/ns.h"

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void die(const char *what, int i, int err)
{
	fprintf(stderr, "node %d: %s: %d\n", i, what, err);
	exit(1);
}

int main(int argc, char *argv[])
{
	int n = argc > 1 ? atoi(argv[1]) : 100, i, ret;
	double t0, t1, t2, t3, ns_us = 0, veth_us = 0, addr_us = 0;
	struct netns *hub, **nodes;
	char name[16], text[32];
	struct addr x;

	nodes = calloc(n, sizeof(*nodes));
	hub = netns_new(0);
	if (!hub || !nodes)
		die("hub", -1, -1);
	t0 = now_us();
	for (i = 0; i < n; i++) {
		t1 = now_us();
		nodes[i] = netns_new(0);
		if (!nodes[i])
			die("netns_new", i, -1);
		t2 = now_us();
		snprintf(name, sizeof(name), "v%d", i);
		ret = link_add_veth(hub, name, nodes[i], "eth0", 0);
		if (ret)
			die("veth", i, ret);
		t3 = now_us();
		snprintf(text, sizeof(text), "10.%d.%d.%d/30", 1 + (i >> 14), (i >> 6) & 0xff, (i & 63) * 4 + 1);
		addr_parse(text, ADDR_PARSE_PREFIX, &x);
		if ((ret = addr_add(hub, name, &x)))
			die("hub addr", i, ret);
		x.v4.s_addr = htonl(ntohl(x.v4.s_addr) + 1);
		if ((ret = addr_add(nodes[i], "eth0", &x)))
			die("node addr", i, ret);
		if ((ret = link_set_up(hub, name, true)) || (ret = link_set_up(nodes[i], "eth0", true)))
			die("up", i, ret);
		ns_us += t2 - t1;
		veth_us += t3 - t2;
		addr_us += now_us() - t3;
	}
	t1 = now_us();
	printf("N=%d build %.1f ms, per node %.0f us (netns %.0f, veth %.0f, addr+up %.0f)\n", n,
	       (t1 - t0) / 1e3, (t1 - t0) / n, ns_us / n, veth_us / n, addr_us / n);
	for (i = 0; i < n; i++)
		netns_free(nodes[i]);
	netns_free(hub);
	free(nodes);
	return 0;
}
