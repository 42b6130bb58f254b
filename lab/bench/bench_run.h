/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_BENCH_RUN_H
#define LAB_BENCH_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct bench;
struct bench_combo;

/* One scenario of a bench (bench_run.c), run statement by statement
 * through the runner so each build phase is timed. */

/* The build phases, in the order a run goes through them:
 * "phase namespaces", ... "phase teardown". */
extern const char *const bench_phase_names[];
extern const size_t bench_n_phases;

/* Runs one combination `repeat` times into b; progress (may be NULL)
 * gets a \r-updated line.  0, or -errno when interrupted. */
struct bench_opts {
	bool iperf3;			/* iperf3 beside every throughput measurement */
	unsigned int repeat;
	FILE *progress;
};
int bench_scenario(struct bench *b, const char *file, const struct bench_combo *c, const struct bench_opts *o,
		   unsigned int *done, unsigned int total);

#endif
