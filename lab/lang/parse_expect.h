/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_LANG_PARSE_EXPECT_H
#define LAB_LANG_PARSE_EXPECT_H

struct pctx;
struct stmt;

/* The expect statement's parser (for parse_table.c). */
struct stmt *parse_expect(struct pctx *c);

#endif
