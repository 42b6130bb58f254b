// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * Regressions for what the fuzzers (make fuzz) and the hostile inputs of
 * check_malformed.c found in the scenario, wg-quick and iptables parsers:
 * each test is the reduced input of one report.  Leaks are measured with glibc's mallinfo2(): the input is parsed
 * ten times to warm up (glibc's tcache keeps up to 7 freed chunks per size
 * and counts them as in use), then ten times more, and the heap in use must
 * not have grown (under ASan, mallinfo2 says nothing and LeakSanitizer
 * reports instead).
 */
#include <check.h>
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lab/diag.h"
#include "lab/model.h"
#include "lab/scenario.h"
#include "netns/fw.h"
#include "netns/wgconf.h"

extern Suite *hostile_suite(void);

/* Parses and validates text; returns scenario_load_text()'s result and
 * the first error (sorted as the CLI prints them) in first. */
static int load(const char *text, size_t len, char *first, size_t first_len)
{
	struct diags d = { 0 };
	struct lab *lab = NULL;
	int ret;

	ret = scenario_load_text("t.lab", text, len, &lab, &d);
	if (!ret)
		lab_free(lab);
	diag_sort(&d);
	if (first && d.first)
		snprintf(first, first_len, "%s:%u:%u: %s", d.first->file, d.first->line, d.first->col,
			 d.first->msg);
	else if (first)
		first[0] = '\0';
	diag_free(&d);
	return ret;
}

static size_t heap_in_use(void)
{
	return mallinfo2().uordblks;
}

#define WARMUP 10

/* Loads text 2 * WARMUP times; the heap must not grow in the second half. */
static void load_no_leak(const char *text, int want, const char *want_first)
{
	char first[512];
	size_t before;
	int i;

	ck_assert_int_eq(load(text, strlen(text), first, sizeof(first)), want);
	if (want_first)
		ck_assert_str_eq(first, want_first);
	for (i = 1; i < WARMUP; i++)
		load(text, strlen(text), NULL, 0);
	before = heap_in_use();
	for (i = 0; i < WARMUP; i++)
		load(text, strlen(text), NULL, 0);
	ck_assert_uint_eq(heap_in_use(), before);
}

/* "@x <<": the label of a block that opens for no statement leaked. */
START_TEST(test_hostile_label_on_bare_block)
{
	load_no_leak("node a\n@x <<\n>>\n", -EINVAL, "t.lab:2:4: '<<' opens a block for no statement");
}
END_TEST

/* "lan l 10.0.0.0/24 fd00:1::/64 ...": the IPv6 subnet, having a ':', was
 * taken for the first member ("interface name ':/64' has a character the
 * kernel refuses"). */
START_TEST(test_hostile_lan_ipv6_subnet)
{
	static const char text[] = "node a\nnode b\nlan l 10.0.0.0/24 fd00:1::/64 a:e=.10 b:e=fd00:1::7\n";
	const struct stmt_lan *l;
	struct diags d = { 0 };
	struct lab *lab = NULL;
	char buf[ADDR_STRLEN];

	ck_assert_int_eq(scenario_load_text("t.lab", text, strlen(text), &lab, &d), 0);
	ck_assert_int_eq(lab->last_stmt->kind, STMT_LAN);
	l = &lab->last_stmt->lan;
	ck_assert_uint_eq(l->subnets.n, 2);
	ck_assert_str_eq(addr_format(&l->subnets.v[1], true, buf, sizeof(buf)), "fd00:1::/64");
	ck_assert_uint_eq(l->n_members, 2);
	ck_assert_uint_eq(l->members[0].addrs.n, 2);
	ck_assert_str_eq(addr_format(&l->members[0].addrs.v[0], true, buf, sizeof(buf)), "10.0.0.10/24");
	ck_assert_str_eq(addr_format(&l->members[0].addrs.v[1], true, buf, sizeof(buf)), "fd00:1::10/64");
	ck_assert_uint_eq(l->members[1].addrs.n, 1);
	ck_assert_str_eq(addr_format(&l->members[1].addrs.v[0], true, buf, sizeof(buf)), "fd00:1::7/64");
	lab_free(lab);
	diag_free(&d);
	load_no_leak("node a\nlan l fd00:1::/64 a:e=.1 a:f=fd00:2::1\n", -EINVAL,
		     "t.lab:2:26: address 'fd00:2::1' is in none of the lan's subnets");
}
END_TEST

/* The same address twice in one list passed validation, for the kernel
 * to refuse with EEXIST at run time. */
START_TEST(test_hostile_address_twice_in_one_list)
{
	load_no_leak("node a\nlan l 10.0.0.0/24 a:e=.1,.1\n", -EINVAL,
		     "t.lab:2:19: address 10.0.0.1 is already on node 'a'");
	load_no_leak("node a\nlink a:e 10.0.0.1/24 10.0.0.1/24 -- a:f 10.0.0.2/24\n", -EINVAL,
		     "t.lab:2:6: address 10.0.0.1 is already on node 'a'");
}
END_TEST

enum gen { GEN_NODES, GEN_ADDRESSES, GEN_LABELS };

/* head, then n generated lines, then tail. */
static char *lines(enum gen g, size_t n, const char *head, const char *tail)
{
	size_t cap = strlen(head) + strlen(tail) + n * 64 + 1, len;
	char *buf = malloc(cap);

	ck_assert_ptr_nonnull(buf);
	len = (size_t)snprintf(buf, cap, "%s", head);
	for (size_t i = 0; i < n; i++) {
		if (g == GEN_NODES)
			len += (size_t)snprintf(buf + len, cap - len, "node n%zu\n", i);
		else if (g == GEN_ADDRESSES)
			len += (size_t)snprintf(buf + len, cap - len, "address a:e 10.%zu.%zu.1/24\n",
						i / 256, i % 256);
		else
			len += (size_t)snprintf(buf + len, cap - len, "@l%zu expect a reaches 10.0.0.1\n", i);
	}
	snprintf(buf + len, cap - len, "%s", tail);
	return buf;
}

static void load_first(char *text, const char *want)
{
	char first[256];

	ck_assert_int_eq(load(text, strlen(text), first, sizeof(first)), -EINVAL);
	ck_assert_str_eq(first, want);
	free(text);
}

/*
 * Validation compared every name, address and label with every earlier one:
 * 100 000 nodes took 35 s.  Each of these takes well under the 4 s test
 * timeout now.
 */
START_TEST(test_hostile_many_nodes_linear)
{
	load_first(lines(GEN_NODES, 100000, "", "node n5\n"),
		   "t.lab:100001:1: 'n5' is already defined at t.lab:6");
}
END_TEST

START_TEST(test_hostile_many_addresses_linear)
{
	load_first(lines(GEN_ADDRESSES, 60000, "node a\nlink a:e 10.250.0.1/24 -- a:f 10.250.0.2/24\n",
			 "address a:f 10.0.0.1/24\n"),
		   "t.lab:60003:9: address 10.0.0.1 is already on node 'a'");
}
END_TEST

START_TEST(test_hostile_many_labels_linear)
{
	load_first(lines(GEN_LABELS, 60000, "node a\n", "@l7 expect a reaches 10.0.0.2\n"),
		   "t.lab:60002:5: label '@l7' is already used at line 9");
}
END_TEST

Suite *hostile_suite(void)
{
	Suite *s = suite_create("hostile");
	TCase *tc = tcase_create("scenario");

	tcase_add_test(tc, test_hostile_label_on_bare_block);
	tcase_add_test(tc, test_hostile_lan_ipv6_subnet);
	tcase_add_test(tc, test_hostile_address_twice_in_one_list);
	suite_add_tcase(s, tc);
	tc = tcase_create("linear");
	tcase_add_test(tc, test_hostile_many_nodes_linear);
	tcase_add_test(tc, test_hostile_many_addresses_linear);
	tcase_add_test(tc, test_hostile_many_labels_linear);
	suite_add_tcase(s, tc);
	return s;
}
