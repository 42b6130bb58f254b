// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "lab/lang/pctx.h"
#include "lab/lang/diag.h"
#include "lab/lang/lexer.h"

#include <stdarg.h>
#include <string.h>

struct loc pctx_loc(const struct pctx *c, size_t i)
{
	struct loc l = c->loc;

	if (i < c->t->n)
		l.col = c->t->v[i].col;
	else if (c->t->n) {
		const struct token *last = &c->t->v[c->t->n - 1];

		l.col = last->col + (unsigned int)strlen(last->text) + (last->quoted ? 2 : 0);
	}
	return l;
}

void *perr(struct pctx *c, size_t i, const char *fmt, ...)
{
	struct loc l = pctx_loc(c, i);
	va_list ap;

	va_start(ap, fmt);
	diag_addv(c->d, &l, fmt, ap);
	va_end(ap);
	return NULL;
}

struct stmt *pctx_stmt(struct pctx *c, enum stmt_kind kind)
{
	return stmt_new(c->lab, kind, &c->loc);
}

struct stmt *stmt_fail(struct stmt *s)
{
	stmt_free(s);
	return NULL;
}

struct stmt *perr_free(struct stmt *s, struct pctx *c, size_t i, const char *fmt, ...)
{
	struct loc l = pctx_loc(c, i);
	va_list ap;

	va_start(ap, fmt);
	diag_addv(c->d, &l, fmt, ap);
	va_end(ap);
	stmt_free(s);
	return NULL;
}

bool pctx_more(const struct pctx *c)
{
	return c->i < c->t->n;
}

const char *pctx_peek(const struct pctx *c)
{
	return c->i < c->t->n ? c->t->v[c->i].text : NULL;
}

const char *pctx_word(struct pctx *c, const char *what)
{
	if (c->i >= c->t->n) {
		perr(c, c->i, "missing %s", what);
		return NULL;
	}
	return c->t->v[c->i++].text;
}

bool pctx_accept(struct pctx *c, const char *w)
{
	if (c->i < c->t->n && !c->t->v[c->i].quoted && !strcmp(c->t->v[c->i].text, w)) {
		c->i++;
		return true;
	}
	return false;
}

bool pctx_end(struct pctx *c)
{
	if (c->i < c->t->n) {
		perr(c, c->i, "unexpected '%s'", c->t->v[c->i].text);
		return false;
	}
	return true;
}
