// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * The harness self-tests: every .lab file in tests/selftest/ must fail, and for the
 * reason it states.  A file says which expectations must fail and what
 * their evidence must contain with comment lines
 *	# must-fail @label: substring
 * (several for one label: its evidence must contain each), and what it
 * must not contain with
 *	# must-not-say @label: substring
 * Every other expectation must pass, so a self-test cannot fail for an
 * unrelated reason (a typo, a build error) and still count.
 */
#include <check.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab/lang/diag.h"
#include "lab/lang/model.h"
#include "lab/run/runner.h"
#include "lab/lang/scenario.h"

#define MAX_MUST 16

struct must_fail {
	char label[64];
	char why[256];
	bool not;
	bool seen;
};

static glob_t files;

static size_t read_directives(const char *path, struct must_fail *v)
{
	char line[512];
	size_t n = 0;
	FILE *f = fopen(path, "re");

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f) && n < MAX_MUST) {
		if (sscanf(line, "# must-fail @%63[^:]: %255[^\n]", v[n].label, v[n].why) == 2)
			n++;
		else if (sscanf(line, "# must-not-say @%63[^:]: %255[^\n]", v[n].label, v[n].why) == 2)
			v[n++].not = true;
	}
	fclose(f);
	return n;
}

START_TEST(test_selftest_fails_for_its_reason)
{
	const char *path = files.gl_pathv[_i];
	struct must_fail must[MAX_MUST] = { 0 };
	struct run_opts o = { .wg = "auto" };
	const struct scenario_result *sr;
	struct diags d = { 0 };
	struct lab *lab = NULL;
	struct run *r = NULL;
	size_t n_must = read_directives(path, must);

	ck_assert_msg(n_must > 0, "%s states no `# must-fail @label: reason`", path);
	ck_assert_msg(scenario_load(path, &lab, &d) == 0, "%s does not parse: %s:%u: %s", path,
		      d.first ? d.first->file : "", d.first ? d.first->line : 0,
		      d.first ? d.first->msg : "");
	ck_assert_int_eq(run_new(&r, lab, NULL, &o, NULL), 0);
	run_steps(r);
	run_teardown(r);
	sr = run_result(r);
	ck_assert_msg(!sr->error, "%s: %s", path, sr->error);
	for (size_t i = 0; i < sr->n_results; i++) {
		const struct result *res = &sr->results[i];
		bool named = false;

		/* Every directive of the label: each gives a substring its
		 * evidence must contain. */
		for (size_t k = 0; k < n_must; k++) {
			struct must_fail *m = &must[k];

			if (!res->label || strcmp(res->label, m->label))
				continue;
			named = m->seen = true;
			ck_assert_msg(!res->held, "%s:%u (@%s) held but must fail: %s", path, res->line,
				      m->label, res->evidence);
			if (m->not)
				ck_assert_msg(!strstr(res->evidence, m->why), "%s:%u (@%s) says '%s': %s", path,
					      res->line, m->label, m->why, res->evidence);
			else
				ck_assert_msg(strstr(res->evidence, m->why), "%s:%u (@%s) failed for another reason: %s",
					      path, res->line, m->label, res->evidence);
		}
		if (!named)
			ck_assert_msg(res->passed, "%s:%u: control expectation failed: %s", path, res->line,
				      res->evidence);
	}
	for (size_t k = 0; k < n_must; k++)
		ck_assert_msg(must[k].seen, "%s: no expectation is labelled @%s", path, must[k].label);
	run_free(r);
	lab_free(lab);
	diag_free(&d);
}
END_TEST

extern Suite *selftest_suite(void);
Suite *selftest_suite(void)
{
	Suite *s = suite_create("selftest");
	TCase *tc = tcase_create("must_fail");

	if (glob("tests/selftest/*.lab", 0, NULL, &files))
		files.gl_pathc = 0;
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_selftest_fails_for_its_reason, 0, (int)files.gl_pathc);
	suite_add_tcase(s, tc);
	return s;
}
