/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_BENCH_H
#define LAB_BENCH_H

#include <stdbool.h>
#include <stddef.h>

/*
 * `wglab bench`: every scenario in every combination (WireGuard data path,
 * tunnel MTU) N times; each measurement (throughput and latency
 * expectations, iperf3 beside them, build phases) becomes a series whose
 * median, min and max are reported as a table, JSON and an SVG chart, and
 * compared with an earlier JSON.  This header holds the measurements and
 * the machine they were taken on (bench_data.c); the matrix, the runs,
 * the reports, the chart and `bench build` have headers of their own.
 */

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

#endif
