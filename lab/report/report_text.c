// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "lab/report/report.h"
#include "netns/util/esc.h"

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
	fprintf(rt->f, "  %s%-4s%s ", color(rt, r->passed ? C_GREEN : C_RED), tag, color(rt, C_OFF));
	esc_fputs(rt->f, base(r->file), 0);
	fprintf(rt->f, ":%-4u ", r->line);
	esc_fputs(rt->f, r->text, 0);
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
		esc_fputs(rt->f, r->evidence ? r->evidence : "", ESC_KEEP_LINES);
		fputc('\n', rt->f);
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
