/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_REPORT_RESULT_H
#define LAB_REPORT_RESULT_H

#include <stdbool.h>
#include <stddef.h>

/*
 * What a run found, as plain data: one scenario_result per scenario (or
 * twin), one result per expectation or step.  The runner fills them in;
 * the reports turn them into text, TAP, JUnit and JSON, and read JSON back.
 */

struct result {
	char *file;
	unsigned int line;
	char *label;
	char *text;			/* the statement as written */
	const char *kind;		/* "reach", "route", "run", ... */
	bool held;			/* what was observed */
	bool expect_fail;		/* a twin says it must not hold */
	bool passed;			/* held != expect_fail */
	bool skipped;			/* not reached: the run stopped before */
	char *evidence;
	double duration_ms;
	/* One pair of a set expectation: the set's statement (shared text,
	 * as written), this pair's index and the set's count of pairs. */
	char *set;
	size_t set_index, set_size;
};

struct scenario_result {
	char *file;
	char *name;
	char *description;
	char *twin;			/* twin name, or NULL */
	char *twin_why;
	bool passed;
	char *error;			/* build error ("file:line:col: ..."), or NULL */
	bool timed_out;			/* the time limit (--timeout) stopped the run, or cut
					 * short a statement that failed as it ran out */
	double parse_ms, build_ms, steps_ms, teardown_ms;
	struct result *results;
	size_t n_results;
	size_t n_passed, n_failed;
	char *datapath;			/* WireGuard data path that ran, or NULL */
	char **notes;			/* things the report must say (not applied...) */
	size_t n_notes;
};

struct reporter {
	void (*begin)(void *data, const struct scenario_result *sr);
	void (*result)(void *data, const struct scenario_result *sr, const struct result *r);
	void (*end)(void *data, const struct scenario_result *sr);
	void *data;
};

void scenario_result_free(struct scenario_result *sr);

#endif
