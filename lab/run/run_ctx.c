// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* What every executor of a run uses: the failing step's message, nodes,
 * the deadline, results and notes (keys hidden), a twin's view of the
 * scenario. */
#include "lab/run/run_ctx.h"
#include "netns/ns.h"
#include "netns/util/now.h"
#include "netns/util/xalloc.h"
#include "netns/wg/wgkey.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

/* "FMT: cause" into r->err, the cause being "EXT (strerror)" when the
 * kernel gave a message, else strerror. */
static int run_verror(struct run *r, int ret, const char *ext, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));
static int run_verror(struct run *r, int ret, const char *ext, const char *fmt, va_list ap)
{
	int n;

	n = vsnprintf(r->err, sizeof(r->err), fmt, ap);
	if (n < 0 || (size_t)n >= sizeof(r->err))
		return ret;
	if (ext && *ext)
		snprintf(r->err + n, sizeof(r->err) - (size_t)n, ": %s (%s)", ext, strerror(-ret));
	else
		snprintf(r->err + n, sizeof(r->err) - (size_t)n, ": %s", strerror(-ret));
	return ret;
}

int run_error(struct run *r, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	run_verror(r, ret, NULL, fmt, ap);
	va_end(ap);
	return ret;
}

int run_kernel_error(struct run *r, const struct netns *ns, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	run_verror(r, ret, ns ? netns_extack(ns) : NULL, fmt, ap);
	va_end(ap);
	return ret;
}

struct rnode *run_node(struct run *r, const char *name)
{
	for (size_t i = 0; i < r->n_nodes; i++)
		if (!strcmp(r->nodes[i].name, name))
			return &r->nodes[i];
	/* Validation guarantees every reference; reaching here is a bug. */
	fprintf(stderr, "wglab: internal error: no node '%s'\n", name);
	abort();
}

struct rnode *run_owner(struct run *r, const struct addr *a)
{
	for (size_t i = 0; i < r->n_nodes; i++)
		for (size_t k = 0; k < r->nodes[i].addrs.n; k++)
			if (addr_equal(&r->nodes[i].addrs.v[k], a))
				return &r->nodes[i];
	return NULL;
}

unsigned int run_left_ms(const struct run *r)
{
	uint64_t now = now_ms();

	if (!r->deadline_ms)
		return UINT32_MAX;
	return now >= r->deadline_ms ? 0 : (unsigned int)(r->deadline_ms - now);
}

/* A statement as written, near enough, for reports. */
static char *stmt_text(const struct stmt *s)
{
	size_t len;
	char *t;

	if (s->refused_text)
		return xstrdup(s->refused_text);
	switch (s->kind) {
	case STMT_EXPECT:
		return xstrdup(s->expect.text);
	case STMT_NAT:
		len = strlen(s->nat.node) + 8;
		for (int i = 0; i < s->nat.argc; i++)
			len += strlen(s->nat.argv[i]) + 1;
		t = xmalloc(len);
		strcpy(t, "nat ");
		strcat(t, s->nat.node);
		for (int i = 0; i < s->nat.argc; i++) {
			strcat(t, " ");
			strcat(t, s->nat.argv[i]);
		}
		return t;
	case STMT_RUN:
		if (!s->run.argv)
			return xasprintf("run %s%s << script >>", s->run.node,
					 s->run.daemon ? " daemon" : s->run.background ? " background" : "");
		len = strlen(s->run.node) + 32;
		for (char **a = s->run.argv; *a; a++)
			len += strlen(*a) + 1;
		t = xmalloc(len);
		sprintf(t, "run %s%s --", s->run.node,
			s->run.daemon ? " daemon" : s->run.background ? " background" : "");
		for (char **a = s->run.argv; *a; a++) {
			strcat(t, " ");
			strcat(t, *a);
		}
		return t;
	default:
		return xstrdup(stmt_kind_name(s->kind));
	}
}

static struct result *run_push_result(struct run *r, const struct stmt *s, const char *kind)
{
	struct scenario_result *sr = r->res;
	struct result *v = xrealloc(sr->results, (sr->n_results + 1) * sizeof(*v));

	sr->results = v;
	v = &v[sr->n_results++];
	memset(v, 0, sizeof(*v));
	v->file = xstrdup(s->loc.file);
	v->line = s->loc.line;
	v->label = xstrdup(s->label);
	v->kind = kind;
	v->text = stmt_text(s);
	/* A step's words may hold a key (`run a -- wg set wg0 private-key
	 * ...`): the report shows the statement with it hidden. */
	run_redact(r, v->text);
	v->expect_fail = r->twin && lab_label_in(r->twin->fails, r->twin->n_fails, s->label);
	return v;
}

void run_add_public(struct run *r, const uint8_t pub[static 32])
{
	for (size_t i = 0; i < r->n_pubs; i++)
		if (!memcmp(r->pubs[i], pub, 32))
			return;
	r->pubs = xrealloc(r->pubs, (r->n_pubs + 1) * sizeof(*r->pubs));
	memcpy(r->pubs[r->n_pubs++], pub, 32);
}

/* Private and preshared keys never reach a report: any that a program
 * printed (wg showconf, a hook's echo) is replaced by "(hidden)", and so
 * is any other word shaped as a key that is not a public key of the
 * lab's (wgkey_redact). */
void run_redact(const struct run *r, char *text)
{
	size_t n_sec = r->n_keys + r->n_psks, n_pub = r->n_keys + r->n_pubs, i;
	uint8_t (*sec)[WGKEY_LEN], (*pub)[WGKEY_LEN];

	/* Most evidence has no key-shaped word: nothing to gather. */
	if (!text || !wgkey_in_text(text))
		return;
	sec = xcalloc(n_sec + 1, sizeof(*sec));
	pub = xcalloc(n_pub + 1, sizeof(*pub));
	for (i = 0; i < r->n_keys; i++) {
		memcpy(sec[i], r->keys[i].priv, WGKEY_LEN);
		memcpy(pub[i], r->keys[i].pub, WGKEY_LEN);
	}
	for (i = 0; i < r->n_psks; i++)
		memcpy(sec[r->n_keys + i], r->psks[i].key, WGKEY_LEN);
	for (i = 0; i < r->n_pubs; i++)
		memcpy(pub[r->n_keys + i], r->pubs[i], WGKEY_LEN);
	wgkey_redact(text, (const uint8_t (*)[WGKEY_LEN])sec, n_sec, (const uint8_t (*)[WGKEY_LEN])pub, n_pub);
	sodium_memzero(sec, (n_sec + 1) * sizeof(*sec));
	free(sec);
	free(pub);
}

/* Counts v (a result whose evidence is set) as held or skipped, and
 * reports it: the one place a result is settled. */
static void run_count(struct run *r, const struct result *v)
{
	if (v->passed)
		r->res->n_passed++;
	else
		r->res->n_failed++;
	if (r->rep.result)
		r->rep.result(r->rep.data, r->res, v);
}

static struct result *run_settle(struct run *r, struct result *v, bool held, bool skipped, double ms)
{
	struct result *g;
	bool failed = false;

	v->skipped = skipped;
	v->held = held;
	v->passed = !skipped && held != v->expect_fail;
	v->duration_ms = ms;
	if (!v->set || !v->expect_fail) {
		run_count(r, v);
		return v;
	}
	/* A set a twin says must fail is one claim: it holds when a pair
	 * fails, the pairs that held with it.  Its pairs come in a row, so
	 * they are judged and reported at the last one. */
	if (v->set_index + 1 < v->set_size)
		return v;
	g = v - v->set_index;
	for (size_t i = 0; i < v->set_size; i++)
		failed |= !g[i].skipped && !g[i].held;
	for (size_t i = 0; i < v->set_size; i++) {
		g[i].passed = !g[i].skipped && failed;
		run_count(r, &g[i]);
	}
	return v;
}

struct result *run_add_result(struct run *r, const struct stmt *s, const char *kind, bool held,
			      double ms, const char *fmt, ...)
{
	struct result *v = run_push_result(r, s, kind);
	va_list ap;

	va_start(ap, fmt);
	v->evidence = xvasprintf(fmt, ap);
	va_end(ap);
	run_redact(r, v->evidence);
	return run_settle(r, v, held, false, ms);
}

/* The entry of pair i of n of the set expectation s, its text the pair's. */
static struct result *run_push_pair(struct run *r, const struct stmt *s, char *pair, size_t i,
				    size_t n)
{
	struct result *v = run_push_result(r, s, lab_expect_kind_name(s->expect.kind));

	free(v->text);
	v->text = pair;
	v->set = xstrdup(s->expect.text);
	v->set_index = i;
	v->set_size = n;
	return v;
}

struct result *run_add_pair(struct run *r, const struct stmt *s, const char *pair, size_t i, size_t n,
			    bool held, double ms, const char *evidence)
{
	struct result *v = run_push_pair(r, s, xstrdup(pair), i, n);

	v->evidence = xstrdup(evidence);
	run_redact(r, v->evidence);
	return run_settle(r, v, held, false, ms);
}

/* Statements a twin drops, and statements only a twin adds: any twin's
 * `add` keeps a statement out of the scenario itself and of other twins. */
bool run_dropped(const struct run *r, const struct stmt *s)
{
	return !lab_twin_runs(r->lab, r->twin, s);
}

void run_skip_stmt(struct run *r, const struct stmt *s, const char *why)
{
	const char *kind = s->kind == STMT_EXPECT ? lab_expect_kind_name(s->expect.kind) :
			   s->kind == STMT_RUN ? "run" : "nat";
	struct result *v = run_push_result(r, s, kind);

	v->evidence = xstrdup(why);
	run_settle(r, v, false, true, 0);
}

/* A set not run: each pair its own entry all the same. */
static void run_skip_set(struct run *r, const struct stmt *s, const char *why)
{
	const struct expect_set *set = s->expect.set;
	uint32_t (*pairs)[2] = xcalloc(set->n_pairs, sizeof(*pairs));
	size_t n = expect_set_pairs(set, pairs);

	for (size_t k = 0; k < n; k++) {
		const struct set_member *d = set->n_dst ? set->dst : set->src;
		char *text = expect_pair_text(&s->expect, &set->src[pairs[k][0]], &d[pairs[k][1]]);
		struct result *v = run_push_pair(r, s, text, k, n);

		v->evidence = xstrdup(why);
		run_settle(r, v, false, true, 0);
	}
	free(pairs);
}

/* What a stop leaves out is reported as not run, so that a report always
 * lists every expectation, `run` step (background ones too) and NAT check
 * of the scenario: the NATs built but not measured yet, then the
 * statements from `from` on. */
void run_skip_rest(struct run *r, const struct stmt *from, const char *why)
{
	struct rnat **v = NULL;
	size_t n = 0;

	/* r->nats is newest first: reported in the order declared. */
	for (struct rnat *rn = r->nats; rn; rn = rn->next) {
		if (rn->checked)
			continue;
		v = xrealloc(v, (n + 1) * sizeof(*v));
		v[n++] = rn;
	}
	while (n) {
		v[--n]->checked = true;
		run_skip_stmt(r, v[n]->s, why);
	}
	free(v);
	for (const struct stmt *s = from; s; s = s->next) {
		if (run_dropped(r, s))
			continue;
		if (s->kind == STMT_EXPECT && s->expect.set)
			run_skip_set(r, s, why);
		else if (s->kind == STMT_EXPECT || s->kind == STMT_RUN || s->kind == STMT_NAT)
			run_skip_stmt(r, s, why);
	}
}

/* A label a twin says must fail and that gave no result (nothing it
 * labels ran in this twin) did not fail: the twin cannot pass on it.
 * Validation refuses the twins this could happen to; this keeps a run
 * from passing one all the same. */
void run_twin_unfailed(struct run *r)
{
	const struct twin *t = r->twin;
	struct scenario_result *sr = r->res;

	for (size_t i = 0; t && i < t->n_fails; i++) {
		const struct stmt *s;
		struct result *v;
		size_t k;

		for (k = 0; k < sr->n_results; k++)
			if (sr->results[k].label && !strcmp(sr->results[k].label, t->fails[i]))
				break;
		if (k < sr->n_results)
			continue;
		for (s = r->lab->first_stmt; s && (!s->label || strcmp(s->label, t->fails[i])); s = s->next)
			;
		if (!s)
			continue;
		v = run_push_result(r, s, s->kind == STMT_EXPECT ? lab_expect_kind_name(s->expect.kind) :
					  s->kind == STMT_RUN ? "run" : "nat");
		v->evidence = xstrdup("not run in this twin, so it did not fail as the twin says");
		run_settle(r, v, false, true, 0);
	}
}

void run_note(struct run *r, const char *fmt, ...)
{
	struct scenario_result *sr = r->res;
	char **v = xrealloc(sr->notes, (sr->n_notes + 1) * sizeof(*v));
	va_list ap;

	sr->notes = v;
	va_start(ap, fmt);
	v[sr->n_notes] = xvasprintf(fmt, ap);
	va_end(ap);
	run_redact(r, v[sr->n_notes]);
	sr->n_notes++;
}

/* A line a twin drops: same text, blanks around it aside. */
static bool run_line_dropped(const struct run *r, const char *a, const char *z)
{
	while (a < z && (*a == ' ' || *a == '\t'))
		a++;
	while (z > a && (z[-1] == ' ' || z[-1] == '\t' || z[-1] == '\r'))
		z--;
	for (size_t i = 0; r->twin && i < r->twin->n_drop_line; i++)
		if (strlen(r->twin->drop_line[i]) == (size_t)(z - a) &&
		    !memcmp(r->twin->drop_line[i], a, (size_t)(z - a)))
			return true;
	return false;
}

char *run_block_text(const struct run *r, const struct stmt *s)
{
	const char *line, *eol, *text = s->block.text ? s->block.text : "";
	char *out = xmalloc(strlen(text) + 1), *o = out;

	for (line = text; *line; line = *eol ? eol + 1 : eol) {
		eol = strchrnul(line, '\n');
		/* A dropped line stays as an empty one, so that line
		 * numbers in messages still match the file. */
		if (!run_line_dropped(r, line, eol)) {
			memcpy(o, line, (size_t)(eol - line));
			o += eol - line;
		}
		if (*eol)
			*o++ = '\n';
	}
	*o = '\0';
	return out;
}
