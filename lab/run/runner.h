/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_RUNNER_H
#define LAB_RUNNER_H

#include <stdbool.h>
#include <stddef.h>

struct lab;
struct twin;

/*
 * A run orders one scenario: build and steps in statement order, results
 * as they come, teardown on every path.  Results are plain data that the
 * reports (lab/report_*.c) turn into text, TAP, JUnit and JSON.
 */

struct run_opts {
	const char *wg;			/* "auto", "kernel", "userspace[=PATH]" */
	const char *artifacts;		/* directory for logs and pcaps, or NULL */
	unsigned int timeout_ms;	/* whole scenario; 0: none */
	bool capture;			/* keep every capture, not only on failure */
	int verbose;
};

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
};

struct scenario_result {
	char *file;
	char *name;
	char *description;
	char *twin;			/* twin name, or NULL */
	char *twin_why;
	bool passed;
	char *error;			/* build error ("file:line:col: ..."), or NULL */
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

struct run;

/* A run of lab, or of one of its twins (twin non-NULL).  The run keeps a
 * pointer to lab, which must outlive it. */
int run_new(struct run **ret, struct lab *lab, const struct twin *twin, const struct run_opts *o,
	    const struct reporter *rep);
/* Builds and runs every statement.  0 when the run went to the end (see
 * the result for failures), -errno on a build error or interruption. */
int run_steps(struct run *r);
/* Binds the nodes at /run/netns/NAME-NODE and records the lab under
 * WGLAB_RUN_DIR/labs/NAME, for exec/shell/show/down. */
int run_publish(struct run *r, const char *name);
/* Keeps the lab (servers, WireGuard) alive until SIGTERM or SIGINT. */
int run_hold(struct run *r);
/* The result so far; owned by the run until run_take_result(). */
const struct scenario_result *run_result(const struct run *r);
struct scenario_result *run_take_result(struct run *r);
/* Tears everything down (records teardown_ms in the result). */
void run_teardown(struct run *r);
/* Tears down if not done, frees.  NULL-safe. */
void run_free(struct run *r);

void scenario_result_free(struct scenario_result *sr);

/* Set by SIGINT/SIGTERM; every wait of the run checks it. */
extern volatile int run_interrupted;
void run_install_signals(void);

#endif
