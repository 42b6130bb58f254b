/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_REPORT_H
#define LAB_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "lab/report/result.h"

/* Live reports, printed as results come: one line per expectation on a
 * terminal (text), or TAP 13. */
struct report_text {
	FILE *f;
	bool color;
	int verbose;
	/* Summary mode: of each scenario only its failures, at most
	 * REPORT_SUMMARY_FAILS of them, each on one line, and its closing
	 * line, so that a run of 10 000 expectations fits on a screen. */
	bool summary;
	size_t shown, hidden;		/* failures of the current scenario */
};
#define REPORT_SUMMARY_FAILS 10
void report_text_init(struct reporter *rep, struct report_text *rt);
/* The per-scenario closing line (called after teardown, with timings). */
void report_text_scenario_end(struct report_text *rt, const struct scenario_result *sr);

struct report_tap {
	FILE *f;
	unsigned int n;
};
void report_tap_init(struct reporter *rep, struct report_tap *rt);
void report_tap_finish(struct report_tap *rt, const struct scenario_result *const *v, size_t n);

/* Whole-run reports, written at the end. */
int report_json_write(FILE *f, const struct scenario_result *const *v, size_t n);
int report_junit_write(FILE *f, const struct scenario_result *const *v, size_t n);

/* Reads a JSON report back (as report_json_write() writes it): the
 * scenarios, allocated (scenario_result_free each, free the array).
 * -EINVAL with a message in err when it is not one. */
int report_json_read(const char *text, size_t len, struct scenario_result ***ret, size_t *ret_n,
		     char *err, size_t errlen);

/* Totals over every scenario: expectations passed and failed; a build
 * error without expectations counts as one failure. */
void report_totals(const struct scenario_result *const *v, size_t n, size_t *passed, size_t *failed);

/* Writes s with JSON escapes (no quotes around). */
void report_json_string(FILE *f, const char *s);
/* Writes s with XML escapes. */
void report_xml_string(FILE *f, const char *s);

#endif
