/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_BENCH_BUILD_H
#define LAB_BENCH_BUILD_H

#include <stdbool.h>

/* `wglab bench build` (bench_build.c): how fast the lab makes and
 * unmakes namespaces and links, without a scenario. */

struct bench_build_result {
	unsigned int nodes;
	double build_ms, teardown_close_ms, teardown_gone_ms;
	double netns_us, veth_us, addr_up_us;	/* per node */
	unsigned int dellinks;		/* RTM_DELLINK seen on the hub */
};
/* Builds a star of nodes (namespace, veth into a hub, /30 on both ends,
 * both up), then frees it and counts the hub's RTM_DELLINK until every
 * node's veth is gone.  no_ipv6: every namespace without IPv6
 * (NETNS_NO_IPV6).  0 or -errno; what (if not NULL) names the failing
 * step. */
int bench_build_star(unsigned int nodes, bool no_ipv6, struct bench_build_result *ret, const char **what);

/* The same star as a scenario (tests/scale/star1000.lab with N = nodes,
 * ending in one `expect`), through the runner exactly as `wglab run` takes
 * it: build_ms is the runner's build time (statements and the wait until
 * every interface carries traffic), steps_ms the expectation's,
 * teardown_gone_ms run_teardown()'s.  0 or -errno with *what the run's
 * message (static until the next call).  no_ipv6: every node `ipv6 off`
 * (tests/scale/star2000-ipv6-off.lab). */
struct bench_run_result {
	unsigned int nodes;
	double load_ms, build_ms, steps_ms, teardown_ms;
	bool passed;
};
int bench_build_scenario(unsigned int nodes, bool no_ipv6, struct bench_run_result *ret, const char **what);
/* That scenario's text (caller frees). */
char *bench_star_text(unsigned int nodes, bool no_ipv6);

#endif
