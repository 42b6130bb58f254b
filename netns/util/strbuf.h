/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_UTIL_STRBUF_H
#define NETNS_UTIL_STRBUF_H

#include <stddef.h>

/* Appends to buf (len bytes, always NUL-terminated) at *off, as snprintf
 * would; text past the end is cut, and *off never passes len. */
void strbuf_appendf(char *buf, size_t len, size_t *off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
