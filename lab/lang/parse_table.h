/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_LANG_PARSE_TABLE_H
#define LAB_LANG_PARSE_TABLE_H

#include <stdbool.h>

struct pctx;
struct stmt;

typedef struct stmt *(*stmt_parser)(struct pctx *c);

/* The names a statement's words define: when the statement has an error,
 * the scenario parser still takes them, so that every later use of the
 * name is not one more error (lab->broken). */
enum stmt_defines {
	DEFINES_NOTHING,
	DEFINES_NODE,		/* its first word: `node NAME` */
	DEFINES_IF,		/* its first word: `wireguard NODE:IF` */
	DEFINES_IFS,		/* every NODE:IF word: `link`, `lan` */
};

struct stmt_syntax {
	const char *keyword;
	stmt_parser parse;
	bool block;			/* accepts << ... >> */
	const char *usage;
	enum stmt_defines defines;	/* what its words define, kept when it fails */
};

/* The statement keyword's parser, or NULL when there is no such keyword. */
const struct stmt_syntax *parse_lookup(const char *keyword);

#endif
