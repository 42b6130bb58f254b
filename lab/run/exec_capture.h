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
/* Starts the capture of node:ifname (NULL: every capture of node) if the
 * lab has just made or brought its interface up, before anything else may
 * use it.  late: NULL when nothing
 * but the lab could have used the interface yet, else what might have (a
 * hook: "wg-quick's PostUp hook"; "": the current statement), which the
 * capture's window then says it did not see. */
void run_capture_now(struct run *r, const char *node, const char *ifname, const char *late);
/* After every statement: reopens a capture whose interface failed (deleted,
 * moved) once an interface of that name is up again, and starts those
 * whose interface something other than the lab made or brought up (a
 * program); both started late, which their windows say: `sees no` over
 * them is inconclusive. */
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
