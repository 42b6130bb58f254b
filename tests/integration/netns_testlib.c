// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "tests/integration/netns_testlib.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include "netns/addr.h"
#include "netns/link.h"
#include "netns/ns.h"
#include "netns/sysctl.h"
#include "netns/route.h"
#include "netns/util/now.h"

/* After <net/if.h> (from netns/link.h): IF_OPER_UP. */
#include <linux/if.h>

int nt_sh(struct netns *ns, char *out, size_t len, const char *fmt, ...)
{
	char cmd[2048], prefix[128] = "";
	size_t n = 0, got;
	va_list ap;
	FILE *f;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	/* The command travels in the environment: no quoting to get wrong. */
	setenv("NT_CMD", cmd, 1);
	if (ns)
		snprintf(prefix, sizeof(prefix), "nsenter --net=/proc/%d/fd/%d ", (int)getpid(),
			 netns_fd(ns));
	snprintf(cmd, sizeof(cmd), "%ssh -c \"$NT_CMD\" 2>&1", prefix);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	while (len && n < len - 1 && (got = fread(out + n, 1, len - 1 - n, f)) > 0)
		n += got;
	if (len) {
		out[n] = '\0';
		while (n && out[n - 1] == '\n')
			out[--n] = '\0';
	}
	st = pclose(f);
	if (st < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

bool nt_ping(struct netns *ns, const char *dst)
{
	char out[1024];

	return nt_sh(ns, out, sizeof(out), "ping -c1 -W2 %s", dst) == 0;
}

bool nt_until(bool (*cond)(void *), void *data, int timeout_ms)
{
	uint64_t deadline = now_ms() + (uint64_t)timeout_ms;
	const struct timespec tick = { 0, 1000000 };

	for (;;) {
		if (cond(data))
			return true;
		if (now_ms() >= deadline)
			return false;
		nanosleep(&tick, NULL);
	}
}

struct nt_link {
	struct netns *ns;
	const char *ifname;
};

static bool nt_oper_up(void *data)
{
	struct nt_link *l = data;
	struct link_info li;

	return !link_get(l->ns, l->ifname, &li) && li.operstate == IF_OPER_UP;
}

void nt_wait_oper_up(struct netns *ns, const char *ifname)
{
	struct nt_link l = { ns, ifname };

	ck_assert_msg(nt_until(nt_oper_up, &l, 3000), "%s never came up", ifname);
}

void nt_addr(const char *s, struct addr *ret)
{
	ck_assert_int_eq(addr_parse(s, ADDR_PARSE_PREFIX, ret), 0);
}

static void nt_addr_add(struct netns *ns, const char *dev, const char *s)
{
	struct addr a;

	nt_addr(s, &a);
	ck_assert_int_eq(addr_add(ns, dev, &a), 0);
}

static void nt_default_via(struct netns *ns, const char *dst, const char *gw)
{
	struct route r = { .flags = ROUTE_HAS_GW };

	nt_addr(dst, &r.dst);
	nt_addr(gw, &r.gw);
	ck_assert_int_eq(route_add(ns, &r), 0);
}

void nt_arb_build(struct nt_arb *t)
{
	t->a = netns_new(0);
	t->r = netns_new(0);
	t->b = netns_new(0);
	ck_assert_ptr_nonnull(t->a);
	ck_assert_ptr_nonnull(t->r);
	ck_assert_ptr_nonnull(t->b);
	ck_assert_int_eq(link_add_veth(t->r, "a0", t->a, "eth0", 0), 0);
	ck_assert_int_eq(link_add_veth(t->r, "b0", t->b, "eth0", 0), 0);
	nt_addr_add(t->a, "eth0", "10.0.1.2/24");
	nt_addr_add(t->a, "eth0", "fd00:1::2/64");
	nt_addr_add(t->r, "a0", "10.0.1.1/24");
	nt_addr_add(t->r, "a0", "fd00:1::1/64");
	nt_addr_add(t->r, "b0", "10.0.2.1/24");
	nt_addr_add(t->r, "b0", "fd00:2::1/64");
	nt_addr_add(t->b, "eth0", "10.0.2.2/24");
	nt_addr_add(t->b, "eth0", "fd00:2::2/64");
	ck_assert_int_eq(link_set_up(t->a, "eth0", true), 0);
	ck_assert_int_eq(link_set_up(t->r, "a0", true), 0);
	ck_assert_int_eq(link_set_up(t->r, "b0", true), 0);
	ck_assert_int_eq(link_set_up(t->b, "eth0", true), 0);
	nt_default_via(t->a, "0.0.0.0/0", "10.0.1.1");
	nt_default_via(t->a, "::/0", "fd00:1::1");
	nt_default_via(t->b, "0.0.0.0/0", "10.0.2.1");
	nt_default_via(t->b, "::/0", "fd00:2::1");
	ck_assert_int_eq(netns_sysctl_set(t->r, "net.ipv4.ip_forward", "1"), 0);
	ck_assert_int_eq(netns_sysctl_set(t->r, "net.ipv6.conf.all.forwarding", "1"), 0);
}

void nt_arb_free(struct nt_arb *t)
{
	netns_free(t->a);
	netns_free(t->r);
	netns_free(t->b);
	memset(t, 0, sizeof(*t));
}
