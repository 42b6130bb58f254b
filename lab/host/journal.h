/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_JOURNAL_H
#define LAB_JOURNAL_H

#include <stdbool.h>

/*
 * The run journal: what a run makes outside its namespaces and memory
 * while it makes it, under WGLAB_RUN_DIR/runs/PID.START.  Today that is the
 * artifact folders it is writing (a run killed while writing leaves them
 * half done, marked by a .wglab-incomplete file).  A journal whose process
 * is dead is reaped: by `wglab reap`, and before every run starts.
 */

/* Notes that dir is being written (and marks it incomplete). */
int journal_begin(const char *dir);
/* dir is complete: the mark and the journal entry go. */
void journal_end(const char *dir);
/* Removes what dead runs left (incomplete artifact folders, their
 * journals); prints what it removed when verbose.  The count, or -errno. */
int journal_reap(bool verbose);

#endif
