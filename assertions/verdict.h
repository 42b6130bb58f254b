/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef ASSERTIONS_VERDICT_H
#define ASSERTIONS_VERDICT_H

#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>

/* What an evaluator returns: whether the expectation as written held, and
 * the evidence a person needs to believe it (or to see what happened
 * instead), as one or a few lines. */
struct verdict {
	bool held;
	char evidence[2048];
};

/* Appends to the evidence (printf-style), keeping it NUL-terminated. */
void verdict_add(struct verdict *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void verdict_set(struct verdict *v, bool held, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
