/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_RUNNER_H
#define LAB_RUNNER_H

#include <stdbool.h>
#include <stddef.h>

#include "lab/report/result.h"
#include "lab/run/run_opts.h"

struct lab;
struct stmt;
struct twin;

/*
 * A run orders one scenario: build and steps in statement order, results
 * (lab/report/result.h) as they come, teardown on every path.
 */

struct run;

/* A run of lab, or of one of its twins (twin non-NULL).  The run keeps a
 * pointer to lab, which must outlive it.  0, or -errno when its event loop
 * cannot be made. */
int run_new(struct run **ret, struct lab *lab, const struct twin *twin, const struct run_opts *o,
	    const struct reporter *rep);
/* Builds and runs every statement.  0 when the run went to the end (see
 * the result for failures), -errno on a build error or interruption. */
int run_steps(struct run *r);
/* Carries out one statement through its executor.  0 or -errno. */
int run_stmt(struct run *r, const struct stmt *s);
/* Carries out the statement at *sp as run_steps() does, with those that
 * go with it: consecutive reachability expectations evaluated together,
 * consecutive `peer` statements of one interface configured together
 * (settled before any other statement).  *sp is left at the last one
 * carried out, or at the one an error is about (also r->cur).  What
 * `wglab apply` and lab/bench use, so that they take run's path.  0 or
 * -errno. */
int run_step(struct run *r, const struct stmt **sp);
/* Binds the nodes at /run/netns/NAME-NODE and records the lab under
 * WGLAB_RUN_DIR/labs/NAME, for exec/shell/show/down. */
int run_publish(struct run *r, const char *name);
/* The same for the nodes from index from on (added by `wglab apply`), when
 * the lab is published. */
int run_publish_more(struct run *r, size_t from);
/* The text of the last error (run_publish()'s and the lab values' too,
 * which are no statement's and so not in the result), or NULL. */
const char *run_last_error(const struct run *r);
/* Keeps the lab (servers, WireGuard) alive until SIGTERM or SIGINT. */
int run_hold(struct run *r);
/* The result so far; owned by the run until run_take_result(). */
const struct scenario_result *run_result(const struct run *r);
struct scenario_result *run_take_result(struct run *r);
/* Where the lab decided to listen itself, or not, for the tcp, udp and
 * http expectations run so far (*n of them; owned by the run, kept until
 * run_free()). */
const struct run_listen *run_listened(const struct run *r, size_t *n);
/* Tears everything down (records teardown_ms in the result). */
void run_teardown(struct run *r);
/* Tears down if not done, frees.  NULL-safe. */
void run_free(struct run *r);

#endif
