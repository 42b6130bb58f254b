/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_RUN_ARTIFACTS_H
#define LAB_RUN_ARTIFACTS_H

#include <stdbool.h>

struct run;

/*
 * The artifacts folder of a run (--artifacts DIR): DIR/NAME, or
 * DIR/NAME-twin-TWIN, holding the programs' logs (keys hidden) and the
 * captures, kept when asked (--capture) or when the scenario failed.
 */

/* The folder this scenario's artifacts go to (created), or NULL.  The
 * path is the run's: valid until run_free(). */
const char *run_artifacts_dir(struct run *r);
/* Whether this run's artifacts are saved: a folder was given, and every
 * capture was asked for or the scenario failed. */
bool run_artifacts_kept(const struct run *r);
/* Keeps (a dup of) fd, a program's output, as artifact NAME: saved with
 * keys hidden when the scenario's artifacts are. */
void run_keep_log(struct run *r, int fd, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Saves the kept logs into dir, keys hidden (dir NULL: none is saved; a
 * note names any that could not be), then closes and forgets them all. */
void run_logs_save(struct run *r, const char *dir);
/* Copies the whole of memfd fd (nothing when empty) to dir/name, as is.
 * 0 or -errno. */
int run_artifact_copy(int fd, const char *dir, const char *name);

#endif
