// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* TAP version 13 on a stream: one test point per expectation, with a YAML
 * block for failures; the plan comes last, when the count is known. */
#include "lab/report/report.h"
#include "netns/util/esc.h"

#include <string.h>

static void tap_yaml_string(FILE *f, const char *key, const char *s)
{
	fprintf(f, "    %s: \"", key);
	report_json_string(f, s ? s : "");
	fprintf(f, "\"\n");
}

static void tap_result(void *data, const struct scenario_result *sr, const struct result *r)
{
	struct report_tap *rt = data;

	/* One line per test point: a newline or escape in a name or
	 * statement is shown escaped. */
	fprintf(rt->f, "%sok %u - ", r->passed ? "" : "not ", ++rt->n);
	esc_fputs(rt->f, sr->name, 0);
	if (sr->twin) {
		fputc('/', rt->f);
		esc_fputs(rt->f, sr->twin, 0);
	}
	fputs(": ", rt->f);
	esc_fputs(rt->f, r->file, 0);
	fprintf(rt->f, ":%u ", r->line);
	esc_fputs(rt->f, r->text, 0);
	if (r->skipped) {
		fprintf(rt->f, " # SKIP ");
		/* The directive ends at the line: no newline in it. */
		for (const char *p = r->evidence ? r->evidence : "not run"; *p; p++)
			fputc(*p == '\n' || *p == '\r' ? ' ' : *p, rt->f);
	}
	fputc('\n', rt->f);
	if (!r->passed || r->expect_fail) {
		fprintf(rt->f, "  ---\n");
		tap_yaml_string(rt->f, "kind", r->kind);
		tap_yaml_string(rt->f, "evidence", r->evidence);
		if (r->expect_fail)
			fprintf(rt->f, "    must_fail: true\n    held: %s\n", r->held ? "true" : "false");
		fprintf(rt->f, "    duration_ms: %.1f\n  ...\n", r->duration_ms);
	}
	fflush(rt->f);
}

static void tap_begin(void *data, const struct scenario_result *sr)
{
	struct report_tap *rt = data;

	fputs("# ", rt->f);
	esc_fputs(rt->f, sr->name, 0);
	fputs(" (", rt->f);
	esc_fputs(rt->f, sr->file, 0);
	fputc(')', rt->f);
	if (sr->twin) {
		fputs(" twin ", rt->f);
		esc_fputs(rt->f, sr->twin, 0);
	}
	fputc('\n', rt->f);
}

void report_tap_init(struct reporter *rep, struct report_tap *rt)
{
	fprintf(rt->f, "TAP version 13\n");
	rep->begin = tap_begin;
	rep->result = tap_result;
	rep->end = NULL;
	rep->data = rt;
}

void report_tap_finish(struct report_tap *rt, const struct scenario_result *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!v[i]->error)
			continue;
		if (v[i]->n_failed) {
			fprintf(rt->f, "# %s: %s\n", v[i]->name, v[i]->error);
			continue;
		}
		/* A build error with no expectation behind it is a test point
		 * of its own. */
		fprintf(rt->f, "not ok %u - %s: build\n  ---\n", ++rt->n, v[i]->name);
		tap_yaml_string(rt->f, "error", v[i]->error);
		fprintf(rt->f, "  ...\n");
	}
	fprintf(rt->f, "1..%u\n", rt->n);
	fflush(rt->f);
}
