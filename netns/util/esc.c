// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "netns/util/esc.h"
#include "netns/util/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ESC_KEY_RUN 40
#define ESC_KEY_BYTES 32

size_t esc_utf8_len(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t len, i;

	if (!n)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

bool esc_is_control(const unsigned char *s, size_t len)
{
	if (len == 1)
		return s[0] < 0x20 || s[0] == 0x7f;
	return len == 2 && s[0] == 0xc2 && s[1] < 0xa0;
}

/* One escaped character of s into f, or into the string at out. */
static size_t esc_one(const unsigned char *s, size_t n, unsigned int flags, char *out)
{
	size_t len = esc_utf8_len(s, n);

	if (len && !esc_is_control(s, len)) {
		memcpy(out, s, len);
		return len;
	}
	if (len == 1 && (flags & ESC_KEEP_LINES) && (s[0] == '\n' || s[0] == '\t')) {
		out[0] = (char)s[0];
		return 1;
	}
	if (len == 2)
		return (size_t)sprintf(out, "\\u%04x", (unsigned int)s[1]);
	return (size_t)sprintf(out, "\\x%02x", s[0]);
}

char *esc_dup(const char *s, unsigned int flags)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p), o = 0, len;
	/* At worst 6 bytes ("\u0080") for 2, 4 ("\xff") for 1. */
	char *out = xmalloc(4 * n + 1);

	while (*p) {
		len = esc_utf8_len(p, n);
		o += esc_one(p, n, flags, out + o);
		len = len ? len : 1;
		p += len;
		n -= len;
	}
	out[o] = '\0';
	return out;
}

void esc_fputs(FILE *f, const char *s, unsigned int flags)
{
	char *e;

	if (!s)
		return;
	e = esc_dup(s, flags);
	fputs(e, f);
	free(e);
}

static bool esc_b64(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
	       c == '/';
}

static bool esc_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* A run of base64 characters is key-like when it is long and mixes
 * classes as random bytes do (a path of lowercase words and slashes does
 * not, nor one with "//" and only two classes); always when it has a
 * WireGuard key's shape (43 characters and '='); a run of hex digits when
 * it is as long as a key in hex.  Random base64 holds "//" about once in
 * a hundred keys: that alone never clears it. */
static bool esc_key_like(const char *s, size_t n, bool padded)
{
	bool upper = false, lower = false, digit = false, hex = true, slashes = false;

	for (size_t i = 0; i < n; i++) {
		upper |= s[i] >= 'A' && s[i] <= 'Z';
		lower |= s[i] >= 'a' && s[i] <= 'z';
		digit |= (s[i] >= '0' && s[i] <= '9') || s[i] == '+';
		hex &= esc_hex(s[i]);
		slashes |= i && s[i] == '/' && s[i - 1] == '/';
	}
	if (hex)
		return n >= 2 * ESC_KEY_BYTES;
	if (n == 43 && padded)
		return true;
	if (n < ESC_KEY_RUN)
		return false;
	return upper + lower + digit == 3 || (!slashes && upper + lower + digit >= 2);
}

/* Start and length of the first key-like run in s, or false. */
static bool esc_key_run(const char *s, size_t *ret_at, size_t *ret_len)
{
	size_t i = 0, start, n;

	while (s[i]) {
		if (!esc_b64(s[i])) {
			i++;
			continue;
		}
		start = i;
		while (esc_b64(s[i]))
			i++;
		n = i - start;
		while (s[i] == '=')
			i++;
		if (esc_key_like(s + start, n, s[start + n] == '=')) {
			*ret_at = start;
			*ret_len = i - start;
			return true;
		}
	}
	return false;
}

bool esc_has_key(const char *s)
{
	size_t at, len;

	return s && esc_key_run(s, &at, &len);
}

size_t esc_hide_keys(char *s)
{
	size_t at, len, count = 0, from = 0;

	if (!s)
		return 0;
	while (esc_key_run(s + from, &at, &len)) {
		at += from;
		/* "(hidden)" (8 bytes) is never longer than the run (40+). */
		memcpy(s + at, "(hidden)", 8);
		memmove(s + at + 8, s + at + len, strlen(s + at + len) + 1);
		from = at + 8;
		count++;
	}
	return count;
}
