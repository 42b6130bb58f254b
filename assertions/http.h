/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef ASSERTIONS_HTTP_H
#define ASSERTIONS_HTTP_H

struct addr;
struct loop;
struct netns;
struct verdict;

/* An HTTP GET of url from inside from gets a response within wait_ms, with
 * status (0: any) and a body containing body_contains (NULL: any).  at:
 * the address to connect to when the URL names its host (else NULL). */
int expect_gets(struct loop *l, struct netns *from, const char *url, const struct addr *at, unsigned int status,
		const char *body_contains, unsigned int wait_ms, struct verdict *ret);

#endif
