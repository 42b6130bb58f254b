/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_LANG_PCTX_H
#define LAB_LANG_PCTX_H

#include <stdbool.h>
#include <stddef.h>

#include "lab/lang/model.h"

struct block;
struct diags;
struct lab;
struct tokens;

/*
 * What a statement parser sees: the words of its line (t->v[0] is the
 * keyword; a leading @label has been taken off), a cursor, the block when
 * the line ended in <<, and where to put errors.  Parsers return the new
 * statement (appended by the caller) or NULL after adding at least one
 * error.
 */
struct pctx {
	struct lab *lab;
	struct tokens *t;
	size_t i;			/* next word */
	struct loc loc;			/* of the keyword */
	const struct block *block;	/* NULL when the line had no << */
	struct diags *d;
	const char *line;		/* the line as written (for raw rule text) */
	struct loc node_loc;		/* of the first NODE word parsed (col 0: none) */
};

struct loc pctx_loc(const struct pctx *c, size_t i);
/* Adds an error at word i (i == n: the end of the line); returns NULL. */
void *perr(struct pctx *c, size_t i, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A new statement of kind at the keyword's position. */
struct stmt *pctx_stmt(struct pctx *c, enum stmt_kind kind);
/* Frees s (after its parser added an error); returns NULL. */
struct stmt *stmt_fail(struct stmt *s);
/* perr(), then frees s; returns NULL. */
struct stmt *perr_free(struct stmt *s, struct pctx *c, size_t i, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
bool pctx_more(const struct pctx *c);
const char *pctx_peek(const struct pctx *c);
/* Takes the next word; an error naming what was expected when none. */
const char *pctx_word(struct pctx *c, const char *what);
/* Takes the next word when it equals w. */
bool pctx_accept(struct pctx *c, const char *w);
/* Complains about the first word left over (too many arguments). */
bool pctx_end(struct pctx *c);

#endif
