// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* The mutants of a scenario file (lab/mutate/mutant.h). */
#include "lab/mutate/mutant.h"
#include "lab/lang/diag.h"
#include "lab/lang/model.h"
#include "lab/lang/scenario.h"
#include "netns/util/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEEP_MARK "# mutate-keep:"

struct src {
	const char *file;
	char **line;			/* line[1..n], NUL-terminated copies */
	unsigned int n;
	bool *gone;			/* twins and twin-only statements */
	char **keep;			/* keep[l]: the reason marking line l */
	char **keys;			/* "@NODE:IF" names of the file's peers */
	size_t n_keys;
};

static const char *skip_blank(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static char *trimmed(const char *s)
{
	const char *e;

	s = skip_blank(s);
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	return xstrndup(s, (size_t)(e - s));
}

static bool is_close(const char *s)
{
	return scenario_line_closes_block(s, strlen(s));
}

static bool is_blank_or_comment(const char *s)
{
	s = skip_blank(s);
	return !*s || *s == '\r' || *s == '#';
}

/* The last line of a unit that starts at `line`: its `>>` when the line
 * opens a block (as the parser reads it: `firewall b << # note` does). */
static unsigned int unit_end(const struct src *sr, unsigned int line)
{
	if (!scenario_line_opens_block(sr->line[line], strlen(sr->line[line])))
		return line;
	for (unsigned int l = line + 1; l <= sr->n; l++)
		if (is_close(sr->line[l]))
			return l;
	return sr->n;
}

static void add(struct mutants *ms, const struct src *sr, unsigned int line, unsigned int last,
		char *replace, char *what)
{
	struct mutant *m;

	ms->v = xgrow(ms->v, ms->n, sizeof(*ms->v));
	m = &ms->v[ms->n++];
	m->line = line;
	m->last = last;
	m->replace = replace;
	m->what = what;
	m->orig = trimmed(sr->line[line]);
	m->keep = sr->keep[line] ? xstrdup(sr->keep[line]) : NULL;
}

static bool word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-';
}

/* A whole word of s equal to w (a '-' joins words: @drop-ssh, DROP-LOG):
 * its offset, or -1. */
static long find_word(const char *s, const char *w)
{
	size_t n = strlen(w);

	for (const char *p = strstr(s, w); p; p = strstr(p + 1, w)) {
		bool before = p == s || !word_char(p[-1]);
		bool after = !word_char(p[n]);

		if (before && after)
			return p - s;
	}
	return -1;
}

static char *splice(const char *s, long at, size_t n, const char *with)
{
	return xasprintf("%.*s%s%s", (int)at, s, with, s + at + (long)n);
}

/* The rule's target of an iptables line (the word after -j or --jump):
 * its offset, or -1 when the line has none. */
static long jump_target(const char *s)
{
	for (const char *p = s; *p; p++) {
		size_t n;

		if (p != s && p[-1] != ' ' && p[-1] != '\t')
			continue;
		if (!strncmp(p, "-j", 2) && (p[2] == ' ' || p[2] == '\t'))
			n = 2;
		else if (!strncmp(p, "--jump", 6) && (p[6] == ' ' || p[6] == '\t'))
			n = 6;
		else
			continue;
		return skip_blank(p + n) - s;
	}
	return -1;
}

/* ACCEPT <-> DROP (iptables), accept <-> drop (nft): the rule's -j target
 * on an iptables line, else the first of either among the line's words
 * after its label (`@drop firewall ...` is not a verdict). */
static void op_verdict(struct mutants *ms, const struct src *sr, unsigned int l)
{
	static const char *const pairs[][2] = { { "ACCEPT", "DROP" }, { "DROP", "ACCEPT" },
						 { "accept", "drop" }, { "drop", "accept" } };
	const char *s = sr->line[l], *from = skip_blank(s);
	long best = -1, target;
	size_t k = 0;

	if (*from == '@')
		from += strcspn(from, " \t");
	target = jump_target(from);
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		long at;

		if (target >= 0) {
			size_t n = strlen(pairs[i][0]);

			at = !strncmp(from + target, pairs[i][0], n) && !word_char(from[target + (long)n]) ? target : -1;
		} else {
			at = find_word(from, pairs[i][0]);
		}
		if (at >= 0 && (best < 0 || at < best)) {
			best = at;
			k = i;
		}
	}
	if (best < 0)
		return;
	best += from - s;
	add(ms, sr, l, l, splice(s, best, strlen(pairs[k][0]), pairs[k][1]),
	    xasprintf("%s -> %s", pairs[k][0], pairs[k][1]));
}

/* A port off by one, where a line sets one. */
static void op_port(struct mutants *ms, const struct src *sr, unsigned int l)
{
	static const char *const pats[] = {
		"^[ \t]*ListenPort[ \t]*=[ \t]*([0-9]+)",
		"^[ \t]*Endpoint[ \t]*=[ \t]*[^ \t]*:([0-9]+)",
		"[ \t]listen-port[ \t]+([0-9]+)",
		"[ \t]endpoint[ \t]+[^ \t]*:([0-9]+)",
		"--dport[ \t]+([0-9]+)",
		"[ \t]dport[ \t]+([0-9]+)",
	};
	const char *s = sr->line[l];

	for (size_t i = 0; i < sizeof(pats) / sizeof(pats[0]); i++) {
		regmatch_t m[2];
		regex_t re;
		unsigned long port;
		char num[16];
		int r;

		if (regcomp(&re, pats[i], REG_EXTENDED | REG_ICASE))
			continue;
		r = regexec(&re, s, 2, m, 0);
		regfree(&re);
		if (r || m[1].rm_so < 0)
			continue;
		port = strtoul(s + m[1].rm_so, NULL, 10);
		if (port >= 65535)
			continue;
		snprintf(num, sizeof(num), "%lu", port + 1);
		add(ms, sr, l, l, splice(s, m[1].rm_so, (size_t)(m[1].rm_eo - m[1].rm_so), num),
		    xasprintf("port %lu -> %lu", port, port + 1));
		return;
	}
}

/* PublicKey = @A:IF -> the key of another interface of the file. */
static void op_key(struct mutants *ms, const struct src *sr, unsigned int l)
{
	const char *s = sr->line[l], *p = skip_blank(s), *at;
	char *cur;

	if (strncasecmp(p, "PublicKey", 9) || !(at = strchr(p, '@')))
		return;
	cur = trimmed(at);
	for (size_t i = 0; i < sr->n_keys; i++) {
		if (!strcmp(sr->keys[i], cur))
			continue;
		add(ms, sr, l, l, splice(s, at - s, strlen(cur), sr->keys[i]),
		    xasprintf("key %s -> %s", cur, sr->keys[i]));
		break;
	}
	free(cur);
}

static void ops(struct mutants *ms, const struct src *sr, unsigned int l)
{
	if (is_blank_or_comment(sr->line[l]) || is_close(sr->line[l]))
		return;
	op_verdict(ms, sr, l);
	op_port(ms, sr, l);
	op_key(ms, sr, l);
}

static bool has_block(const struct stmt *s)
{
	return s->block.text && (s->kind == STMT_FIREWALL || s->kind == STMT_NFT || s->kind == STMT_WGQUICK ||
				 s->kind == STMT_RUN);
}

static void key_add(struct src *sr, const char *node, const char *ifname)
{
	char *k = xasprintf("@%s:%s", node, ifname);

	for (size_t i = 0; i < sr->n_keys; i++) {
		if (!strcmp(sr->keys[i], k)) {
			free(k);
			return;
		}
	}
	sr->keys = xgrow(sr->keys, sr->n_keys, sizeof(*sr->keys));
	sr->keys[sr->n_keys++] = k;
}

static void src_split(struct src *sr, const char *file, const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	sr->file = file;
	sr->line = xcalloc(2, sizeof(*sr->line));
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));

		if (!eol)
			eol = end;
		sr->line = xrealloc(sr->line, (sr->n + 2) * sizeof(*sr->line));
		sr->line[++sr->n] = xstrndup(p, (size_t)(eol - p));
		p = eol + 1;
	}
	sr->gone = xcalloc(sr->n + 2, sizeof(*sr->gone));
	sr->keep = xcalloc(sr->n + 2, sizeof(*sr->keep));
}

static void src_free(struct src *sr)
{
	for (unsigned int l = 1; l <= sr->n; l++) {
		free(sr->line[l]);
		free(sr->keep[l]);
	}
	for (size_t i = 0; i < sr->n_keys; i++)
		free(sr->keys[i]);
	free(sr->keys);
	free(sr->line);
	free(sr->gone);
	free(sr->keep);
}

/* `# mutate-keep: REASON` marks the next line that is neither blank nor a
 * comment. */
static int src_markers(struct src *sr, struct diags *d)
{
	int ret = 0;

	for (unsigned int l = 1; l <= sr->n; l++) {
		const char *s = skip_blank(sr->line[l]);
		struct loc loc = { .file = sr->file, .line = l, .col = (unsigned int)(s - sr->line[l]) + 1 };
		unsigned int k;
		char *why;

		if (strncmp(s, KEEP_MARK, strlen(KEEP_MARK)))
			continue;
		why = trimmed(s + strlen(KEEP_MARK));
		if (!*why) {
			loc.col += (unsigned int)strlen(KEEP_MARK);
			diag_add(d, &loc, "mutate-keep needs a reason: # mutate-keep: WHY THIS LINE STAYS");
			free(why);
			ret = -EINVAL;
			continue;
		}
		for (k = l + 1; k <= sr->n && is_blank_or_comment(sr->line[k]); k++)
			;
		if (k > sr->n) {
			diag_add(d, &loc, "mutate-keep marks nothing: no line follows it");
			free(why);
			ret = -EINVAL;
			continue;
		}
		free(sr->keep[k]);
		sr->keep[k] = why;
	}
	return ret;
}

static char *src_join(const struct src *sr, const struct mutant *m, size_t *ret_len)
{
	size_t cap = 1, n = 0;
	char *out;

	for (unsigned int l = 1; l <= sr->n; l++)
		cap += strlen(sr->line[l]) + 1 + (m && m->replace && l == m->line ? strlen(m->replace) : 0);
	out = xmalloc(cap);
	for (unsigned int l = 1; l <= sr->n; l++) {
		const char *s = sr->line[l];

		if (sr->gone[l] || (m && !m->replace && l >= m->line && l <= m->last))
			s = "";
		else if (m && m->replace && l == m->line)
			s = m->replace;
		n += (size_t)sprintf(out + n, "%s\n", s);
	}
	out[n] = '\0';
	*ret_len = n;
	return out;
}

int mutate_plan(const char *file, const char *text, size_t len, const struct lab *lab, struct mutants *ret,
		struct diags *d)
{
	struct mutants ms = { 0 };
	struct src sr = { 0 };
	bool *done = NULL;
	int err;

	src_split(&sr, file, text, len);
	err = src_markers(&sr, d);
	if (err < 0)
		goto out;
	/* Twins (and what only they add) are not part of any mutant. */
	for (const struct twin *t = lab->first_twin; t; t = t->next) {
		if (!t->loc.file || strcmp(t->loc.file, file) || t->loc.line > sr.n)
			continue;
		for (unsigned int l = t->loc.line, e = unit_end(&sr, t->loc.line); l <= e; l++)
			sr.gone[l] = true;
	}
	for (const struct stmt *s = lab->first_stmt; s; s = s->next) {
		if (s->kind == STMT_WGQUICK)
			key_add(&sr, s->wgquick.ref.node, s->wgquick.ref.ifname);
		if (lab_twin_adds(lab, s) && !strcmp(s->loc.file, file) && s->loc.line <= sr.n)
			for (unsigned int l = s->loc.line, e = unit_end(&sr, s->loc.line); l <= e; l++)
				sr.gone[l] = true;
	}
	/* A mutant changes a source line, so every statement a `for` line
	 * expands to changes with it: one set of mutants per line. */
	done = xcalloc(sr.n + 2, sizeof(*done));
	for (const struct stmt *s = lab->first_stmt; s; s = s->next) {
		unsigned int first, last, lines = 0;

		if (s->kind == STMT_EXPECT || !s->loc.file || strcmp(s->loc.file, file) || s->loc.line > sr.n ||
		    sr.gone[s->loc.line] || done[s->loc.line])
			continue;
		first = s->loc.line;
		done[first] = true;
		last = unit_end(&sr, first);
		add(&ms, &sr, first, last, NULL, xstrdup("remove statement"));
		ops(&ms, &sr, first);
		if (!has_block(s))
			continue;
		for (unsigned int l = first + 1; l < last; l++)
			lines += !is_blank_or_comment(sr.line[l]);
		for (unsigned int l = first + 1; l < last; l++) {
			if (is_blank_or_comment(sr.line[l]))
				continue;
			if (lines > 1)
				add(&ms, &sr, l, l, NULL, xstrdup("remove line"));
			ops(&ms, &sr, l);
		}
	}
	ms.base = src_join(&sr, NULL, &ms.base_len);
out:
	free(done);
	if (err < 0) {
		mutate_free(&ms);
		src_free(&sr);
		return err;
	}
	src_free(&sr);
	*ret = ms;
	return 0;
}

char *mutate_apply(const struct mutants *ms, const struct mutant *m, size_t *ret_len)
{
	struct src sr = { 0 };
	char *out;

	src_split(&sr, "", ms->base, ms->base_len);
	out = src_join(&sr, m, ret_len);
	src_free(&sr);
	return out;
}

void mutate_free(struct mutants *ms)
{
	for (size_t i = 0; i < ms->n; i++) {
		free(ms->v[i].replace);
		free(ms->v[i].what);
		free(ms->v[i].orig);
		free(ms->v[i].keep);
	}
	free(ms->v);
	free(ms->base);
	memset(ms, 0, sizeof(*ms));
}
