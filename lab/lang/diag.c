// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "lab/lang/diag.h"
#include "lab/lang/model.h"
#include "netns/util/esc.h"
#include "netns/util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void diag_addv(struct diags *d, const struct loc *loc, const char *fmt, va_list ap)
{
	struct diag *e;

	if (d->n >= DIAG_MAX) {
		d->dropped++;
		return;
	}
	e = xcalloc(1, sizeof(*e));
	e->msg = xvasprintf(fmt, ap);
	/* A statement made by repetition names its iteration. */
	if (loc && loc->iter) {
		char *m = xasprintf("for %s: %s", loc->iter, e->msg);

		free(e->msg);
		e->msg = m;
	}
	esc_hide_keys(e->msg);
	e->file = xstrdup(loc && loc->file ? loc->file : "-");
	e->line = loc ? loc->line : 0;
	e->col = loc ? loc->col : 0;
	if (d->last)
		d->last->next = e;
	else
		d->first = e;
	d->last = e;
	d->n++;
}

void diag_add(struct diags *d, const struct loc *loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_addv(d, loc, fmt, ap);
	va_end(ap);
}

bool diag_full(const struct diags *d)
{
	return d->n >= DIAG_MAX;
}

void diag_splice(struct diags *dst, struct diags *src)
{
	if (!src->first)
		return;
	if (dst->last)
		dst->last->next = src->first;
	else
		dst->first = src->first;
	dst->last = src->last;
	dst->n += src->n;
	dst->dropped += src->dropped;
	src->first = src->last = NULL;
	src->n = 0;
	src->dropped = 0;
}

void diag_free(struct diags *d)
{
	struct diag *e, *next;

	if (!d)
		return;
	for (e = d->first; e; e = next) {
		next = e->next;
		free(e->file);
		free(e->msg);
		free(e);
	}
	d->first = d->last = NULL;
	d->n = 0;
	d->dropped = 0;
}

struct diag_key {
	struct diag *e;
	size_t file, seq;
};

static int diag_cmp(const void *a, const void *b)
{
	const struct diag_key *x = a, *y = b;

	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	if (x->e->line != y->e->line)
		return x->e->line < y->e->line ? -1 : 1;
	if (x->e->col != y->e->col)
		return x->e->col < y->e->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void diag_sort(struct diags *d)
{
	struct diag_key *k;
	struct diag *e;
	size_t i, j, n = 0;

	if (d->n < 2)
		return;
	k = xcalloc(d->n, sizeof(*k));
	for (e = d->first; e; e = e->next, n++) {
		k[n].e = e;
		k[n].seq = n;
		k[n].file = n;
		for (j = 0; j < n; j++) {
			if (!strcmp(k[j].e->file, e->file)) {
				k[n].file = k[j].file;
				break;
			}
		}
	}
	qsort(k, n, sizeof(*k), diag_cmp);
	for (i = 0; i < n; i++)
		k[i].e->next = i + 1 < n ? k[i + 1].e : NULL;
	d->first = k[0].e;
	d->last = k[n - 1].e;
	free(k);
}
