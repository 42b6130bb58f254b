// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* ${...} and `if` conditions: a recursive-descent evaluator over 64-bit
 * integers and addresses. */
#include "lab/lang/expr.h"
#include "netns/addr.h"
#include "netns/util/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define EXPR_MAX_DEPTH 64

struct value {
	bool is_addr;
	bool has_prefix;
	int64_t i;
	struct addr a;
};

struct ev {
	const char *s;
	size_t len, pos;
	unsigned int depth;
	expr_lookup look;
	void *data;
	struct expr_error *e;
	int err;
};

static int ev_fail(struct ev *v, size_t at, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int ev_fail(struct ev *v, size_t at, int err, const char *fmt, ...)
{
	va_list ap;

	if (v->err)
		return v->err;
	v->e->at = at;
	va_start(ap, fmt);
	vsnprintf(v->e->msg, sizeof(v->e->msg), fmt, ap);
	va_end(ap);
	v->err = err;
	return err;
}

static void ev_blank(struct ev *v)
{
	while (v->pos < v->len && isspace((unsigned char)v->s[v->pos]))
		v->pos++;
}

/* Takes op when it is next (the longer operators are tried first by the
 * callers). */
static bool ev_accept(struct ev *v, const char *op)
{
	size_t n = strlen(op);

	ev_blank(v);
	if (v->len - v->pos < n || memcmp(v->s + v->pos, op, n))
		return false;
	/* "<" is not the start of "<=", nor "!" of "!=". */
	if (n == 1 && v->pos + 1 < v->len && v->s[v->pos + 1] == '=' && strchr("<>!=", op[0]))
		return false;
	v->pos += n;
	return true;
}

static bool ev_word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.' || c == ':';
}

/* A word's text as a number or an address. */
static int ev_literal(struct ev *v, const char *w, size_t at, const char *what, struct value *ret)
{
	char *end;

	memset(ret, 0, sizeof(*ret));
	if (strchr(w, '.') || strchr(w, ':')) {
		int r = addr_parse(w, ADDR_PARSE_PREFIX, &ret->a);

		if (r < 0)
			return ev_fail(v, at, -EINVAL, "%s'%s' is not an address%s", what, w,
				       r == -ERANGE ? " (prefix length out of range)" : "");
		ret->is_addr = true;
		ret->has_prefix = strchr(w, '/') != NULL;
		return 0;
	}
	if (isdigit((unsigned char)w[0]) || (w[0] == '-' && isdigit((unsigned char)w[1]))) {
		errno = 0;
		ret->i = strtoll(w, &end, 0);
		if (errno == ERANGE)
			return ev_fail(v, at, -ERANGE, "%s'%s' does not fit in 64 bits", what, w);
		if (!*end && !errno)
			return 0;
	}
	return ev_fail(v, at, -EINVAL, "%s'%s' is neither a number nor an address", what, w);
}

static int ev_primary(struct ev *v, struct value *ret);
static int ev_or(struct ev *v, struct value *ret);

static int ev_name(struct ev *v, size_t at, const char *w, struct value *ret)
{
	char what[96];
	const char *val;
	bool list = false;

	val = v->look(v->data, w, strlen(w), &list);
	if (!val)
		return ev_fail(v, at, -EINVAL, "unknown value '%s'", w);
	if (list)
		return ev_fail(v, at, -EINVAL, "'%s' is a list of words, not a number or an address", w);
	snprintf(what, sizeof(what), "'%s' is ", w);
	/* "'i' is 'east', neither a number nor an address" */
	return ev_literal(v, val, at, what, ret);
}

static int ev_primary(struct ev *v, struct value *ret)
{
	size_t start, end;
	char *w;
	int r;

	ev_blank(v);
	/* $NAME inside ${...} is NAME. */
	if (v->pos + 1 < v->len && v->s[v->pos] == '$' && (isalpha((unsigned char)v->s[v->pos + 1]) ||
							      v->s[v->pos + 1] == '_'))
		v->pos++;
	start = v->pos;
	if (ev_accept(v, "(")) {
		if (++v->depth > EXPR_MAX_DEPTH)
			return ev_fail(v, start, -EINVAL, "parentheses nested deeper than %d", EXPR_MAX_DEPTH);
		r = ev_or(v, ret);
		v->depth--;
		if (r < 0)
			return r;
		if (!ev_accept(v, ")"))
			return ev_fail(v, v->pos, -EINVAL, "missing ')'");
		return 0;
	}
	end = start;
	while (end < v->len && ev_word_char(v->s[end]))
		end++;
	/* An address keeps its prefix length: 10.0.0.0/30 is no division. */
	if (end > start && end < v->len && v->s[end] == '/' && memchr(v->s + start, '.', end - start) &&
	    end + 1 < v->len && isdigit((unsigned char)v->s[end + 1])) {
		end++;
		while (end < v->len && isdigit((unsigned char)v->s[end]))
			end++;
	} else if (end > start && end < v->len && v->s[end] == '/' && memchr(v->s + start, ':', end - start) &&
		   end + 1 < v->len && isdigit((unsigned char)v->s[end + 1])) {
		end++;
		while (end < v->len && isdigit((unsigned char)v->s[end]))
			end++;
	}
	if (end == start) {
		if (start >= v->len)
			return ev_fail(v, start, -EINVAL, "missing a value at the end");
		return ev_fail(v, start, -EINVAL, "unexpected '%c'", v->s[start]);
	}
	v->pos = end;
	w = xstrndup(v->s + start, end - start);
	if ((isalpha((unsigned char)w[0]) || w[0] == '_') && !strchr(w, '.') && !strchr(w, ':'))
		r = ev_name(v, start, w, ret);
	else
		r = ev_literal(v, w, start, "", ret);
	free(w);
	return r;
}

static int ev_unary(struct ev *v, struct value *ret)
{
	size_t at;
	int r;

	ev_blank(v);
	at = v->pos;
	if (ev_accept(v, "-") || ev_accept(v, "!")) {
		bool neg = v->s[at] == '-';

		if (++v->depth > EXPR_MAX_DEPTH)
			return ev_fail(v, at, -EINVAL, "expression nested deeper than %d", EXPR_MAX_DEPTH);
		r = ev_unary(v, ret);
		v->depth--;
		if (r < 0)
			return r;
		if (ret->is_addr)
			return ev_fail(v, at, -EINVAL, "'%c' does not apply to an address", v->s[at]);
		if (!neg)
			ret->i = !ret->i;
		else if (ret->i == INT64_MIN)
			return ev_fail(v, at, -ERANGE, "integer overflow");
		else
			ret->i = -ret->i;
		return 0;
	}
	return ev_primary(v, ret);
}

/* a + delta, within the family's addresses. */
static int ev_addr_add(struct ev *v, size_t at, struct value *a, int64_t delta)
{
	size_t n = a->a.family == AF_INET ? 4 : 16, k;
	int carry = 0;
	uint64_t mag = delta < 0 ? (uint64_t)(-(delta + 1)) + 1 : (uint64_t)delta;

	/* Big-endian add (or subtract) of a 64-bit magnitude. */
	for (k = n; k-- > 0;) {
		int byte = (int)(mag & 0xff), x;

		mag >>= 8;
		if (delta >= 0) {
			x = a->a.bytes[k] + byte + carry;
			carry = x > 0xff;
		} else {
			x = a->a.bytes[k] - byte - carry;
			carry = x < 0;
		}
		a->a.bytes[k] = (uint8_t)(x & 0xff);
	}
	if (carry || mag)
		return ev_fail(v, at, -ERANGE, "the address goes past the end of the %s range",
			       a->a.family == AF_INET ? "IPv4" : "IPv6");
	return 0;
}

/* a - b of two addresses of one family, as an integer. */
static int ev_addr_diff(struct ev *v, size_t at, const struct value *a, const struct value *b, int64_t *ret)
{
	size_t n = a->a.family == AF_INET ? 4 : 16, k;
	int cmp = memcmp(a->a.bytes, b->a.bytes, n);
	const uint8_t *hi = cmp >= 0 ? a->a.bytes : b->a.bytes, *lo = cmp >= 0 ? b->a.bytes : a->a.bytes;
	uint8_t d[16];
	int borrow = 0;
	uint64_t mag = 0;

	for (k = n; k-- > 0;) {
		int x = hi[k] - lo[k] - borrow;

		borrow = x < 0;
		d[k] = (uint8_t)(x & 0xff);
	}
	for (k = 0; k < n; k++) {
		if (mag >> 55)
			return ev_fail(v, at, -ERANGE, "the difference of the addresses does not fit in 64 bits");
		mag = (mag << 8) | d[k];
	}
	if (mag > INT64_MAX)
		return ev_fail(v, at, -ERANGE, "the difference of the addresses does not fit in 64 bits");
	*ret = cmp >= 0 ? (int64_t)mag : -(int64_t)mag;
	return 0;
}

static int ev_arith(struct ev *v, size_t at, char op, struct value *a, const struct value *b)
{
	int64_t r;

	if (a->is_addr || b->is_addr) {
		if (op == '+' && a->is_addr && !b->is_addr)
			return ev_addr_add(v, at, a, b->i);
		if (op == '+' && !a->is_addr && b->is_addr) {
			int64_t i = a->i;

			*a = *b;
			return ev_addr_add(v, at, a, i);
		}
		if (op == '-' && a->is_addr && !b->is_addr) {
			if (b->i == INT64_MIN)
				return ev_fail(v, at, -ERANGE, "integer overflow");
			return ev_addr_add(v, at, a, -b->i);
		}
		if (op == '-' && a->is_addr && b->is_addr) {
			if (a->a.family != b->a.family)
				return ev_fail(v, at, -EINVAL, "the addresses are of different families");
			a->is_addr = false;
			return ev_addr_diff(v, at, a, b, &a->i);
		}
		return ev_fail(v, at, -EINVAL, "'%c' does not apply to an address (addresses add and subtract integers)",
			       op);
	}
	switch (op) {
	case '+':
		if (__builtin_add_overflow(a->i, b->i, &r))
			return ev_fail(v, at, -ERANGE, "integer overflow");
		break;
	case '-':
		if (__builtin_sub_overflow(a->i, b->i, &r))
			return ev_fail(v, at, -ERANGE, "integer overflow");
		break;
	case '*':
		if (__builtin_mul_overflow(a->i, b->i, &r))
			return ev_fail(v, at, -ERANGE, "integer overflow");
		break;
	default:
		if (!b->i)
			return ev_fail(v, at, -EINVAL, "division by zero");
		if (a->i == INT64_MIN && b->i == -1)
			return ev_fail(v, at, -ERANGE, "integer overflow");
		r = op == '/' ? a->i / b->i : a->i % b->i;
		break;
	}
	a->i = r;
	return 0;
}

static int ev_mul(struct ev *v, struct value *ret)
{
	struct value b;
	size_t at;
	int r = ev_unary(v, ret);

	while (!r) {
		char op;

		ev_blank(v);
		at = v->pos;
		if (ev_accept(v, "*"))
			op = '*';
		else if (ev_accept(v, "/"))
			op = '/';
		else if (ev_accept(v, "%"))
			op = '%';
		else
			break;
		r = ev_unary(v, &b);
		if (!r)
			r = ev_arith(v, at, op, ret, &b);
	}
	return r;
}

static int ev_add(struct ev *v, struct value *ret)
{
	struct value b;
	size_t at;
	int r = ev_mul(v, ret);

	while (!r) {
		char op;

		ev_blank(v);
		at = v->pos;
		if (ev_accept(v, "+"))
			op = '+';
		else if (ev_accept(v, "-"))
			op = '-';
		else
			break;
		r = ev_mul(v, &b);
		if (!r)
			r = ev_arith(v, at, op, ret, &b);
	}
	return r;
}

static int ev_cmp(struct ev *v, struct value *ret)
{
	static const char *const ops[] = { "==", "!=", "<=", ">=", "<", ">" };
	struct value b;
	size_t at, k;
	int r = ev_add(v, ret), c;

	if (r < 0)
		return r;
	ev_blank(v);
	at = v->pos;
	for (k = 0; k < sizeof(ops) / sizeof(ops[0]) && !ev_accept(v, ops[k]); k++)
		;
	if (k == sizeof(ops) / sizeof(ops[0]))
		return 0;
	r = ev_add(v, &b);
	if (r < 0)
		return r;
	if (ret->is_addr != b.is_addr || (ret->is_addr && ret->a.family != b.a.family))
		return ev_fail(v, at, -EINVAL, "'%s' compares a number with an address, or addresses of two families",
			       ops[k]);
	if (ret->is_addr)
		c = memcmp(ret->a.bytes, b.a.bytes, ret->a.family == AF_INET ? 4 : 16);
	else
		c = ret->i < b.i ? -1 : ret->i > b.i;
	switch (k) {
	case 0:
		c = !c;
		break;
	case 1:
		c = c != 0;
		break;
	case 2:
		c = c <= 0;
		break;
	case 3:
		c = c >= 0;
		break;
	case 4:
		c = c < 0;
		break;
	default:
		c = c > 0;
		break;
	}
	memset(ret, 0, sizeof(*ret));
	ret->i = c;
	return 0;
}

static int ev_logic(struct ev *v, struct value *ret, const char *op, int (*next)(struct ev *, struct value *))
{
	struct value b;
	size_t at;
	int r = next(v, ret);

	while (!r) {
		ev_blank(v);
		at = v->pos;
		if (!ev_accept(v, op))
			break;
		r = next(v, &b);
		if (r < 0)
			break;
		if (ret->is_addr || b.is_addr)
			return ev_fail(v, at, -EINVAL, "'%s' joins conditions, not addresses", op);
		ret->i = op[0] == '&' ? (ret->i && b.i) : (ret->i || b.i);
	}
	return r;
}

static int ev_and(struct ev *v, struct value *ret)
{
	return ev_logic(v, ret, "&&", ev_cmp);
}

static int ev_or(struct ev *v, struct value *ret)
{
	return ev_logic(v, ret, "||", ev_and);
}

static int ev_run(const char *text, size_t len, expr_lookup look, void *data, struct value *ret,
		  struct expr_error *e)
{
	struct ev v = { .s = text, .len = len, .look = look, .data = data, .e = e };
	int r;

	memset(e, 0, sizeof(*e));
	r = ev_or(&v, ret);
	if (r < 0)
		return r;
	ev_blank(&v);
	if (v.pos < len)
		return ev_fail(&v, v.pos, -EINVAL, "unexpected '%c'", text[v.pos]);
	return 0;
}

int expr_eval(const char *text, size_t len, expr_lookup look, void *data, char **ret,
	      struct expr_error *e)
{
	char buf[ADDR_STRLEN];
	struct value v;
	int r = ev_run(text, len, look, data, &v, e);

	if (r < 0)
		return r;
	if (v.is_addr)
		*ret = xstrdup(addr_format(&v.a, v.has_prefix, buf, sizeof(buf)));
	else
		*ret = xasprintf("%" PRId64, v.i);
	return 0;
}

int expr_test(const char *text, size_t len, expr_lookup look, void *data, bool *ret,
	      struct expr_error *e)
{
	struct value v;
	int r = ev_run(text, len, look, data, &v, e);

	if (r < 0)
		return r;
	if (v.is_addr) {
		e->at = 0;
		snprintf(e->msg, sizeof(e->msg), "the condition is an address, not true or false");
		return -EINVAL;
	}
	*ret = v.i != 0;
	return 0;
}
