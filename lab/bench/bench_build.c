// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * `wglab bench build`: what a node costs.  A star of N nodes (a namespace,
 * a veth into a hub with the peer created directly in the node, a /30 on
 * both ends, both up) built with netns/, then torn down: the close() of
 * every node, then the kernel's asynchronous cleanup, over when the hub
 * has seen an RTM_DELLINK for every node's veth (research/perf-anchors.md
 * sections 1 and 2 measure the same with ip and with raw libmnl).
 */
#include "lab/bench/bench_build.h"
#include "lab/lang/diag.h"
#include "lab/lang/model.h"
#include "lab/lang/scenario.h"
#include "lab/run/runner.h"
#include "netns/addr.h"
#include "netns/link.h"
#include "netns/ns.h"
#include "netns/util/now.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>

#define BUILD_GONE_TIMEOUT_MS 120000
#define BUILD_RCVBUF (64 * 1024 * 1024)

static void star_addr(unsigned int i, bool node, struct addr *ret)
{
	uint32_t a = (10U << 24) | ((1U + (i >> 14)) << 16) | (((i >> 6) & 0xffU) << 8) | ((i & 63U) * 4 + 1);

	memset(ret, 0, sizeof(*ret));
	ret->family = AF_INET;
	ret->prefixlen = 30;
	ret->v4.s_addr = htonl(a + (node ? 1 : 0));
}

/* A socket in the hub that hears its links go. */
static struct mnl_socket *hub_monitor(struct netns *hub)
{
	struct mnl_socket *nl = NULL;
	int size = BUILD_RCVBUF, err;

	err = netns_enter(hub);
	if (err < 0) {
		errno = -err;
		return NULL;
	}
	nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (nl && mnl_socket_bind(nl, 1U << (RTNLGRP_LINK - 1), MNL_SOCKET_AUTOPID) < 0) {
		mnl_socket_close(nl);
		nl = NULL;
	}
	err = errno;
	netns_leave();
	if (nl && setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	errno = err;
	return nl;
}

static int count_dellinks(struct mnl_socket *nl, unsigned int want, unsigned int *got)
{
	uint64_t deadline = now_us() + BUILD_GONE_TIMEOUT_MS * 1000ULL;
	char *buf = xmalloc(MNL_SOCKET_BUFFER_SIZE);
	int ret = 0;

	while (*got < want) {
		struct pollfd p = { mnl_socket_get_fd(nl), POLLIN, 0 };
		uint64_t now = now_us();
		ssize_t n;

		if (now >= deadline) {
			ret = -ETIMEDOUT;
			break;
		}
		if (poll(&p, 1, (int)((deadline - now) / 1000) + 1) < 0 && errno != EINTR) {
			ret = -errno;
			break;
		}
		while ((n = mnl_socket_recvfrom(nl, buf, MNL_SOCKET_BUFFER_SIZE)) > 0) {
			const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
			int len = (int)n;

			for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len))
				if (nlh->nlmsg_type == RTM_DELLINK)
					(*got)++;
		}
		/* Dropped notifications would make the count wait for
		 * ever: say so rather than guess. */
		if (n < 0 && errno == ENOBUFS) {
			ret = -ENOBUFS;
			break;
		}
	}
	free(buf);
	return ret;
}

int bench_build_star(unsigned int nodes, bool no_ipv6, struct bench_build_result *ret, const char **what)
{
	unsigned int flags = no_ipv6 ? NETNS_NO_IPV6 : 0;
	struct bench_build_result r = { .nodes = nodes };
	struct netns *hub = NULL, **node = xcalloc(nodes ? nodes : 1, sizeof(*node));
	struct mnl_socket *mon = NULL;
	uint64_t t0, t1, t2, t3;
	unsigned int i;
	const char *step = "hub";
	int err = 0;

	hub = netns_new(flags);
	if (!hub) {
		err = -errno;
		goto cleanup;
	}
	t0 = now_us();
	for (i = 0; i < nodes; i++) {
		char name[16];
		struct addr a;

		t1 = now_us();
		step = "namespace";
		node[i] = netns_new(flags);
		if (!node[i]) {
			err = -errno;
			goto cleanup;
		}
		t2 = now_us();
		step = "veth";
		snprintf(name, sizeof(name), "v%u", i);
		err = link_add_veth(hub, name, node[i], "eth0", 0);
		if (err < 0)
			goto cleanup;
		t3 = now_us();
		step = "addresses and links up";
		star_addr(i, false, &a);
		err = addr_add(hub, name, &a);
		if (err < 0)
			goto cleanup;
		star_addr(i, true, &a);
		err = addr_add(node[i], "eth0", &a);
		if (!err)
			err = link_set_up(hub, name, true);
		if (!err)
			err = link_set_up(node[i], "eth0", true);
		if (err < 0)
			goto cleanup;
		r.netns_us += (double)(t2 - t1);
		r.veth_us += (double)(t3 - t2);
		r.addr_up_us += (double)(now_us() - t3);
	}
	r.build_ms = (double)(now_us() - t0) / 1e3;
	if (nodes) {
		r.netns_us /= nodes;
		r.veth_us /= nodes;
		r.addr_up_us /= nodes;
	}
	step = "hub monitor";
	mon = hub_monitor(hub);
	if (!mon) {
		err = -errno;
		goto cleanup;
	}
	t0 = now_us();
	for (i = 0; i < nodes; i++) {
		netns_free(node[i]);
		node[i] = NULL;
	}
	r.teardown_close_ms = (double)(now_us() - t0) / 1e3;
	step = "teardown (RTM_DELLINK count)";
	err = count_dellinks(mon, nodes, &r.dellinks);
	r.teardown_gone_ms = (double)(now_us() - t0) / 1e3;
	if (err < 0)
		goto cleanup;
	*ret = r;
cleanup:
	if (err < 0 && what)
		*what = step;
	if (mon)
		mnl_socket_close(mon);
	for (i = 0; i < nodes; i++)
		netns_free(node[i]);
	netns_free(hub);
	free(node);
	return err;
}

char *bench_star_text(unsigned int nodes, bool no_ipv6)
{
	const char *v6 = no_ipv6 ? " ipv6 off" : "";

	return xasprintf("lab benchstar%u \"%u leaves around one hub\"\n"
			 "let N = %u\n"
			 "node hub router%s\n"
			 "for i in 1..$N: node leaf$i%s\n"
			 "for i in 1..$N: link leaf$i:eth0 ${10.64.0.2/30 + 4*i} -- hub:e$i ${10.64.0.1/30 + 4*i}\n"
			 "expect leaf$N reaches ${10.64.0.1 + 4*N}\n",
			 nodes, nodes, nodes, v6, v6);
}

int bench_build_scenario(unsigned int nodes, bool no_ipv6, struct bench_run_result *ret, const char **what)
{
	static char msg[1100];
	struct run_opts ro = { .wg = "auto" };
	const struct scenario_result *sr;
	char *text = bench_star_text(nodes, no_ipv6);
	struct diags d = { 0 };
	struct lab *lab = NULL;
	struct run *r = NULL;
	uint64_t t0 = now_us();
	int err;

	memset(ret, 0, sizeof(*ret));
	ret->nodes = nodes;
	err = scenario_load_text("bench-star.lab", text, strlen(text), &lab, &d);
	if (err < 0) {
		snprintf(msg, sizeof(msg), "%u:%u: %s", d.first ? d.first->line : 0, d.first ? d.first->col : 0,
			 d.first ? d.first->msg : "unreadable");
		*what = msg;
		goto cleanup;
	}
	ret->load_ms = (double)(now_us() - t0) / 1e3;
	err = run_new(&r, lab, NULL, &ro, NULL);
	if (err < 0) {
		*what = "run";
		goto cleanup;
	}
	err = run_steps(r);
	t0 = now_us();
	run_teardown(r);
	ret->teardown_ms = (double)(now_us() - t0) / 1e3;
	sr = run_result(r);
	ret->build_ms = sr->build_ms;
	ret->steps_ms = sr->steps_ms;
	ret->passed = sr->passed;
	if (err < 0 || sr->error) {
		snprintf(msg, sizeof(msg), "%s", sr->error ? sr->error : "the run failed");
		*what = msg;
		if (!err)
			err = -EIO;
	}
cleanup:
	run_free(r);
	lab_free(lab);
	diag_free(&d);
	free(text);
	return err;
}
