// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * Routes and policy rules.  What netns/ builds in one namespace is compared
 * with what ip(8) builds from the equivalent commands in a twin namespace;
 * route_get() is compared with `ip route get`; refusals carry the kernel's
 * message exactly as ip prints it.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>

#include "netns/addr.h"
#include "netns/link.h"
#include "netns/nl.h"
#include "netns/ns.h"
#include "netns/route.h"
#include "netns/rule.h"
#include "tests/integration/netns_testlib.h"

extern Suite *route_suite(void);

/* One route, as ip(8) arguments and as struct route fields. */
static const struct route_case {
	const char *ip;
	const char *dst, *gw, *src, *dev;
	unsigned int flags;	/* ROUTE_HAS_TABLE, _METRIC, _MTU, _TYPE */
	uint32_t table, metric, mtu;
	uint8_t type;
} routes[] = {
	{ "route add 10.20.0.0/16 via 10.0.1.1", "10.20.0.0/16", "10.0.1.1", NULL, NULL, 0, 0, 0, 0, 0 },
	{ "route add 10.21.0.0/16 dev r0", "10.21.0.0/16", NULL, NULL, "r0", 0, 0, 0, 0, 0 },
	{ "route add 10.22.0.0/16 via 10.0.1.1 dev r0 metric 50 mtu 1400 src 10.0.1.2 table 100",
	  "10.22.0.0/16", "10.0.1.1", "10.0.1.2", "r0", ROUTE_HAS_TABLE | ROUTE_HAS_METRIC | ROUTE_HAS_MTU,
	  100, 50, 1400, 0 },
	{ "route add default dev r0 table 51820", "0.0.0.0/0", NULL, NULL, "r0", ROUTE_HAS_TABLE,
	  51820, 0, 0, 0 },
	{ "route add blackhole 10.66.0.0/16", "10.66.0.0/16", NULL, NULL, NULL, ROUTE_HAS_TYPE,
	  0, 0, 0, RTN_BLACKHOLE },
	{ "route add unreachable 10.67.0.0/16 metric 3", "10.67.0.0/16", NULL, NULL, NULL,
	  ROUTE_HAS_TYPE | ROUTE_HAS_METRIC, 0, 3, 0, RTN_UNREACHABLE },
	{ "route add prohibit 10.68.0.0/16 table 300", "10.68.0.0/16", NULL, NULL, NULL,
	  ROUTE_HAS_TYPE | ROUTE_HAS_TABLE, 300, 0, 0, RTN_PROHIBIT },
	{ "-6 route add fd20::/48 via fd00:1::1", "fd20::/48", "fd00:1::1", NULL, NULL, 0, 0, 0, 0, 0 },
	{ "-6 route add fd21::/48 dev r0 metric 7", "fd21::/48", NULL, NULL, "r0", ROUTE_HAS_METRIC,
	  0, 7, 0, 0 },
	{ "-6 route add ::/0 dev r0 table 51820 mtu 1280", "::/0", NULL, NULL, "r0",
	  ROUTE_HAS_TABLE | ROUTE_HAS_MTU, 51820, 0, 1280, 0 },
	{ "-6 route add blackhole fd66::/48", "fd66::/48", NULL, NULL, NULL, ROUTE_HAS_TYPE,
	  0, 0, 0, RTN_BLACKHOLE },
};

static const struct rule_case {
	const char *ip;
	int family;
	unsigned int flags;
	uint32_t fwmark, fwmask, table, suppress, priority;
	const char *src, *dst, *iif, *oif;
} rules[] = {
	/* wg-quick's pair, both families */
	{ "rule add not fwmark 51820 table 51820", AF_INET,
	  RULE_INVERT | RULE_HAS_FWMARK | RULE_HAS_TABLE, 51820, 0, 51820, 0, 0, NULL, NULL, NULL, NULL },
	{ "rule add table main suppress_prefixlength 0", AF_INET,
	  RULE_HAS_TABLE | RULE_HAS_SUPPRESS_PREFIXLEN, 0, 0, RT_TABLE_MAIN, 0, 0, NULL, NULL, NULL, NULL },
	{ "-6 rule add not fwmark 51820 table 51820", AF_INET6,
	  RULE_INVERT | RULE_HAS_FWMARK | RULE_HAS_TABLE, 51820, 0, 51820, 0, 0, NULL, NULL, NULL, NULL },
	{ "-6 rule add table main suppress_prefixlength 0", AF_INET6,
	  RULE_HAS_TABLE | RULE_HAS_SUPPRESS_PREFIXLEN, 0, 0, RT_TABLE_MAIN, 0, 0, NULL, NULL, NULL, NULL },
	{ "rule add from 10.0.1.0/24 to 10.20.0.0/16 iif r0 oif r1 priority 100 table 100", AF_INET,
	  RULE_HAS_SRC | RULE_HAS_DST | RULE_HAS_IIF | RULE_HAS_OIF | RULE_HAS_PRIORITY | RULE_HAS_TABLE,
	  0, 0, 100, 0, 100, "10.0.1.0/24", "10.20.0.0/16", "r0", "r1" },
	{ "rule add fwmark 0x1/0xff priority 200 table 200", AF_INET,
	  RULE_HAS_FWMARK | RULE_HAS_FWMASK | RULE_HAS_PRIORITY | RULE_HAS_TABLE,
	  1, 0xff, 200, 0, 200, NULL, NULL, NULL, NULL },
	{ "-6 rule add from fd00:1::/64 priority 300", AF_INET6, RULE_HAS_SRC | RULE_HAS_PRIORITY,
	  0, 0, 0, 0, 300, "fd00:1::/64", NULL, NULL, NULL },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void route_of(const struct route_case *c, struct route *r)
{
	memset(r, 0, sizeof(*r));
	nt_addr(c->dst, &r->dst);
	if (c->gw) {
		nt_addr(c->gw, &r->gw);
		r->flags |= ROUTE_HAS_GW;
	}
	if (c->src) {
		nt_addr(c->src, &r->src);
		r->flags |= ROUTE_HAS_SRC;
	}
	if (c->dev) {
		snprintf(r->dev, sizeof(r->dev), "%s", c->dev);
		r->flags |= ROUTE_HAS_DEV;
	}
	r->flags |= c->flags;
	r->table = c->table;
	r->metric = c->metric;
	r->mtu = c->mtu;
	r->type = c->type;
}

static void rule_of(const struct rule_case *c, struct rule *r)
{
	memset(r, 0, sizeof(*r));
	r->family = c->family;
	r->flags = c->flags;
	r->fwmark = c->fwmark;
	r->fwmask = c->fwmask;
	r->table = c->table;
	r->suppress_prefixlen = c->suppress;
	r->priority = c->priority;
	if (c->src)
		nt_addr(c->src, &r->src);
	if (c->dst)
		nt_addr(c->dst, &r->dst);
	if (c->iif)
		snprintf(r->iif, sizeof(r->iif), "%s", c->iif);
	if (c->oif)
		snprintf(r->oif, sizeof(r->oif), "%s", c->oif);
}

/* Everything routing-related in ns, as ip prints it (link-local
 * addresses, random per link, left out). */
static void snapshot(struct netns *ns, char *out, size_t len)
{
	ck_assert_int_eq(nt_sh(ns, out, len, "ip -4 route show table all; ip -6 route show table all | "
				  "grep -v fe80; ip -j rule; ip -j -6 rule"), 0);
}

/* A namespace with r0 (10.0.1.2/24, fd00:1::2/64) -- r1, both up. */
static struct netns *twin_new(bool with_ip)
{
	struct netns *ns = netns_new(0);
	char out[1024];
	struct addr x;

	ck_assert_ptr_nonnull(ns);
	if (with_ip) {
		ck_assert_int_eq(nt_sh(ns, out, sizeof(out),
				       "ip link add r0 type veth peer name r1 && "
				       "ip addr add 10.0.1.2/24 dev r0 && ip addr add fd00:1::2/64 dev r0 nodad && "
				       "ip link set r0 up && ip link set r1 up"), 0);
		return ns;
	}
	ck_assert_int_eq(link_add_veth(ns, "r0", ns, "r1", 0), 0);
	nt_addr("10.0.1.2/24", &x);
	ck_assert_int_eq(addr_add(ns, "r0", &x), 0);
	nt_addr("fd00:1::2/64", &x);
	ck_assert_int_eq(addr_add(ns, "r0", &x), 0);
	ck_assert_int_eq(link_set_up(ns, "r0", true), 0);
	ck_assert_int_eq(link_set_up(ns, "r1", true), 0);
	return ns;
}

START_TEST(test_route_rule_as_ip)
{
	static char base[16384], mine[16384], theirs[16384];
	struct netns *x = twin_new(false), *y = twin_new(true);
	struct route r;
	struct rule ru;
	char out[1024];
	size_t i;

	nt_wait_oper_up(x, "r0");
	nt_wait_oper_up(y, "r0");
	snapshot(x, base, sizeof(base));
	snapshot(y, theirs, sizeof(theirs));
	ck_assert_str_eq(base, theirs);
	for (i = 0; i < N(routes); i++) {
		route_of(&routes[i], &r);
		ck_assert_msg(!route_add(x, &r), "%s: %s", routes[i].ip, netns_extack(x));
		ck_assert_int_eq(nt_sh(y, out, sizeof(out), "ip %s", routes[i].ip), 0);
	}
	for (i = 0; i < N(rules); i++) {
		rule_of(&rules[i], &ru);
		ck_assert_msg(!rule_add(x, &ru), "%s: %s", rules[i].ip, netns_extack(x));
		ck_assert_int_eq(nt_sh(y, out, sizeof(out), "ip %s", rules[i].ip), 0);
	}
	snapshot(x, mine, sizeof(mine));
	snapshot(y, theirs, sizeof(theirs));
	ck_assert_str_eq(mine, theirs);
	ck_assert_str_ne(mine, base);
	/* Again: refused, nothing changes.  (A rule without a priority gets
	 * a new one each time, so only one with a priority can clash.) */
	route_of(&routes[0], &r);
	ck_assert_int_eq(route_add(x, &r), -EEXIST);
	rule_of(&rules[4], &ru);
	ck_assert_int_eq(rule_add(x, &ru), -EEXIST);
	/* Deleting each brings back the start. */
	for (i = 0; i < N(routes); i++) {
		route_of(&routes[i], &r);
		ck_assert_msg(!route_del(x, &r), "%s: %s", routes[i].ip, netns_extack(x));
	}
	for (i = 0; i < N(rules); i++) {
		rule_of(&rules[i], &ru);
		ck_assert_msg(!rule_del(x, &ru), "%s: %s", rules[i].ip, netns_extack(x));
	}
	snapshot(x, mine, sizeof(mine));
	ck_assert_str_eq(mine, base);
	route_of(&routes[0], &r);
	ck_assert_int_eq(route_del(x, &r), -ESRCH);
	rule_of(&rules[0], &ru);
	ck_assert_int_eq(rule_del(x, &ru), -ENOENT);
	netns_free(x);
	netns_free(y);
}
END_TEST

static struct nt_arb arb;

static void arb_setup(void)
{
	struct rule ru = { .family = AF_INET, .flags = RULE_HAS_FWMARK | RULE_HAS_TABLE, .fwmark = 7, .table = 100 };
	struct route r = { .flags = ROUTE_HAS_DEV | ROUTE_HAS_TABLE, .table = 100, .dev = "eth0" };

	nt_arb_build(&arb);
	/* Marked traffic of A uses table 100, where 10.0.2.0/24 is on the
	 * link (no gateway): an answer unlike the main table's. */
	nt_addr("10.0.2.0/24", &r.dst);
	ck_assert_int_eq(route_add(arb.a, &r), 0);
	ck_assert_int_eq(rule_add(arb.a, &ru), 0);
}

static void arb_teardown(void)
{
	nt_arb_free(&arb);
}

/* The string value of "key" in ip's JSON, or "" when absent. */
static const char *json_str(const char *json, const char *key, char *buf, size_t len)
{
	char pat[64];
	const char *p, *end;

	snprintf(pat, sizeof(pat), "\"%s\":\"", key);
	buf[0] = '\0';
	p = strstr(json, pat);
	if (!p)
		return buf;
	p += strlen(pat);
	end = strchr(p, '"');
	if (end && (size_t)(end - p) < len) {
		memcpy(buf, p, end - p);
		buf[end - p] = '\0';
	}
	return buf;
}

static const struct get_case {
	int node;	/* 0 A, 1 R, 2 B */
	const char *dst, *src;
	bool mark;
	uint32_t fwmark;
} gets[] = {
	{ 0, "10.0.2.2", NULL, false, 0 },
	{ 0, "10.0.1.1", NULL, false, 0 },
	{ 0, "10.0.2.2", "10.0.1.2", false, 0 },
	{ 0, "10.0.2.2", NULL, true, 7 },
	{ 0, "10.0.2.2", NULL, true, 8 },
	{ 0, "fd00:2::2", NULL, false, 0 },
	{ 0, "fd00:1::1", NULL, false, 0 },
	{ 1, "10.0.2.2", NULL, false, 0 },
	{ 1, "fd00:1::2", NULL, false, 0 },
	{ 2, "8.8.8.8", NULL, false, 0 },
};

START_TEST(test_route_get_as_ip)
{
	const struct get_case *c = &gets[_i];
	struct netns *ns = c->node == 0 ? arb.a : c->node == 1 ? arb.r : arb.b;
	char cmd[256], out[4096], want[64], got[ADDR_STRLEN], table[16];
	struct route q = { 0 }, r;

	nt_addr(c->dst, &q.dst);
	snprintf(cmd, sizeof(cmd), "ip -j route get %s", c->dst);
	if (c->src) {
		nt_addr(c->src, &q.src);
		q.flags |= ROUTE_HAS_SRC;
		snprintf(cmd + strlen(cmd), sizeof(cmd) - strlen(cmd), " from %s", c->src);
	}
	if (c->mark) {
		q.mark = c->fwmark;
		q.flags |= ROUTE_HAS_MARK;
		snprintf(cmd + strlen(cmd), sizeof(cmd) - strlen(cmd), " mark %u", c->fwmark);
	}
	ck_assert_int_eq(nt_sh(ns, out, sizeof(out), "%s", cmd), 0);
	ck_assert_int_eq(route_get(ns, &q, &r), 0);
	ck_assert(r.flags & ROUTE_HAS_DEV);
	ck_assert_str_eq(r.dev, json_str(out, "dev", want, sizeof(want)));
	json_str(out, "gateway", want, sizeof(want));
	ck_assert_int_eq(!!(r.flags & ROUTE_HAS_GW), !!want[0]);
	if (want[0])
		ck_assert_str_eq(addr_format(&r.gw, false, got, sizeof(got)), want);
	json_str(out, "prefsrc", want, sizeof(want));
	ck_assert_int_eq(!!(r.flags & ROUTE_HAS_SRC), !!want[0]);
	if (want[0])
		ck_assert_str_eq(addr_format(&r.src, false, got, sizeof(got)), want);
	/* ip names the table only when it is not main. */
	json_str(out, "table", want, sizeof(want));
	ck_assert(r.flags & ROUTE_HAS_TABLE);
	snprintf(table, sizeof(table), "%u", r.table);
	ck_assert_str_eq(table, want[0] ? want : "254");
	ck_assert(r.flags & ROUTE_HAS_TYPE);
	ck_assert_uint_eq(r.type, RTN_UNICAST);
	ck_assert_int_eq(r.dst.prefixlen, r.dst.family == AF_INET ? 32 : 128);
}
END_TEST

START_TEST(test_route_get_refused)
{
	struct route q = { 0 }, r, b = { .flags = ROUTE_HAS_TYPE, .type = RTN_BLACKHOLE };
	char out[1024];

	/* R has no default route. */
	nt_addr("192.0.2.1", &q.dst);
	ck_assert_int_ne(nt_sh(arb.r, out, sizeof(out), "ip route get 192.0.2.1"), 0);
	ck_assert_str_eq(out, "RTNETLINK answers: Network is unreachable");
	ck_assert_int_eq(route_get(arb.r, &q, &r), -ENETUNREACH);
	nt_addr("10.66.0.0/16", &b.dst);
	ck_assert_int_eq(route_add(arb.r, &b), 0);
	nt_addr("10.66.1.1", &q.dst);
	ck_assert_int_ne(nt_sh(arb.r, out, sizeof(out), "ip route get 10.66.1.1"), 0);
	ck_assert_str_eq(out, "RTNETLINK answers: Invalid argument");
	ck_assert_int_eq(route_get(arb.r, &q, &r), -EINVAL);
}
END_TEST

/* ip prints the kernel's message as "Error: MSG" (adding a period when MSG
 * has none), or, when the kernel gave none, "RTNETLINK answers: " and the
 * errno text. */
static void check_refusal_as_ip(struct netns *ns, int err, bool has_msg, const char *ip_cmd)
{
	char out[1024], want[512];
	const char *msg = netns_extack(ns);

	ck_assert_int_eq(!!msg[0], has_msg);
	if (has_msg)
		snprintf(want, sizeof(want), "Error: %s%s", msg, msg[strlen(msg) - 1] == '.' ? "" : ".");
	else
		snprintf(want, sizeof(want), "RTNETLINK answers: %s", strerror(-err));
	ck_assert_int_ne(nt_sh(ns, out, sizeof(out), "ip %s", ip_cmd), 0);
	ck_assert_str_eq(out, want);
}

START_TEST(test_route_refused_extack)
{
	struct route r = { .flags = ROUTE_HAS_GW };
	struct addr x;

	nt_addr("10.50.0.0/16", &r.dst);
	nt_addr("10.99.99.1", &r.gw);
	ck_assert_int_eq(route_add(arb.a, &r), -ENETUNREACH);
	check_refusal_as_ip(arb.a, -ENETUNREACH, true, "route add 10.50.0.0/16 via 10.99.99.1");

	nt_addr("fd50::/48", &r.dst);
	nt_addr("fd99::1", &r.gw);
	ck_assert_int_eq(route_add(arb.a, &r), -EHOSTUNREACH);
	check_refusal_as_ip(arb.a, -EHOSTUNREACH, false, "-6 route add fd50::/48 via fd99::1");

	nt_addr("10.0.1.2/24", &x);
	ck_assert_int_eq(addr_add(arb.a, "eth0", &x), -EEXIST);
	check_refusal_as_ip(arb.a, -EEXIST, true, "addr add 10.0.1.2/24 dev eth0");

	nt_addr("fd00:1::2/64", &x);
	ck_assert_int_eq(addr_add(arb.a, "eth0", &x), -EEXIST);
	check_refusal_as_ip(arb.a, -EEXIST, true, "addr add fd00:1::2/64 dev eth0 nodad");

	r.flags = ROUTE_HAS_DEV;
	snprintf(r.dev, sizeof(r.dev), "nosuch");
	ck_assert_int_eq(route_add(arb.a, &r), -ENODEV);
}
END_TEST

Suite *route_suite(void)
{
	Suite *s = suite_create("route");
	TCase *tc;

	tc = tcase_create("route_add");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_route_rule_as_ip);
	suite_add_tcase(s, tc);

	tc = tcase_create("route_get");
	tcase_add_checked_fixture(tc, arb_setup, arb_teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_route_get_as_ip, 0, N(gets));
	tcase_add_test(tc, test_route_get_refused);
	tcase_add_test(tc, test_route_refused_extack);
	suite_add_tcase(s, tc);
	return s;
}
