// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "lab/report/report.h"
#include "netns/util/esc.h"
#include "netns/util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_DIM "\033[2m"
#define C_BOLD "\033[1m"
#define C_OFF "\033[0m"

static const char *color(const struct report_text *rt, const char *c)
{
	return rt->color ? c : "";
}

static const char *base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static void text_begin(void *data, const struct scenario_result *sr)
{
	struct report_text *rt = data;

	/* Every string from outside (scenario words, program output) goes
	 * through esc_fputs(): no terminal sequence reaches the reader. */
	rt->shown = rt->hidden = 0;
	fputs(color(rt, C_BOLD), rt->f);
	esc_fputs(rt->f, sr->name, 0);
	fprintf(rt->f, "%s (", color(rt, C_OFF));
	esc_fputs(rt->f, sr->file, 0);
	fputc(')', rt->f);
	if (sr->twin) {
		fprintf(rt->f, " twin %s", color(rt, C_BOLD));
		esc_fputs(rt->f, sr->twin, 0);
		fprintf(rt->f, "%s: ", color(rt, C_OFF));
		esc_fputs(rt->f, sr->twin_why, 0);
	} else if (sr->description) {
		fputs(": ", rt->f);
		esc_fputs(rt->f, sr->description, 0);
	}
	fputc('\n', rt->f);
	fflush(rt->f);
}

static const char *result_tag(const struct result *r)
{
	if (r->skipped)
		return "SKIP";
	if (r->passed)
		return r->expect_fail ? "ok*" : "ok";
	return "FAIL";
}

/* The evidence line under a result. */
static void text_evidence(struct report_text *rt, const struct result *r, const char *indent)
{
	const char *ev = r->evidence ? r->evidence : "";

	fputs(indent, rt->f);
	/* Not run is neither: a twin's SKIP says why it was not. */
	if (r->expect_fail && !r->skipped)
		fprintf(rt->f, "%s: ", !r->held ? "failed as the twin says" :
				       r->passed ? "held (the set failed as the twin says)" :
				       "held, but this twin says it must fail");
	/* Summary mode: one line each. */
	if (rt->summary && strchr(ev, '\n')) {
		char *first = xstrndup(ev, (size_t)(strchr(ev, '\n') - ev));

		esc_fputs(rt->f, first, 0);
		fputs(" ...\n", rt->f);
		free(first);
	} else {
		esc_fputs(rt->f, ev, ESC_KEEP_LINES);
		fputc('\n', rt->f);
	}
}

/* Whether one more failure may be printed in summary mode. */
static bool text_room(struct report_text *rt)
{
	if (!rt->summary)
		return true;
	if (rt->shown < REPORT_SUMMARY_FAILS) {
		rt->shown++;
		return true;
	}
	rt->hidden++;
	return false;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The last pair of a set: one line for the set, one per failing pair. */
static void text_set(struct report_text *rt, const struct scenario_result *sr, const struct result *r)
{
	size_t k = (size_t)(r - sr->results), first = k - r->set_index, passed = 0, skipped = 0, n = 0;
	size_t failed = 0;
	const struct result *g = &sr->results[first];
	double *ms = calloc(r->set_size, sizeof(*ms));
	bool ok, must = false;

	for (size_t i = 0; i <= r->set_index; i++) {
		passed += g[i].passed;
		skipped += g[i].skipped;
		failed += !g[i].skipped && !g[i].held;
		must |= g[i].expect_fail;
		if (!g[i].skipped && ms)
			ms[n++] = g[i].duration_ms;
	}
	ok = passed == r->set_size;
	if (ok || text_room(rt)) {
		fprintf(rt->f, "  %s%-4s%s %s:%-4u %s: ", color(rt, ok ? C_GREEN : C_RED),
			ok ? (must ? "ok*" : "ok") : skipped == r->set_size ? "SKIP" : "FAIL", color(rt, C_OFF),
			base(r->file), r->line, r->set);
		/* A twin's `fails` judges the set as one: it fails when a
		 * pair does. */
		if (skipped == r->set_size)
			fprintf(rt->f, "%zu pairs, not run", r->set_size);
		else if (must && failed)
			fprintf(rt->f, "failed as the twin says: %zu of %zu pairs failed", failed, r->set_size);
		else if (must)
			fprintf(rt->f, "held, but this twin says it must fail: %zu of %zu pairs held",
				r->set_size - skipped, r->set_size);
		else
			fprintf(rt->f, "%zu of %zu pairs", passed, r->set_size);
		if (n && ms) {
			qsort(ms, n, sizeof(*ms), cmp_double);
			/* The slowest percent apart from the slowest pair: a
			 * tail of slow pairs (a busy host) from one lost. */
			fprintf(rt->f, " %s(p50 %.0f ms, p99 %.0f ms, max %.0f ms per pair)%s", color(rt, C_DIM),
				ms[n / 2], ms[n * 99 / 100], ms[n - 1], color(rt, C_OFF));
		}
		fputc('\n', rt->f);
	}
	free(ms);
	for (size_t i = 0; i <= r->set_index; i++) {
		/* A set not run is its one line. */
		/* Under a twin's `fails`, the pairs that failed are its
		 * evidence; those that held are shown with -v. */
		bool shown = must ? !g[i].held : !g[i].passed;

		if (g[i].skipped || (!shown && !rt->verbose) || (!g[i].passed && rt->summary && !text_room(rt)))
			continue;
		fprintf(rt->f, "        %s%s%s %s: ", color(rt, g[i].passed ? C_GREEN : C_RED), result_tag(&g[i]),
			color(rt, C_OFF), g[i].text);
		text_evidence(rt, &g[i], "");
	}
}

static void text_result(void *data, const struct scenario_result *sr, const struct result *r)
{
	struct report_text *rt = data;

	if (r->set) {
		if (r->set_index + 1 == r->set_size && (size_t)(r - sr->results) >= r->set_index)
			text_set(rt, sr, r);
		fflush(rt->f);
		return;
	}
	if (rt->summary && (r->passed || !text_room(rt)))
		return;
	fprintf(rt->f, "  %s%-4s%s ", color(rt, r->passed ? C_GREEN : C_RED), result_tag(r),
		color(rt, C_OFF));
	esc_fputs(rt->f, base(r->file), 0);
	fprintf(rt->f, ":%-4u ", r->line);
	esc_fputs(rt->f, r->text, 0);
	if (r->duration_ms >= 0.05 && !r->skipped)
		fprintf(rt->f, " %s(%.0f ms)%s", color(rt, C_DIM), r->duration_ms, color(rt, C_OFF));
	/* Summary mode: a failure and its evidence on one line, as a set's
	 * failing pairs are. */
	if (rt->summary) {
		text_evidence(rt, r, ": ");
	} else {
		fputc('\n', rt->f);
		if (!r->passed || rt->verbose)
			text_evidence(rt, r, "        ");
	}
	fflush(rt->f);
}

void report_text_init(struct reporter *rep, struct report_text *rt)
{
	rep->begin = text_begin;
	rep->result = text_result;
	rep->end = NULL;
	rep->data = rt;
}

void report_text_scenario_end(struct report_text *rt, const struct scenario_result *sr)
{
	if (rt->hidden)
		fprintf(rt->f, "  ... and %zu more failure%s (the JSON and JUnit reports list every one)\n",
			rt->hidden, rt->hidden == 1 ? "" : "s");
	rt->shown = rt->hidden = 0;
	for (size_t i = 0; i < sr->n_notes; i++) {
		fputs("  note: ", rt->f);
		esc_fputs(rt->f, sr->notes[i], 0);
		fputc('\n', rt->f);
	}
	if (sr->error) {
		fprintf(rt->f, "  %serror%s: %s", color(rt, C_RED), color(rt, C_OFF),
			sr->twin ? "the twin did not build: " : "");
		esc_fputs(rt->f, sr->error, 0);
		fputc('\n', rt->f);
	}
	fprintf(rt->f, "  %s%s%s: %zu passed, %zu failed%s%s (build %.0f ms, steps %.0f ms, teardown %.0f ms)\n\n",
		color(rt, sr->passed ? C_GREEN : C_RED), sr->passed ? "PASS" : "FAIL", color(rt, C_OFF),
		sr->n_passed, sr->n_failed, sr->datapath ? "; WireGuard: " : "",
		sr->datapath ? sr->datapath : "", sr->build_ms, sr->steps_ms, sr->teardown_ms);
	fflush(rt->f);
}

void report_totals(const struct scenario_result *const *v, size_t n, size_t *passed, size_t *failed)
{
	*passed = *failed = 0;
	for (size_t i = 0; i < n; i++) {
		*passed += v[i]->n_passed;
		*failed += v[i]->n_failed;
		if (v[i]->error && !v[i]->n_failed)
			(*failed)++;
	}
}
