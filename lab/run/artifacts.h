/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_RUN_ARTIFACTS_H
#define LAB_RUN_ARTIFACTS_H

#include <stdbool.h>
#include <sys/types.h>

struct run;

/*
 * The artifacts folder of a run (--artifacts DIR): DIR/NAME, or
 * DIR/NAME@TWIN, or NAME.2, NAME.3... when that name is taken (a folder
 * is never shared: each scenario of each run makes its own), holding the
 * programs' logs (keys hidden) and the captures, kept when asked
 * (--capture) or when the scenario failed.  DIR
 * is the descriptor the command opened and verified (run_opts); the
 * folder is made in it (0700), or one there is used as it is, under the
 * run journal (lab/host/journal.h), and every file the run writes in it
 * is new (0600), journaled, never written through a symlink.
 */

/* Whether this run's artifacts are saved: a folder was given, and every
 * capture was asked for or the scenario failed. */
bool run_artifacts_kept(const struct run *r);
/* Journals, makes and marks this scenario's folder: its descriptor, or -1
 * with a note saying why there is none. */
int run_artifacts_begin(struct run *r);
/* The folder is complete (its mark and journal entry go); closes dirfd. */
void run_artifacts_end(struct run *r, int dirfd);
/* Keeps (a dup of) fd, a program's output, as artifact NAME: saved with
 * keys hidden when the scenario's artifacts are. */
void run_keep_log(struct run *r, int fd, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Frees the start of memfd fd, a program's output, but for its last bytes
 * (as many as a saved log keeps): its size stays the bytes written, so
 * the saved log says how many were cut.  *cut: the bytes freed so far. */
void run_log_bound(int fd, off_t *cut);
/* Saves the kept logs into dirfd, keys hidden (-1: none is saved; a note
 * names any that could not be), then closes and forgets them all. */
void run_logs_save(struct run *r, int dirfd);
/* Copies the whole of memfd fd (nothing when empty) to a new file name in
 * dirfd, as is.  0 or -errno. */
int run_artifact_copy(int fd, int dirfd, const char *name);

#endif
