/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_LANG_EXPAND_H
#define LAB_LANG_EXPAND_H

#include <stdbool.h>
#include <stddef.h>

struct diags;
struct lab;
struct loc;
struct tokens;

/*
 * Values and repetition, between the lexer and the statement parsers:
 *	let NAME = WORD...		a value (one word) or a list
 *	for NAME in ITEM...: STATEMENT	the statement once per item (A..B is
 *					the integers A to B)
 *	if CONDITION: STATEMENT		the statement when the condition holds
 *	$NAME  ${EXPR}  $$		a value, arithmetic (lab/lang/expr.h), a '$'
 *	{A..B}  {NAME=A..B}		an unquoted word repeated for A to B
 * Blocks (<< >>) are pasted text and never expanded.  Every statement made
 * keeps its source line and, when repeated, its iteration ("i=3, j=7", in
 * loc->iter), so that errors name both.  The limits (EXPAND_MAX_*) are
 * checked as statements are made: a line that would pass one is an error
 * at that line, before anything is built.
 */

#define EXPAND_MAX_PER_LINE 65536	/* statements one line repeats into */
#define EXPAND_MAX_STATEMENTS 262144	/* statements of a scenario, expanded */
#define EXPAND_MAX_NODES 8192		/* node and lan statements (namespaces) */
#define EXPAND_MAX_PEERS 131072		/* peer statements */
#define EXPAND_MAX_WORDS 8192		/* words of one statement, expanded */
#define EXPAND_MAX_VALUES 65536		/* items of one list or range */

struct expand;

/* A statement a line stands for.  t is the statement's words (an @label
 * written after the `for ...:` still first), valid during the call; loc
 * its position with the iteration; label the label written before the
 * line (the callee owns it), or NULL. */
typedef void (*expand_emit)(void *data, struct tokens *t, const struct loc *loc, char *label);

struct expand *expand_new(void);
void expand_free(struct expand *x);
/* True when t has nothing to expand: no let, for or if, no $ and no {. */
bool expand_plain(const struct tokens *t);
/* Expands one line (a leading @label taken off, passed as label, which
 * the call owns): `let` is kept, every statement the line stands for goes
 * to emit.  Errors go to d at their word; lab interns the iterations. */
void expand_line(struct expand *x, struct tokens *t, const struct loc *loc, char *label,
		 struct lab *lab, struct diags *d, expand_emit emit, void *data);

#endif
