// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "lab/lang/scenario.h"
#include "lab/lang/diag.h"
#include "lab/lang/expand.h"
#include "lab/lang/lexer.h"
#include "lab/lang/model.h"
#include "lab/lang/parse_table.h"
#include "lab/lang/parse_value.h"
#include "lab/lang/pctx.h"
#include "lab/lang/validate.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SCENARIO_MAX_DEPTH 16
#define SCENARIO_MAX_INCLUDES 256
#define SCENARIO_MAX_LINE (64 * 1024)
#define SCENARIO_MAX_BLOCK (4 * 1024 * 1024)
#define SCENARIO_MAX_FILE (16 * 1024 * 1024)
#define SCENARIO_MAX_LAB_NAME NAME_MAX_LAB

struct pfile {
	const char *file;		/* owned by lab->files */
	unsigned int line;
	bool has_id;			/* dev and ino of the file being read */
	dev_t dev;
	ino_t ino;
};

struct scenario_parser {
	struct lab *lab;
	struct diags d;
	struct pfile stack[SCENARIO_MAX_DEPTH];
	size_t depth;
	unsigned int n_includes;
	char *include;
	unsigned int include_col;	/* of the included file's name */
	/* A statement waiting for the end of its << block. */
	bool in_block;
	struct tokens pending;
	struct loc pending_loc;
	char *pending_label;
	unsigned int label_col, pending_label_col;
	bool label_more, pending_label_more;	/* @label+ */
	size_t instances;		/* statements the line made so far */
	size_t tr_mark;			/* the transcript before the line's comment */
	char *block;
	size_t block_len, block_cap;
	unsigned int block_line;
	bool block_too_big;
	char *line;			/* the statement's line, NUL-terminated */
	char *pending_line;
	/* Values and repetition (lab/lang/expand.c). */
	struct expand *x;
	const struct block *cur_block;	/* of the line being expanded */
	bool cur_plain;			/* it has nothing to expand */
	/* scenario_parse_transcript(): the scenario as expanded. */
	bool want_transcript;
	char *tr;
	size_t tr_len, tr_cap;
};

static void scenario_tr_add(struct scenario_parser *p, const char *s, size_t len)
{
	if (!p->want_transcript)
		return;
	if (p->tr_len + len + 2 > p->tr_cap) {
		p->tr_cap = (p->tr_len + len + 2) * 2;
		p->tr = xrealloc(p->tr, p->tr_cap);
	}
	memcpy(p->tr + p->tr_len, s, len);
	p->tr_len += len;
	p->tr[p->tr_len] = '\0';
}

static void scenario_tr_line(struct scenario_parser *p, const char *prefix, const char *s)
{
	scenario_tr_add(p, prefix, strlen(prefix));
	scenario_tr_add(p, s ? s : "", s ? strlen(s) : 0);
	scenario_tr_add(p, "\n", 1);
}

static void scenario_tr_block(struct scenario_parser *p, const struct block *b)
{
	if (!b)
		return;
	scenario_tr_add(p, b->text, strlen(b->text));
	scenario_tr_line(p, ">>", "");
}

/* A statement's words as the transcript writes them (text is taken):
 * every '$' of a word was written $$, or it would be expanded again. */
static char *tr_escape(char *text)
{
	size_t n = 0;
	char *out, *o;

	for (const char *c = text; *c; c++)
		n += *c == '$';
	if (!n)
		return text;
	out = o = xmalloc(strlen(text) + n + 1);
	for (const char *c = text; *c; c++) {
		if (*c == '$')
			*o++ = '$';
		*o++ = *c;
	}
	*o = '\0';
	free(text);
	return out;
}

/* A line that made one statement written as it was ($$ only) is that
 * statement alone, not a comment and itself again: the transcript of a
 * transcript is the same text. */
static void tr_drop_same(struct scenario_parser *p)
{
	const char *comment, *eol, *next;
	size_t len;

	if (!p->want_transcript || p->instances != 1 || p->tr_mark >= p->tr_len)
		return;
	comment = p->tr + p->tr_mark;
	eol = strchr(comment, '\n');
	if (!eol || strncmp(comment, "# ", 2))
		return;
	next = eol + 1;
	len = (size_t)(eol - comment - 2);
	if (strncmp(comment + 2, next, len) || (next[len] != '\n' && strncmp(next + len, " <<\n", 4)))
		return;
	memmove(p->tr + p->tr_mark, next, strlen(next) + 1);
	p->tr_len -= (size_t)(next - comment);
}

static const char *scenario_intern_file(struct lab *lab, const char *file)
{
	lab->files = xrealloc(lab->files, (lab->n_files + 1) * sizeof(*lab->files));
	lab->files[lab->n_files] = xstrdup(file);
	return lab->files[lab->n_files++];
}

int scenario_parse_init(struct scenario_parser **ret, const char *file)
{
	struct scenario_parser *p = xcalloc(1, sizeof(*p));

	p->lab = lab_new();
	p->x = expand_new();
	p->stack[0].file = scenario_intern_file(p->lab, file);
	p->depth = 1;
	*ret = p;
	return 0;
}

static struct loc scenario_here(const struct scenario_parser *p, unsigned int col)
{
	struct loc l = { p->stack[p->depth - 1].file, p->stack[p->depth - 1].line, col, NULL };

	return l;
}

/*
 * A file being read is known by its inode too, so that "./a.lab" or
 * "dir/../a.lab" cannot include a.lab again; and includes are counted, so
 * that files including each other several times (without a loop) cannot
 * make the parser read millions of files.
 */
int scenario_parse_push(struct scenario_parser *p, const char *file)
{
	struct loc l = scenario_here(p, p->include_col);
	struct stat st;
	bool has_id = !stat(file, &st);
	size_t i;

	for (i = 0; i < p->depth; i++) {
		if (!strcmp(p->stack[i].file, file) ||
		    (has_id && p->stack[i].has_id && p->stack[i].dev == st.st_dev &&
		     p->stack[i].ino == st.st_ino)) {
			diag_add(&p->d, &l, "'%s' includes itself", file);
			return -ELOOP;
		}
	}
	if (p->depth == SCENARIO_MAX_DEPTH) {
		diag_add(&p->d, &l, "includes nested deeper than %d", SCENARIO_MAX_DEPTH);
		return -ELOOP;
	}
	if (p->n_includes == SCENARIO_MAX_INCLUDES) {
		diag_add(&p->d, &l, "more than %d includes", SCENARIO_MAX_INCLUDES);
		return -ELOOP;
	}
	p->n_includes++;
	memset(&p->stack[p->depth], 0, sizeof(p->stack[p->depth]));
	p->stack[p->depth].file = scenario_intern_file(p->lab, file);
	p->depth++;
	return 0;
}

void scenario_parse_pop(struct scenario_parser *p)
{
	if (p->in_block) {
		struct loc l = p->pending_loc;

		diag_add(&p->d, &l, "block opened with '<<' is not closed with '>>'");
		p->in_block = false;
		lexer_free(&p->pending);
		free(p->pending_label);
		p->pending_label = NULL;
	}
	if (p->depth > 1)
		p->depth--;
}

const char *scenario_parse_include(const struct scenario_parser *p)
{
	return p->include;
}

/* A NODE:IF word (without its "=.N"): its length, 0 for any other word
 * (an IPv6 prefix has a '/' or more than one ':'). */
static size_t scenario_ifref_len(const char *w)
{
	const char *colon = strchr(w, ':');
	size_t n = strcspn(w, "=");

	if (!colon || colon == w || strchr(colon + 1, ':') || strchr(w, '/') || (size_t)(colon - w) + 1 >= n)
		return 0;
	return n;
}

/* A statement with an error keeps what its words would have defined
 * (lab->broken): `node vps routr` is one error, not one more at every
 * line that names vps. */
static void scenario_keep_broken(struct lab *lab, enum stmt_defines what, const struct tokens *t)
{
	if (what == DEFINES_NOTHING || t->n < 2)
		return;
	if (what == DEFINES_NODE) {
		if (!strchr(t->v[1].text, ':'))
			strmap_put(&lab->broken, t->v[1].text, NULL);
		return;
	}
	/* DEFINES_IF: the first word; DEFINES_IFS: every NODE:IF word */
	for (size_t i = 1; i < (what == DEFINES_IF ? 2 : t->n); i++) {
		size_t n = scenario_ifref_len(t->v[i].text);
		char *key;

		if (!n)
			continue;
		key = xstrndup(t->v[i].text, n);
		strmap_put(&lab->broken, key, NULL);
		strchr(key, ':')[1] = '\0';	/* "NODE:": a node that lost an interface */
		strmap_put(&lab->broken, key, NULL);
		free(key);
	}
}

static void scenario_dispatch(struct scenario_parser *p, struct tokens *t, const struct loc *loc,
			      char *label, const struct block *block)
{
	/* `refused STATEMENT`: the statement, which must then be refused
	 * (by the kernel, nftables or wireguard-go) when it runs. */
	bool refused = !strcmp(t->v[0].text, "refused");
	struct tokens rest = { t->v + 1, t->n - 1, NULL };
	unsigned int col = t->v[0].col;
	const struct stmt_syntax *syn;
	struct pctx c = { .lab = p->lab, .t = t, .i = 1, .loc = *loc, .block = block, .d = &p->d,
			  .line = p->cur_plain ? p->line : NULL };
	struct stmt *s;

	if (refused) {
		if (t->n < 2 || !strcmp(t->v[1].text, "expect") || !strcmp(t->v[1].text, "refused") ||
		    !strcmp(t->v[1].text, "wait")) {
			diag_add(&p->d, loc, "`refused` takes a statement that acts (refused route ..., refused wireguard ...)");
			free(label);
			return;
		}
		t = c.t = &rest;
		c.loc.col = t->v[0].col;
	}
	syn = parse_lookup(t->v[0].text);
	if (!syn) {
		diag_add(&p->d, loc, "unknown statement '%s'", t->v[0].text);
		free(label);
		return;
	}
	if (block && !syn->block) {
		diag_add(&p->d, loc, "'%s' takes no << block", t->v[0].text);
		free(label);
		return;
	}
	s = syn->parse(&c);
	if (!s) {
		scenario_keep_broken(p->lab, syn->defines, t);
		free(label);
		return;
	}
	s->label = label;
	s->label_col = p->label_col;
	s->label_more = label && p->label_more;
	s->node_loc = c.node_loc;
	if (refused) {
		s->refused = true;
		/* the line from `refused` on (without its @label) */
		s->refused_text = xstrdup(p->line + (col > 0 && col <= strlen(p->line) ? col - 1 : 0));
	}
	if (block && !s->block.text) {
		s->block.text = xstrdup(block->text);
		s->block.first_line = block->first_line;
	}
	lab_append(p->lab, s);
}

static void scenario_lab_stmt(struct scenario_parser *p, struct tokens *t, const struct loc *loc)
{
	struct pctx c = { .lab = p->lab, .t = t, .i = 1, .loc = *loc, .d = &p->d, .line = p->line };
	const char *name;

	if (p->lab->name) {
		diag_add(&p->d, loc, "the lab is already named '%s' at %s:%u", p->lab->name,
			 p->lab->name_loc.file, p->lab->name_loc.line);
		return;
	}
	name = pctx_word(&c, "lab name");
	if (!name)
		return;
	if (!name_valid(name) || strlen(name) > SCENARIO_MAX_LAB_NAME) {
		perr(&c, 1, "invalid lab name '%s' (letters, digits, '-', '_', '.'; at most %d bytes)",
		     name, SCENARIO_MAX_LAB_NAME);
		return;
	}
	p->lab->name = xstrdup(name);
	p->lab->name_loc = *loc;
	if (pctx_more(&c))
		p->lab->description = xstrdup(pctx_word(&c, "description"));
	pctx_end(&c);
}

static void scenario_include_stmt(struct scenario_parser *p, struct tokens *t, const struct loc *loc)
{
	struct pctx c = { .lab = p->lab, .t = t, .i = 1, .loc = *loc, .d = &p->d, .line = p->line };
	const char *file = pctx_word(&c, "file to include");
	char *dir;

	if (!file || !pctx_end(&c))
		return;
	p->include_col = t->v[1].col;
	free(p->include);
	if (file[0] == '/') {
		p->include = xstrdup(file);
		return;
	}
	dir = xstrdup(p->stack[p->depth - 1].file);
	p->include = xasprintf("%s/%s", dirname(dir), file);
	free(dir);
}

/* twin NAME "why" << drop @label / drop-line "TEXT" / add @label / fails @label... >> */
static void scenario_twin_stmt(struct scenario_parser *p, struct tokens *t, const struct loc *loc,
			       const struct block *b)
{
	struct pctx c = { .lab = p->lab, .t = t, .i = 1, .loc = *loc, .d = &p->d, .line = p->line };
	struct twin *tw = xcalloc(1, sizeof(*tw));
	const char *name, *line, *eol;
	unsigned int ln = b->first_line;

	tw->loc = *loc;
	name = pctx_word(&c, "twin name");
	if (!name)
		goto err;
	if (!name_valid(name)) {
		perr(&c, 1, "invalid twin name '%s'", name);
		goto err;
	}
	tw->name = xstrdup(name);
	if (!pctx_more(&c)) {
		perr(&c, c.i, "missing the reason the twin must fail, in quotes");
		goto err;
	}
	tw->why = xstrdup(pctx_word(&c, "reason"));
	if (!pctx_end(&c))
		goto err;
	for (line = b->text; *line; line = *eol ? eol + 1 : eol, ln++) {
		struct tokens words;
		unsigned int col;
		const char *msg;
		struct loc l = { loc->file, ln, 0, NULL };
		struct pctx w = { .lab = p->lab, .t = &words, .i = 1, .loc = l, .d = &p->d };
		struct loc **at;
		char ***list;
		size_t *n;

		eol = strchr(line, '\n');
		if (!eol)
			eol = line + strlen(line);
		if (lexer_split(line, (size_t)(eol - line), &words, &col, &msg) < 0) {
			l.col = col;
			diag_add(&p->d, &l, "%s", msg);
			continue;
		}
		if (!words.n) {
			lexer_free(&words);
			continue;
		}
		w.loc.col = words.v[0].col;
		if (!strcmp(words.v[0].text, "drop")) {
			list = &tw->drop;
			n = &tw->n_drop;
			at = &tw->drop_at;
		} else if (!strcmp(words.v[0].text, "drop-line")) {
			list = &tw->drop_line;
			n = &tw->n_drop_line;
			at = &tw->drop_line_at;
		} else if (!strcmp(words.v[0].text, "add")) {
			list = &tw->add;
			n = &tw->n_add;
			at = &tw->add_at;
		} else if (!strcmp(words.v[0].text, "fails")) {
			list = &tw->fails;
			n = &tw->n_fails;
			at = &tw->fails_at;
		} else {
			perr(&w, 0, "unknown twin directive '%s' (drop, drop-line, add, fails)", words.v[0].text);
			lexer_free(&words);
			continue;
		}
		if (words.n < 2)
			perr(&w, 1, "'%s' needs at least one argument", words.v[0].text);
		for (size_t k = 1; k < words.n; k++) {
			const char *arg = words.v[k].text;

			if (list != &tw->drop_line) {
				if (arg[0] != '@' || !name_valid(arg + 1)) {
					perr(&w, k, "'%s' is not a @label", arg);
					continue;
				}
				arg++;
			}
			*list = xgrow(*list, *n, sizeof(**list));
			*at = xgrow(*at, *n, sizeof(**at));
			(*at)[*n] = pctx_loc(&w, k);
			(*list)[(*n)++] = xstrdup(arg);
		}
		lexer_free(&words);
	}
	if (!tw->n_drop && !tw->n_drop_line && !tw->n_add)
		diag_add(&p->d, loc, "twin '%s' changes nothing (no drop, drop-line or add)", tw->name);
	if (!tw->n_fails)
		diag_add(&p->d, loc, "twin '%s' names no expectation that must fail (fails @label)",
			 tw->name);
	if (p->lab->last_twin)
		p->lab->last_twin->next = tw;
	else
		p->lab->first_twin = tw;
	p->lab->last_twin = tw;
	return;
err:
	free(tw->name);
	free(tw->why);
	free(tw);
}

/* One statement a line stands for (lab/lang/expand.h). */
static void scenario_instance(void *data, struct tokens *t, const struct loc *loc, char *label)
{
	struct scenario_parser *p = data;
	struct tokens sub = *t;

	/* for ...: @label STATEMENT */
	if (!t->v[0].quoted && t->v[0].text[0] == '@') {
		if (label || !name_valid(t->v[0].text + 1)) {
			diag_add(&p->d, loc, label ? "a statement takes one label" : "invalid label '%s'",
				 t->v[0].text);
			free(label);
			return;
		}
		if (t->n < 2) {
			diag_add(&p->d, loc, "label '%s' labels nothing", t->v[0].text);
			return;
		}
		label = xstrdup(t->v[0].text + 1);
		p->label_col = t->v[0].col;
		sub.v++;
		sub.n--;
	}
	if (p->want_transcript && !p->cur_plain) {
		char *text = tr_escape(lexer_join(&sub, 0));
		/* The statements after the first of a labelled line carry
		 * its label as @label+, so that the transcript parses again
		 * with the label on all of them. */
		char *one = xasprintf("%s%s%s%s%s", label ? "@" : "", label ? label : "",
				      !label ? "" : p->instances || p->label_more ? "+ " : " ", text,
				      p->cur_block ? " <<" : "");

		scenario_tr_line(p, "", one);
		scenario_tr_block(p, p->cur_block);
		free(one);
		free(text);
	}
	p->instances++;
	scenario_dispatch(p, &sub, loc, label, p->cur_block);
}

static void scenario_statement(struct scenario_parser *p, struct tokens *t, const struct loc *loc,
			       char *label, const struct block *b)
{
	const char *kw = t->v[0].text;

	if (!strcmp(kw, "lab") || !strcmp(kw, "include") || !strcmp(kw, "twin")) {
		/* The transcript inlines included files: their lines follow. */
		scenario_tr_line(p, !strcmp(kw, "include") ? "# " : "", p->line);
		scenario_tr_block(p, b);
		if (label) {
			diag_add(&p->d, loc, "'%s' cannot carry a label", kw);
			free(label);
			label = NULL;
		}
		if (!strcmp(kw, "twin") && !b)
			diag_add(&p->d, loc, "'twin' needs a block: twin NAME \"why\" << ... >>");
		else if (!strcmp(kw, "twin"))
			scenario_twin_stmt(p, t, loc, b);
		else if (b)
			diag_add(&p->d, loc, "'%s' takes no block", kw);
		else if (!strcmp(kw, "lab"))
			scenario_lab_stmt(p, t, loc);
		else
			scenario_include_stmt(p, t, loc);
		return;
	}
	p->cur_block = b;
	p->cur_plain = expand_plain(t);
	p->instances = 0;
	p->tr_mark = p->tr_len;
	scenario_tr_line(p, p->cur_plain ? "" : "# ", p->line);
	if (p->cur_plain)
		scenario_tr_block(p, b);
	expand_line(p->x, t, loc, label, p->lab, &p->d, scenario_instance, p);
	if (!p->cur_plain)
		tr_drop_same(p);
	p->cur_block = NULL;
	p->cur_plain = true;
	p->label_more = false;
}

static bool scenario_tokens_open(const struct tokens *t)
{
	return t->n && !t->v[t->n - 1].quoted && !strcmp(t->v[t->n - 1].text, "<<");
}

bool scenario_line_opens_block(const char *line, size_t len)
{
	const char *msg;
	unsigned int col;
	struct tokens t;
	bool ret;

	if (len > SCENARIO_MAX_LINE || lexer_split(line, len, &t, &col, &msg) < 0)
		return false;
	ret = scenario_tokens_open(&t);
	lexer_free(&t);
	return ret;
}

bool scenario_line_closes_block(const char *line, size_t len)
{
	size_t a = 0, z = len;

	while (a < z && (line[a] == ' ' || line[a] == '\t'))
		a++;
	while (z > a && (line[z - 1] == ' ' || line[z - 1] == '\t' || line[z - 1] == '\r'))
		z--;
	return z - a == 2 && !memcmp(line + a, ">>", 2);
}

static int scenario_block_line(struct scenario_parser *p, const char *line, size_t len)
{
	struct block b;

	if (scenario_line_closes_block(line, len)) {
		p->in_block = false;
		if (p->block_too_big) {
			diag_add(&p->d, &p->pending_loc, "block is larger than %d bytes",
				 SCENARIO_MAX_BLOCK);
			free(p->pending_label);
		} else {
			b.text = p->block ? p->block : (char *)"";
			b.first_line = p->block_line;
			b.indent = 0;
			free(p->line);
			p->line = p->pending_line;
			p->pending_line = NULL;
			p->label_col = p->pending_label_col;
			p->label_more = p->pending_label_more;
			scenario_statement(p, &p->pending, &p->pending_loc, p->pending_label, &b);
		}
		p->pending_label = NULL;
		lexer_free(&p->pending);
		free(p->block);
		p->block = NULL;
		p->block_len = 0;
		p->block_cap = 0;
		return 0;
	}
	if (memchr(line, '\0', len)) {
		struct loc l = scenario_here(p, (unsigned int)((const char *)memchr(line, '\0', len) - line) + 1);

		diag_add(&p->d, &l, "NUL byte in scenario text");
		/* An empty line in its place keeps the next lines' numbers. */
		len = 0;
	}
	if (p->block_too_big || p->block_len + len + 2 > SCENARIO_MAX_BLOCK) {
		p->block_too_big = true;
		return 0;
	}
	if (p->block_len + len + 2 > p->block_cap) {
		p->block_cap = p->block_len + len + 2 > 2 * p->block_cap ? p->block_len + len + 2 :
									  2 * p->block_cap;
		p->block = xrealloc(p->block, p->block_cap);
	}
	memcpy(p->block + p->block_len, line, len);
	p->block_len += len;
	p->block[p->block_len++] = '\n';
	p->block[p->block_len] = '\0';
	return 0;
}

int scenario_parse_line(struct scenario_parser *p, const char *line, size_t len)
{
	struct pfile *f = &p->stack[p->depth - 1];
	char *label = NULL;
	struct tokens t;
	const char *msg;
	unsigned int col;
	struct loc loc;

	f->line++;
	free(p->include);
	p->include = NULL;
	if (p->in_block)
		return scenario_block_line(p, line, len);
	if (len > SCENARIO_MAX_LINE) {
		loc = scenario_here(p, SCENARIO_MAX_LINE + 1);
		diag_add(&p->d, &loc, "line is longer than %d bytes", SCENARIO_MAX_LINE);
		return 0;
	}
	if (lexer_split(line, len, &t, &col, &msg) < 0) {
		loc = scenario_here(p, col);
		diag_add(&p->d, &loc, "%s", msg);
		return 0;
	}
	free(p->line);
	p->line = xstrndup(line, len);
	if (!t.n) {
		scenario_tr_line(p, "", p->line);
		goto cleanup;
	}
	loc = scenario_here(p, t.v[0].col);
	p->label_more = false;
	if (t.v[0].text[0] == '@' && !t.v[0].quoted) {
		size_t n = strlen(t.v[0].text);

		/* @label+: the statement is one more under the label of
		 * the statement before (check --expand writes it). */
		if (n > 2 && t.v[0].text[n - 1] == '+') {
			t.v[0].text[n - 1] = '\0';
			p->label_more = true;
		}
		if (!name_valid(t.v[0].text + 1)) {
			diag_add(&p->d, &loc, "invalid label '%s'", t.v[0].text);
			goto cleanup;
		}
		label = xstrdup(t.v[0].text + 1);
		p->label_col = t.v[0].col;
		memmove(t.v, t.v + 1, (t.n - 1) * sizeof(*t.v));
		if (!--t.n) {
			diag_add(&p->d, &loc, "label '@%s' labels nothing", label);
			free(label);
			goto cleanup;
		}
		loc.col = t.v[0].col;
	}
	if (!scenario_tokens_open(&t)) {
		scenario_statement(p, &t, &loc, label, NULL);
		lexer_free(&t);
		return p->include ? 1 : 0;
	}
	/* The statement waits for its block. */
	t.n--;
	if (!t.n) {
		diag_add(&p->d, &loc, "'<<' opens a block for no statement");
		free(label);
		goto cleanup;
	}
	p->in_block = true;
	p->block_too_big = false;
	free(p->pending_line);
	p->pending_line = p->line;
	p->line = NULL;
	p->pending = t;
	p->pending_loc = loc;
	p->pending_label = label;
	p->pending_label_col = p->label_col;
	p->pending_label_more = p->label_more;
	p->block_line = f->line + 1;
	return 0;
cleanup:
	lexer_free(&t);
	return 0;
}

int scenario_parse_finish(struct scenario_parser *p, struct lab **ret, struct diags *d)
{
	struct lab *lab = p->lab;

	while (p->depth > 1 || p->in_block)
		scenario_parse_pop(p);
	if (!lab->name) {
		char *base = xstrdup(p->stack[0].file), *dot, *name = basename(base);

		dot = strrchr(name, '.');
		if (dot && dot != name)
			*dot = '\0';
		lab->name = xstrdup(name_valid(name) && strlen(name) <= SCENARIO_MAX_LAB_NAME ? name : "lab");
		free(base);
	}
	p->lab = NULL;
	diag_splice(d, &p->d);
	*ret = lab;
	return d->n ? -EINVAL : 0;
}

void scenario_parse_free(struct scenario_parser *p)
{
	if (!p)
		return;
	lab_free(p->lab);
	lexer_free(&p->pending);
	free(p->pending_label);
	free(p->block);
	free(p->include);
	free(p->line);
	free(p->pending_line);
	diag_free(&p->d);
	expand_free(p->x);
	free(p->tr);
	free(p);
}

static int scenario_feed_text(struct scenario_parser *p, const char *text, size_t len);

/* Whether an included file is scenario text: no NUL byte, and its first
 * line that is not blank or a comment starts with a statement's keyword
 * (after a label). */
static bool scenario_is_text(const char *text, size_t len)
{
	const char *p = text, *end = text + len, *w;
	char word[32];
	size_t n;

	if (memchr(text, '\0', len))
		return false;
	for (;;) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
			p++;
		if (p == end)
			return true;
		if (*p != '#')
			break;
		while (p < end && *p != '\n')
			p++;
	}
	if (*p == '@') {
		while (p < end && *p != ' ' && *p != '\t' && *p != '\n')
			p++;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
	}
	for (w = p; p < end && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r'; p++)
		;
	n = (size_t)(p - w);
	if (!n || n >= sizeof(word))
		return false;
	memcpy(word, w, n);
	word[n] = '\0';
	return parse_lookup(word) || !strcmp(word, "lab") || !strcmp(word, "include") ||
	       !strcmp(word, "twin");
}

static int scenario_feed_file(struct scenario_parser *p, const char *path, const struct loc *from)
{
	const struct loc *at = from;
	struct loc here = { path, 0, 0, NULL };
	const char *why = NULL;
	char *text = NULL;
	size_t n = 0;
	struct stat st;
	ssize_t r;
	int fd, ret;

	if (!at)
		at = &here;
	/* O_NONBLOCK: a FIFO (or a device) must be refused, not waited on. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0 || fstat(fd, &st)) {
		ret = -errno;
		why = strerror(-ret);
	} else if (S_ISDIR(st.st_mode)) {
		ret = -EISDIR;
		why = "Is a directory";
	} else if (!S_ISREG(st.st_mode) || st.st_size > SCENARIO_MAX_FILE) {
		ret = -EFBIG;
		why = "not a regular file of at most 16 MiB";
	}
	if (why) {
		diag_add(&p->d, at, "Unable to read '%s': %s", path, why);
		if (fd >= 0)
			close(fd);
		return ret;
	}
	p->stack[p->depth - 1].has_id = true;
	p->stack[p->depth - 1].dev = st.st_dev;
	p->stack[p->depth - 1].ino = st.st_ino;
	text = xmalloc((size_t)st.st_size + 1);
	/* A file that grows while read is cut at the size it had. */
	while (n < (size_t)st.st_size) {
		r = read(fd, text + n, (size_t)st.st_size - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (from && !scenario_is_text(text, n)) {
		/* Nothing of it is quoted: it may be anything root can read
		 * (/etc/shadow, a key). */
		diag_add(&p->d, from, "'%s' is not scenario text: its first line is no statement", path);
		free(text);
		return -EINVAL;
	}
	ret = scenario_feed_text(p, text, n);
	free(text);
	return ret;
}

static int scenario_feed_text(struct scenario_parser *p, const char *text, size_t len)
{
	const char *line = text, *end = text + len;

	/* A file that is not a scenario stops at the cap on errors, not after
	 * millions of them. */
	while (line < end && !diag_full(&p->d)) {
		const char *eol = memchr(line, '\n', (size_t)(end - line));
		size_t n = eol ? (size_t)(eol - line) : (size_t)(end - line);

		if (scenario_parse_line(p, line, n) == 1) {
			char *inc = xstrdup(p->include);
			struct loc from = scenario_here(p, p->include_col);

			if (!scenario_parse_push(p, inc)) {
				/* Errors in the included file are its own. */
				scenario_feed_file(p, inc, &from);
				scenario_parse_pop(p);
			}
			free(inc);
		}
		line += n + 1;
	}
	return 0;
}

static int scenario_load_common(struct scenario_parser *p, struct lab **ret, struct diags *d)
{
	struct lab *lab = NULL;
	int r;

	r = scenario_parse_finish(p, &lab, d);
	scenario_parse_free(p);
	/* Validate even after parse errors, so that every error shows at once. */
	if (scenario_validate(lab, d) < 0)
		r = -EINVAL;
	if (r < 0) {
		lab_free(lab);
		return r;
	}
	*ret = lab;
	return 0;
}

int scenario_load(const char *path, struct lab **ret, struct diags *d)
{
	return scenario_load_expanded(path, ret, NULL, d);
}

int scenario_load_expanded(const char *path, struct lab **ret, char **ret_text, struct diags *d)
{
	struct scenario_parser *p;
	char *text = NULL;
	int r;

	scenario_parse_init(&p, path);
	p->want_transcript = ret_text != NULL;
	r = scenario_feed_file(p, path, NULL);
	if (r < 0) {
		diag_splice(d, &p->d);
		scenario_parse_free(p);
		return r;
	}
	if (ret_text) {
		text = p->tr ? p->tr : xstrdup("");
		p->tr = NULL;
	}
	r = scenario_load_common(p, ret, d);
	if (ret_text && !r)
		*ret_text = text;
	else
		free(text);
	return r;
}

int scenario_load_more(const char *path, const char *const *names, const char *const *texts,
		       size_t n, struct lab **ret, struct diags *d)
{
	struct scenario_parser *p;
	int r;

	scenario_parse_init(&p, path);
	r = scenario_feed_file(p, path, NULL);
	if (r < 0) {
		diag_splice(d, &p->d);
		scenario_parse_free(p);
		return r;
	}
	for (size_t i = 0; i < n; i++) {
		if (scenario_parse_push(p, names[i]))
			continue;
		scenario_feed_text(p, texts[i], strlen(texts[i]));
		scenario_parse_pop(p);
	}
	return scenario_load_common(p, ret, d);
}

int scenario_load_text(const char *name, const char *text, size_t len, struct lab **ret,
		       struct diags *d)
{
	struct scenario_parser *p;

	scenario_parse_init(&p, name);
	scenario_feed_text(p, text, len);
	return scenario_load_common(p, ret, d);
}
