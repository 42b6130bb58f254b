/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_JOURNAL_H
#define LAB_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * The run journal: what a run makes outside its namespaces and memory
 * while it makes it, under WGLAB_RUN_DIR/runs/PID.START.  Today that is the
 * artifact folders it is writing.  The entry comes first, naming the
 * folder by the identity (device, inode) of its parent and its name; then
 * the folder, journaled as the run's only when the run made it (a folder
 * that was there is used as it is, its mode kept); then its
 * .wglab-incomplete mark and its files, each journaled with its inode once
 * made.  A journal whose process is dead is reaped, by `wglab reap` and
 * before every run, through a descriptor of the parent it names: while
 * the mark is there, the journaled files that are still the ones made go,
 * then the folder when the run made it and it is empty.  Nothing else is
 * ever removed.
 */

/* Journals folder name of the trusted directory rootfd (root_path, as the
 * user gave it), then makes it (0700) or takes the one there (the
 * caller's, mode kept) and marks it incomplete.  The folder's descriptor,
 * or -errno with why. */
int journal_begin(int rootfd, const char *root_path, const char *name, char *why, size_t len);
/* A new file name in the folder dirfd of journal_begin(), as
 * safedir_create() makes it, journaled for reap.  The fd or -errno. */
int journal_create(int dirfd, const char *name, mode_t mode);
/* The folder dirfd is complete: the mark and the journal entry go. */
void journal_end(int dirfd);
/* Removes what dead runs left (incomplete artifact folders, their
 * journals); prints what it removed when verbose.  The count, or -errno. */
int journal_reap(bool verbose);

#endif
