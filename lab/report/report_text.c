// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "lab/report/report.h"

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

	fprintf(rt->f, "%s%s%s (%s)", color(rt, C_BOLD), sr->name, color(rt, C_OFF), sr->file);
	if (sr->twin)
		fprintf(rt->f, " twin %s%s%s: %s", color(rt, C_BOLD), sr->twin, color(rt, C_OFF),
			sr->twin_why);
	else if (sr->description)
		fprintf(rt->f, ": %s", sr->description);
	fputc('\n', rt->f);
	fflush(rt->f);
}

static void text_result(void *data, const struct scenario_result *sr, const struct result *r)
{
	struct report_text *rt = data;
	const char *tag;

	(void)sr;
	if (r->skipped)
		tag = "SKIP";
	else if (r->passed)
		tag = r->expect_fail ? "ok*" : "ok";
	else
		tag = "FAIL";
	fprintf(rt->f, "  %s%-4s%s %s:%-4u %s", color(rt, r->passed ? C_GREEN : C_RED), tag,
		color(rt, C_OFF), base(r->file), r->line, r->text);
	if (r->duration_ms >= 0.05 && !r->skipped)
		fprintf(rt->f, " %s(%.0f ms)%s", color(rt, C_DIM), r->duration_ms, color(rt, C_OFF));
	fputc('\n', rt->f);
	if (!r->passed || rt->verbose) {
		/* Not run is neither: a twin's SKIP says why it was not. */
		if (r->expect_fail && !r->skipped)
			fprintf(rt->f, "        %s: ", r->held ? "held, but this twin says it must fail" :
							     "failed as the twin says");
		else
			fprintf(rt->f, "        ");
		fprintf(rt->f, "%s\n", r->evidence ? r->evidence : "");
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
	for (size_t i = 0; i < sr->n_notes; i++)
		fprintf(rt->f, "  note: %s\n", sr->notes[i]);
	if (sr->error)
		fprintf(rt->f, "  %serror%s: %s%s\n", color(rt, C_RED), color(rt, C_OFF),
			sr->twin ? "the twin did not build: " : "", sr->error);
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
