/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_PARSE_H
#define LAB_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lab/lang/diag.h"
#include "lab/lang/lexer.h"
#include "lab/lang/model.h"
#include "netns/util/xalloc.h"

/*
 * What a statement parser sees: the words of its line (t->v[0] is the
 * keyword; a leading @label has been taken off), a cursor, the block when
 * the line ended in <<, and where to put errors.  Parsers return the new
 * statement (appended by the caller) or NULL after adding at least one
 * error.
 */
struct pctx {
	struct lab *lab;
	struct tokens *t;
	size_t i;			/* next word */
	struct loc loc;			/* of the keyword */
	const struct block *block;	/* NULL when the line had no << */
	struct diags *d;
	const char *line;		/* the line as written (for raw rule text) */
	struct loc node_loc;		/* of the first NODE word parsed (col 0: none) */
};

typedef struct stmt *(*stmt_parser)(struct pctx *c);

struct stmt_syntax {
	const char *keyword;
	stmt_parser parse;
	bool block;			/* accepts << ... >> */
	const char *usage;
};

const struct stmt_syntax *parse_lookup(const char *keyword);

/* The statement parsers, one per keyword, grouped by file. */
struct stmt *parse_node(struct pctx *c);
struct stmt *parse_link(struct pctx *c);
struct stmt *parse_lan(struct pctx *c);
struct stmt *parse_address(struct pctx *c);
struct stmt *parse_route(struct pctx *c);
struct stmt *parse_rule(struct pctx *c);
struct stmt *parse_sysctl(struct pctx *c);
struct stmt *parse_run(struct pctx *c);
struct stmt *parse_serve(struct pctx *c);
struct stmt *parse_wait(struct pctx *c);
struct stmt *parse_expect(struct pctx *c);
struct stmt *parse_wireguard(struct pctx *c);
struct stmt *parse_peer(struct pctx *c);
struct stmt *parse_wgquick(struct pctx *c);
struct stmt *parse_firewall(struct pctx *c);
struct stmt *parse_nft(struct pctx *c);
struct stmt *parse_nat(struct pctx *c);
struct stmt *parse_conntrack(struct pctx *c);
struct stmt *parse_capture(struct pctx *c);
struct stmt *parse_expect_words(struct pctx *c, const struct loc *loc);

/* Helpers over the cursor. */
struct loc pctx_loc(const struct pctx *c, size_t i);
/* Adds an error at word i (i == n: the end of the line); returns NULL. */
void *perr(struct pctx *c, size_t i, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A new statement of kind at the keyword's position. */
struct stmt *pctx_stmt(struct pctx *c, enum stmt_kind kind);
/* Frees s (after its parser added an error); returns NULL. */
struct stmt *stmt_fail(struct stmt *s);
/* perr(), then frees s; returns NULL. */
struct stmt *perr_free(struct stmt *s, struct pctx *c, size_t i, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
bool pctx_more(const struct pctx *c);
const char *pctx_peek(const struct pctx *c);
/* Takes the next word; an error naming what was expected when none. */
const char *pctx_word(struct pctx *c, const char *what);
/* Takes the next word when it equals w. */
bool pctx_accept(struct pctx *c, const char *w);
/* Complains about the first word left over (too many arguments). */
bool pctx_end(struct pctx *c);

/* Value parsers: 0 or -EINVAL with an error at word i. */
int parse_u32(struct pctx *c, size_t i, uint32_t min, uint32_t max, uint32_t *ret);
/* "2s", "500ms", "1.5s", "3" (seconds), "1m". */
int parse_duration_ms(struct pctx *c, size_t i, unsigned int *ret);
/* "100mbit", "1gbit", "56kbit", "1000000" (bit/s); also "bit/s" forms. */
int parse_rate(struct pctx *c, size_t i, uint64_t *ret);
/* A NODE name: letters, digits, '-', '_', '.', at most 32 bytes. */
bool name_valid(const char *s);
int parse_node_name(struct pctx *c, size_t i, char **ret);
/* NODE:IF. */
int parse_ifref(struct pctx *c, size_t i, struct ifref *ret);
bool ifname_valid(const char *s, const char **why);
/* An address, with prefix when flags ask (ADDR_PARSE_*). */
int parse_addr(struct pctx *c, size_t i, unsigned int flags, struct addr *ret);
/* "ADDR:PORT", "[V6]:PORT"; port "*" = any (ret_port 0, *ret_any). */
int parse_addr_port(struct pctx *c, size_t i, bool allow_wild, struct addr *ret, uint16_t *ret_port,
		    bool *ret_any_port);

#endif
