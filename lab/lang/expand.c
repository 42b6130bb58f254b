// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* let, for, if, $NAME, ${EXPR} and {A..B}: a line becomes the statements
 * it stands for, each with its iteration, before any statement parser sees
 * it. */
#include "lab/lang/expand.h"
#include "lab/lang/diag.h"
#include "lab/lang/expr.h"
#include "lab/lang/lexer.h"
#include "lab/lang/model.h"
#include "netns/util/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct value {
	char *name;
	char **words;
	size_t n;
	unsigned int line;		/* where it was defined */
	bool loop;			/* a `for` variable (names the iteration) */
};

struct expand {
	struct value *vals;		/* lets, then the loops' variables, innermost last */
	size_t n_vals, n_lets;
	size_t n_statements, n_nodes, n_peers;
	/* The line being expanded. */
	struct lab *lab;
	struct diags *d;
	expand_emit emit;
	void *data;
	struct loc loc;
	char *label;
	size_t line_statements;
	bool stop;			/* a limit was passed: no more statements */
	bool over;			/* the scenario passed a limit: nothing more */
};

/* Words being made, each with the column of the word it came from. */
struct words {
	char **v;
	unsigned int *col;
	bool *quoted;
	size_t n;
};

static void words_push(struct words *w, char *text, unsigned int col, bool quoted)
{
	w->v = xgrow(w->v, w->n, sizeof(*w->v));
	w->col = xgrow(w->col, w->n, sizeof(*w->col));
	w->quoted = xgrow(w->quoted, w->n, sizeof(*w->quoted));
	w->v[w->n] = text;
	w->col[w->n] = col;
	w->quoted[w->n] = quoted;
	w->n++;
}

static void words_free(struct words *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->v[i]);
	free(w->v);
	free(w->col);
	free(w->quoted);
	memset(w, 0, sizeof(*w));
}

/* The words as a lexer's tokens (w is emptied). */
static void words_pack(struct words *w, struct tokens *t)
{
	size_t len = 0, off = 0;

	for (size_t i = 0; i < w->n; i++)
		len += strlen(w->v[i]) + 1;
	t->buf = xmalloc(len ? len : 1);
	t->v = xcalloc(w->n ? w->n : 1, sizeof(*t->v));
	t->n = w->n;
	for (size_t i = 0; i < w->n; i++) {
		size_t n = strlen(w->v[i]) + 1;

		memcpy(t->buf + off, w->v[i], n);
		t->v[i].text = t->buf + off;
		t->v[i].col = w->col[i];
		t->v[i].quoted = w->quoted[i];
		off += n;
	}
	words_free(w);
}

struct expand *expand_new(void)
{
	return xcalloc(1, sizeof(struct expand));
}

static void value_free(struct value *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->words[i]);
	free(v->words);
	free(v->name);
}

void expand_free(struct expand *x)
{
	if (!x)
		return;
	for (size_t i = 0; i < x->n_vals; i++)
		value_free(&x->vals[i]);
	free(x->vals);
	free(x->label);
	free(x);
}

static bool name_start(char c)
{
	return isalpha((unsigned char)c) || c == '_';
}

static bool name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static bool is_name(const char *s)
{
	if (!name_start(*s))
		return false;
	while (*s && name_char(*s))
		s++;
	return !*s;
}

static struct value *expand_find(struct expand *x, const char *name, size_t len)
{
	/* Innermost first: loop variables shadow nothing (they may not
	 * reuse a name), but the search order keeps that cheap to state. */
	for (size_t i = x->n_vals; i-- > 0;)
		if (strlen(x->vals[i].name) == len && !memcmp(x->vals[i].name, name, len))
			return &x->vals[i];
	return NULL;
}

static const char *expand_lookup(void *data, const char *name, size_t len, bool *ret_list)
{
	struct value *v = expand_find(data, name, len);

	if (!v)
		return NULL;
	*ret_list = v->n != 1;
	return v->n ? v->words[0] : "";
}

static const char *expand_iteration(struct expand *x);

static void expand_err(struct expand *x, unsigned int col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void expand_err(struct expand *x, unsigned int col, const char *fmt, ...)
{
	struct loc l = x->loc;
	va_list ap;

	l.col = col;
	l.iter = expand_iteration(x);
	va_start(ap, fmt);
	diag_addv(x->d, &l, fmt, ap);
	va_end(ap);
}

/* "i=3, j=7": the loops' variables, outermost first (NULL: none). */
static const char *expand_iteration(struct expand *x)
{
	char buf[512];
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = x->n_lets; i < x->n_vals; i++) {
		int n;

		if (!x->vals[i].loop)
			continue;
		n = snprintf(buf + off, sizeof(buf) - off, "%s%s=%s", off ? ", " : "", x->vals[i].name,
				 x->vals[i].n ? x->vals[i].words[0] : "");

		if (n < 0 || (size_t)n >= sizeof(buf) - off)
			break;
		off += (size_t)n;
	}
	return off ? lab_intern(x->lab, buf) : NULL;
}

/* The end of the ${...} starting at s (at the '$'), or NULL. */
static const char *expr_end(const char *s)
{
	int depth = 0;

	for (s += 1; *s; s++) {
		if (*s == '{')
			depth++;
		else if (*s == '}' && !--depth)
			return s;
	}
	return NULL;
}

/* text with $$, $NAME and ${EXPR} replaced (caller frees), or NULL after
 * an error at col (the column of the word; off: where its text starts). */
static char *subst(struct expand *x, const char *text, unsigned int col, unsigned int off)
{
	size_t len = strlen(text), cap = len + 16, n = 0;
	char *out = xmalloc(cap);
	const char *p = text;

	while (*p) {
		const char *val = NULL, *end;
		char *owned = NULL;
		size_t vlen;

		if (*p != '$' || !(p[1] == '$' || p[1] == '{' || name_start(p[1]))) {
			val = p;
			vlen = 1;
			p++;
		} else if (p[1] == '$') {
			val = "$";
			vlen = 1;
			p += 2;
		} else if (p[1] == '{') {
			struct expr_error e;

			end = expr_end(p);
			if (!end) {
				expand_err(x, col + off + (unsigned int)(p - text), "'${' is not closed with '}'");
				goto err;
			}
			if (expr_eval(p + 2, (size_t)(end - p - 2), expand_lookup, x, &owned, &e) < 0) {
				expand_err(x, col + off + (unsigned int)(p - text + 2) + (unsigned int)e.at, "%s",
					   e.msg);
				goto err;
			}
			val = owned;
			vlen = strlen(owned);
			p = end + 1;
		} else {
			struct value *v;

			for (end = p + 1; name_char(*end); end++)
				;
			v = expand_find(x, p + 1, (size_t)(end - p - 1));
			if (!v) {
				expand_err(x, col + off + (unsigned int)(p - text), "unknown value '%.*s' (write $$ for a '$')",
					   (int)(end - p - 1), p + 1);
				goto err;
			}
			if (v->n != 1) {
				expand_err(x, col + off + (unsigned int)(p - text),
					   "'%s' is a list of %zu words: it can only stand as a word of its own", v->name,
					   v->n);
				goto err;
			}
			val = v->words[0];
			vlen = strlen(val);
			p = end;
		}
		if (n + vlen + 1 > cap) {
			cap = (n + vlen + 1) * 2;
			out = xrealloc(out, cap);
		}
		memcpy(out + n, val, vlen);
		n += vlen;
		free(owned);
	}
	out[n] = '\0';
	return out;
err:
	free(out);
	return NULL;
}

/* "A..B" with integers: 1 and the bounds, 0 when s is no range, -1 after
 * an error. */
static int parse_range(struct expand *x, const char *s, unsigned int col, int64_t *a, int64_t *b)
{
	const char *dots = strstr(s, "..");
	char *end;

	if (!dots || dots == s || !dots[2])
		return 0;
	errno = 0;
	*a = strtoll(s, &end, 10);
	if (end != dots || errno)
		return 0;
	*b = strtoll(dots + 2, &end, 10);
	if (*end || errno)
		return 0;
	if (*b < *a - 1) {
		expand_err(x, col, "range %s runs backwards (an empty range is A..A-1)", s);
		return -1;
	}
	if (*b - *a >= EXPAND_MAX_VALUES) {
		expand_err(x, col, "range %s has more than %d values (the limit)", s, EXPAND_MAX_VALUES);
		return -1;
	}
	return 1;
}

/* The first {A..B} or {NAME=A..B} of an unquoted word, outside ${...}:
 * its offsets, or false. */
static bool find_group(const char *w, size_t *open, size_t *close)
{
	for (const char *p = w; *p; p++) {
		const char *z;

		if (p[0] == '$' && p[1] == '{') {
			z = expr_end(p);
			if (!z)
				return false;
			p = z;
			continue;
		}
		if (*p != '{')
			continue;
		z = strchr(p, '}');
		if (!z)
			return false;
		if (memmem(p, (size_t)(z - p), "..", 2)) {
			*open = (size_t)(p - w);
			*close = (size_t)(z - w);
			return true;
		}
	}
	return false;
}

static int push_loop(struct expand *x, const char *name, unsigned int col);

/* One unquoted word into out: its {..} groups repeated (left first), then
 * substituted.  -1 after an error. */
static int expand_word(struct expand *x, const char *w, unsigned int col, struct words *out)
{
	size_t open, close;
	char *inner, *eq, *range, *name = NULL;
	int64_t a, b;
	int r = 0;

	if (!find_group(w, &open, &close)) {
		char *s;

		/* A word that is exactly $LIST stands for its words. */
		if (w[0] == '$' && is_name(w + 1)) {
			struct value *v = expand_find(x, w + 1, strlen(w + 1));

			if (v && v->n != 1) {
				for (size_t i = 0; i < v->n; i++)
					words_push(out, xstrdup(v->words[i]), col, false);
				return 0;
			}
		}
		s = subst(x, w, col, 0);
		if (!s)
			return -1;
		words_push(out, s, col, false);
		return 0;
	}
	inner = xstrndup(w + open + 1, close - open - 1);
	eq = strchr(inner, '=');
	if (eq) {
		*eq = '\0';
		name = inner;
		if (!is_name(name)) {
			expand_err(x, col + (unsigned int)open + 1, "'%s' is not a name for {NAME=A..B}", name);
			free(inner);
			return -1;
		}
		if (expand_find(x, name, strlen(name))) {
			expand_err(x, col + (unsigned int)open + 1, "'%s' is already a value", name);
			free(inner);
			return -1;
		}
	}
	range = subst(x, eq ? eq + 1 : inner, col, (unsigned int)open + 1);
	if (!range) {
		free(inner);
		return -1;
	}
	r = parse_range(x, range, col + (unsigned int)open, &a, &b);
	if (!r)
		expand_err(x, col + (unsigned int)open, "'{%s}' is not a range {A..B} of integers", range);
	if (r <= 0) {
		free(range);
		free(inner);
		return -1;
	}
	r = 0;
	for (int64_t i = a; i <= b && !r; i++) {
		char num[24], *word;

		snprintf(num, sizeof(num), "%" PRId64, i);
		word = xasprintf("%.*s%s%s", (int)open, w, num, w + close + 1);
		if (name) {
			push_loop(x, name, col);
			x->vals[x->n_vals - 1].loop = false;
			x->vals[x->n_vals - 1].words[0] = xstrdup(num);
			x->vals[x->n_vals - 1].n = 1;
		}
		r = expand_word(x, word, col, out);
		if (name)
			value_free(&x->vals[--x->n_vals]);
		free(word);
		if (out->n > EXPAND_MAX_WORDS) {
			expand_err(x, col, "this word repeats into more than %d words (the limit)", EXPAND_MAX_WORDS);
			r = -1;
		}
	}
	free(range);
	free(inner);
	return r;
}

/* Words [from, to) of t, expanded, into out.  -1 after an error. */
static int expand_words(struct expand *x, const struct tokens *t, size_t from, size_t to, struct words *out)
{
	for (size_t i = from; i < to; i++) {
		const struct token *w = &t->v[i];

		if (w->quoted) {
			char *s = subst(x, w->text, w->col, 1);

			if (!s)
				return -1;
			words_push(out, s, w->col, true);
		} else if (expand_word(x, w->text, w->col, out) < 0) {
			return -1;
		}
		if (out->n > EXPAND_MAX_WORDS) {
			expand_err(x, w->col, "the statement has more than %d words (the limit)", EXPAND_MAX_WORDS);
			return -1;
		}
	}
	return 0;
}

static int push_loop(struct expand *x, const char *name, unsigned int col)
{
	struct value *v;

	(void)col;
	x->vals = xgrow(x->vals, x->n_vals, sizeof(*x->vals));
	v = &x->vals[x->n_vals++];
	memset(v, 0, sizeof(*v));
	v->name = xstrdup(name);
	v->words = xcalloc(1, sizeof(*v->words));
	v->loop = true;
	v->line = x->loc.line;
	return 0;
}

/* The index of the word that ends a `for`/`if` header (":" or a word
 * ending in ':'), from i on; t->n when there is none. */
static size_t header_end(const struct tokens *t, size_t i)
{
	for (; i < t->n; i++) {
		size_t n = strlen(t->v[i].text);

		if (!t->v[i].quoted && n && t->v[i].text[n - 1] == ':')
			return i;
	}
	return t->n;
}

static void expand_from(struct expand *x, const struct tokens *t, size_t i);

/* Counts a statement against the limits, at the line's first word. */
static bool expand_count(struct expand *x, const char *kw)
{
	unsigned int col = x->loc.col;

	if (++x->line_statements > EXPAND_MAX_PER_LINE) {
		expand_err(x, col, "this line repeats into more than %d statements (the limit)", EXPAND_MAX_PER_LINE);
		x->stop = true;
		return false;
	}
	if (++x->n_statements > EXPAND_MAX_STATEMENTS) {
		expand_err(x, col, "the scenario expands into more than %d statements (the limit)",
			   EXPAND_MAX_STATEMENTS);
		x->stop = x->over = true;
		return false;
	}
	if ((!strcmp(kw, "node") || !strcmp(kw, "lan")) && ++x->n_nodes > EXPAND_MAX_NODES) {
		expand_err(x, col, "the scenario has more than %d nodes and lans (the limit)", EXPAND_MAX_NODES);
		x->stop = x->over = true;
		return false;
	}
	if (!strcmp(kw, "peer") && ++x->n_peers > EXPAND_MAX_PEERS) {
		expand_err(x, col, "the scenario has more than %d peer statements (the limit)", EXPAND_MAX_PEERS);
		x->stop = x->over = true;
		return false;
	}
	return true;
}

static void expand_statement(struct expand *x, const struct tokens *t, size_t i)
{
	static const char *const alone[] = { "let", "lab", "include", "twin" };
	struct words w = { 0 };
	struct tokens out;
	struct loc l = x->loc;

	for (size_t k = 0; k < sizeof(alone) / sizeof(alone[0]); k++) {
		if (!t->v[i].quoted && !strcmp(t->v[i].text, alone[k])) {
			expand_err(x, t->v[i].col, "'%s' cannot be repeated or made conditional", alone[k]);
			x->stop = true;
			return;
		}
	}
	if (expand_words(x, t, i, t->n, &w) < 0) {
		words_free(&w);
		x->stop = true;
		return;
	}
	if (!w.n) {
		words_free(&w);
		return;
	}
	if (!expand_count(x, w.v[0][0] == '@' && w.n > 1 ? w.v[1] : w.v[0])) {
		words_free(&w);
		return;
	}
	words_pack(&w, &out);
	l.iter = expand_iteration(x);
	l.col = out.v[0].col;
	x->emit(x->data, &out, &l, xstrdup(x->label));
	lexer_free(&out);
}

/* for NAME in ITEM...: REST */
static void expand_for(struct expand *x, const struct tokens *t, size_t i)
{
	size_t end = header_end(t, i + 1), k;
	struct words items = { 0 };
	const char *name;
	char *last = NULL;

	if (i + 2 >= t->n || t->v[i + 1].quoted || !is_name(t->v[i + 1].text)) {
		expand_err(x, i + 1 < t->n ? t->v[i + 1].col : t->v[i].col,
			   "missing the name of the repetition (for NAME in LIST: STATEMENT)");
		goto stop;
	}
	name = t->v[i + 1].text;
	if (expand_find(x, name, strlen(name))) {
		expand_err(x, t->v[i + 1].col, "'%s' is already a value (line %u)", name,
			   expand_find(x, name, strlen(name))->line);
		goto stop;
	}
	if (t->v[i + 2].quoted || strcmp(t->v[i + 2].text, "in")) {
		expand_err(x, t->v[i + 2].col, "missing 'in' (for NAME in LIST: STATEMENT)");
		goto stop;
	}
	if (end == t->n) {
		expand_err(x, t->v[t->n - 1].col, "missing ':' after the list (for NAME in LIST: STATEMENT)");
		goto stop;
	}
	if (end + 1 == t->n) {
		expand_err(x, t->v[end].col, "nothing to repeat after ':'");
		goto stop;
	}
	/* The header's last word without its ':' ("1..5:" or ":"). */
	for (k = i + 3; k <= end; k++) {
		struct tokens one = { .v = &t->v[k], .n = 1 };
		struct token tk = t->v[k];

		if (k == end) {
			last = xstrndup(tk.text, strlen(tk.text) - 1);
			if (!*last)
				break;
			tk.text = last;
			one.v = &tk;
		}
		if (expand_words(x, &one, 0, 1, &items) < 0)
			goto stop;
	}
	if (!items.n) {
		expand_err(x, t->v[i + 2].col, "missing the list to repeat over");
		goto stop;
	}
	for (k = 0; k < items.n && !x->stop; k++) {
		int64_t a, b;
		int r = parse_range(x, items.v[k], items.col[k], &a, &b);

		if (r < 0)
			goto stop;
		push_loop(x, name, items.col[k]);
		if (!r) {
			x->vals[x->n_vals - 1].words[0] = xstrdup(items.v[k]);
			x->vals[x->n_vals - 1].n = 1;
			expand_from(x, t, end + 1);
			value_free(&x->vals[--x->n_vals]);
			continue;
		}
		for (int64_t v = a; v <= b && !x->stop; v++) {
			free(x->vals[x->n_vals - 1].words[0]);
			x->vals[x->n_vals - 1].words[0] = xasprintf("%" PRId64, v);
			x->vals[x->n_vals - 1].n = 1;
			expand_from(x, t, end + 1);
		}
		value_free(&x->vals[--x->n_vals]);
	}
	words_free(&items);
	free(last);
	return;
stop:
	x->stop = true;
	words_free(&items);
	free(last);
}

/* if CONDITION: REST */
static void expand_if(struct expand *x, const struct tokens *t, size_t i)
{
	size_t end = header_end(t, i + 1), n = end - i, len = 1, k;
	struct expr_error e;
	size_t *starts;
	char **parts, *cond;
	bool yes, ok = true;

	if (end == t->n || end + 1 == t->n || (end == i + 1 && !strcmp(t->v[end].text, ":"))) {
		expand_err(x, t->v[end < t->n ? end : t->n - 1].col,
			   end == t->n ? "missing ':' after the condition (if CONDITION: STATEMENT)" :
			   end + 1 == t->n ? "nothing to do after ':'" : "missing the condition");
		x->stop = true;
		return;
	}
	/* The condition's words, substituted, joined by blanks. */
	parts = xcalloc(n, sizeof(*parts));
	starts = xcalloc(n, sizeof(*starts));
	for (k = 0; k < n && ok; k++) {
		const struct token *w = &t->v[i + 1 + k];

		parts[k] = subst(x, w->text, w->col, w->quoted ? 1 : 0);
		if (!parts[k])
			ok = false;
		else if (i + 1 + k == end)
			parts[k][strlen(parts[k]) - 1] = '\0';
		if (ok)
			len += strlen(parts[k]) + 1;
	}
	cond = xmalloc(len);
	cond[0] = '\0';
	for (k = 0; k < n && ok; k++) {
		starts[k] = strlen(cond) + (k ? 1 : 0);
		if (k)
			strcat(cond, " ");
		strcat(cond, parts[k]);
	}
	if (ok && expr_test(cond, strlen(cond), expand_lookup, x, &yes, &e) < 0) {
		/* The word the error is in, and how far into it. */
		for (k = n - 1; k > 0 && starts[k] > e.at; k--)
			;
		expand_err(x, t->v[i + 1 + k].col + (unsigned int)(e.at - starts[k]), "condition '%s': %s",
			   cond, e.msg);
		ok = false;
	}
	for (k = 0; k < n; k++)
		free(parts[k]);
	free(parts);
	free(starts);
	free(cond);
	if (!ok)
		x->stop = true;
	else if (yes)
		expand_from(x, t, end + 1);
}

static void expand_from(struct expand *x, const struct tokens *t, size_t i)
{
	const struct token *w = &t->v[i];

	if (x->stop)
		return;
	if (!w->quoted && !strcmp(w->text, "for"))
		expand_for(x, t, i);
	else if (!w->quoted && !strcmp(w->text, "if"))
		expand_if(x, t, i);
	else
		expand_statement(x, t, i);
}

/* let NAME = WORD... */
static void expand_let(struct expand *x, const struct tokens *t)
{
	struct words w = { 0 };
	struct value *v;

	if (t->n < 2 || t->v[1].quoted || !is_name(t->v[1].text)) {
		expand_err(x, t->n < 2 ? t->v[0].col : t->v[1].col, "missing the value's name (let NAME = VALUE...)");
		return;
	}
	v = expand_find(x, t->v[1].text, strlen(t->v[1].text));
	if (v) {
		expand_err(x, t->v[1].col, "value '%s' is already defined at line %u", v->name, v->line);
		return;
	}
	if (t->n < 3 || strcmp(t->v[2].text, "=")) {
		expand_err(x, t->n < 3 ? t->v[1].col : t->v[2].col, "missing '=' (let NAME = VALUE...)");
		return;
	}
	if (t->n < 4) {
		expand_err(x, t->v[2].col, "missing the value after '='");
		return;
	}
	if (expand_words(x, t, 3, t->n, &w) < 0) {
		words_free(&w);
		return;
	}
	x->vals = xgrow(x->vals, x->n_vals, sizeof(*x->vals));
	v = &x->vals[x->n_vals++];
	x->n_lets++;
	v->name = xstrdup(t->v[1].text);
	v->words = w.v;
	v->n = w.n;
	v->line = x->loc.line;
	free(w.col);
	free(w.quoted);
}

bool expand_plain(const struct tokens *t)
{
	if (t->n && !t->v[0].quoted &&
	    (!strcmp(t->v[0].text, "let") || !strcmp(t->v[0].text, "for") || !strcmp(t->v[0].text, "if")))
		return false;
	for (size_t i = 0; i < t->n; i++) {
		if (strchr(t->v[i].text, '$'))
			return false;
		if (!t->v[i].quoted && strchr(t->v[i].text, '{'))
			return false;
	}
	return true;
}

void expand_line(struct expand *x, struct tokens *t, const struct loc *loc, char *label,
		 struct lab *lab, struct diags *d, expand_emit emit, void *data)
{
	x->lab = lab;
	x->d = d;
	x->emit = emit;
	x->data = data;
	x->loc = *loc;
	x->label = label;
	x->line_statements = 0;
	x->stop = x->over;
	if (!t->v[0].quoted && !strcmp(t->v[0].text, "let")) {
		if (label)
			diag_add(d, loc, "'let' cannot carry a label");
		else
			expand_let(x, t);
	} else if (x->over) {
		/* A limit was passed: the rest of the file is only lexed. */
	} else if (expand_plain(t)) {
		if (expand_count(x, t->v[0].text)) {
			emit(data, t, loc, label);
			label = NULL;
		}
	} else {
		expand_from(x, t, 0);
	}
	free(label);
	x->label = NULL;
}
