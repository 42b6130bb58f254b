// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* JUnit XML: one testsuite per scenario (twins are scenarios of their
 * own), one testcase per expectation, the evidence as failure message. */
#include "lab/report/report.h"
#include "netns/util/esc.h"

#include <stdlib.h>

#include <time.h>

void report_xml_string(FILE *f, const char *s)
{
	/* As in JSON: visible escapes for control characters and bytes that
	 * are not UTF-8, so that the XML is well-formed. */
	char *e = esc_dup(s, ESC_KEEP_LINES);

	for (const unsigned char *p = (const unsigned char *)e; *p; p++) {
		/* U+FFFE and U+FFFF are no XML characters either. */
		if (p[0] == 0xef && p[1] == 0xbf && (p[2] == 0xbe || p[2] == 0xbf)) {
			fprintf(f, "\\u%s", p[2] == 0xbe ? "fffe" : "ffff");
			p += 2;
			continue;
		}
		switch (*p) {
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '&':
			fputs("&amp;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&apos;", f);
			break;
		default:
			/* XML 1.0 allows no other control characters. */
			if (*p < 0x20 && *p != '\n' && *p != '\t' && *p != '\r')
				fputc('?', f);
			else
				fputc(*p, f);
		}
	}
	free(e);
}

/* A testsuite's counts, as its testcases are written: one per result and
 * one for a build error (an error); a skipped result is neither a failure
 * nor an error.  <testsuites> is the sum of these, so that the two never
 * disagree. */
struct junit_counts {
	size_t tests, failures, errors, skipped;
};

static void junit_count(const struct scenario_result *sr, struct junit_counts *c)
{
	size_t skipped = 0, failed = 0;

	for (size_t i = 0; i < sr->n_results; i++) {
		skipped += sr->results[i].skipped;
		failed += !sr->results[i].passed && !sr->results[i].skipped;
	}
	c->tests += sr->n_results + (sr->error ? 1 : 0);
	c->failures += failed;
	c->errors += sr->error ? 1 : 0;
	c->skipped += skipped;
}

static void junit_suite(FILE *f, const struct scenario_result *sr, const char *stamp)
{
	struct junit_counts c = { 0 };
	double secs = (sr->build_ms + sr->steps_ms + sr->teardown_ms) / 1000.0;

	junit_count(sr, &c);
	fputs("  <testsuite name=\"", f);
	report_xml_string(f, sr->name);
	if (sr->twin) {
		fputs(" twin ", f);
		report_xml_string(f, sr->twin);
	}
	fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"%.3f\" timestamp=\"%s\">\n",
		c.tests, c.failures, c.errors, c.skipped, secs, stamp);
	/* A build error is a test case of its own, also when the results it
	 * kept from running are there as skipped. */
	if (sr->error) {
		fputs("    <testcase classname=\"", f);
		report_xml_string(f, sr->name);
		fputs("\" name=\"build\" time=\"0\">\n      <error message=\"", f);
		report_xml_string(f, sr->error);
		fputs("\"/>\n    </testcase>\n", f);
	}
	for (size_t i = 0; i < sr->n_results; i++) {
		const struct result *r = &sr->results[i];

		fputs("    <testcase classname=\"", f);
		report_xml_string(f, sr->name);
		fprintf(f, "\" name=\"line %u: ", r->line);
		report_xml_string(f, r->text);
		fprintf(f, "\" file=\"");
		report_xml_string(f, r->file);
		fprintf(f, "\" line=\"%u\" time=\"%.3f\"", r->line, r->duration_ms / 1000.0);
		if (r->passed) {
			fputs("/>\n", f);
			continue;
		}
		fputs(">\n", f);
		if (r->skipped) {
			fputs("      <skipped message=\"", f);
			report_xml_string(f, r->evidence);
			fputs("\"/>\n", f);
		} else {
			fputs("      <failure message=\"", f);
			report_xml_string(f, r->evidence);
			fprintf(f, "\" type=\"%s\">", r->kind);
			report_xml_string(f, !r->expect_fail ? "" : r->set ?
					  "the set held (no pair failed), but this twin says it must fail: " :
					  "held, but this twin says it must fail: ");
			report_xml_string(f, r->evidence);
			fputs("</failure>\n", f);
		}
		fputs("    </testcase>\n", f);
	}
	fputs("  </testsuite>\n", f);
}

int report_junit_write(FILE *f, const struct scenario_result *const *v, size_t n)
{
	struct junit_counts all = { 0 };
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	for (size_t i = 0; i < n; i++)
		junit_count(v[i], &all);
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<testsuites name=\"wglab\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\">\n",
		all.tests, all.failures, all.errors, all.skipped);
	for (size_t i = 0; i < n; i++)
		junit_suite(f, v[i], stamp);
	fputs("</testsuites>\n", f);
	return ferror(f) ? -1 : 0;
}
