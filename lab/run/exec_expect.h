/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_RUN_EXEC_EXPECT_H
#define LAB_RUN_EXEC_EXPECT_H

struct run;
struct stmt;

/* Evaluates an expectation into one result: 0, or -errno with the run's
 * message set when it could not be evaluated at all. */
int exec_expect(struct run *r, const struct stmt *s);

#endif
