/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_RUNNER_H
#define LAB_RUNNER_H

#include <stdbool.h>
#include <stddef.h>

#include "lab/report/result.h"

struct lab;
struct twin;

/*
 * A run orders one scenario: build and steps in statement order, results
 * (lab/report/result.h) as they come, teardown on every path.
 */

struct run_opts {
	const char *wg;			/* "auto", "kernel", "userspace[=PATH]" */
	const char *artifacts;		/* directory for logs and pcaps, or NULL */
	unsigned int timeout_ms;	/* whole scenario; 0: none */
	bool capture;			/* keep every capture, not only on failure */
	int verbose;
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

/* Set by SIGINT/SIGTERM; every wait of the run checks it. */
extern volatile int run_interrupted;
void run_install_signals(void);

#endif
