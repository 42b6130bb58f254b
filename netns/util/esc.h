/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_UTIL_ESC_H
#define NETNS_UTIL_ESC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * Text from outside (scenario words, program output, file names) on its
 * way to a terminal or a report: control characters and bytes that are not
 * UTF-8 become visible escapes, so that no terminal sequence reaches the
 * reader and every report stays valid text; and runs that look like key
 * material are hidden where no key is expected (diagnostics).
 */

enum {
	ESC_KEEP_LINES = 1U << 0,	/* '\n' and '\t' stay as they are */
};

/* Length of the valid UTF-8 sequence at s (at most n bytes): 1 for ASCII,
 * 2-4 for U+0080..U+10FFFF (no overlong form, no surrogate); 0 when s
 * does not start one. */
size_t esc_utf8_len(const unsigned char *s, size_t n);
/* Whether the code point of the valid sequence at s (esc_utf8_len() > 0)
 * is a control character: C0, DEL or C1 (U+0080..U+009F). */
bool esc_is_control(const unsigned char *s, size_t len);
/* Writes s to f: printable UTF-8 as is; control characters as \xNN (C1
 * as \u00NN, so that the text stays UTF-8), bytes that are not UTF-8 as
 * \xNN; a backslash stays one (the escapes are for reading, not for
 * undoing).  NULL writes nothing. */
void esc_fputs(FILE *f, const char *s, unsigned int flags);
/* The same into a new string (caller frees). */
char *esc_dup(const char *s, unsigned int flags);
/* Replaces, in place, every run that looks like key material by
 * "(hidden)": 40 or more base64 characters (A-Z a-z 0-9 + /, with its '='
 * padding) mixing letter cases or digits, as a WireGuard key in base64 (44)
 * or one mistyped does; or 64 or more hex digits (a key in hex).  The
 * number of runs hidden. */
size_t esc_hide_keys(char *s);
/* Whether s holds such a run. */
bool esc_has_key(const char *s);

#endif
