// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* Set expectations: one statement, one expectation per ordered pair of a
 * set of nodes or interfaces (or from one set to another). */
#include "lab/lang/expand.h"
#include "lab/lang/lexer.h"
#include "lab/lang/model.h"
#include "lab/lang/parse_expect_opts.h"
#include "lab/lang/parse_set.h"
#include "lab/lang/parse_value.h"
#include "lab/lang/pctx.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define SET_DEFAULT_WAIT_MS 2000
#define SET_MAX_PAIRS EXPAND_MAX_STATEMENTS
/* A set named in full in reports up to this many members; past it, by
 * its size, first and last. */
#define SET_TEXT_MEMBERS 4

static bool set_keyword(const char *w)
{
	return !strcmp(w, "reach") || !strcmp(w, "cannot") || !strcmp(w, "handshake") || !strcmp(w, "no");
}

static bool set_option(const char *w)
{
	return !strcmp(w, "icmp") || !strcmp(w, "ping") || !strcmp(w, "tcp") || !strcmp(w, "udp") ||
	       !strcmp(w, "-4") || !strcmp(w, "-6") || !strcmp(w, "within") || !strcmp(w, "for");
}

static const char *member_text(const struct set_member *m, char *buf, size_t len)
{
	if (m->addr.family)
		return addr_format(&m->addr, false, buf, len);
	snprintf(buf, len, "%s%s%s", m->ref.node, m->ref.ifname[0] ? ":" : "", m->ref.ifname);
	return buf;
}

/* Members from c->i until a keyword (stop(word) true) or the end.  Sources
 * are nodes or NODE:IF; destinations may be addresses too. */
static int parse_members(struct pctx *c, bool dst, bool iface, bool (*stop)(const char *),
			 struct set_member **ret, size_t *ret_n)
{
	struct set_member *v = NULL;
	size_t n = 0;

	while (pctx_more(c) && (c->t->v[c->i].quoted || !stop(pctx_peek(c)))) {
		const char *w = pctx_peek(c);
		struct set_member m = { 0 };
		char a[ADDR_STRLEN + IF_NAMESIZE + 40], b[sizeof(a)];

		if (dst && !iface && addr_parse(w, 0, &m.addr) == 0) {
			/* an address */
		} else if (strchr(w, ':')) {
			if (parse_ifref(c, c->i, &m.ref) < 0)
				goto err;
		} else if (iface) {
			perr(c, c->i, "'%s': handshakes are between WireGuard interfaces (NODE:IF)", w);
			goto err;
		} else if (parse_node_name(c, c->i, &m.ref.node) < 0) {
			goto err;
		} else {
			m.ref.loc = pctx_loc(c, c->i);
		}
		for (size_t k = 0; k < n; k++) {
			if (!strcmp(member_text(&v[k], a, sizeof(a)), member_text(&m, b, sizeof(b)))) {
				perr(c, c->i, "'%s' is in the set twice", w);
				free(m.ref.node);
				goto err;
			}
		}
		v = xgrow(v, n, sizeof(*v));
		v[n++] = m;
		c->i++;
	}
	*ret = v;
	*ret_n = n;
	return 0;
err:
	for (size_t k = 0; k < n; k++)
		free(v[k].ref.node);
	free(v);
	return -EINVAL;
}

/* "p1:wg0 p2:wg0" or "100 of p1:wg0 ... p100:wg0" */
static void set_text(char **s, const struct set_member *v, size_t n)
{
	char a[ADDR_STRLEN + IF_NAMESIZE + 40], b[sizeof(a)];
	char *t;

	if (n <= SET_TEXT_MEMBERS) {
		for (size_t k = 0; k < n; k++) {
			t = xasprintf("%s%s%s", *s, k ? " " : "", member_text(&v[k], a, sizeof(a)));
			free(*s);
			*s = t;
		}
		return;
	}
	t = xasprintf("%s%zu of %s ... %s", *s, n, member_text(&v[0], a, sizeof(a)),
		      member_text(&v[n - 1], b, sizeof(b)));
	free(*s);
	*s = t;
}

static void text_add(char **s, const char *w)
{
	char *t = xasprintf("%s%s", *s, w);

	free(*s);
	*s = t;
}

static int parse_set_opts(struct pctx *c, struct stmt_expect *e)
{
	int taken;

	while (pctx_more(c)) {
		size_t at = c->i;

		if (e->kind == EXPECT_REACH && (pctx_accept(c, "icmp") || pctx_accept(c, "ping"))) {
			e->reach.proto = REACH_ICMP;
		} else if (e->kind == EXPECT_REACH && (taken = parse_port_proto(c, &e->reach)) != 0) {
			if (taken < 0)
				return -EINVAL;
		} else if (e->kind == EXPECT_REACH && (pctx_accept(c, "-4") || pctx_accept(c, "-6"))) {
			e->set->family = !strcmp(c->t->v[at].text, "-4") ? AF_INET : AF_INET6;
		} else if (pctx_accept(c, "within") || pctx_accept(c, "for")) {
			if (!pctx_word(c, "duration") || parse_duration_ms(c, at + 1, &e->wait_ms) < 0)
				return -EINVAL;
		} else {
			perr(c, at, "unknown option '%s' (%s)", c->t->v[at].text,
			     e->kind == EXPECT_REACH ? "icmp, tcp PORT, udp PORT, -4, -6, within D" : "within D");
			return -EINVAL;
		}
	}
	return 0;
}

struct stmt *parse_expect_set(struct pctx *c)
{
	struct stmt *s = pctx_stmt(c, STMT_EXPECT);
	struct stmt_expect *e = &s->expect;
	struct expect_set *set = xcalloc(1, sizeof(*set));
	size_t kw, opts;
	char *text;

	e->set = set;
	e->wait_ms = SET_DEFAULT_WAIT_MS;
	c->i++;		/* "all" */
	/* The kind first: handshakes take interfaces only. */
	for (kw = c->i; kw < c->t->n && (c->t->v[kw].quoted || !set_keyword(c->t->v[kw].text)); kw++)
		;
	if (kw == c->t->n)
		return perr_free(s, c, c->t->n, "missing what every pair must do (reach, cannot reach, handshake, no handshake)");
	e->kind = !strcmp(c->t->v[kw].text, "reach") || !strcmp(c->t->v[kw].text, "cannot") ? EXPECT_REACH :
		  EXPECT_HANDSHAKE;
	e->negate = !strcmp(c->t->v[kw].text, "cannot") || !strcmp(c->t->v[kw].text, "no");
	if (parse_members(c, false, e->kind == EXPECT_HANDSHAKE, set_keyword, &set->src, &set->n_src) < 0)
		return stmt_fail(s);
	if (!set->n_src)
		return perr_free(s, c, c->i, "missing the set (expect all NODE... or NODE:IF...)");
	text = xstrdup("all ");
	set_text(&text, set->src, set->n_src);
	c->i = kw + 1;
	if (e->negate && !pctx_accept(c, e->kind == EXPECT_REACH ? "reach" : "handshake")) {
		free(text);
		return perr_free(s, c, c->i, "missing '%s'", e->kind == EXPECT_REACH ? "reach" : "handshake");
	}
	text_add(&text, e->kind == EXPECT_REACH ? (e->negate ? " cannot reach " : " reach ") :
		 (e->negate ? " no handshake " : " handshake "));
	if (pctx_accept(c, "each")) {
		if (!pctx_accept(c, "other")) {
			free(text);
			return perr_free(s, c, c->i, "missing 'other' (each other)");
		}
		text_add(&text, "each other");
	} else {
		if (parse_members(c, true, e->kind == EXPECT_HANDSHAKE, set_option, &set->dst, &set->n_dst) < 0) {
			free(text);
			return stmt_fail(s);
		}
		if (!set->n_dst) {
			free(text);
			return perr_free(s, c, c->i, "missing 'each other' or the members to %s",
					 e->kind == EXPECT_REACH ? "reach" : "have a handshake with");
		}
		set_text(&text, set->dst, set->n_dst);
	}
	opts = c->i;
	e->reach.proto = REACH_ICMP;
	if (parse_set_opts(c, e) < 0) {
		free(text);
		return stmt_fail(s);
	}
	if (opts < c->t->n) {
		char *o = lexer_join(c->t, opts);

		text_add(&text, " ");
		text_add(&text, o);
		free(o);
	}
	e->text = text;
	if (set->n_src < 2 && !set->n_dst)
		return perr_free(s, c, 2, "'each other' needs at least two members");
	set->n_pairs = expect_set_pairs(set, NULL);
	if (!set->n_pairs)
		return perr_free(s, c, 2, "the sets make no pair (members of one node are never paired)");
	if (set->n_pairs > SET_MAX_PAIRS)
		return perr_free(s, c, 2, "the set makes %zu pairs, more than %d (the limit)", set->n_pairs,
				 SET_MAX_PAIRS);
	return s;
}
