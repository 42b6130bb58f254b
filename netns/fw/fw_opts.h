/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_FW_OPTS_H
#define NETNS_FW_OPTS_H

/* A rule's match and target options (fw_opts.c), for fw_parse.c and the
 * unit tests.  Not part of the API. */
#include <stddef.h>

#include "netns/fw/fw_model.h"

/* A word of a line, and its 1-based column. */
struct fw_token {
	char *s;
	unsigned int col;
};

/* At most this many addresses in one -s or -d list (a,b,c). */
#define FW_ADDR_LIST_MAX 32

/* Which address of the -s and -d lists fw_opts_parse() takes (iptables
 * makes one rule of each pair), and how long the lists are (1: one
 * address). */
struct fw_addr_pick {
	unsigned int src, dst;		/* in */
	unsigned int nsrc, ndst;	/* out; set both to 1 before (no list) */
};

/* Parses the match and target options of tok[0..n) into s; table and hook
 * (FW_HOOK_USER for user chains) give the context; pick (NULL: the first
 * of each list) which addresses of -s and -d lists to take. */
int fw_opts_parse(struct fw_spec *s, int family, enum fw_table_kind table, int hook,
		  struct fw_table *t, const struct fw_token *tok, size_t n,
		  struct fw_addr_pick *pick, struct fw_error *err);

#endif
