/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_LANG_PARSE_TABLE_H
#define LAB_LANG_PARSE_TABLE_H

#include <stdbool.h>

struct pctx;
struct stmt;

typedef struct stmt *(*stmt_parser)(struct pctx *c);

struct stmt_syntax {
	const char *keyword;
	stmt_parser parse;
	bool block;			/* accepts << ... >> */
	const char *usage;
};

/* The statement keyword's parser, or NULL when there is no such keyword. */
const struct stmt_syntax *parse_lookup(const char *keyword);

#endif
