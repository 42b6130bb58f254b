// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netns/wg/wgconf.h"
#include "netns/wg/wgconf_parse.h"
#include "netns/wg/wgquick.h"
#include "tests/unit/testlib.h"

extern Suite *wgquick_suite(void);

/* A node: endpoint routes with MTUs, a default route, tables in use. */
struct fake_node {
	const char *endpoint;		/* the one address with a known route */
	unsigned int endpoint_mtu;
	unsigned int default_mtu;
	uint32_t used_table;		/* 0: none */
	bool src_valid_mark;
};

static int fake_route_mtu(void *data, const struct addr *dst, unsigned int *ret)
{
	struct fake_node *n = data;
	char buf[ADDR_STRLEN];

	*ret = n->endpoint && !strcmp(addr_format(dst, false, buf, sizeof(buf)), n->endpoint) ?
		       n->endpoint_mtu : n->default_mtu;
	return 0;
}

static int fake_default_mtu(void *data, unsigned int *ret)
{
	*ret = ((struct fake_node *)data)->default_mtu;
	return 0;
}

static int fake_table_used(void *data, uint32_t table, bool *ret)
{
	struct fake_node *n = data;

	*ret = n->used_table && table <= n->used_table && table >= 51820;
	return 0;
}

static int fake_src_valid_mark(void *data, bool *ret)
{
	*ret = ((struct fake_node *)data)->src_valid_mark;
	return 0;
}

static struct wgquick_plan *plan_for(const char *text, const char *ifname, struct fake_node *node)
{
	struct wgquick_env env = {
		.route_mtu = fake_route_mtu,
		.default_mtu = fake_default_mtu,
		.table_used = fake_table_used,
		.src_valid_mark = fake_src_valid_mark,
		.data = node,
	};
	struct wgconf_device *conf = NULL;
	struct wgconf_error err = { 0 };
	struct wgquick_plan *plan = NULL;

	ck_assert_msg(wgconf_parse_text(text, &conf, &err) == 0, "%u:%u: %s", err.line, err.column,
		      err.message);
	ck_assert_int_eq(wgquick_plan_up(conf, ifname, &env, &plan), 0);
	wgconf_device_free(conf);
	return plan;
}

static char *fixture(const char *name)
{
	char path[128];
	FILE *f;
	char *buf = calloc(1, 8192);

	snprintf(path, sizeof(path), "wgquick/%s", name);
	f = fopen(tl_fixture_path(path), "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_gt(fread(buf, 1, 8191, f), 0);
	fclose(f);
	return buf;
}

/* Compares the plan's commands (wg-quick's "[#]" lines; skipped ones marked
 * with a leading '-') with want, a NULL-terminated list. */
static void assert_plan(const struct wgquick_plan *plan, const char *const *want)
{
	char line[512];
	size_t i;

	for (i = 0; i < plan->n; i++) {
		ck_assert_msg(want[i] != NULL, "extra action '%s'", plan->actions[i].text);
		snprintf(line, sizeof(line), "%s%s", plan->actions[i].skipped ? "-" : "", plan->actions[i].text);
		ck_assert_str_eq(line, want[i]);
	}
	ck_assert_msg(want[i] == NULL, "missing action '%s'", want[i]);
}

/* Several endpoints: wg-quick keeps the largest of their routes' MTUs
 * (set_mtu_up's `-gt $mtu`), not the smallest. */
START_TEST(test_wgquick_mtu_largest_endpoint)
{
	static const char text[] = "[Interface]\nPrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n"
				   "Address = 10.9.0.2/24\n"
				   "[Peer]\nPublicKey = xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=\n"
				   "Endpoint = 10.1.0.1:51820\nAllowedIPs = 10.9.0.1/32\n"
				   "[Peer]\nPublicKey = TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=\n"
				   "Endpoint = 10.2.0.1:51820\nAllowedIPs = 10.9.0.3/32\n";
	struct fake_node node = { .endpoint = "10.1.0.1", .endpoint_mtu = 1300, .default_mtu = 1500 };
	struct wgquick_plan *plan = plan_for(text, "wg0", &node);
	bool seen = false;

	for (size_t i = 0; i < plan->n; i++)
		if (plan->actions[i].auto_mtu) {
			ck_assert_str_eq(plan->actions[i].text, "ip link set mtu 1420 up dev wg0");
			seen = true;
		}
	ck_assert(seen);
	wgquick_plan_free(plan);
}
END_TEST

/* seeds/003: "[#] ip -4 route add 10.10.10.0/24 dev home0" is the only
 * route the guide shows; 10.10.11.0/24 is the address's own. */
START_TEST(test_wgquick_plain)
{
	static const char *const want[] = {
		"wg addconf home0 /dev/fd/63",
		"ip -4 address add 10.10.11.2/24 dev home0",
		"ip link set mtu 1420 up dev home0",
		"-ip -4 route add 10.10.11.0/24 dev home0",
		"ip -4 route add 10.10.10.0/24 dev home0",
		NULL,
	};
	struct fake_node node = { .default_mtu = 1500 };
	char *text = fixture("003-laptop-home0.conf");
	struct wgquick_plan *plan = plan_for(text, "home0", &node);

	assert_plan(plan, want);
	ck_assert_uint_eq(plan->table, 0);
	ck_assert(plan->actions[2].auto_mtu);
	ck_assert_uint_eq(plan->actions[4].route.dst.prefixlen, 24);
	ck_assert(!(plan->actions[4].route.flags & ROUTE_HAS_TABLE));
	wgquick_plan_free(plan);
	free(text);
}
END_TEST

/* seeds/003, VPN as default gateway: the guide's output, in the order the
 * current linux.bash runs (rules before the route). */
START_TEST(test_wgquick_full_tunnel_v4)
{
	static const char *const want[] = {
		"wg addconf wg0 /dev/fd/63",
		"ip -4 address add 10.90.90.1/24 dev wg0",
		"ip link set mtu 1420 up dev wg0",
		"wg set wg0 fwmark 51820",
		"ip -4 rule add not fwmark 51820 table 51820",
		"ip -4 rule add table main suppress_prefixlength 0",
		"ip -4 route add 0.0.0.0/0 dev wg0 table 51820",
		"sysctl -q net.ipv4.conf.all.src_valid_mark=1",
		"nft -f /dev/fd/63",
		"wg set wg0 private-key /etc/wireguard/wg0.key",
		NULL,
	};
	struct fake_node node = { .default_mtu = 1500 };
	char *text = fixture("003-client-wg0.conf");
	struct wgquick_plan *plan = plan_for(text, "wg0", &node);
	const struct wgquick_action *a = plan->actions;

	assert_plan(plan, want);
	ck_assert_uint_eq(plan->table, 51820);
	ck_assert_uint_eq(a[3].fwmark, 51820);
	ck_assert_uint_eq(a[4].rule.flags, RULE_INVERT | RULE_HAS_FWMARK | RULE_HAS_TABLE);
	ck_assert_uint_eq(a[4].rule.fwmark, 51820);
	ck_assert_uint_eq(a[5].rule.table, 254);
	ck_assert_uint_eq(a[5].rule.suppress_prefixlen, 0);
	ck_assert_uint_eq(a[6].route.table, 51820);
	ck_assert_int_eq(a[9].hook, WGCONF_POST_UP);
	ck_assert_str_eq(a[9].arg, "wg set wg0 private-key /etc/wireguard/wg0.key");
	ck_assert_str_eq(a[8].arg,
		"add table ip wg-quick-wg0\n"
		"add chain ip wg-quick-wg0 preraw { type filter hook prerouting priority -300; }\n"
		"add chain ip wg-quick-wg0 premangle { type filter hook prerouting priority -150; }\n"
		"add chain ip wg-quick-wg0 postmangle { type filter hook postrouting priority -150; }\n"
		"add rule ip wg-quick-wg0 preraw iifname != \"wg0\" ip daddr 10.90.90.1 fib saddr type != local drop\n"
		"add rule ip wg-quick-wg0 postmangle meta l4proto udp mark 51820 ct mark set mark \n"
		"add rule ip wg-quick-wg0 premangle meta l4proto udp meta mark set ct mark \n");
	wgquick_plan_free(plan);
	free(text);
}
END_TEST

/* The script of the addresses the interface has when the firewall is
 * added (`ip -o -6 addr show dev wg0`: the link-local one of wireguard-go's
 * TUN, one a PreUp added), in their order; the other family's left out.
 * It was built from the config's Address list alone. */
START_TEST(test_wgquick_nft_script_of_live_addresses)
{
	static const char *const given[] = { "2001:db8::5/128", "10.0.0.9/32", "fe80::1234/64", "fd00::2/64" };
	struct addr v[4];
	char *script;
	size_t i;

	for (i = 0; i < 4; i++)
		ck_assert_int_eq(addr_parse(given[i], ADDR_PARSE_PREFIX, &v[i]), 0);
	script = wgquick_nft_script("wg0", AF_INET6, 51820, v, 4);
	ck_assert_str_eq(script,
		"add table ip6 wg-quick-wg0\n"
		"add chain ip6 wg-quick-wg0 preraw { type filter hook prerouting priority -300; }\n"
		"add chain ip6 wg-quick-wg0 premangle { type filter hook prerouting priority -150; }\n"
		"add chain ip6 wg-quick-wg0 postmangle { type filter hook postrouting priority -150; }\n"
		"add rule ip6 wg-quick-wg0 preraw iifname != \"wg0\" ip6 daddr 2001:db8::5 fib saddr type != local drop\n"
		"add rule ip6 wg-quick-wg0 preraw iifname != \"wg0\" ip6 daddr fe80::1234 fib saddr type != local drop\n"
		"add rule ip6 wg-quick-wg0 preraw iifname != \"wg0\" ip6 daddr fd00::2 fib saddr type != local drop\n"
		"add rule ip6 wg-quick-wg0 postmangle meta l4proto udp mark 51820 ct mark set mark \n"
		"add rule ip6 wg-quick-wg0 premangle meta l4proto udp meta mark set ct mark \n");
	free(script);
}
END_TEST

/* seeds/002's client: 0.0.0.0/0 and ::/0.  `sort -nr` puts "::/0" first;
 * the fwmark is set once; the sysctl is already 1 here. */
START_TEST(test_wgquick_full_tunnel_v4_v6)
{
	static const char *const want[] = {
		"wg addconf wg0 /dev/fd/63",
		"ip -4 address add 10.100.0.2/24 dev wg0",
		"ip -6 address add 2001:aaaa:bbbb:1000:cafe::2/128 dev wg0",
		"ip link set mtu 1420 up dev wg0",
		"wg set wg0 fwmark 51820",
		"ip -6 rule add not fwmark 51820 table 51820",
		"ip -6 rule add table main suppress_prefixlength 0",
		"ip -6 route add ::/0 dev wg0 table 51820",
		"nft -f /dev/fd/63",
		"ip -4 rule add not fwmark 51820 table 51820",
		"ip -4 rule add table main suppress_prefixlength 0",
		"ip -4 route add 0.0.0.0/0 dev wg0 table 51820",
		"nft -f /dev/fd/63",
		NULL,
	};
	struct fake_node node = { .default_mtu = 1500, .src_valid_mark = true };
	char *text = fixture("002-client.conf");
	struct wgquick_plan *plan = plan_for(text, "wg0", &node);

	assert_plan(plan, want);
	ck_assert_ptr_nonnull(strstr(plan->actions[8].arg,
		"add rule ip6 wg-quick-wg0 preraw iifname != \"wg0\" ip6 daddr 2001:aaaa:bbbb:1000:cafe::2 fib saddr type != local drop\n"));
	ck_assert_ptr_nonnull(strstr(plan->actions[8].arg, "add table ip6 wg-quick-wg0\n"));
	ck_assert_ptr_nonnull(strstr(plan->actions[12].arg, "ip daddr 10.100.0.2 fib"));
	wgquick_plan_free(plan);
	free(text);
}
END_TEST

static const char full_tunnel_table[] =
	"[Interface]\n"
	"Address = 10.0.0.2/24\n"
	"Table = %s\n"
	"DNS = 10.0.0.1\n"
	"[Peer]\n"
	"PublicKey = @server:wg0\n"
	"AllowedIPs = 0.0.0.0/0, 10.0.0.0/24, 192.168.0.0/16\n";

START_TEST(test_wgquick_table_off)
{
	static const char *const want[] = {
		"wg addconf wg0 /dev/fd/63",
		"ip -4 address add 10.0.0.2/24 dev wg0",
		"ip link set mtu 1420 up dev wg0",
		"resolvconf -a wg0 -m 0 -x",
		NULL,
	};
	struct fake_node node = { .default_mtu = 1500 };
	char text[512];
	struct wgquick_plan *plan;

	snprintf(text, sizeof(text), full_tunnel_table, "off");
	plan = plan_for(text, "wg0", &node);
	assert_plan(plan, want);
	ck_assert(plan->actions[3].not_applied);
	wgquick_plan_free(plan);
}
END_TEST

/* Table = 1234: every prefix, /0 included, goes plainly into the table;
 * no fwmark, rules or firewall (wg-quick(8)'s example). */
START_TEST(test_wgquick_table_1234)
{
	static const char *const want[] = {
		"wg addconf wg0 /dev/fd/63",
		"ip -4 address add 10.0.0.2/24 dev wg0",
		"ip link set mtu 1420 up dev wg0",
		"resolvconf -a wg0 -m 0 -x",
		"ip -4 route add 10.0.0.0/24 dev wg0 table 1234",
		"ip -4 route add 192.168.0.0/16 dev wg0 table 1234",
		"ip -4 route add 0.0.0.0/0 dev wg0 table 1234",
		NULL,
	};
	struct fake_node node = { .default_mtu = 1500 };
	char text[512];
	struct wgquick_plan *plan;

	snprintf(text, sizeof(text), full_tunnel_table, "1234");
	plan = plan_for(text, "wg0", &node);
	assert_plan(plan, want);
	ck_assert_uint_eq(plan->actions[6].route.table, 1234);
	ck_assert(plan->actions[6].route.flags & ROUTE_HAS_TABLE);
	ck_assert_uint_eq(plan->table, 0);
	wgquick_plan_free(plan);
}
END_TEST

/* The route towards the endpoint has MTU 1400 (a PPPoE-like uplink, as in
 * seeds/003's "mtu 1378"): 1400 - 80. */
START_TEST(test_wgquick_mtu_from_endpoint_route)
{
	struct fake_node node = { .endpoint = "203.0.113.7", .endpoint_mtu = 1400, .default_mtu = 1500 };
	char *text = fixture("003-laptop-home0.conf");
	struct wgquick_plan *plan = plan_for(text, "home0", &node);

	ck_assert_str_eq(plan->actions[2].text, "ip link set mtu 1320 up dev home0");
	ck_assert_uint_eq(plan->actions[2].mtu, 1320);
	wgquick_plan_free(plan);
	free(text);

	/* No endpoint (the router side): the default route's device. */
	node.default_mtu = 1458;
	text = fixture("003-router-wg0.conf");
	plan = plan_for(text, "wg0", &node);
	ck_assert_str_eq(plan->actions[2].text, "ip link set mtu 1378 up dev wg0");
	wgquick_plan_free(plan);
	free(text);

	/* No route at all: 1500 - 80; an explicit MTU wins. */
	node.default_mtu = 0;
	plan = plan_for("[Interface]\nAddress = 10.0.0.1/24\n", "wg0", &node);
	ck_assert_str_eq(plan->actions[2].text, "ip link set mtu 1420 up dev wg0");
	wgquick_plan_free(plan);
	plan = plan_for("[Interface]\nMTU = 1280\n", "wg0", &node);
	ck_assert_str_eq(plan->actions[1].text, "ip link set mtu 1280 up dev wg0");
	ck_assert(!plan->actions[1].auto_mtu);
	wgquick_plan_free(plan);
}
END_TEST

/* Table 51820 already has routes: wg-quick takes the next free one; an
 * explicit FwMark is used as the table instead, and not set again. */
START_TEST(test_wgquick_table_choice)
{
	struct fake_node node = { .default_mtu = 1500, .used_table = 51821 };
	struct wgquick_plan *plan;

	plan = plan_for("[Interface]\n[Peer]\nPublicKey = @p\nAllowedIPs = 0.0.0.0/0\n", "wg0", &node);
	ck_assert_str_eq(plan->actions[2].text, "wg set wg0 fwmark 51822");
	ck_assert_uint_eq(plan->table, 51822);
	wgquick_plan_free(plan);
	plan = plan_for("[Interface]\nFwMark = 0x1234\n[Peer]\nPublicKey = @p\nAllowedIPs = 0.0.0.0/0\n", "wg0",
			&node);
	ck_assert_str_eq(plan->actions[2].text, "ip -4 rule add not fwmark 4660 table 4660");
	wgquick_plan_free(plan);
}
END_TEST

START_TEST(test_wgquick_hooks_and_down)
{
	static const char *const want_up[] = {
		"echo pre wg9",
		"wg addconf wg9 /dev/fd/63",
		"ip link set mtu 1420 up dev wg9",
		"ip -4 route add 10.1.0.0/16 dev wg9",
		"echo up wg9 %",
		NULL,
	};
	static const char *const want_down[] = {
		"echo predown wg9",
		"wg showconf wg9",
		"ip -4 rule delete table 51820",
		"ip -4 rule delete table main suppress_prefixlength 0",
		"ip -6 rule delete table 51820",
		"ip -6 rule delete table main suppress_prefixlength 0",
		"ip link delete dev wg9",
		"nft -f /dev/fd/63",
		"echo postdown wg9",
		NULL,
	};
	static const char text[] =
		"[Interface]\nPreUp = echo pre %i\nPostUp = echo up %i %\nPreDown = echo predown %i\n"
		"PostDown = echo postdown %i\nSaveConfig = true\n"
		"[Peer]\nPublicKey = @p\nAllowedIPs = 10.1.2.3/16\n";
	struct fake_node node = { .default_mtu = 1500 };
	struct wgconf_device *conf = NULL, *state;
	struct wgquick_plan *plan = plan_for(text, "wg9", &node);
	struct addr zero;

	assert_plan(plan, want_up);
	ck_assert_int_eq(plan->actions[0].hook, WGCONF_PRE_UP);
	wgquick_plan_free(plan);

	ck_assert_int_eq(wgconf_parse_text(text, &conf, NULL), 0);
	/* The live state as wg show would give it: fwmark and a /0. */
	state = wgconf_device_new();
	state->fwmark = 51820;
	state->flags |= WGCONF_DEV_HAS_FWMARK;
	ck_assert_int_eq(addr_parse("0.0.0.0/0", ADDR_PARSE_PREFIX, &zero), 0);
	wgconf_peer_add_allowedip(wgconf_device_add_peer(state), &zero, 0);
	plan = wgquick_plan_down(conf, state, "wg9");
	ck_assert_ptr_nonnull(plan);
	assert_plan(plan, want_down);
	ck_assert(plan->actions[1].not_applied);
	ck_assert_str_eq(plan->actions[7].arg, "delete table ip wg-quick-wg9\ndelete table ip6 wg-quick-wg9\n");
	wgquick_plan_free(plan);
	/* Without a /0 there are no rules to delete. */
	wgconf_peer_clear_allowedips(state->first_peer);
	plan = wgquick_plan_down(conf, state, "wg9");
	ck_assert_ptr_nonnull(plan);
	ck_assert_str_eq(plan->actions[2].text, "ip link delete dev wg9");
	wgquick_plan_free(plan);
	wgconf_device_free(state);
	wgconf_device_free(conf);
}
END_TEST

Suite *wgquick_suite(void)
{
	Suite *s = suite_create("wgquick");
	TCase *tc = tcase_create("wgquick_plan");

	tcase_add_test(tc, test_wgquick_plain);
	tcase_add_test(tc, test_wgquick_mtu_largest_endpoint);
	tcase_add_test(tc, test_wgquick_full_tunnel_v4);
	tcase_add_test(tc, test_wgquick_full_tunnel_v4_v6);
	tcase_add_test(tc, test_wgquick_nft_script_of_live_addresses);
	tcase_add_test(tc, test_wgquick_table_off);
	tcase_add_test(tc, test_wgquick_table_1234);
	tcase_add_test(tc, test_wgquick_mtu_from_endpoint_route);
	tcase_add_test(tc, test_wgquick_table_choice);
	tcase_add_test(tc, test_wgquick_hooks_and_down);
	suite_add_tcase(s, tc);
	return s;
}
