// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * Links: veth pairs across namespaces, bridges, master, up/down, mtu,
 * delete, move, lookups and counters, checked with iproute2 from inside.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>

#include "netns/addr.h"
#include "netns/link.h"
#include "netns/nl.h"
#include "netns/ns.h"
#include "tests/integration/netns_testlib.h"

extern Suite *link_suite(void);

static struct netns *a, *b;

static void two_setup(void)
{
	a = netns_new(0);
	b = netns_new(0);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
}

static void two_teardown(void)
{
	netns_free(a);
	netns_free(b);
}

START_TEST(test_link_veth_across)
{
	char ifa[IF_NAMESIZE], ifb[IF_NAMESIZE], out[4096], want[128];
	struct link_info la, lb;

	/* Names no other test uses, to look for them in the caller's
	 * namespace. */
	snprintf(ifa, sizeof(ifa), "wlta%d", (int)getpid() % 100000);
	snprintf(ifb, sizeof(ifb), "wltb%d", (int)getpid() % 100000);
	ck_assert_int_eq(link_add_veth(a, ifa, b, ifb, 1400), 0);
	ck_assert_uint_eq(if_nametoindex(ifa), 0);
	ck_assert_uint_eq(if_nametoindex(ifb), 0);
	ck_assert_int_eq(link_get(a, ifa, &la), 0);
	ck_assert_int_eq(link_get(b, ifb, &lb), 0);
	ck_assert_str_eq(la.name, ifa);
	ck_assert_str_eq(lb.name, ifb);
	ck_assert_str_eq(la.kind, "veth");
	ck_assert_str_eq(lb.kind, "veth");
	ck_assert_uint_eq(la.mtu, 1400);
	ck_assert_uint_eq(lb.mtu, 1400);
	ck_assert_int_ne(la.index, lb.index);
	ck_assert_int_eq(link_index(a, ifa), la.index);
	ck_assert_int_eq(link_index(b, ifb), lb.index);
	ck_assert_uint_eq(la.flags & IFF_UP, 0);
	/* iproute2 sees each end in its namespace, pointing at the other. */
	ck_assert_int_eq(nt_sh(a, out, sizeof(out), "ip -o link show %s | cut -d' ' -f2,5", ifa), 0);
	snprintf(want, sizeof(want), "%s@if%d: 1400", ifa, lb.index);
	ck_assert_str_eq(out, want);
	ck_assert_int_eq(nt_sh(b, out, sizeof(out), "ip -o link show %s | cut -d' ' -f2,5", ifb), 0);
	snprintf(want, sizeof(want), "%s@if%d: 1400", ifb, la.index);
	ck_assert_str_eq(out, want);
	ck_assert_int_eq(link_add_veth(a, ifa, b, "other", 0), -EEXIST);
	ck_assert_int_eq(link_add_veth(a, "0123456789abcdef", b, "x", 0), -EINVAL);
}
END_TEST

START_TEST(test_link_up_mtu_del)
{
	struct link_info li;
	char out[1024];

	ck_assert_int_eq(link_add_veth(a, "va", b, "vb", 0), 0);
	ck_assert_int_eq(link_set_up(a, "va", true), 0);
	ck_assert_int_eq(link_get(a, "va", &li), 0);
	ck_assert_uint_eq(li.flags & IFF_UP, IFF_UP);
	ck_assert_uint_eq(li.mtu, 1500);
	ck_assert_int_eq(link_set_mtu(a, "va", 1280), 0);
	ck_assert_int_eq(nt_sh(a, out, sizeof(out), "ip -j link show va | grep -o '\"mtu\":[0-9]*,\"qdisc\":\"[a-z]*\",\"operstate\":\"[A-Z]*\"'"), 0);
	/* Up, but its peer is down: no carrier. */
	ck_assert_str_eq(out, "\"mtu\":1280,\"qdisc\":\"noqueue\",\"operstate\":\"DOWN\"");
	ck_assert_int_eq(link_set_up(b, "vb", true), 0);
	nt_wait_oper_up(a, "va");
	ck_assert_int_eq(link_get(a, "va", &li), 0);
	ck_assert(li.carrier);
	ck_assert_int_eq(link_set_up(a, "va", false), 0);
	ck_assert_int_eq(nt_sh(a, out, sizeof(out), "ip -o link show va | grep -c ',UP'"), 1);
	ck_assert_int_eq(link_set_mtu(a, "va", 20), -EINVAL);
	ck_assert_str_ne(netns_extack(a), "");
	ck_assert_int_eq(link_set_up(a, "nosuch", true), -ENODEV);
	/* Deleting one end deletes the pair. */
	ck_assert_int_eq(link_del(a, "va"), 0);
	ck_assert_int_eq(link_get(a, "va", &li), -ENODEV);
	ck_assert_int_eq(link_get(b, "vb", &li), -ENODEV);
	ck_assert_int_eq(link_del(a, "va"), -ENODEV);
	ck_assert_int_eq(nt_sh(b, out, sizeof(out), "ip -o link | wc -l"), 0);
	ck_assert_str_eq(out, "1");
}
END_TEST

/* A link deleted and made again behind the lab's back gets a new index;
 * requests by name still reach it. */
START_TEST(test_link_index_stale)
{
	struct addr x;
	char out[1024];
	int old;

	ck_assert_int_eq(link_add_veth(a, "va", b, "vb", 0), 0);
	old = link_index(b, "vb");
	ck_assert_int_gt(old, 0);
	ck_assert_int_eq(nt_sh(b, out, sizeof(out), "ip link del vb && ip link add vb type veth peer name vc"), 0);
	ck_assert_int_eq(addr_parse("10.7.0.1/24", ADDR_PARSE_PREFIX, &x), 0);
	ck_assert_int_eq(addr_add(b, "vb", &x), 0);
	ck_assert_int_ne(link_index(b, "vb"), old);
	ck_assert_int_eq(nt_sh(b, out, sizeof(out), "ip -o -4 addr show dev vb | cut -d' ' -f7"), 0);
	ck_assert_str_eq(out, "10.7.0.1/24");
	ck_assert_int_eq(link_index(b, "nosuch"), -ENODEV);
	ck_assert_int_eq(link_index(b, "lo"), 1);
	ck_assert_int_eq(link_index(b, ""), -EINVAL);
	ck_assert_int_eq(addr_add(b, "nosuch", &x), -ENODEV);
}
END_TEST

START_TEST(test_link_move)
{
	struct link_info li;
	char out[1024];

	ck_assert_int_eq(link_add_veth(a, "m0", a, "m1", 0), 0);
	ck_assert_int_ne(link_index(a, "m0"), link_index(a, "m1"));
	ck_assert_int_eq(link_move(a, "m1", b), 0);
	ck_assert_int_eq(link_get(a, "m1", &li), -ENODEV);
	ck_assert_int_eq(link_get(b, "m1", &li), 0);
	ck_assert_str_eq(li.kind, "veth");
	ck_assert_int_eq(nt_sh(b, out, sizeof(out), "ip -o link show m1 | cut -d' ' -f2"), 0);
	ck_assert_int_eq(strncmp(out, "m1@", 3), 0);
	ck_assert_int_eq(link_move(a, "m1", b), -ENODEV);
}
END_TEST

struct walk {
	int n, veth, stop_after;
	char names[8][IF_NAMESIZE];
};

static int walk_cb(const struct link_info *li, void *data)
{
	struct walk *w = data;

	if (w->n < 8)
		snprintf(w->names[w->n], IF_NAMESIZE, "%s", li->name);
	w->n++;
	if (!strcmp(li->kind, "veth"))
		w->veth++;
	return w->stop_after && w->n == w->stop_after ? 42 : 0;
}

START_TEST(test_link_walk)
{
	struct walk w = { 0 };
	struct link_info li;

	ck_assert_int_eq(link_add_veth(a, "w0", a, "w1", 0), 0);
	ck_assert_int_eq(link_add_bridge(a, "wbr"), 0);
	ck_assert_int_eq(link_walk(a, walk_cb, &w), 0);
	ck_assert_int_eq(w.n, 4);
	ck_assert_int_eq(w.veth, 2);
	ck_assert_str_eq(w.names[0], "lo");
	ck_assert_int_eq(link_get(a, "wbr", &li), 0);
	ck_assert_str_eq(li.kind, "bridge");
	ck_assert_int_eq(link_get(a, "lo", &li), 0);
	ck_assert_str_eq(li.kind, "");
	ck_assert_int_eq(li.index, 1);
	/* A callback stops the walk; the socket stays usable. */
	memset(&w, 0, sizeof(w));
	w.stop_after = 2;
	ck_assert_int_eq(link_walk(a, walk_cb, &w), 42);
	ck_assert_int_eq(w.n, 2);
	ck_assert_int_eq(link_get_by_index(a, 1, &li), 0);
	ck_assert_str_eq(li.name, "lo");
	ck_assert_int_eq(link_get_by_index(a, 9999, &li), -ENODEV);
}
END_TEST

/* Three nodes on a bridge in a hub: every node reaches every other at
 * once, over IPv4 and IPv6. */
START_TEST(test_link_bridge)
{
	struct netns *hub = netns_new(0), *n[3];
	char port[IF_NAMESIZE], addr[64], out[4096];
	struct link_info li;
	struct addr x;
	int i, j;

	ck_assert_ptr_nonnull(hub);
	ck_assert_int_eq(link_add_bridge(hub, "br0"), 0);
	ck_assert_int_eq(link_set_up(hub, "br0", true), 0);
	for (i = 0; i < 3; i++) {
		n[i] = netns_new(0);
		ck_assert_ptr_nonnull(n[i]);
		snprintf(port, sizeof(port), "p%d", i);
		ck_assert_int_eq(link_add_veth(hub, port, n[i], "eth0", 0), 0);
		ck_assert_int_eq(link_set_master(hub, port, "br0"), 0);
		ck_assert_int_eq(link_set_up(hub, port, true), 0);
		snprintf(addr, sizeof(addr), "10.9.0.%d/24", i + 1);
		ck_assert_int_eq(addr_parse(addr, ADDR_PARSE_PREFIX, &x), 0);
		ck_assert_int_eq(addr_add(n[i], "eth0", &x), 0);
		snprintf(addr, sizeof(addr), "fd09::%d/64", i + 1);
		ck_assert_int_eq(addr_parse(addr, ADDR_PARSE_PREFIX, &x), 0);
		ck_assert_int_eq(addr_add(n[i], "eth0", &x), 0);
		ck_assert_int_eq(link_set_up(n[i], "eth0", true), 0);
	}
	for (i = 0; i < 3; i++) {
		for (j = 0; j < 3; j++) {
			if (i == j)
				continue;
			snprintf(addr, sizeof(addr), "10.9.0.%d", j + 1);
			ck_assert_msg(nt_ping(n[i], addr), "n%d -> %s", i, addr);
			snprintf(addr, sizeof(addr), "fd09::%d", j + 1);
			ck_assert_msg(nt_ping(n[i], addr), "n%d -> %s", i, addr);
		}
	}
	ck_assert_int_eq(nt_sh(hub, out, sizeof(out),
			       "ip -j -d link show br0 | grep -o '\"forward_delay\":[0-9]*\\|\"stp_state\":[0-9]*'"), 0);
	ck_assert_str_eq(out, "\"forward_delay\":0\n\"stp_state\":0");
	ck_assert_int_eq(nt_sh(hub, out, sizeof(out), "ip -o link show master br0 | cut -d' ' -f2 | tr '\\n' ' '"), 0);
	ck_assert_int_eq(strncmp(out, "p0@", 3), 0);
	ck_assert_ptr_nonnull(strstr(out, " p1@"));
	ck_assert_ptr_nonnull(strstr(out, " p2@"));
	ck_assert_int_eq(link_get(n[0], "eth0", &li), 0);
	ck_assert_uint_ge(li.tx_packets, 4);
	ck_assert_uint_ge(li.rx_packets, 4);
	ck_assert_uint_gt(li.tx_bytes, li.tx_packets * 28);
	ck_assert_int_eq(link_set_master(hub, "p2", NULL), 0);
	ck_assert_int_eq(nt_sh(hub, out, sizeof(out), "ip -o link show master br0 | wc -l"), 0);
	ck_assert_str_eq(out, "2");
	ck_assert_int_eq(link_set_master(hub, "p2", "nosuch"), -ENODEV);
	for (i = 0; i < 3; i++)
		netns_free(n[i]);
	netns_free(hub);
}
END_TEST

Suite *link_suite(void)
{
	Suite *s = suite_create("link");
	TCase *tc;

	tc = tcase_create("link_add_veth");
	tcase_add_checked_fixture(tc, two_setup, two_teardown);
	tcase_add_test(tc, test_link_veth_across);
	tcase_add_test(tc, test_link_up_mtu_del);
	tcase_add_test(tc, test_link_index_stale);
	tcase_add_test(tc, test_link_move);
	tcase_add_test(tc, test_link_walk);
	suite_add_tcase(s, tc);

	tc = tcase_create("link_add_bridge");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_link_bridge);
	suite_add_tcase(s, tc);
	return s;
}
