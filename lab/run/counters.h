/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_RUN_COUNTERS_H
#define LAB_RUN_COUNTERS_H

#include <stddef.h>

struct kcount;
struct run;

/*
 * The kernel counters around an expectation (netns/kcount.h): read before
 * it runs, and again when it failed, so that its evidence says what the
 * kernel dropped meanwhile.  The namespaces read are those of the nodes
 * named, every router's and every lan's, in the run's order.
 */
void run_counters_read(struct run *r, struct kcount *k, const char *const *nodes, size_t n);
/* evidence, and when a counter moved since before, "; meanwhile: ..."
 * (caller frees).  Frees nothing of before. */
char *run_counters_note(struct run *r, const struct kcount *before, const char *const *nodes, size_t n,
			const char *evidence);

#endif
