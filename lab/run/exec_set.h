/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_RUN_EXEC_SET_H
#define LAB_RUN_EXEC_SET_H

#include <stdbool.h>
#include <stddef.h>

struct run;
struct stmt;

/*
 * Expectations run together, their results reported in file order: a set
 * expectation's pairs (expect all ...), and a run of consecutive
 * `expect NODE reaches ...` statements, which only wait for answers and
 * change nothing another one looks at.
 */

/* expect all ...: every pair concurrently, one result per pair. */
int exec_expect_set(struct run *r, const struct stmt *s);
/* Whether s may run together with its neighbours in a batch. */
bool exec_batchable(const struct stmt *s);
/* The statements v[0..n) (each exec_batchable()), together. */
int exec_expect_batch(struct run *r, const struct stmt *const *v, size_t n);

#endif
