// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* `expect NODE rule ...`: the words of a `rule` statement, read by its
 * own parser, as what must be in the node's policy rules. */
#include "lab/lang/lexer.h"
#include "lab/lang/parse_rulestate.h"
#include "lab/lang/parse_topo.h"
#include "lab/lang/parse_value.h"
#include "lab/lang/pctx.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void rulestate_free(void *p)
{
	free(p);
}

int parse_rulestate(struct pctx *c, struct stmt_expect *e)
{
	struct tokens *t = c->t, view;
	struct pctx c2 = *c;
	size_t n = t->n, kw = c->i - 1, k;
	struct stmt *s;

	/* `within D` at the end is the expectation's, not the rule's */
	if (n >= 2 && n - 2 > kw && !strcmp(t->v[n - 2].text, "within")) {
		if (parse_duration_ms(c, n - 1, &e->wait_ms) < 0)
			return -EINVAL;
		n -= 2;
	}
	/* "rule NODE words...": the statement's parser reads that */
	view.n = 2 + (n - kw - 1);
	view.v = xcalloc(view.n, sizeof(*view.v));
	view.buf = NULL;
	view.v[0] = t->v[kw];
	view.v[1] = t->v[e->negate ? kw - 2 : kw - 1];
	for (k = 0; k + kw + 1 < n; k++)
		view.v[2 + k] = t->v[kw + 1 + k];
	c2.t = &view;
	c2.i = 1;
	s = parse_rule(&c2);
	free(view.v);
	c->i = t->n;
	if (!s)
		return -EINVAL;
	if (s->rule.op != OP_ADD) {
		stmt_free(s);
		perr(c, kw + 1, "an expected rule has no add or del");
		return -EINVAL;
	}
	e->ext = xmalloc(sizeof(struct rule));
	memcpy(e->ext, &s->rule.r, sizeof(struct rule));
	e->ext_free = rulestate_free;
	stmt_free(s);
	return 0;
}
