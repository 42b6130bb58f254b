// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* TAP version 13 on a stream: one test point per expectation, with a YAML
 * block for failures; the plan comes last, when the count is known. */
#include "lab/report/report.h"
#include "netns/util/esc.h"
#include "netns/util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static void tap_yaml_string(FILE *f, const char *key, const char *s)
{
	fprintf(f, "    %s: \"", key);
	report_json_string(f, s ? s : "");
	fprintf(f, "\"\n");
}

/* Part of a test point's description: control characters and bytes that
 * are not UTF-8 escaped as everywhere (esc_dup), then '#' and '\\' escaped
 * as TAP wants (TAP 14 "Escaping"), so that a '#' in a statement (`run a
 * -- sh -c "exit 1 # TODO"`, a URL's fragment) cannot start a directive
 * that turns a failure into a TODO or a SKIP. */
static void tap_desc(FILE *f, const char *s)
{
	char *e = esc_dup(s, 0);

	for (const char *p = e; *p; p++) {
		if (*p == '#' || *p == '\\')
			fputc('\\', f);
		fputc(*p, f);
	}
	free(e);
}

/* The scenario's name in a description: NAME or NAME/TWIN. */
static void tap_name(FILE *f, const struct scenario_result *sr)
{
	tap_desc(f, sr->name);
	if (sr->twin) {
		fputc('/', f);
		tap_desc(f, sr->twin);
	}
}

static void tap_result(void *data, const struct scenario_result *sr, const struct result *r)
{
	struct report_tap *rt = data;

	/* One line per test point: a newline or escape in a name or
	 * statement is shown escaped. */
	fprintf(rt->f, "%sok %u - ", r->passed ? "" : "not ", ++rt->n);
	tap_name(rt->f, sr);
	fputs(": ", rt->f);
	tap_desc(rt->f, r->file);
	fprintf(rt->f, ":%u ", r->line);
	tap_desc(rt->f, r->text);
	if (r->skipped) {
		/* The directive's reason ends at the line: a newline in it
		 * is a blank, any other control character is escaped. */
		char *why = xstrdup(r->evidence ? r->evidence : "not run");

		for (char *p = why; *p; p++)
			if (*p == '\n')
				*p = ' ';
		fprintf(rt->f, " # SKIP ");
		esc_fputs(rt->f, why, 0);
		free(why);
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
			fputs("# ", rt->f);
			esc_fputs(rt->f, v[i]->name, 0);
			fputs(": ", rt->f);
			esc_fputs(rt->f, v[i]->error, 0);
			fputc('\n', rt->f);
			continue;
		}
		/* A build error with no expectation behind it is a test point
		 * of its own. */
		fprintf(rt->f, "not ok %u - ", ++rt->n);
		tap_name(rt->f, v[i]);
		fputs(": build\n  ---\n", rt->f);
		tap_yaml_string(rt->f, "error", v[i]->error);
		fprintf(rt->f, "  ...\n");
	}
	fprintf(rt->f, "1..%u\n", rt->n);
	fflush(rt->f);
}
