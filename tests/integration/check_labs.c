// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * The integration scenarios (the .lab files of tests/integration): each builds, runs
 * and passes every expectation (routed.lab, product.lab: a product in the
 * loop, endpoint-v6.lab: node names as endpoints on an IPv6-only
 * underlay).  A file may also say what some evidence must contain, and
 * what one of the run's notes must:
 *	# evidence @label: substring
 *	# note: substring
 */
#include <check.h>
#include <glob.h>
#include <stdio.h>
#include <string.h>

#include "lab/lang/diag.h"
#include "lab/lang/model.h"
#include "lab/lang/scenario.h"
#include "lab/report/result.h"
#include "lab/run/runner.h"

Suite *labs_suite(void);

static glob_t lab_files;

/* Every `# evidence @label: text` of path: the result labelled so holds
 * and its evidence contains text; every `# note: text`: a note of the run
 * contains it. */
static void check_evidence(const char *path, const struct scenario_result *sr)
{
	char line[512], label[64], want[256];
	FILE *f = fopen(path, "re");

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f)) {
		bool seen = false;

		if (sscanf(line, "# note: %255[^\n]", want) == 1) {
			for (size_t i = 0; i < sr->n_notes && !seen; i++)
				seen = strstr(sr->notes[i], want);
			ck_assert_msg(seen, "%s: no note says '%s'", path, want);
			continue;
		}
		if (sscanf(line, "# evidence @%63[^:]: %255[^\n]", label, want) != 2)
			continue;
		for (size_t i = 0; i < sr->n_results; i++) {
			const struct result *res = &sr->results[i];

			if (!res->label || strcmp(res->label, label))
				continue;
			seen = true;
			ck_assert_msg(strstr(res->evidence, want), "%s @%s: evidence lacks '%s': %s",
				      path, label, want, res->evidence);
		}
		ck_assert_msg(seen, "%s: no result is labelled @%s", path, label);
	}
	fclose(f);
}

START_TEST(test_labs_pass)
{
	const char *path = lab_files.gl_pathv[_i];
	struct run_opts o = { .wg = "auto" };
	const struct scenario_result *sr;
	struct diags d = { 0 };
	struct lab *lab = NULL;
	struct run *r = NULL;

	ck_assert_msg(scenario_load(path, &lab, &d) == 0, "%s does not parse: %u: %s", path,
		      d.first ? d.first->line : 0, d.first ? d.first->msg : "");
	ck_assert_int_eq(run_new(&r, lab, NULL, &o, NULL), 0);
	run_steps(r);
	run_teardown(r);
	sr = run_result(r);
	ck_assert_msg(!sr->error, "%s: %s", path, sr->error);
	ck_assert_uint_gt(sr->n_results, 0);
	for (size_t i = 0; i < sr->n_results; i++)
		ck_assert_msg(sr->results[i].held, "%s:%u failed: %s", path, sr->results[i].line,
			      sr->results[i].evidence);
	check_evidence(path, sr);
	run_free(r);
}
END_TEST

Suite *labs_suite(void)
{
	Suite *s = suite_create("labs");
	TCase *tc = tcase_create("pass");

	if (glob("tests/integration/*.lab", 0, NULL, &lab_files))
		lab_files.gl_pathc = 0;
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_labs_pass, 0, (int)lab_files.gl_pathc);
	suite_add_tcase(s, tc);
	return s;
}
