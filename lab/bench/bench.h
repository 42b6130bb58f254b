/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_BENCH_H
#define LAB_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct lab;

/*
 * `wglab bench`: every scenario in every combination (WireGuard data path,
 * tunnel MTU) N times; each measurement (throughput and latency
 * expectations, iperf3 beside them, build phases) becomes a series whose
 * median, min and max are reported as a table, JSON and an SVG chart, and
 * compared with an earlier JSON.
 */

/* One combination of the matrix: wg NULL / mtu 0 when the scenario has no
 * WireGuard (they change nothing there). */
struct bench_combo {
	const char *wg;			/* "kernel", "userspace" */
	unsigned int mtu;
};

/* Splits "kernel,userspace" and "1280,1420" (either NULL: the scenario's
 * own) into combinations for a scenario with or without WireGuard.
 * ret is allocated (caller frees), pointing into wg_list's copy in
 * *ret_words (caller frees).  0 or -EINVAL (a bad MTU or wg mode). */
int bench_matrix(const char *wg_list, const char *mtu_list, bool has_wg, struct bench_combo **ret,
		 size_t *ret_n, char **ret_words);
/* Sets the MTU of every WireGuard interface the lab creates (wireguard
 * and wg-quick statements).  Returns how many it changed. */
size_t bench_override_mtu(struct lab *lab, unsigned int mtu);
bool bench_lab_has_wg(const struct lab *lab);

/* A measured quantity of one combination. */
struct bench_series {
	char *scenario;			/* the lab's name */
	char *variant;			/* "userspace mtu 1280", or "" */
	char *measure;			/* "tcp a>b", "iperf3 tcp a>b", "rtt p99 a>b", "phase namespaces" */
	char *unit;			/* "Mbit/s", "ms" */
	bool higher_better;
	double *v;
	size_t n;
	/* filled by bench_stats() */
	double median, min, max;
};

struct bench_env {
	char kernel[128];
	char cpu[128];
	long cores;
	char wireguard[256];		/* data paths that ran, "; "-separated */
};

struct bench {
	struct bench_series *s;
	size_t n;
	struct bench_env env;
	unsigned int repeat;
	char **errors;			/* "veth.lab kernel: Unable to ..." */
	size_t n_errors;
};

void bench_init(struct bench *b);
void bench_free(struct bench *b);
/* Adds value v to the series (scenario, variant, measure), made on first use. */
void bench_add(struct bench *b, const char *scenario, const char *variant, const char *measure,
	       const char *unit, bool higher_better, double v);
void bench_error(struct bench *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Median (mean of the middle two for an even count), min, max of every
 * series. */
void bench_stats(struct bench *b);
double bench_median(double *v, size_t n);
void bench_env_read(struct bench_env *env);
void bench_env_add_wireguard(struct bench_env *env, const char *datapath);

/* The build phases, in the order a run goes through them (bench_run.c):
 * "phase namespaces", ... "phase teardown". */
extern const char *const bench_phase_names[];
extern const size_t bench_n_phases;

/* Runs one combination `repeat` times into b (bench_run.c); progress
 * (may be NULL) gets a \r-updated line.  0, or -errno when interrupted. */
struct bench_opts {
	bool iperf3;			/* iperf3 beside every throughput measurement */
	unsigned int repeat;
	FILE *progress;
};
int bench_scenario(struct bench *b, const char *file, const struct bench_combo *c, const struct bench_opts *o,
		   unsigned int *done, unsigned int total);

/* Reports (bench_report.c). */
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

/* The chart (bench_svg.c): one panel per unit, groups per measure, a bar
 * per scenario variant with min-max error bars. */
int bench_write_svg(FILE *f, const struct bench *b);

/* `wglab bench build` (bench_build.c). */
struct bench_build_result {
	unsigned int nodes;
	double build_ms, teardown_close_ms, teardown_gone_ms;
	double netns_us, veth_us, addr_up_us;	/* per node */
	unsigned int dellinks;		/* RTM_DELLINK seen on the hub */
};
/* Builds a star of nodes (namespace, veth into a hub, /30 on both ends,
 * both up), then frees it and counts the hub's RTM_DELLINK until every
 * node's veth is gone.  0 or -errno; what (if not NULL) names the failing
 * step. */
int bench_build_star(unsigned int nodes, struct bench_build_result *ret, const char **what);

#endif
