/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_BENCH_REPORT_H
#define LAB_BENCH_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct bench;
struct bench_series;

/* A bench as a table, as JSON and read back from it, and compared with an
 * earlier one (bench_report.c). */

void bench_print_table(FILE *f, const struct bench *b, const struct bench *baseline, double tolerance);
int bench_write_json(FILE *f, const struct bench *b);
/* Reads a file bench_write_json() wrote (medians, min, max).  0 or -errno
 * (-EBADMSG: not a bench JSON). */
int bench_read_json(const char *path, struct bench *ret);

/* A change from the baseline's median: relative (0.12 = +12 %), and whether
 * it is beyond tolerance and for the worse. */
struct bench_delta {
	bool found;
	double rel;
	bool beyond;
	bool worse;
};
void bench_compare(const struct bench_series *cur, const struct bench *baseline, double tolerance,
		   struct bench_delta *ret);
/* How many series changed for the worse beyond tolerance. */
size_t bench_regressions(const struct bench *b, const struct bench *baseline, double tolerance);

#endif
