// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* Reading JSON reports back (report merge, run --jobs) with jansson: a
 * well-kept JSON library does this better than a hand-written parser. */
#include "lab/report/report.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

static char *dup_str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? xstrdup(json_string_value(v)) : NULL;
}

static double get_num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_number(v) ? json_number_value(v) : 0;
}

static bool get_bool(json_t *o, const char *key)
{
	return json_is_true(json_object_get(o, key));
}

/* Result kinds are static strings in a run: map them back to those. */
static const char *kind_str(const char *k)
{
	static const char *const kinds[] = { "reach", "http", "path", "route", "capture", "rewrite",
					     "conntrack", "handshake", "endpoint", "transfer",
					     "throughput", "latency", "nat", "run" };

	for (size_t i = 0; k && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(k, kinds[i]))
			return kinds[i];
	return "other";
}

static int read_scenario(json_t *o, struct scenario_result **ret)
{
	struct scenario_result *sr = xcalloc(1, sizeof(*sr));
	json_t *t, *ex, *notes;
	size_t i;

	sr->file = dup_str(o, "file");
	sr->name = dup_str(o, "name");
	sr->description = dup_str(o, "description");
	sr->twin = dup_str(o, "twin");
	sr->twin_why = dup_str(o, "twin_reason");
	sr->passed = get_bool(o, "passed");
	sr->error = dup_str(o, "error");
	sr->timed_out = get_bool(o, "timed_out");
	sr->datapath = dup_str(o, "datapath");
	t = json_object_get(o, "timings");
	sr->parse_ms = get_num(t, "parse_ms");
	sr->build_ms = get_num(t, "build_ms");
	sr->steps_ms = get_num(t, "steps_ms");
	sr->teardown_ms = get_num(t, "teardown_ms");
	notes = json_object_get(o, "notes");
	if (json_is_array(notes) && json_array_size(notes)) {
		sr->notes = xcalloc(json_array_size(notes), sizeof(*sr->notes));
		for (i = 0; i < json_array_size(notes); i++)
			if (json_is_string(json_array_get(notes, i)))
				sr->notes[sr->n_notes++] = xstrdup(json_string_value(json_array_get(notes, i)));
	}
	ex = json_object_get(o, "expectations");
	if (!json_is_array(ex) || !sr->file || !sr->name)
		goto err;
	sr->results = xcalloc(json_array_size(ex) + 1, sizeof(*sr->results));
	for (i = 0; i < json_array_size(ex); i++) {
		json_t *e = json_array_get(ex, i);
		struct result *r = &sr->results[sr->n_results++];

		if (!json_is_object(e))
			goto err;
		r->file = dup_str(e, "file");
		r->line = (unsigned int)get_num(e, "line");
		r->label = dup_str(e, "label");
		r->text = dup_str(e, "text");
		r->set = dup_str(e, "set");
		r->set_index = (size_t)get_num(e, "set_index");
		r->set_size = (size_t)get_num(e, "set_size");
		if (r->set && r->set_index >= r->set_size) {
			free(r->set);
			r->set = NULL;
		}
		r->kind = kind_str(json_string_value(json_object_get(e, "kind")));
		r->passed = get_bool(e, "passed");
		r->held = get_bool(e, "held");
		r->expect_fail = get_bool(e, "must_fail");
		r->skipped = get_bool(e, "skipped");
		r->evidence = dup_str(e, "evidence");
		r->duration_ms = get_num(e, "duration_ms");
		if (!r->file)
			r->file = xstrdup(sr->file);
		if (!r->text)
			r->text = xstrdup("");
		if (r->passed)
			sr->n_passed++;
		else
			sr->n_failed++;
	}
	*ret = sr;
	return 0;
err:
	scenario_result_free(sr);
	return -EINVAL;
}

int report_json_read(const char *text, size_t len, struct scenario_result ***ret, size_t *ret_n,
		     char *err, size_t errlen)
{
	struct scenario_result **v = NULL;
	json_error_t jerr;
	json_t *root, *sc;
	size_t n = 0;
	int r = 0;

	root = json_loadb(text, len, 0, &jerr);
	if (!root) {
		snprintf(err, errlen, "line %d, column %d: %s", jerr.line, jerr.column, jerr.text);
		return -EINVAL;
	}
	sc = json_object_get(root, "scenarios");
	if (!json_is_string(json_object_get(root, "wglab")) || !json_is_array(sc)) {
		snprintf(err, errlen, "not a wglab report (no \"wglab\" and \"scenarios\")");
		r = -EINVAL;
		goto cleanup;
	}
	v = xcalloc(json_array_size(sc) + 1, sizeof(*v));
	for (size_t i = 0; i < json_array_size(sc); i++) {
		r = read_scenario(json_array_get(sc, i), &v[n]);
		if (r < 0) {
			snprintf(err, errlen, "scenario %zu: missing or malformed fields", i + 1);
			goto cleanup;
		}
		n++;
	}
	*ret = v;
	*ret_n = n;
	v = NULL;
cleanup:
	for (size_t i = 0; v && i < n; i++)
		scenario_result_free(v[i]);
	free(v);
	json_decref(root);
	return r;
}
