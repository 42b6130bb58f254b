/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_RUN_DAEMON_H
#define LAB_RUN_DAEMON_H

struct rproc;
struct run;
struct stmt;

/*
 * A daemon (`run NODE daemon [ready COND] [within D]`): a background
 * program (background.c watches it and gives it its one report line) that
 * must be ready before the next statement runs.  Polls its condition with
 * its deadline while the run's loop keeps serving; returns when it is
 * ready, when it exited (background.c reports that, with its output), or
 * at the deadline (then the daemon's line is a failure naming the
 * condition and the output so far).  env is what the daemon got, for a
 * `ready command`.  0, or -EINTR when the run was interrupted.
 */
int run_daemon_wait(struct run *r, const struct stmt *s, struct rproc *rp, char *const *env);

#endif
