// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* The scenario language on good input: the lexer's words and columns, and
 * the model each statement becomes.  (Bad input: check_malformed.c.) */
#include <check.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>

#include "lab/lang/diag.h"
#include "lab/lang/lexer.h"
#include "lab/lang/model.h"
#include "lab/lang/parse_fw.h"
#include "lab/lang/scenario.h"
#include "tests/unit/testlib.h"

extern Suite *scenario_suite(void);

static struct lab *load(const char *text)
{
	struct diags d = { 0 };
	struct lab *lab = NULL;
	int r = scenario_load_text("t.lab", text, strlen(text), &lab, &d);

	ck_assert_msg(r == 0, "unexpected error: %s:%u:%u: %s", d.first ? d.first->file : "",
		      d.first ? d.first->line : 0, d.first ? d.first->col : 0, d.first ? d.first->msg : "");
	diag_free(&d);
	return lab;
}

static struct stmt *nth(struct lab *lab, unsigned int n)
{
	struct stmt *s = lab->first_stmt;

	while (s && n--)
		s = s->next;
	ck_assert_ptr_nonnull(s);
	return s;
}

START_TEST(test_lexer_words_and_columns)
{
	static const char line[] = "  expect a:wg0 sees \"tcp and port 80\"  # a comment";
	struct tokens t;
	unsigned int col;
	const char *msg;

	ck_assert_int_eq(lexer_split(line, strlen(line), &t, &col, &msg), 0);
	ck_assert_uint_eq(t.n, 4);
	ck_assert_str_eq(t.v[0].text, "expect");
	ck_assert_uint_eq(t.v[0].col, 3);
	ck_assert_str_eq(t.v[1].text, "a:wg0");
	ck_assert_uint_eq(t.v[1].col, 10);
	ck_assert_str_eq(t.v[3].text, "tcp and port 80");
	ck_assert(t.v[3].quoted);
	ck_assert_uint_eq(t.v[3].col, 21);
	lexer_free(&t);
}
END_TEST

START_TEST(test_lexer_escapes_and_hash_inside_words)
{
	static const char line[] = "serve a http 80 body \"say \\\"hi\\\" \\\\o/\" url#frag";
	struct tokens t;
	unsigned int col;
	const char *msg;

	ck_assert_int_eq(lexer_split(line, strlen(line), &t, &col, &msg), 0);
	ck_assert_uint_eq(t.n, 7);
	ck_assert_str_eq(t.v[5].text, "say \"hi\" \\o/");
	ck_assert_str_eq(t.v[6].text, "url#frag");
	lexer_free(&t);
}
END_TEST

START_TEST(test_scenario_topology_model)
{
	struct lab *lab = load("lab demo \"a description\"\n"
			       "node a\n"
			       "node r router ipv6 off name gw.example.net name gw\n"
			       "link a:eth0 10.0.0.1/24 fd00::1/64 -- r:eth0 10.0.0.2/24 mtu 1400\n"
			       "route a default via 10.0.0.2\n"
			       "route a -6 default dev eth0 table 51820 metric 7\n"
			       "rule a not fwmark 0xca6c table 51820\n"
			       "sysctl r net.ipv4.conf.all.rp_filter=2\n");
	struct stmt *s;
	char buf[ADDR_STRLEN];

	ck_assert_str_eq(lab->name, "demo");
	ck_assert_str_eq(lab->description, "a description");
	ck_assert_uint_eq(lab->n_nodes, 2);
	s = nth(lab, 1);
	ck_assert_int_eq(s->kind, STMT_NODE);
	ck_assert(s->node.flags & NODE_ROUTER);
	ck_assert(s->node.flags & NODE_NO_IPV6);
	ck_assert(!(nth(lab, 0)->node.flags & NODE_NO_IPV6));
	ck_assert_uint_eq(s->node.n_aliases, 2);
	ck_assert_str_eq(s->node.aliases[0], "gw.example.net");
	ck_assert_str_eq(s->node.aliases[1], "gw");
	ck_assert_uint_eq(nth(lab, 0)->node.n_aliases, 0);
	s = nth(lab, 2);
	ck_assert_int_eq(s->kind, STMT_LINK);
	ck_assert_str_eq(s->link.end[0].ref.node, "a");
	ck_assert_str_eq(s->link.end[1].ref.ifname, "eth0");
	ck_assert_uint_eq(s->link.end[0].addrs.n, 2);
	ck_assert_str_eq(addr_format(&s->link.end[0].addrs.v[1], true, buf, sizeof(buf)), "fd00::1/64");
	ck_assert(s->link.flags & LINK_HAS_MTU);
	ck_assert_uint_eq(s->link.mtu, 1400);
	s = nth(lab, 3);
	ck_assert_int_eq(s->route.r.dst.family, AF_INET);
	ck_assert_uint_eq(s->route.r.dst.prefixlen, 0);
	ck_assert(s->route.r.flags & ROUTE_HAS_GW);
	s = nth(lab, 4);
	ck_assert_int_eq(s->route.r.dst.family, AF_INET6);
	ck_assert_str_eq(s->route.r.dev, "eth0");
	ck_assert_uint_eq(s->route.r.table, 51820);
	ck_assert_uint_eq(s->route.r.metric, 7);
	s = nth(lab, 5);
	ck_assert(s->rule.r.flags & RULE_INVERT);
	ck_assert_uint_eq(s->rule.r.fwmark, 0xca6c);
	ck_assert_uint_eq(s->rule.r.table, 51820);
	s = nth(lab, 6);
	ck_assert_str_eq(s->sysctl.kv[0].key, "net.ipv4.conf.all.rp_filter");
	ck_assert_str_eq(s->sysctl.kv[0].value, "2");
	lab_free(lab);
}
END_TEST

START_TEST(test_scenario_lan_host_parts)
{
	struct lab *lab = load("node a\nnode b\n"
			       "lan home 192.168.1.0/24 fd00:1::/64 a:lan=.1 b:eth0=.10 a:x\n");
	struct stmt *s = nth(lab, 2);
	char buf[ADDR_STRLEN];

	ck_assert_uint_eq(s->lan.n_members, 3);
	ck_assert_str_eq(addr_format(&s->lan.members[1].addrs.v[0], true, buf, sizeof(buf)),
			 "192.168.1.10/24");
	ck_assert_str_eq(addr_format(&s->lan.members[1].addrs.v[1], true, buf, sizeof(buf)),
			 "fd00:1::10/64");
	ck_assert_uint_eq(s->lan.members[2].addrs.n, 0);
	lab_free(lab);
}
END_TEST

START_TEST(test_scenario_expectations_and_durations)
{
	struct lab *lab = load("node a\nnode b\n"
			       "link a:eth0 10.0.0.1/24 -- b:eth0 10.0.0.2/24\n"
			       "expect a reaches 10.0.0.2 tcp 22 within 1.5s\n"
			       "@neg expect a cannot reach 10.0.0.9 udp 53 for 300ms\n"
			       "wait 2m\n");
	struct stmt *s = nth(lab, 3);

	ck_assert_int_eq(s->expect.kind, EXPECT_REACH);
	ck_assert(!s->expect.negate);
	ck_assert_int_eq(s->expect.reach.proto, REACH_TCP);
	ck_assert_uint_eq(s->expect.reach.port, 22);
	ck_assert_uint_eq(s->expect.wait_ms, 1500);
	ck_assert_str_eq(s->expect.text, "a reaches 10.0.0.2 tcp 22 within 1.5s");
	s = nth(lab, 4);
	ck_assert_str_eq(s->label, "neg");
	ck_assert(s->expect.negate);
	ck_assert_uint_eq(s->expect.wait_ms, 300);
	ck_assert_uint_eq(nth(lab, 5)->wait.ms, 120000);
	ck_assert_uint_eq(lab->n_expects, 2);
	lab_free(lab);
}
END_TEST

START_TEST(test_scenario_blocks_and_twins)
{
	struct lab *lab = load("node r router\n"
			       "@fw firewall r <<\n"
			       "-P FORWARD DROP\n"
			       "-A FORWARD -i eth0 -j ACCEPT\n"
			       ">>\n"
			       "@e expect r route 10.0.0.1 unreachable\n"
			       "twin t \"why\" <<\n"
			       "drop-line \"-P FORWARD DROP\"\n"
			       "fails @e\n"
			       ">>\n");
	struct stmt *s = nth(lab, 1);

	ck_assert_int_eq(s->kind, STMT_FIREWALL);
	ck_assert_uint_eq(s->block.first_line, 3);
	ck_assert_str_eq(s->block.text, "-P FORWARD DROP\n-A FORWARD -i eth0 -j ACCEPT\n");
	ck_assert_ptr_nonnull(lab->first_twin);
	ck_assert_str_eq(lab->first_twin->name, "t");
	ck_assert_str_eq(lab->first_twin->why, "why");
	ck_assert_uint_eq(lab->first_twin->n_drop_line, 1);
	ck_assert_str_eq(lab->first_twin->fails[0], "e");
	lab_free(lab);
}
END_TEST

/* A firewall block's family: `ip6tables` or `iptables` on its first line,
 * else an ip6tables-save header; its IPv6 rules then validate (as IPv4
 * they would be errors: not an IPv4 address). */
struct fam_walk {
	char seen[256];
	char last[128];
	unsigned int stop_at;
};

/* Notes "line:family " (4, 6 or the error) and keeps the last line. */
static int fam_line(void *arg, const char *line, unsigned int ln, int family)
{
	struct fam_walk *w = arg;
	size_t n = strlen(w->seen);

	snprintf(w->seen + n, sizeof(w->seen) - n, "%u:%d ", ln,
		 family == AF_INET ? 4 : family == AF_INET6 ? 6 : family);
	snprintf(w->last, sizeof(w->last), "%s", line);
	return ln == w->stop_at ? -ECANCELED : 0;
}

START_TEST(test_scenario_firewall_family)
{
	struct lab *lab = load("node r\n"
			       "firewall r ip6tables <<\n"
			       "-A INPUT -s fd00::/64 -j ACCEPT\n"
			       ">>\n"
			       "firewall r iptables <<\n"
			       "-A INPUT -s 10.0.0.0/8 -j ACCEPT\n"
			       ">>\n"
			       "firewall r <<\n"
			       "# Generated by ip6tables-save v1.8.9 (nf_tables) on Mon Sep 25 10:00:00 2023\n"
			       "*filter\n"
			       ":INPUT DROP [0:0]\n"
			       "-A INPUT -s fd00::1/128 -p tcp -m tcp --dport 22 -j ACCEPT\n"
			       "COMMIT\n"
			       "# Completed on Mon Sep 25 10:00:00 2023\n"
			       "# Generated by iptables-save v1.8.9 (nf_tables) on Mon Sep 25 10:00:00 2023\n"
			       "*filter\n"
			       "-A INPUT -s 10.0.0.1/32 -j ACCEPT\n"
			       "COMMIT\n"
			       ">>\n"
			       "firewall r ip6tables -A INPUT -s fd00::2 -j DROP\n");
	const struct stmt_firewall *f = &nth(lab, 1)->firewall;
	struct fam_walk w = { 0 };

	ck_assert_int_eq(f->family, AF_INET6);
	ck_assert_ptr_null(f->rule);
	ck_assert_int_eq(parse_firewall_lines(nth(lab, 1), NULL, fam_line, &w), 0);
	ck_assert_str_eq(w.seen, "3:6 ");
	ck_assert_int_eq(nth(lab, 2)->firewall.family, AF_INET);
	/* Each line of a block without a word has the family of the last
	 * save header up to it (IPv4 before any); the lines handed out are
	 * text's, their families those of the lines as written. */
	f = &nth(lab, 3)->firewall;
	ck_assert_int_eq(f->family, 0);
	w.seen[0] = '\0';
	ck_assert_int_eq(parse_firewall_lines(nth(lab, 3), NULL, fam_line, &w), 0);
	ck_assert_str_eq(w.seen, "9:6 10:6 11:6 12:6 13:6 14:6 15:4 16:4 17:4 18:4 ");
	w.seen[0] = '\0';
	ck_assert_int_eq(parse_firewall_lines(nth(lab, 3), "\n\n\n\n\n\n-A INPUT -j DROP\n\n\n", fam_line, &w), 0);
	ck_assert_str_eq(w.seen, "9:6 10:6 11:6 12:6 13:6 14:6 15:4 16:4 17:4 ");
	ck_assert_str_eq(w.last, "");
	/* A single rule is IPv4 (the iptables parser reads a leading
	 * ip6tables word itself); fn's error stops the walk. */
	w.seen[0] = '\0';
	ck_assert_int_eq(parse_firewall_lines(nth(lab, 4), NULL, fam_line, &w), 0);
	ck_assert_str_eq(w.seen, "20:4 ");
	ck_assert_str_eq(w.last, "ip6tables -A INPUT -s fd00::2 -j DROP");
	w.seen[0] = '\0';
	w.stop_at = 10;
	ck_assert_int_eq(parse_firewall_lines(nth(lab, 3), NULL, fam_line, &w), -ECANCELED);
	ck_assert_str_eq(w.seen, "9:6 10:6 ");
	lab_free(lab);

}
END_TEST

START_TEST(test_scenario_include)
{
	struct diags d = { 0 };
	struct lab *lab = NULL;

	ck_assert_int_eq(scenario_load(tl_fixture_path("inc-main.lab"), &lab, &d), 0);
	ck_assert_uint_eq(lab->n_nodes, 2);
	ck_assert_str_eq(lab->first_stmt->loc.file, "tests/unit/fixtures/inc-nodes.lab");
	ck_assert_uint_eq(lab->last_stmt->loc.line, 3);
	ck_assert_int_eq(lab->last_stmt->kind, STMT_LINK);
	lab_free(lab);
	diag_free(&d);
}
END_TEST

START_TEST(test_scenario_default_name_and_every_catalogue_file)
{
	static const char *const files[] = { "scenarios/port-forward.lab", "scenarios/nat-hub.lab",
					     "scenarios/site-to-site.lab", "scenarios/hole-punch.lab",
					     "tests/integration/routed.lab" };
	struct lab *lab = load("node a\n");

	ck_assert_str_eq(lab->name, "t");
	lab_free(lab);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct diags d = { 0 };

		lab = NULL;
		ck_assert_msg(scenario_load(files[i], &lab, &d) == 0, "%s does not load", files[i]);
		ck_assert(lab->n_nodes > 1);
		lab_free(lab);
		diag_free(&d);
	}
}
END_TEST

Suite *scenario_suite(void)
{
	Suite *s = suite_create("scenario");
	TCase *lex = tcase_create("lexer"), *parse = tcase_create("parse");

	tcase_add_test(lex, test_lexer_words_and_columns);
	tcase_add_test(lex, test_lexer_escapes_and_hash_inside_words);
	tcase_add_test(parse, test_scenario_topology_model);
	tcase_add_test(parse, test_scenario_lan_host_parts);
	tcase_add_test(parse, test_scenario_expectations_and_durations);
	tcase_add_test(parse, test_scenario_blocks_and_twins);
	tcase_add_test(parse, test_scenario_firewall_family);
	tcase_add_test(parse, test_scenario_include);
	tcase_add_test(parse, test_scenario_default_name_and_every_catalogue_file);
	suite_add_tcase(s, lex);
	suite_add_tcase(s, parse);
	return s;
}
