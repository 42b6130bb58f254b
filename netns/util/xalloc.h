/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_UTIL_XALLOC_H
#define NETNS_UTIL_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

/*
 * wglab's one out-of-memory policy: running out of memory is fatal.  Every
 * allocation goes through these; each returns memory or prints
 * "wglab: out of memory" and aborts (the kernel frees every namespace of
 * the run, which holds them by descriptor only).  So no caller checks, and
 * no function returns -ENOMEM for its own allocations.
 */

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
/* NULL-safe: xstrdup(NULL) is NULL. */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
/* The out-of-memory death itself, for memory that libc allocates on the
 * caller's behalf (an open_memstream() that fails to grow). */
void xalloc_fail(void) __attribute__((noreturn));
/* p, as a library's constructor returned it (libnftnl's *_alloc(),
 * libnftables' nft_ctx_new()): those return NULL only when out of memory,
 * which is fatal here too. */
void *xcheck(void *p);
/* v, an array of n elements of size bytes, with room for one more:
 * reallocated only when n is 0 or a power of two, so that appending n
 * elements costs O(n) copies. */
void *xgrow(void *v, size_t n, size_t size);

#endif
