// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * Letting the NAT self-check's probes through the inside node's filters:
 * which base chains of `nft -j list chains` get an accept rule, what the
 * rule matches, and how the chains are named in the evidence.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "netns/nftpass.h"

extern Suite *nftpass_suite(void);

#define CHAIN(fam, table, name, type, hook) \
	"{\"chain\": {\"family\": \"" fam "\", \"table\": \"" table "\", \"name\": \"" name \
	"\", \"handle\": 1, \"type\": \"" type "\", \"hook\": \"" hook "\", \"prio\": 0, " \
	"\"policy\": \"drop\"}}"

static const char listing[] =
	"{\"nftables\": [{\"metainfo\": {\"version\": \"1.0.6\", \"json_schema_version\": 1}}, "
	CHAIN("ip", "wglab-ipt-filter", "INPUT", "filter", "input") ", "
	CHAIN("ip", "wglab-ipt-filter", "FORWARD", "filter", "forward") ", "
	CHAIN("ip", "wglab-ipt-mangle", "OUTPUT", "route", "output") ", "
	CHAIN("ip", "wglab-ipt-nat", "POSTROUTING", "nat", "postrouting") ", "
	CHAIN("ip6", "wglab-ipt-filter", "INPUT", "filter", "input") ", "
	CHAIN("inet", "my fw", "out", "filter", "postrouting") ", "
	CHAIN("netdev", "nd", "ing", "filter", "ingress") ", "
	CHAIN("arp", "a", "in", "filter", "input") ", "
	"{\"chain\": {\"family\": \"inet\", \"table\": \"my fw\", \"name\": \"user\", \"handle\": 2}}"
	"]}";

START_TEST(test_nftpass_chains)
{
	static const struct {
		const char *family, *table, *chain;
		bool pass, in_way, src;
	} want[] = {
		{ "ip", "wglab-ipt-filter", "INPUT", true, true, true },
		/* The probes are the node's own: not forwarded. */
		{ "ip", "wglab-ipt-filter", "FORWARD", false, false, false },
		{ "ip", "wglab-ipt-mangle", "OUTPUT", true, true, false },
		/* A NAT chain filters nothing. */
		{ "ip", "wglab-ipt-nat", "POSTROUTING", false, false, false },
		/* IPv4 probes never meet an ip6 chain. */
		{ "ip6", "wglab-ipt-filter", "INPUT", false, false, true },
		{ "inet", "my fw", "out", true, true, false },
		{ "netdev", "nd", "ing", true, true, true },
		/* In the way (ARP for the NAT), and no address match helps. */
		{ "arp", "a", "in", false, true, true },
	};
	struct nftpass p;
	char buf[512];

	ck_assert_int_eq(nftpass_parse(listing, AF_INET, &p), 0);
	ck_assert_uint_eq(p.n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < p.n; i++) {
		ck_assert_str_eq(p.v[i].family, want[i].family);
		ck_assert_str_eq(p.v[i].table, want[i].table);
		ck_assert_str_eq(p.v[i].chain, want[i].chain);
		ck_assert_msg(p.v[i].pass == want[i].pass && p.v[i].in_way == want[i].in_way &&
			      p.v[i].match_src == want[i].src, "chain %zu", i);
	}
	/* Nothing added yet: every chain in the way is unopened. */
	ck_assert_str_eq(nftpass_describe(&p, true, buf, sizeof(buf)), "");
	ck_assert_str_eq(nftpass_describe(&p, false, buf, sizeof(buf)),
			 "ip wglab-ipt-filter INPUT, ip wglab-ipt-mangle OUTPUT, inet my fw out, "
			 "netdev nd ing, arp a in");
	p.v[0].handle = 7;
	p.v[2].handle = 8;
	p.v[5].handle = 9;
	p.v[6].handle = 10;
	ck_assert_str_eq(nftpass_describe(&p, true, buf, sizeof(buf)),
			 "ip wglab-ipt-filter INPUT, ip wglab-ipt-mangle OUTPUT, inet my fw out, "
			 "netdev nd ing");
	ck_assert_str_eq(nftpass_describe(&p, false, buf, sizeof(buf)), "arp a in");
	free(p.v);

	ck_assert_int_eq(nftpass_parse(listing, AF_INET6, &p), 0);
	ck_assert(!p.v[0].pass);
	ck_assert(p.v[4].pass);
	free(p.v);

	ck_assert_int_eq(nftpass_parse("not json", AF_INET, &p), -EINVAL);
	ck_assert_uint_eq(p.n, 0);
}
END_TEST

START_TEST(test_nftpass_insert_cmd)
{
	struct nftpass_chain in = { .family = "inet", .table = "my fw", .chain = "in", .match_src = true };
	struct nftpass_chain out = { .family = "ip", .table = "t", .chain = "OUTPUT" };
	struct addr a[2];
	char *cmd;

	ck_assert_int_eq(addr_parse("198.18.0.1", 0, &a[0]), 0);
	ck_assert_int_eq(addr_parse("198.18.0.2", 0, &a[1]), 0);
	cmd = nftpass_insert_cmd(&in, a);
	ck_assert_str_eq(cmd,
			 "{\"nftables\":[{\"insert\":{\"rule\":{\"family\":\"inet\",\"table\":\"my fw\","
			 "\"chain\":\"in\",\"expr\":[{\"match\":{\"op\":\"==\",\"left\":{\"payload\":"
			 "{\"protocol\":\"ip\",\"field\":\"saddr\"}},\"right\":{\"set\":[\"198.18.0.1\","
			 "\"198.18.0.2\"]}}},{\"accept\":null}],\"comment\":\"wglab-probe\"}}}]}");
	free(cmd);
	cmd = nftpass_insert_cmd(&out, a);
	ck_assert_ptr_nonnull(strstr(cmd, "\"field\":\"daddr\""));
	free(cmd);
	ck_assert_int_eq(addr_parse("2001:db8::1", 0, &a[0]), 0);
	ck_assert_int_eq(addr_parse("2001:db8::2", 0, &a[1]), 0);
	cmd = nftpass_insert_cmd(&out, a);
	ck_assert_ptr_nonnull(strstr(cmd, "\"protocol\":\"ip6\""));
	free(cmd);
}
END_TEST

Suite *nftpass_suite(void)
{
	Suite *s = suite_create("nftpass");
	TCase *tc = tcase_create("nftpass");

	tcase_add_test(tc, test_nftpass_chains);
	tcase_add_test(tc, test_nftpass_insert_cmd);
	suite_add_tcase(s, tc);
	return s;
}
