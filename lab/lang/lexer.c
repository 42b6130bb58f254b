// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "lab/lang/lexer.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static bool lexer_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

int lexer_split(const char *line, size_t len, struct tokens *ret, unsigned int *ret_col,
		const char **ret_msg)
{
	struct tokens t = { 0 };
	size_t i = 0, out = 0;

	if (memchr(line, '\0', len)) {
		*ret_col = (unsigned int)((const char *)memchr(line, '\0', len) - line) + 1;
		*ret_msg = "NUL byte in scenario text";
		return -EINVAL;
	}
	/* Every word fits in the line plus one terminator per word; the
	 * buffer never moves, so words point into it. */
	t.buf = xmalloc(len * 2 + 1);
	while (i < len) {
		unsigned int col;
		bool quoted = false;
		size_t start_out;

		while (i < len && lexer_blank(line[i]))
			i++;
		if (i >= len || line[i] == '#' || line[i] == '\n')
			break;
		col = (unsigned int)i + 1;
		start_out = out;
		while (i < len && !lexer_blank(line[i]) && line[i] != '\n') {
			/* ${EXPR} is one word, blanks and all (lab/lang/expand.h). */
			if (line[i] == '$' && i + 1 < len && line[i + 1] == '{') {
				size_t at = i;
				int depth = 0;

				for (; i < len; i++) {
					t.buf[out++] = line[i];
					if (line[i] == '{')
						depth++;
					else if (line[i] == '}' && !--depth)
						break;
				}
				if (i >= len) {
					*ret_col = (unsigned int)at + 1;
					*ret_msg = "'${' is not closed with '}'";
					lexer_free(&t);
					return -EINVAL;
				}
				i++;
				continue;
			}
			if (line[i] != '"') {
				t.buf[out++] = line[i++];
				continue;
			}
			quoted = true;
			for (i++; i < len && line[i] != '"'; i++) {
				if (line[i] == '\\' && i + 1 < len &&
				    (line[i + 1] == '"' || line[i + 1] == '\\'))
					i++;
				t.buf[out++] = line[i];
			}
			if (i >= len) {
				*ret_col = col;
				*ret_msg = "unterminated quoted string";
				lexer_free(&t);
				return -EINVAL;
			}
			i++;
		}
		t.buf[out++] = '\0';
		t.v = xgrow(t.v, t.n, sizeof(*t.v));
		t.v[t.n].text = t.buf + start_out;
		t.v[t.n].col = col;
		t.v[t.n].quoted = quoted;
		t.n++;
	}
	*ret = t;
	return 0;
}

void lexer_free(struct tokens *t)
{
	if (!t)
		return;
	free(t->v);
	free(t->buf);
	t->v = NULL;
	t->buf = NULL;
	t->n = 0;
}

char *lexer_join(const struct tokens *t, size_t from)
{
	size_t len = 1;
	char *s, *p;

	for (size_t k = from; k < t->n; k++)
		len += strlen(t->v[k].text) * 2 + 3;
	s = p = xmalloc(len);
	for (size_t k = from; k < t->n; k++) {
		const char *w = t->v[k].text;
		bool quote = t->v[k].quoted || !*w || strpbrk(w, " \t\r\v\f\"#") != NULL;

		if (k > from)
			*p++ = ' ';
		if (!quote) {
			p = stpcpy(p, w);
			continue;
		}
		*p++ = '"';
		for (; *w; w++) {
			if (*w == '"' || *w == '\\')
				*p++ = '\\';
			*p++ = *w;
		}
		*p++ = '"';
	}
	*p = '\0';
	return s;
}
