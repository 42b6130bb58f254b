/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_RUN_EXEC_CAPTURE_H
#define LAB_RUN_EXEC_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>

struct capture;
struct sees_window;
struct run;
struct stmt;

/* `capture`: what was captured before it stops counting for `sees`. */
int exec_capture(struct run *r, const struct stmt *s);
/* Notes every capture the scenario needs (at the start of a run). */
void run_capture_plan(struct run *r);
/* Starts the captures whose interface has come up.  Called after every
 * statement, so a capture starts as soon as its interface can carry. */
void run_capture_start(struct run *r);
/* The capture on node:ifname (NULL until it started), and in *ret_window
 * (may be NULL) where its window starts (the last `capture` statement). */
struct capture *run_capture(struct run *r, const char *node, const char *ifname,
			    const struct sees_window **ret_window);
/* on: every running capture reads in a thread of its own, for a step that
 * holds the loop (a throughput measurement); off: the loop reads again. */
void run_capture_drain(struct run *r, bool on);
/* Saves captures and logs to the artifacts folder (when asked, or when the
 * scenario failed and a folder was given; lab/run/artifacts.h), journalled
 * while it writes, then frees them. */
void run_capture_teardown(struct run *r);

#endif
