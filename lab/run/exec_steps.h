/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_RUN_EXEC_STEPS_H
#define LAB_RUN_EXEC_STEPS_H

struct run;
struct stmt;

/* Steps (run, serve, wait): 0, or -errno with run_error() called.  A
 * program that fails its exit status is a failed result, not an error. */
int exec_run(struct run *r, const struct stmt *s);
int exec_serve(struct run *r, const struct stmt *s);
int exec_wait(struct run *r, const struct stmt *s);

#endif
