// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "netns/util/number.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

const char number_no_unit[] = "has no unit";
const char number_leading_zero[] = "has a leading zero (ip would read it as octal): write it without";

static bool number_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int number_hexval(char c)
{
	if (number_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Reads the digits at *p (no leading zero), advancing *p; -EINVAL with why. */
static int number_digits(const char **p, uint64_t *ret, const char **why)
{
	const char *s = *p;
	uint64_t v = 0;

	if (!number_digit(*s)) {
		*why = "is not a number";
		return -EINVAL;
	}
	if (s[0] == '0' && number_digit(s[1])) {
		*why = number_leading_zero;
		return -EINVAL;
	}
	for (; number_digit(*s); s++) {
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10) {
			*why = "is too large";
			return -ERANGE;
		}
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*p = s;
	*ret = v;
	return 0;
}

int number_u64(const char *s, unsigned int flags, uint64_t min, uint64_t max, uint64_t *ret,
	       const char **ret_why)
{
	const char *why = "is not a number";
	uint64_t v = 0;
	int r;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		const char *p = s + 2;

		if (!(flags & NUMBER_HEX)) {
			why = "is not a decimal number";
			goto bad;
		}
		if (!*p)
			goto bad;
		for (; *p; p++) {
			int d = number_hexval(*p);

			if (d < 0)
				goto bad;
			if (v >> 60) {
				why = "is too large";
				goto range;
			}
			v = v << 4 | (uint64_t)d;
		}
	} else {
		const char *p = s;

		r = number_digits(&p, &v, &why);
		if (r == -ERANGE)
			goto range;
		if (r < 0)
			goto bad;
		if (*p) {
			why = (flags & NUMBER_HEX) ? "is not a number (decimal or 0x hex)" :
						     "is not a decimal number";
			goto bad;
		}
	}
	if (v < min || v > max) {
		why = "is out of range";
		goto range;
	}
	*ret = v;
	return 0;
range:
	*ret_why = why;
	return -ERANGE;
bad:
	*ret_why = why;
	return -EINVAL;
}

int number_u32(const char *s, unsigned int flags, uint32_t min, uint32_t max, uint32_t *ret,
	       const char **ret_why)
{
	uint64_t v;
	int r = number_u64(s, flags, min, max, &v, ret_why);

	if (!r)
		*ret = (uint32_t)v;
	return r;
}

/* DIGITS[.DIGITS] scaled by 10^9 (exact for 9 fraction digits); *p moves
 * past it. */
static int number_fixed(const char **p, uint64_t *ret_nano, const char **why)
{
	uint64_t whole, frac = 0, scale = 1000000000;
	const char *s = *p;
	int r;

	r = number_digits(&s, &whole, why);
	if (r < 0)
		return r;
	if (*s == '.') {
		s++;
		if (!number_digit(*s)) {
			*why = "is not a number";
			return -EINVAL;
		}
		for (; number_digit(*s); s++) {
			if (scale > 1) {
				scale /= 10;
				frac += (uint64_t)(*s - '0') * scale;
			}
		}
	}
	if (whole > UINT64_MAX / 1000000000) {
		*why = "is too large";
		return -ERANGE;
	}
	*ret_nano = whole * 1000000000 + frac;
	*p = s;
	return 0;
}

struct number_unit {
	const char *unit;
	uint64_t mult;		/* of the base unit */
};

static int number_scaled(const char *s, const struct number_unit *units, size_t n, bool icase,
			 uint64_t *ret, const char **why, const char *need_unit)
{
	const char *p = s;
	char low[16];
	uint64_t nano;
	size_t k, len;
	int r;

	r = number_fixed(&p, &nano, why);
	if (r < 0)
		return r;
	if (!*p && need_unit) {
		*why = need_unit;
		return -EINVAL;
	}
	len = strlen(p);
	if (len >= sizeof(low)) {
		*why = "has an unknown unit";
		return -EINVAL;
	}
	memcpy(low, p, len + 1);
	/* "Mbit/s" reads as "mbit". */
	if (len > 2 && !strcmp(low + len - 2, "/s"))
		low[len - 2] = '\0';
	for (k = 0; k < n; k++) {
		if (icase ? strcasecmp(low, units[k].unit) : strcmp(low, units[k].unit))
			continue;
		/* nano * mult / 1e9, without overflow for the ranges used */
		if (units[k].mult && nano / 1000000000 > UINT64_MAX / units[k].mult / 2) {
			*why = "is too large";
			return -ERANGE;
		}
		*ret = nano / 1000000000 * units[k].mult +
		       (nano % 1000000000) * units[k].mult / 1000000000;
		if ((nano % 1000000000) * units[k].mult % 1000000000 >= 500000000)
			(*ret)++;
		return 0;
	}
	*why = "has an unknown unit";
	return -EINVAL;
}

int number_duration_ms(const char *s, uint64_t *ret_ms, const char **ret_why)
{
	/* in microseconds, rounded to milliseconds below */
	static const struct number_unit units[] = {
		{ "ms", 1000 }, { "s", 1000000 }, { "m", 60000000 }, { "min", 60000000 },
	};
	uint64_t us;
	int r;

	r = number_scaled(s, units, sizeof(units) / sizeof(units[0]), false, &us, ret_why,
			  number_no_unit);
	if (r < 0)
		return r;
	if (us > 24ULL * 3600 * 1000000) {
		*ret_why = "is too long (at most 24 h)";
		return -ERANGE;
	}
	*ret_ms = (us + 500) / 1000;
	return 0;
}

int number_rate_bps(const char *s, uint64_t *ret_bps, const char **ret_why)
{
	static const struct number_unit units[] = {
		{ "bit", 1 }, { "kbit", 1000 }, { "mbit", 1000000 }, { "gbit", 1000000000 },
		{ "bps", 8 }, { "kbps", 8000 }, { "mbps", 8000000 }, { "gbps", 8000000000ULL },
		{ "k", 1000 }, { "m", 1000000 }, { "g", 1000000000 },
	};
	uint64_t v;
	int r;

	r = number_scaled(s, units, sizeof(units) / sizeof(units[0]), true, &v, ret_why,
			  number_no_unit);
	if (r < 0)
		return r;
	if (v < 1 || v > 10000000000000ULL) {
		*ret_why = "is out of range (1bit to 10tbit)";
		return -ERANGE;
	}
	*ret_bps = v;
	return 0;
}

int number_size(const char *s, uint64_t *ret, const char **ret_why)
{
	static const struct {
		const char *unit;
		uint64_t mult;
	} units[] = { { "", 1 }, { "B", 1 }, { "K", 1024 }, { "KiB", 1024 }, { "KB", 1000 },
		      { "M", 1048576 }, { "MiB", 1048576 }, { "MB", 1000000 },
		      { "G", 1073741824 }, { "GiB", 1073741824 }, { "GB", 1000000000 } };
	const char *p = s;
	uint64_t v;
	size_t k;
	int r;

	r = number_digits(&p, &v, ret_why);
	if (r < 0)
		return r;
	for (k = 0; k < sizeof(units) / sizeof(units[0]); k++) {
		if (strcmp(p, units[k].unit))
			continue;
		if (v > UINT64_MAX / units[k].mult) {
			*ret_why = "is too large";
			return -ERANGE;
		}
		*ret = v * units[k].mult;
		return 0;
	}
	*ret_why = "has an unknown unit";
	return -EINVAL;
}
