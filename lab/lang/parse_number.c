// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * Numbers, durations, rates and sizes of statements: netns/util/number.h
 * reads them (one rule for every field), this file points the error at
 * the word.
 */
#include "lab/lang/parse_value.h"
#include "lab/lang/pctx.h"
#include "lab/lang/lexer.h"
#include "netns/util/number.h"

#include <errno.h>

static int parse_number_u32(struct pctx *c, size_t i, unsigned int flags, uint32_t min,
			    uint32_t max, uint32_t *ret)
{
	const char *s = c->t->v[i].text, *why;
	int r = number_u32(s, flags, min, max, ret, &why);

	if (r == -ERANGE)
		perr(c, i, "'%s' is out of range (%u-%u)", s, min, max);
	else if (r < 0)
		perr(c, i, "'%s' %s", s, why);
	return r;
}

int parse_u32(struct pctx *c, size_t i, uint32_t min, uint32_t max, uint32_t *ret)
{
	return parse_number_u32(c, i, 0, min, max, ret);
}

int parse_u32_hex(struct pctx *c, size_t i, uint32_t min, uint32_t max, uint32_t *ret)
{
	return parse_number_u32(c, i, NUMBER_HEX, min, max, ret);
}

/* The word's own complaint when it is a number gone wrong, otherwise the
 * kind of value expected. */
static int parse_number_fail(struct pctx *c, size_t i, int r, const char *why, const char *what,
			     const char *eg, const char *eg_unit)
{
	const char *s = c->t->v[i].text;

	if (why == number_no_unit)
		perr(c, i, "expected %s with a unit (%s)", what, eg_unit);
	else if (why == number_leading_zero || r == -ERANGE)
		perr(c, i, "'%s' %s", s, why);
	else
		perr(c, i, "'%s' is not %s (e.g. %s)", s, what, eg);
	return r;
}

int parse_duration_ms(struct pctx *c, size_t i, unsigned int *ret)
{
	const char *why;
	uint64_t ms;
	int r = number_duration_ms(c->t->v[i].text, &ms, &why);

	if (r < 0)
		return parse_number_fail(c, i, r, why, "a duration", "2s, 500ms", "5s, 500ms");
	*ret = (unsigned int)ms;
	return 0;
}

int parse_rate(struct pctx *c, size_t i, uint64_t *ret)
{
	const char *why;
	int r = number_rate_bps(c->t->v[i].text, ret, &why);

	return r < 0 ? parse_number_fail(c, i, r, why, "a rate", "100mbit, 1gbit", "100mbit, 1gbit") : 0;
}

int parse_size(struct pctx *c, size_t i, uint64_t *ret)
{
	const char *why;
	int r = number_size(c->t->v[i].text, ret, &why);

	return r < 0 ? parse_number_fail(c, i, r, why, "a size", "1000, 64K, 2MiB", "64K, 2MiB") : 0;
}
