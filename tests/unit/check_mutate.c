// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* lab/mutate: the mutants planned for small scenarios.  A block opener
 * followed by a comment opens its block as the parser reads it (the twin's
 * too); a `for` line gets one set of mutants however many statements it
 * expands to; ACCEPT <-> DROP changes the verdict, never a label or a
 * comment that spells one. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "lab/lang/diag.h"
#include "lab/lang/model.h"
#include "lab/lang/scenario.h"
#include "lab/mutate/mutant.h"

extern Suite *mutate_suite(void);

static void plan(const char *text, struct mutants *ms)
{
	struct diags d = { 0 };
	struct lab *lab = NULL;

	ck_assert_msg(scenario_load_text("m.lab", text, strlen(text), &lab, &d) == 0, "%s",
		      d.first ? d.first->msg : "?");
	ck_assert_int_eq(mutate_plan("m.lab", text, strlen(text), lab, ms, &d), 0);
	diag_free(&d);
	lab_free(lab);
}

/* The mutant of line `line` described as `what`, or NULL. */
static const struct mutant *find(const struct mutants *ms, unsigned int line, const char *what)
{
	for (size_t i = 0; i < ms->n; i++)
		if (ms->v[i].line == line && !strcmp(ms->v[i].what, what))
			return &ms->v[i];
	return NULL;
}

static size_t count(const struct mutants *ms, unsigned int line, const char *what)
{
	size_t n = 0;

	for (size_t i = 0; i < ms->n; i++)
		n += ms->v[i].line == line && !strcmp(ms->v[i].what, what);
	return n;
}

START_TEST(test_mutate_opens_block)
{
	ck_assert(scenario_line_opens_block("firewall b <<", 13));
	ck_assert(scenario_line_opens_block("firewall b << # the guide's rules", 33));
	ck_assert(scenario_line_opens_block("twin x \"why\" <<\t# note", 22));
	ck_assert(!scenario_line_opens_block("run a -- echo \"<<\"", 18));
	ck_assert(!scenario_line_opens_block("# firewall b <<", 15));
	ck_assert(!scenario_line_opens_block("run a -- echo <<x", 17));
	ck_assert(scenario_line_closes_block("  >> \r", 6));
	ck_assert(!scenario_line_closes_block(">> # x", 6));
}
END_TEST

START_TEST(test_mutate_block_comment)
{
	static const char text[] = "lab m\n"
				   "node a\n"
				   "node b\n"
				   "link a:eth0 10.0.0.1/24 -- b:eth0 10.0.0.2/24\n"
				   "@fw firewall b << # the guide's rules\n"
				   "*filter\n"
				   "-A INPUT -p udp --dport 9 -j DROP\n"
				   "COMMIT\n"
				   ">>\n"
				   "@p expect a reaches 10.0.0.2\n"
				   "twin t \"x\" << # a note\n"
				   "drop @fw\n"
				   "fails @p\n"
				   ">>\n";
	struct mutants ms = { 0 };
	const struct mutant *m;

	plan(text, &ms);
	m = find(&ms, 5, "remove statement");
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(m->last, 9);
	ck_assert_ptr_nonnull(find(&ms, 7, "remove line"));
	ck_assert_ptr_nonnull(find(&ms, 7, "DROP -> ACCEPT"));
	ck_assert_ptr_nonnull(find(&ms, 7, "port 9 -> 10"));
	for (size_t i = 0; i < ms.n; i++)
		ck_assert_uint_lt(ms.v[i].line, 10);
	/* The twin, comment and all, is not part of what mutants run. */
	ck_assert_ptr_null(strstr(ms.base, "twin"));
	ck_assert_ptr_null(strstr(ms.base, "fails @p"));
	ck_assert_ptr_nonnull(strstr(ms.base, "*filter"));
	mutate_free(&ms);
}
END_TEST

START_TEST(test_mutate_for_line_once)
{
	static const char text[] = "lab m\n"
				   "let N = 3\n"
				   "for i in 1..$N: node p$i\n"
				   "lan net 10.64.0.0/24 p{i=1..$N}:eth0=.$i\n"
				   "for i in 1..$N: wireguard p$i:wg0 address ${10.200.0.0/24 + i} listen-port 51820\n"
				   "for i in 1..$N: for j in 1..$N: if i != j: peer p$i:wg0 p$j:wg0 "
				   "allowed-ips ${10.200.0.0/32 + j} endpoint p$j:51820\n"
				   "@mesh expect all p{1..$N}:wg0 reach each other within 5s\n";
	struct mutants ms = { 0 };

	plan(text, &ms);
	ck_assert_uint_eq(count(&ms, 3, "remove statement"), 1);
	ck_assert_uint_eq(count(&ms, 5, "remove statement"), 1);
	ck_assert_uint_eq(count(&ms, 5, "port 51820 -> 51821"), 1);
	ck_assert_uint_eq(count(&ms, 6, "remove statement"), 1);
	ck_assert_uint_eq(count(&ms, 6, "port 51820 -> 51821"), 1);
	/* node, lan, wireguard (remove, port), peer (remove, port): a let is no statement */
	ck_assert_uint_eq(ms.n, 6);
	mutate_free(&ms);
}
END_TEST

START_TEST(test_mutate_verdict_after_label)
{
	static const char text[] = "lab m\n"
				   "node a\n"
				   "node b\n"
				   "link a:eth0 10.0.0.1/24 -- b:eth0 10.0.0.2/24\n"
				   "@drop firewall b -A INPUT -p tcp --dport 23 -j DROP\n"
				   "@drop-ssh firewall b -A INPUT -p tcp --dport 22 -j ACCEPT\n"
				   "firewall b -A INPUT -m comment --comment \"drop it\" -p udp -j DROP\n"
				   "firewall b -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n"
				   "nft a <<\n"
				   "table inet f { chain i { type filter hook input priority 0; policy accept;\n"
				   "tcp dport 7 drop; } }\n"
				   ">>\n"
				   "expect a reaches 10.0.0.2\n";
	struct mutants ms = { 0 };
	const struct mutant *m;

	plan(text, &ms);
	m = find(&ms, 5, "DROP -> ACCEPT");
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->replace, "@drop firewall b -A INPUT -p tcp --dport 23 -j ACCEPT");
	ck_assert_ptr_null(find(&ms, 5, "drop -> accept"));
	m = find(&ms, 6, "ACCEPT -> DROP");
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->replace, "@drop-ssh firewall b -A INPUT -p tcp --dport 22 -j DROP");
	ck_assert_ptr_null(find(&ms, 6, "drop -> accept"));
	m = find(&ms, 7, "DROP -> ACCEPT");
	ck_assert_ptr_nonnull(m);
	ck_assert_ptr_nonnull(strstr(m->replace, "\"drop it\" -p udp -j ACCEPT"));
	ck_assert_ptr_null(find(&ms, 7, "drop -> accept"));
	ck_assert_ptr_null(find(&ms, 8, "ACCEPT -> DROP"));
	ck_assert_ptr_null(find(&ms, 8, "DROP -> ACCEPT"));
	/* nft: the first verdict word of the line */
	ck_assert_ptr_nonnull(find(&ms, 10, "accept -> drop"));
	ck_assert_ptr_nonnull(find(&ms, 11, "drop -> accept"));
	mutate_free(&ms);
}
END_TEST

Suite *mutate_suite(void)
{
	Suite *s = suite_create("mutate");
	TCase *tc = tcase_create("mutate_plan");

	tcase_add_test(tc, test_mutate_opens_block);
	tcase_add_test(tc, test_mutate_block_comment);
	tcase_add_test(tc, test_mutate_for_line_once);
	tcase_add_test(tc, test_mutate_verdict_after_label);
	suite_add_tcase(s, tc);
	return s;
}
