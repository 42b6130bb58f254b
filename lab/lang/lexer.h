/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_LEXER_H
#define LAB_LEXER_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Splits one scenario line into words.  Words are separated by blanks; "..."
 * quotes a word (with \" and \\ escapes); '#' at the start of a word begins
 * a comment.  Each word keeps its 1-based column for error messages.
 */
struct token {
	char *text;		/* unquoted, NUL-terminated */
	unsigned int col;	/* 1-based column of the word's first byte */
	bool quoted;
};

struct tokens {
	struct token *v;
	size_t n;
	char *buf;		/* storage for every text */
};

/* 0, or -EINVAL with *ret_col / *ret_msg set (unterminated quote, NUL byte). */
int lexer_split(const char *line, size_t len, struct tokens *ret, unsigned int *ret_col,
		const char **ret_msg);
void lexer_free(struct tokens *t);
/* Words from..n-1 as a line the lexer splits back into the same words:
 * blanks between, quotes (with \" and \\) where a word was quoted or
 * needs them.  Caller frees. */
char *lexer_join(const struct tokens *t, size_t from);

#endif
