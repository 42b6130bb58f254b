/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_DIAG_H
#define LAB_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct loc;

/* Positioned messages, collected so that every error is reported at once,
 * up to DIAG_MAX: a file that is not a scenario at all (a binary, a
 * config of something else) would otherwise print a message per line.
 * Runs that look like key material are hidden in every message (an error
 * about a key says where and what is wrong, never the key). */
#define DIAG_MAX 100

struct diag {
	char *file;
	unsigned int line, col;
	char *msg;
	struct diag *next;
};

struct diags {
	struct diag *first, *last;
	size_t n;
	size_t dropped;			/* messages beyond DIAG_MAX, counted only */
};

/* Adds "msg" at loc (col 0: no column). */
void diag_add(struct diags *d, const struct loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_addv(struct diags *d, const struct loc *loc, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
/* Whether DIAG_MAX messages are in: readers stop reading. */
bool diag_full(const struct diags *d);
/* Moves every message of src to the end of dst. */
void diag_splice(struct diags *dst, struct diags *src);
/* Orders messages by file (in order of first mention), line and column. */
void diag_sort(struct diags *d);
void diag_free(struct diags *d);

#endif
