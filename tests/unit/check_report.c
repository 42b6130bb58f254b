// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* lab/report: the TAP and JUnit writers on synthetic results.  TAP: a '#'
 * or '\' in a description is escaped, so that no statement turns a failure
 * into a TODO or a SKIP; no control character or invalid UTF-8 reaches the
 * stream.  JUnit: <testsuites> is the sum of its <testsuite> elements. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab/report/report.h"

extern Suite *report_suite(void);

/* What a writer printed, as a string (caller frees). */
struct rep_out {
	FILE *f;
	char *buf;
	size_t len;
};

static void rep_open(struct rep_out *o)
{
	o->buf = NULL;
	o->len = 0;
	o->f = open_memstream(&o->buf, &o->len);
	ck_assert_ptr_nonnull(o->f);
}

static char *rep_close(struct rep_out *o)
{
	ck_assert_int_eq(fclose(o->f), 0);
	return o->buf;
}

/* A scenario "todo" of one failed result with text (and evidence), one
 * skipped one with evidence skip, and build error err (or NULL). */
static struct scenario_result *rep_scenario(const char *text, const char *evidence, const char *skip,
					    const char *err)
{
	struct scenario_result *sr = calloc(1, sizeof(*sr));

	ck_assert_ptr_nonnull(sr);
	sr->file = strdup("todo.lab");
	sr->name = strdup("todo");
	sr->error = err ? strdup(err) : NULL;
	sr->n_results = 2;
	sr->results = calloc(2, sizeof(*sr->results));
	ck_assert_ptr_nonnull(sr->results);
	for (size_t i = 0; i < 2; i++) {
		sr->results[i].file = strdup("todo.lab");
		sr->results[i].line = 3 + (unsigned int)i;
		sr->results[i].text = strdup(text);
		sr->results[i].kind = "run";
		sr->results[i].evidence = strdup(i ? skip : evidence);
	}
	sr->results[1].skipped = true;
	sr->n_failed = 2;
	return sr;
}

static char *rep_tap(const struct scenario_result *sr)
{
	struct reporter rep = { 0 };
	struct report_tap rt = { 0 };
	struct rep_out o;

	rep_open(&o);
	rt.f = o.f;
	report_tap_init(&rep, &rt);
	rep.begin(rep.data, sr);
	for (size_t i = 0; i < sr->n_results; i++)
		rep.result(rep.data, sr, &sr->results[i]);
	report_tap_finish(&rt, &sr, 1);
	return rep_close(&o);
}

static const struct {
	const char *text, *line;
} tap_hashes[] = {
	{ "run a -- sh -c exit 1 # TODO", "not ok 1 - todo: todo.lab:3 run a -- sh -c exit 1 \\# TODO\n" },
	{ "run a -- sh -c exit 1 # SKIP", "not ok 1 - todo: todo.lab:3 run a -- sh -c exit 1 \\# SKIP\n" },
	{ "expect a gets http://b/#x", "not ok 1 - todo: todo.lab:3 expect a gets http://b/\\#x\n" },
	/* A backslash before the '#' cannot escape it either. */
	{ "run a -- echo \\# TODO", "not ok 1 - todo: todo.lab:3 run a -- echo \\\\\\# TODO\n" },
	{ "run a -- echo \\", "not ok 1 - todo: todo.lab:3 run a -- echo \\\\\n" },
};

START_TEST(test_report_tap_escapes_hash)
{
	struct scenario_result *sr = rep_scenario(tap_hashes[_i].text, "exit 1", "not run", NULL);
	char *out = rep_tap(sr);

	ck_assert_msg(strstr(out, tap_hashes[_i].line), "no line '%s' in:\n%s", tap_hashes[_i].line, out);
	/* The skipped one keeps its directive, with the description escaped. */
	ck_assert_msg(strstr(out, ":4 ") && strstr(strstr(out, ":4 "), " # SKIP not run\n"), "%s", out);
	free(out);
	scenario_result_free(sr);
}
END_TEST

START_TEST(test_report_tap_escapes_controls)
{
	/* ESC, BEL, CR, a C1 control (U+0085) and a byte that is no UTF-8,
	 * in a statement, evidence, a skip's reason and a build error. */
	static const char hostile[] = "x\033[31mRED\rnot ok 77 - CR\033]0;t\007 \302\205 \377 end";
	struct scenario_result *sr = rep_scenario(hostile, hostile, hostile, hostile);
	char *out = rep_tap(sr);

	for (const unsigned char *p = (const unsigned char *)out; *p; p++)
		ck_assert_msg((*p >= 0x20 && *p < 0x7f) || *p == '\n', "byte 0x%02x at %zu in:\n%s", *p,
			      (size_t)(p - (const unsigned char *)out), out);
	ck_assert_ptr_nonnull(strstr(out, "# SKIP x\\x1b[31mRED\\x0dnot ok 77 - CR\\x1b]0;t\\x07 \\u0085 \\xff end\n"));
	ck_assert_ptr_nonnull(strstr(out, "# todo: x\\x1b[31mRED\\x0dnot ok 77"));
	ck_assert_ptr_null(strstr(out, "\nnot ok 77"));
	free(out);
	scenario_result_free(sr);
	/* A build error with no expectation: a test point of its own. */
	sr = rep_scenario("", "", "", hostile);
	sr->n_results = 0;
	sr->n_failed = 0;
	for (size_t i = 0; i < 2; i++) {
		free(sr->results[i].file);
		free(sr->results[i].text);
		free(sr->results[i].evidence);
	}
	out = rep_tap(sr);
	for (const unsigned char *p = (const unsigned char *)out; *p; p++)
		ck_assert_msg((*p >= 0x20 && *p < 0x7f) || *p == '\n', "byte 0x%02x in:\n%s", *p, out);
	ck_assert_ptr_nonnull(strstr(out, "not ok 1 - todo: build\n"));
	free(out);
	scenario_result_free(sr);
}
END_TEST

/* The value of attribute name in the first element tag of s. */
static size_t rep_attr(const char *s, const char *tag, const char *name)
{
	const char *t = strstr(s, tag), *end, *a;
	char key[64];

	ck_assert_ptr_nonnull(t);
	end = strchr(t, '>');
	snprintf(key, sizeof(key), " %s=\"", name);
	a = strstr(t, key);
	ck_assert_msg(a && a < end, "no %s in %.*s", name, (int)(end - t + 1), t);
	return strtoul(a + strlen(key), NULL, 10);
}

START_TEST(test_report_junit_totals)
{
	/* One scenario with a failure, a skipped result and a build error;
	 * one that passed; one with a build error only. */
	struct scenario_result *v[3];
	static const char *const attrs[] = { "tests", "failures", "errors", "skipped" };
	struct rep_out o;
	char *out;

	v[0] = rep_scenario("run a -- false", "exit 1", "not run", "err.lab:4:1: broken");
	v[1] = rep_scenario("run a -- true", "", "", NULL);
	v[1]->results[0].passed = v[1]->results[1].passed = true;
	v[1]->results[1].skipped = false;
	v[1]->n_failed = 0;
	v[1]->n_passed = 2;
	v[2] = rep_scenario("", "", "", "err.lab:2:1: no such node");
	v[2]->n_results = v[2]->n_failed = 0;
	rep_open(&o);
	ck_assert_int_eq(report_junit_write(o.f, (const struct scenario_result *const *)v, 3), 0);
	out = rep_close(&o);
	for (size_t a = 0; a < sizeof(attrs) / sizeof(attrs[0]); a++) {
		size_t sum = 0;

		for (const char *p = strstr(out, "<testsuite "); p; p = strstr(p + 1, "<testsuite "))
			sum += rep_attr(p, "<testsuite ", attrs[a]);
		ck_assert_msg(rep_attr(out, "<testsuites ", attrs[a]) == sum, "%s: root %zu, suites %zu in:\n%s",
			      attrs[a], rep_attr(out, "<testsuites ", attrs[a]), sum, out);
	}
	ck_assert_uint_eq(rep_attr(out, "<testsuites ", "tests"), 3 + 2 + 1);
	ck_assert_uint_eq(rep_attr(out, "<testsuites ", "failures"), 1);
	ck_assert_uint_eq(rep_attr(out, "<testsuites ", "errors"), 2);
	ck_assert_uint_eq(rep_attr(out, "<testsuites ", "skipped"), 1);
	free(out);
	v[2]->n_results = 2;
	for (size_t i = 0; i < 3; i++)
		scenario_result_free(v[i]);
}
END_TEST

/* timed_out goes through JSON (wglab mutate's workers report that way):
 * a mutant the time limit stopped is not a killed one. */
START_TEST(test_report_json_timed_out)
{
	struct scenario_result *sr = rep_scenario("x", "y", "z", "todo.lab:4: the scenario's time limit ran out");
	const struct scenario_result *const v[] = { sr };
	struct scenario_result **back = NULL;
	struct rep_out o;
	char err[128], *text;
	size_t n = 0;

	for (int on = 0; on < 2; on++) {
		sr->timed_out = on;
		rep_open(&o);
		ck_assert_int_eq(report_json_write(o.f, v, 1), 0);
		text = rep_close(&o);
		ck_assert_int_eq(report_json_read(text, strlen(text), &back, &n, err, sizeof(err)), 0);
		ck_assert_uint_eq(n, 1);
		ck_assert_int_eq(back[0]->timed_out, on);
		scenario_result_free(back[0]);
		free(back);
		free(text);
	}
	scenario_result_free(sr);
}
END_TEST

Suite *report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("report_tap");

	tcase_add_loop_test(tc, test_report_tap_escapes_hash, 0, sizeof(tap_hashes) / sizeof(tap_hashes[0]));
	tcase_add_test(tc, test_report_tap_escapes_controls);
	suite_add_tcase(s, tc);
	tc = tcase_create("report_junit_write");
	tcase_add_test(tc, test_report_junit_totals);
	suite_add_tcase(s, tc);
	tc = tcase_create("report_json");
	tcase_add_test(tc, test_report_json_timed_out);
	suite_add_tcase(s, tc);
	return s;
}
