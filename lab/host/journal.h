/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_JOURNAL_H
#define LAB_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The run journal: what a run makes outside its namespaces and memory
 * while it makes it, under WGLAB_RUN_DIR/runs/PID.START.  Today that is the
 * artifact folders it is writing.  The entry comes first, naming the
 * folder by the identity (device, inode) of its parent and its name; then
 * the folder and its .wglab-incomplete mark, then its files.  A journal
 * whose process is dead is reaped, by `wglab reap` and before every run:
 * a folder is removed only through a descriptor of the parent it names,
 * when it is the caller's and still marked (or empty).
 */

/* Journals folder name of the trusted directory rootfd (root_path, as the
 * user gave it), then makes it (0700, the caller's) and marks it
 * incomplete.  The folder's descriptor, or -errno with why. */
int journal_begin(int rootfd, const char *root_path, const char *name, char *why, size_t len);
/* The folder dirfd is complete: the mark and the journal entry go. */
void journal_end(int dirfd);
/* Removes what dead runs left (incomplete artifact folders, their
 * journals); prints what it removed when verbose.  The count, or -errno. */
int journal_reap(bool verbose);

#endif
