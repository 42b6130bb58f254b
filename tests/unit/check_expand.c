// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* Values, repetition and set expectations (lab/lang/expand.c, expr.c,
 * parse_set.c): what a line expands into, and its errors. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lab/lang/diag.h"
#include "lab/lang/expr.h"
#include "lab/lang/model.h"
#include "lab/lang/scenario.h"

static const char *no_names(void *data, const char *name, size_t len, bool *ret_list)
{
	(void)data;
	(void)name;
	(void)len;
	*ret_list = false;
	return NULL;
}

static void eval_is(const char *text, const char *want)
{
	struct expr_error e = { 0 };
	char *got = NULL;

	ck_assert_msg(expr_eval(text, strlen(text), no_names, NULL, &got, &e) == 0, "%s: %s", text, e.msg);
	ck_assert_str_eq(got, want);
	free(got);
}

START_TEST(test_expr_addresses)
{
	eval_is("10.64.0.2/30 + 4*7", "10.64.0.30/30");
	eval_is("10.0.0.255 + 1", "10.0.1.0");
	eval_is("10.0.1.0 - 10.0.0.0", "256");
	eval_is("fd00::1 + 16", "fd00::11");
	eval_is("(2 + 3) * 4 % 7", "6");
}
END_TEST

START_TEST(test_expr_errors)
{
	struct expr_error e = { 0 };
	char *got = NULL;

	ck_assert_int_lt(expr_eval("1 / 0", 5, no_names, NULL, &got, &e), 0);
	ck_assert_ptr_null(got);
	ck_assert_int_lt(expr_eval("255.255.255.255 + 1", 19, no_names, NULL, &got, &e), 0);
	ck_assert_ptr_null(got);
}
END_TEST

static size_t count(const struct lab *lab, enum stmt_kind kind)
{
	size_t n = 0;

	for (const struct stmt *s = lab->first_stmt; s; s = s->next)
		n += s->kind == kind;
	return n;
}

START_TEST(test_mesh_expands)
{
	static const char text[] =
		"lab m\n"
		"let N = 5\n"
		"node core router\n"
		"for i in 1..$N: node p$i\n"
		"for i in 1..$N: link p$i:eth0 ${10.64.0.2/30 + 4*i} -- core:e$i ${10.64.0.1/30 + 4*i}\n"
		"for i in 1..$N: wireguard p$i:wg0 address ${10.200.0.0/16 + i} listen-port 51820\n"
		"for i in 1..$N: for j in 1..$N: if i != j: peer p$i:wg0 p$j:wg0 allowed-ips ${10.200.0.0/32 + j}\n"
		"@mesh expect all p{1..$N}:wg0 reach each other\n"
		"expect all p1 p2 reach 10.64.0.9 tcp 80 -4 within 1s\n";
	struct diags d = { 0 };
	struct lab *lab = NULL;
	const struct stmt *s;

	ck_assert_msg(scenario_load_text("m.lab", text, strlen(text), &lab, &d) == 0, "%s",
		      d.first ? d.first->msg : "");
	ck_assert_uint_eq(count(lab, STMT_NODE), 6);
	ck_assert_uint_eq(count(lab, STMT_PEER), 20);
	for (s = lab->first_stmt; s && s->kind != STMT_EXPECT; s = s->next)
		;
	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_nonnull(s->expect.set);
	ck_assert_str_eq(s->label, "mesh");
	ck_assert_uint_eq(s->expect.set->n_src, 5);
	ck_assert_uint_eq(s->expect.set->n_dst, 0);
	ck_assert_uint_eq(s->expect.set->n_pairs, 20);
	s = s->next;
	ck_assert_uint_eq(s->expect.set->n_src, 2);
	ck_assert_uint_eq(s->expect.set->n_dst, 1);
	ck_assert_uint_eq(s->expect.set->n_pairs, 2);
	ck_assert_int_eq(s->expect.reach.proto, REACH_TCP);
	lab_free(lab);
	diag_free(&d);
}
END_TEST

/* An error in a repeated statement names the iteration; nothing loads. */
START_TEST(test_error_names_iteration)
{
	static const char text[] =
		"lab m\n"
		"node a\n"
		"node b\n"
		"for i in 1..3: link a:e$i 10.0.$i.1/24 -- b:e$i 10.0.${i*100}.2/24\n";
	struct diags d = { 0 };
	struct lab *lab = NULL;

	ck_assert_int_lt(scenario_load_text("m.lab", text, strlen(text), &lab, &d), 0);
	ck_assert_ptr_nonnull(d.first);
	ck_assert_uint_eq(d.first->line, 4);
	ck_assert_msg(strstr(d.first->msg, "for i=3") && strstr(d.first->msg, "10.0.300.2/24"), "%s", d.first->msg);
	ck_assert_ptr_null(d.first->next);
	lab_free(lab);
	diag_free(&d);
}
END_TEST

START_TEST(test_limit_is_an_error_at_its_line)
{
	static const char text[] = "lab m\nnode x\nfor i in 1..9000: node n$i\n";
	struct diags d = { 0 };
	struct lab *lab = NULL;

	ck_assert_int_lt(scenario_load_text("m.lab", text, strlen(text), &lab, &d), 0);
	ck_assert_uint_eq(d.first->line, 3);
	ck_assert_msg(strstr(d.first->msg, "8192"), "%s", d.first->msg);
	lab_free(lab);
	diag_free(&d);
}
END_TEST

static char *expand_file(const char *path, const char *text, struct lab **ret)
{
	struct diags d = { 0 };
	char *out = NULL;
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_msg(scenario_load_expanded(path, ret, &out, &d) == 0, "%s:%u:%u: %s\n%s", path,
		      d.first ? d.first->line : 0, d.first ? d.first->col : 0, d.first ? d.first->msg : "", text);
	diag_free(&d);
	return out;
}

/* check --expand's output parses again to the same statements, and
 * expands to itself: $$ stays $$, and a label on a line that made several
 * statements stays on all of them (@r+). */
START_TEST(test_expand_round_trip)
{
	static const char text[] =
		"lab m \"costs $$5\"\n"
		"let N = 3\n"
		"node a\n"
		"node b\n"
		"link a:eth0 10.0.0.1/24 -- b:eth0 10.0.0.2/24\n"
		"@r for i in 1..$N: route a ${10.9.0.0/24 + 256*i} via 10.0.0.2\n"
		"run a -- sh -c \"echo $$HOME > /dev/null\"\n"
		"@e for i in 1..2: expect a reaches 10.0.0.2 tcp ${8000+i}\n"
		"twin t \"no routes, no failure: it must fail\" <<\n"
		"drop @r\n"
		"fails @e\n"
		">>\n";
	char dir[] = "/tmp/check_expand.XXXXXX", a[64], b[64];
	struct lab *la = NULL, *lb = NULL;
	const struct stmt *s, *t;
	char *one, *two;
	size_t n = 0;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(a, sizeof(a), "%s/a.lab", dir);
	snprintf(b, sizeof(b), "%s/b.lab", dir);
	one = expand_file(a, text, &la);
	ck_assert_msg(strstr(one, "echo $$HOME"), "%s", one);
	two = expand_file(b, one, &lb);
	ck_assert_str_eq(two, one);
	for (s = la->first_stmt, t = lb->first_stmt; s && t; s = s->next, t = t->next, n++) {
		ck_assert_int_eq(s->kind, t->kind);
		ck_assert_str_eq(s->label ? s->label : "", t->label ? t->label : "");
	}
	ck_assert_ptr_null(s);
	ck_assert_ptr_null(t);
	ck_assert_uint_eq(n, 9);
	ck_assert_str_eq(lb->description, la->description);
	free(one);
	free(two);
	lab_free(la);
	lab_free(lb);
	unlink(a);
	unlink(b);
	rmdir(dir);
}
END_TEST

Suite *expand_suite(void);
Suite *expand_suite(void)
{
	Suite *s = suite_create("expand");
	TCase *tc = tcase_create("expand");

	tcase_add_test(tc, test_expr_addresses);
	tcase_add_test(tc, test_expr_errors);
	tcase_add_test(tc, test_mesh_expands);
	tcase_add_test(tc, test_error_names_iteration);
	tcase_add_test(tc, test_limit_is_an_error_at_its_line);
	tcase_add_test(tc, test_expand_round_trip);
	suite_add_tcase(s, tc);
	return s;
}
