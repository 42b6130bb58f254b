/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef ASSERTIONS_HTTP_H
#define ASSERTIONS_HTTP_H

struct loop;
struct netns;
struct verdict;

/* An HTTP GET of url from inside from gets a response within wait_ms, with
 * status (0: any) and a body containing body_contains (NULL: any). */
int expect_gets(struct loop *l, struct netns *from, const char *url, unsigned int status,
		const char *body_contains, unsigned int wait_ms, struct verdict *ret);

#endif
