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

/* Parses the match and target options of tok[0..n) into s; table and hook
 * (FW_HOOK_USER for user chains) give the context. */
int fw_opts_parse(struct fw_spec *s, int family, enum fw_table_kind table, int hook,
		  struct fw_table *t, const struct fw_token *tok, size_t n, struct fw_error *err);

#endif
