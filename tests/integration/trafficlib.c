// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "tests/integration/trafficlib.h"
#include "netns/link.h"
#include "netns/nl.h"
#include "netns/ns.h"
#include "netns/sysctl.h"
#include "netns/ready.h"
#include "netns/route.h"

#include <check.h>
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <net/if.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>

int tt_ip(struct netns *ns, const char *fmt, ...)
{
	char line[1024], *argv[64], *save = NULL, *tok;
	int argc = 0, status;
	va_list ap;
	pid_t pid;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	argv[argc++] = "ip";
	for (tok = strtok_r(line, " ", &save); tok && argc < 63; tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		if (ns && setns(netns_fd(ns), CLONE_NEWNET))
			_exit(126);
		execvp("ip", argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

struct netns *tt_ns(void)
{
	struct netns *ns = netns_new(0);

	ck_assert_ptr_nonnull(ns);
	ck_assert_int_eq(link_set_up(ns, "lo", true), 0);
	/* Until link-local DAD finishes a fresh IPv6 router does not forward:
	 * skip it, as the kernel's WireGuard selftest does. */
	ck_assert_int_eq(netns_sysctl_set(ns, "net.ipv6.conf.all.accept_dad", "0"), 0);
	ck_assert_int_eq(netns_sysctl_set(ns, "net.ipv6.conf.default.accept_dad", "0"), 0);
	return ns;
}

void tt_veth(struct netns *a, const char *ifa, struct netns *b, const char *ifb)
{
	ck_assert_msg(!link_add_veth(a, ifa, b, ifb, 0), "veth %s: %s", ifa, netns_extack(a));
	ck_assert_int_eq(link_set_up(a, ifa, true), 0);
	ck_assert_int_eq(link_set_up(b, ifb, true), 0);
}

void tt_wait_running(struct netns *ns, const char *ifname)
{
	struct timespec pause = { 0, 1000000 };
	bool ready;
	int i;

	for (i = 0; i < 3000; i++) {
		ck_assert_int_eq(link_ready(ns, ifname, &ready), 0);
		if (ready)
			return;
		nanosleep(&pause, NULL);
	}
	ck_abort_msg("%s did not come up in 3 s", ifname);
}

struct addr tt_parse(const char *s)
{
	struct addr a;

	ck_assert_int_eq(addr_parse(s, ADDR_PARSE_PREFIX, &a), 0);
	return a;
}

bool tt_addr_is(const struct addr *a, const char *s)
{
	struct addr b = tt_parse(s);

	return addr_equal(a, &b);
}

void tt_addr(struct netns *ns, const char *ifname, const char *cidr)
{
	struct addr a = tt_parse(cidr);

	ck_assert_msg(!addr_add(ns, ifname, &a), "%s on %s: %s", cidr, ifname, netns_extack(ns));
}

void tt_default_route(struct netns *ns, const char *gw)
{
	struct route r = { .flags = ROUTE_HAS_GW };

	r.gw = tt_parse(gw);
	r.dst.family = r.gw.family;
	ck_assert_msg(!route_add(ns, &r), "default via %s: %s", gw, netns_extack(ns));
}

void tt_topo_build(struct tt_topo *t)
{
	t->a = tt_ns();
	t->r = tt_ns();
	t->b = tt_ns();
	ck_assert_int_eq(netns_sysctl_set(t->r, "net.ipv4.ip_forward", "1"), 0);
	ck_assert_int_eq(netns_sysctl_set(t->r, "net.ipv6.conf.all.forwarding", "1"), 0);
	tt_veth(t->a, "ra", t->r, "ar");
	tt_veth(t->r, "rb", t->b, "br");
	tt_addr(t->a, "ra", "10.0.1.2/24");
	tt_addr(t->a, "ra", "fd01::2/64");
	tt_addr(t->r, "ar", "10.0.1.1/24");
	tt_addr(t->r, "ar", "fd01::1/64");
	tt_addr(t->r, "rb", "10.0.2.1/24");
	tt_addr(t->r, "rb", "fd02::1/64");
	tt_addr(t->b, "br", "10.0.2.2/24");
	tt_addr(t->b, "br", "fd02::2/64");
	tt_wait_running(t->a, "ra");
	tt_wait_running(t->r, "ar");
	tt_wait_running(t->r, "rb");
	tt_wait_running(t->b, "br");
	tt_default_route(t->a, "10.0.1.1");
	tt_default_route(t->a, "fd01::1");
	tt_default_route(t->b, "10.0.2.1");
	tt_default_route(t->b, "fd02::1");
}

void tt_topo_free(struct tt_topo *t)
{
	netns_free(t->a);
	netns_free(t->r);
	netns_free(t->b);
	memset(t, 0, sizeof(*t));
}

long tt_sh_number(const char *fmt, ...)
{
	char cmd[1024], line[128];
	long n = -1;
	va_list ap;
	FILE *f;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	if (fgets(line, sizeof(line), f))
		n = strtol(line, NULL, 10);
	pclose(f);
	return n;
}

void tt_note(const char *fmt, ...)
{
	va_list ap;

	if (!getenv("TT_VERBOSE"))
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
