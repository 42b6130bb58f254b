// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* The JSON report (schema in README.md). */
#include "lab/report/report.h"
#include "lab/host/version.h"
#include "netns/util/esc.h"

#include <stdlib.h>

void report_json_string(FILE *f, const char *s)
{
	/* Program output and scenario words may hold anything: control
	 * characters and bytes that are not UTF-8 become visible escapes
	 * first, so that the report is always valid JSON (RFC 8259 wants
	 * UTF-8). */
	char *e = esc_dup(s, ESC_KEEP_LINES);

	for (const unsigned char *p = (const unsigned char *)e; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	free(e);
}

static void json_str(FILE *f, const char *key, const char *s, bool comma)
{
	fprintf(f, "\"%s\": ", key);
	if (!s) {
		fputs("null", f);
	} else {
		fputc('"', f);
		report_json_string(f, s);
		fputc('"', f);
	}
	if (comma)
		fputs(", ", f);
}

static void json_result(FILE *f, const struct result *r)
{
	fputs("{", f);
	json_str(f, "file", r->file, true);
	fprintf(f, "\"line\": %u, ", r->line);
	json_str(f, "label", r->label, true);
	json_str(f, "text", r->text, true);
	json_str(f, "set", r->set, true);
	if (r->set)
		fprintf(f, "\"set_index\": %zu, \"set_size\": %zu, ", r->set_index, r->set_size);
	json_str(f, "kind", r->kind, true);
	fprintf(f, "\"passed\": %s, \"held\": %s, \"must_fail\": %s, \"skipped\": %s, ",
		r->passed ? "true" : "false", r->held ? "true" : "false",
		r->expect_fail ? "true" : "false", r->skipped ? "true" : "false");
	json_str(f, "evidence", r->evidence ? r->evidence : "", true);
	fprintf(f, "\"duration_ms\": %.3f}", r->duration_ms);
}

static void json_scenario(FILE *f, const struct scenario_result *sr)
{
	fputs("    {", f);
	json_str(f, "file", sr->file, true);
	json_str(f, "name", sr->name, true);
	json_str(f, "description", sr->description, true);
	json_str(f, "twin", sr->twin, true);
	json_str(f, "twin_reason", sr->twin_why, true);
	fprintf(f, "\"passed\": %s, ", sr->passed ? "true" : "false");
	json_str(f, "error", sr->error, true);
	fprintf(f, "\"timed_out\": %s, ", sr->timed_out ? "true" : "false");
	json_str(f, "datapath", sr->datapath, true);
	fputs("\"notes\": [", f);
	for (size_t i = 0; i < sr->n_notes; i++) {
		fputc('"', f);
		report_json_string(f, sr->notes[i]);
		fprintf(f, "\"%s", i + 1 < sr->n_notes ? ", " : "");
	}
	fprintf(f, "],\n      \"timings\": {\"parse_ms\": %.3f, \"build_ms\": %.3f, \"steps_ms\": %.3f, \"teardown_ms\": %.3f},\n",
		sr->parse_ms, sr->build_ms, sr->steps_ms, sr->teardown_ms);
	fputs("      \"expectations\": [", f);
	for (size_t i = 0; i < sr->n_results; i++) {
		fputs("\n        ", f);
		json_result(f, &sr->results[i]);
		if (i + 1 < sr->n_results)
			fputc(',', f);
	}
	fputs(sr->n_results ? "\n      ]}" : "]}", f);
}

int report_json_write(FILE *f, const struct scenario_result *const *v, size_t n)
{
	size_t passed, failed;

	report_totals(v, n, &passed, &failed);
	fprintf(f, "{\"wglab\": \"%s\", \"passed\": %zu, \"failed\": %zu, \"scenarios\": [\n", LAB_VERSION,
		passed, failed);
	for (size_t i = 0; i < n; i++) {
		json_scenario(f, v[i]);
		fputs(i + 1 < n ? ",\n" : "\n", f);
	}
	fputs("]}\n", f);
	return ferror(f) ? -1 : 0;
}
