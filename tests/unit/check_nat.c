// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * NAT devices as data: presets, the `nat` statement's arguments and their
 * errors, and the nftables constructions each behaviour compiles to.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "netns/fw/fw.h"
#include "netns/fw/nat.h"

extern Suite *nat_suite(void);

#define ARGS(...) ((const char *const[]){ __VA_ARGS__ })
#define NARGS(...) ((int)(sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *)))

static const struct {
	const char *name;
	enum nat_mapping mapping;
	enum nat_filtering filtering;
	enum nat_port port;
	bool drop;
	const char *reported;	/* an alias reports what it stands for */
} presets[] = {
	{ "home", NAT_MAP_EIM, NAT_FILTER_APDF, NAT_PORT_PRESERVE, true, NULL },
	{ "port-restricted", NAT_MAP_EIM, NAT_FILTER_APDF, NAT_PORT_PRESERVE, true, NULL },
	{ "full-cone", NAT_MAP_EIM, NAT_FILTER_EIF, NAT_PORT_PRESERVE, true, NULL },
	{ "restricted-cone", NAT_MAP_EIM, NAT_FILTER_ADF, NAT_PORT_PRESERVE, true, NULL },
	{ "symmetric", NAT_MAP_APDM, NAT_FILTER_APDF, NAT_PORT_RANDOM, true, NULL },
	{ "carrier-rfc6888", NAT_MAP_EIM, NAT_FILTER_EIF, NAT_PORT_PRESERVE, true, NULL },
	{ "carrier-random", NAT_MAP_APDM, NAT_FILTER_APDF, NAT_PORT_RANDOM, true, NULL },
	{ "cgnat", NAT_MAP_APDM, NAT_FILTER_APDF, NAT_PORT_RANDOM, true, "carrier-random" },
	{ "masquerade", NAT_MAP_EIM, NAT_FILTER_APDF, NAT_PORT_PRESERVE, false, NULL },
};

START_TEST(test_nat_presets)
{
	struct nat_spec s;
	struct fw_error err;
	const char *argv[] = { "wan", "preset", presets[_i].name };

	ck_assert_int_eq(nat_parse(argv, 3, &s, &err), 0);
	ck_assert_str_eq(s.preset, presets[_i].reported ? presets[_i].reported : presets[_i].name);
	ck_assert_str_eq(s.out_if, "wan");
	ck_assert_int_eq(s.mapping, presets[_i].mapping);
	ck_assert_int_eq(s.filtering, presets[_i].filtering);
	ck_assert_int_eq(s.port, presets[_i].port);
	ck_assert_int_eq(s.drop_unsolicited, presets[_i].drop);
	ck_assert(!s.hairpin);
	ck_assert_uint_eq(s.udp_timeout, 0);
	ck_assert_str_eq(s.inside, "");
}
END_TEST

START_TEST(test_nat_parse_options)
{
	struct nat_spec s;
	struct fw_error err;

	/* No preset: a home router. */
	ck_assert_int_eq(nat_parse(ARGS("eth0"), 1, &s, &err), 0);
	ck_assert_str_eq(s.preset, "home");
	ck_assert(s.drop_unsolicited);
	/* Options change the preset. */
	ck_assert_int_eq(nat_parse(ARGS("wan", "preset", "full-cone", "filtering", "adf",
					"hairpin", "on", "udp-timeout", "5s", "inside", "lan",
					"drop-unsolicited", "off"), 13, &s, &err), 0);
	ck_assert_int_eq(s.filtering, NAT_FILTER_ADF);
	ck_assert(s.hairpin);
	ck_assert_uint_eq(s.udp_timeout, 5);
	ck_assert_str_eq(s.inside, "lan");
	ck_assert(!s.drop_unsolicited);
	/* A mapping brings its port behaviour unless port is given. */
	ck_assert_int_eq(nat_parse(ARGS("wan", "mapping", "APDM"), 3, &s, &err), 0);
	ck_assert_int_eq(s.port, NAT_PORT_RANDOM);
	ck_assert_int_eq(nat_parse(ARGS("wan", "preset", "symmetric", "mapping", "EIM"), 5, &s,
				   &err), 0);
	ck_assert_int_eq(s.port, NAT_PORT_PRESERVE);
}
END_TEST

static const struct {
	const char *const *argv;
	int argc;
	int arg;
	int ret;
	const char *msg;
} bad[] = {
	{ ARGS("wan", "preset"), 2, 1, -EINVAL, "'preset' needs a name" },
	{ ARGS("wan", "preset", "office"), 3, 2, -EINVAL,
	  "unknown preset 'office' (home, port-restricted, full-cone, restricted-cone, symmetric, "
	  "carrier-rfc6888, carrier-random, cgnat = carrier-random, masquerade)" },
	{ ARGS("wan", "hairpin", "on", "preset", "home"), 5, 3, -EINVAL,
	  "'preset' must come right after the interface" },
	{ ARGS("wan", "mapping"), 2, 1, -EINVAL, "'mapping' needs a value" },
	{ ARGS("wan", "mapping", "cone"), 3, 2, -EINVAL, "bad mapping 'cone' (EIM, ADM, APDM)" },
	{ ARGS("wan", "filtering", "none"), 3, 2, -EINVAL, "bad filtering 'none' (EIF, ADF, APDF)" },
	{ ARGS("wan", "port", "sequential"), 3, 2, -EINVAL,
	  "bad port 'sequential' (preserve, random)" },
	{ ARGS("wan", "hairpin", "maybe"), 3, 2, -EINVAL, "'hairpin' is on or off, not 'maybe'" },
	{ ARGS("wan", "udp-timeout", "0s"), 3, 2, -EINVAL,
	  "bad udp-timeout '0s' (whole seconds with a unit, 1s to 24h)" },
	{ ARGS("wan", "udp-timeout", "5"), 3, 2, -EINVAL,
	  "bad udp-timeout '5' (whole seconds with a unit, 1s to 24h)" },
	{ ARGS("wan", "udp-timeout", "1500ms"), 3, 2, -EINVAL,
	  "bad udp-timeout '1500ms' (whole seconds with a unit, 1s to 24h)" },
	{ ARGS("wan", "inside", "wan"), 3, 2, -EINVAL, "inside and outside are both 'wan'" },
	{ ARGS("wan", "inside", "a\"b"), 3, 2, -EINVAL, "bad interface name 'a\"b'" },
	{ ARGS("averyveryverylongname"), 1, 0, -EINVAL, "bad interface name 'averyveryverylongname'" },
	{ ARGS("wan", "colour", "blue"), 3, 1, -EINVAL, "unknown option 'colour'" },
	{ ARGS("wan", "mapping", "ADM"), 3, 2, -EOPNOTSUPP,
	  "mapping ADM is not supported: Linux NAT has no address-dependent port allocation" },
	{ ARGS("wan", "mapping", "EIM", "port", "random"), 5, 4, -EINVAL,
	  "random ports with mapping EIM: Linux randomises per flow, which is APDM" },
	{ ARGS("wan", "preset", "full-cone", "port", "random"), 5, 4, -EINVAL,
	  "random ports with mapping EIM: Linux randomises per flow, which is APDM" },
	{ ARGS("wan", "mapping", "APDM", "port", "preserve"), 5, 4, -EINVAL,
	  "mapping APDM cannot preserve ports" },
};

START_TEST(test_nat_parse_errors)
{
	struct nat_spec s;
	struct fw_error err;
	int ret = nat_parse(bad[_i].argv, bad[_i].argc, &s, &err);

	ck_assert_int_eq(ret, bad[_i].ret);
	ck_assert_int_eq(err.err, ret);
	ck_assert_int_eq(err.arg, bad[_i].arg);
	ck_assert_str_eq(err.msg, bad[_i].msg);
}
END_TEST

START_TEST(test_nat_parse_no_args)
{
	struct nat_spec s;
	struct fw_error err;

	ck_assert_int_eq(nat_parse(NULL, 0, &s, &err), -EINVAL);
	ck_assert_int_eq(err.arg, -1);
}
END_TEST

static char *script(const char *preset, const char *extra_key, const char *extra_val)
{
	const char *argv[5] = { "wan", "preset", preset, extra_key, extra_val };
	struct nat_spec s;
	struct fw_error err;
	char *text = NULL;

	ck_assert_int_eq(nat_parse(argv, extra_key ? 5 : 3, &s, &err), 0);
	ck_assert_int_eq(nat_script("wan", &s, "203.0.113.1", &text), 0);
	return text;
}

static void has(const char *text, const char *what, bool yes)
{
	ck_assert_msg(!strstr(text, what) == !yes, "%s '%s' in:\n%s", yes ? "no" : "unexpected",
		      what, text);
}

START_TEST(test_nat_script_constructions)
{
	char *t;

	t = script("home", NULL, NULL);
	has(t, "table ip wglab-nat-wan {", true);
	has(t, "oifname \"wan\" masquerade\n", true);
	has(t, "fully-random", false);
	has(t, "map ", false);
	has(t, "iifname \"wan\" meta l4proto udp counter drop", true);
	has(t, "iifname \"wan\" meta l4proto udp ct status dnat accept", true);
	has(t, "socket transparent 0 accept", true);
	free(t);

	t = script("masquerade", NULL, NULL);
	has(t, "masquerade\n", true);
	has(t, "drop", false);
	free(t);

	t = script("full-cone", NULL, NULL);
	has(t, "type inet_service : ipv4_addr . inet_service", true);
	has(t, "iifname \"wan\" meta l4proto udp dnat ip to udp dport map @udpmap", true);
	has(t, "priority srcnat + 10", true);
	has(t, "update @udpmap { ct reply proto-dst : ct original ip saddr . ct original proto-src }",
	    true);
	has(t, "timeout 120s", true);
	free(t);

	t = script("restricted-cone", "udp-timeout", "7s");
	has(t, "type inet_service . ipv4_addr : ipv4_addr . inet_service", true);
	has(t, "dnat ip to udp dport . ip saddr map @admap", true);
	has(t, "update @admap { ct reply proto-dst . ct original ip daddr :", true);
	has(t, "@udpmap", false);
	has(t, "timeout 7s", true);
	free(t);

	t = script("symmetric", NULL, NULL);
	has(t, "oifname \"wan\" masquerade fully-random", true);
	free(t);

	t = script("home", "hairpin", "on");
	has(t, "iifname != \"wan\" ip daddr 203.0.113.1 meta l4proto udp dnat ip to udp dport map @udpmap",
	    true);
	/* Only what came from inside is SNATed to the public address. */
	has(t, "iifname != \"wan\" oifname != \"wan\" ct original ip daddr 203.0.113.1 ct status dnat "
	    "snat ip to 203.0.113.1", true);
	/* The map only serves hairpin: the outside still filters APDF. */
	has(t, "iifname \"wan\" meta l4proto udp dnat", false);
	free(t);

	/* With EIF filtering the map also DNATs outside flows inside: the
	 * hairpin SNAT must not take them (they kept the outside source). */
	t = script("full-cone", "hairpin", "on");
	has(t, "iifname \"wan\" meta l4proto udp dnat ip to udp dport map @udpmap", true);
	has(t, "iifname != \"wan\" oifname != \"wan\" ct original ip daddr 203.0.113.1 ct status dnat "
	    "snat ip to 203.0.113.1", true);
	has(t, "\t\toifname != \"wan\" ct original", false);
	free(t);

	t = script("home", "inside", "lan");
	has(t, "oifname \"wan\" iifname \"lan\" masquerade", true);
	free(t);
}
END_TEST

Suite *nat_suite(void)
{
	Suite *s = suite_create("nat");
	TCase *tc = tcase_create("nat_parse");

	tcase_add_loop_test(tc, test_nat_presets, 0, sizeof(presets) / sizeof(presets[0]));
	tcase_add_test(tc, test_nat_parse_options);
	tcase_add_loop_test(tc, test_nat_parse_errors, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, test_nat_parse_no_args);
	suite_add_tcase(s, tc);
	tc = tcase_create("nat_script");
	tcase_add_test(tc, test_nat_script_constructions);
	suite_add_tcase(s, tc);
	return s;
}
