/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef ASSERTIONS_PATH_H
#define ASSERTIONS_PATH_H

#include <stdbool.h>
#include <stddef.h>

struct addr;
struct loop;
struct netns;
struct verdict;

/* A traceroute from inside from towards dst (UDP, or ICMP echo) answers
 * hop by hop exactly the addresses in hops (the destination last). */
int expect_path(struct loop *l, struct netns *from, const struct addr *dst, bool icmp,
		const struct addr *hops, size_t n_hops, struct verdict *ret);

#endif
