/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_RUN_BACKGROUND_H
#define LAB_RUN_BACKGROUND_H

#include <stddef.h>

struct proc;
struct run;
struct stmt;

/*
 * The run's background programs (`run ... background`), in one place:
 * started by exec_run(), watched by the loop until teardown.  Each has
 * exactly one report line: a failure as soon as the runner sees it exit
 * (early, or with another status than an explicit `exit N|any` allows),
 * with the tail of its output as evidence; otherwise a line when the
 * scenario ends, saying it ran until then.
 */

/* Takes ownership of p and logfd (its output, a memfd): watches it.
 * Returns its record (owned by the run), for daemon.c's readiness. */
struct rproc *run_bg_add(struct run *r, const struct stmt *s, struct proc *p, int logfd,
			 const char *what);
/* Reports the programs that exited since the last call (the runner calls
 * it after every statement). */
void run_bg_check(struct run *r);
/* At the end of the steps (or when the run stopped): the line of each
 * program not reported yet. */
void run_bg_finish(struct run *r, const char *why_stopped);
/* Teardown: stops (SIGTERM, then SIGKILL) and frees every program. */
void run_bg_stop(struct run *r);
/* The last lines of a program's output (memfd fd), on one line ('|'
 * between lines), for evidence; "" when it printed nothing. */
void run_log_tail(int fd, char *buf, size_t len);

#endif
