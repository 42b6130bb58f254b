// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* The bench as a table, as JSON (written and read back), and against a
 * baseline. */
#include "lab/bench/bench.h"
#include "lab/bench/bench_report.h"
#include "netns/util/esc.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const struct bench_series *bench_find(const struct bench *b, const struct bench_series *s)
{
	for (size_t i = 0; b && i < b->n; i++)
		if (!strcmp(b->s[i].scenario, s->scenario) && !strcmp(b->s[i].variant, s->variant) &&
		    !strcmp(b->s[i].measure, s->measure))
			return &b->s[i];
	return NULL;
}

void bench_compare(const struct bench_series *cur, const struct bench *baseline, double tolerance,
		   struct bench_delta *ret)
{
	const struct bench_series *old = bench_find(baseline, cur);

	memset(ret, 0, sizeof(*ret));
	if (!old || old->median == 0)
		return;
	ret->found = true;
	ret->rel = (cur->median - old->median) / fabs(old->median);
	ret->beyond = fabs(ret->rel) > tolerance;
	ret->worse = ret->beyond && (cur->higher_better ? ret->rel < 0 : ret->rel > 0);
}

size_t bench_regressions(const struct bench *b, const struct bench *baseline, double tolerance)
{
	size_t n = 0;

	for (size_t i = 0; i < b->n; i++) {
		struct bench_delta d;

		bench_compare(&b->s[i], baseline, tolerance, &d);
		n += d.worse;
	}
	return n;
}

static const char *num(double v, char *buf, size_t len)
{
	double a = fabs(v);

	if (a >= 100 || a == 0)
		snprintf(buf, len, "%.0f", v);
	else if (a >= 10)
		snprintf(buf, len, "%.1f", v);
	else if (a >= 0.1)
		snprintf(buf, len, "%.2f", v);
	else
		snprintf(buf, len, "%.3f", v);
	return buf;
}

void bench_print_table(FILE *f, const struct bench *b, const struct bench *baseline, double tolerance)
{
	size_t ws = 8, wv = 7, wm = 11;
	char m[32], lo[32], hi[32];

	for (size_t i = 0; i < b->n; i++) {
		if (strlen(b->s[i].scenario) > ws)
			ws = strlen(b->s[i].scenario);
		if (strlen(b->s[i].variant) > wv)
			wv = strlen(b->s[i].variant);
		if (strlen(b->s[i].measure) > wm)
			wm = strlen(b->s[i].measure);
	}
	fprintf(f, "%-*s  %-*s  %-*s  %10s  %10s  %10s  %-6s  %s\n", (int)ws, "scenario", (int)wv, "variant",
		(int)wm, "measurement", "median", "min", "max", "unit", baseline ? "vs baseline" : "runs");
	for (size_t i = 0; i < b->n; i++) {
		const struct bench_series *s = &b->s[i];

		fprintf(f, "%-*s  %-*s  %-*s  %10s  %10s  %10s  %-6s  ", (int)ws, s->scenario, (int)wv,
			*s->variant ? s->variant : "-", (int)wm, s->measure, num(s->median, m, sizeof(m)),
			num(s->min, lo, sizeof(lo)), num(s->max, hi, sizeof(hi)), s->unit);
		if (baseline) {
			struct bench_delta d;

			bench_compare(s, baseline, tolerance, &d);
			if (!d.found)
				fprintf(f, "new");
			else
				fprintf(f, "%+.1f %%%s", d.rel * 100,
					d.worse ? "  WORSE" : d.beyond ? "  better" : "");
		} else {
			fprintf(f, "%zu", s->n);
		}
		fputc('\n', f);
	}
	for (size_t i = 0; i < b->n_errors; i++) {
		fputs("error: ", f);
		esc_fputs(f, b->errors[i], 0);
		fputc('\n', f);
	}
	fprintf(f, "kernel %s, %s, %ld cores%s%s\n", b->env.kernel, b->env.cpu, b->env.cores,
		*b->env.wireguard ? ", WireGuard " : "", b->env.wireguard);
}

static void json_str(FILE *f, const char *s)
{
	/* Invalid UTF-8 and control characters as visible escapes first:
	 * the JSON stays valid whatever a scenario or a program said. */
	char *e = esc_dup(s, 0);

	fputc('"', f);
	for (s = e; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", (unsigned char)*s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
	free(e);
}

/* One series per line, so a reader needs no full JSON parser. */
int bench_write_json(FILE *f, const struct bench *b)
{
	fprintf(f, "{\"wglab_bench\": 1,\n \"env\": {\"kernel\": ");
	json_str(f, b->env.kernel);
	fprintf(f, ", \"cpu\": ");
	json_str(f, b->env.cpu);
	fprintf(f, ", \"cores\": %ld, \"wireguard\": ", b->env.cores);
	json_str(f, b->env.wireguard);
	fprintf(f, "},\n \"repeat\": %u,\n \"errors\": [", b->repeat);
	for (size_t i = 0; i < b->n_errors; i++) {
		fprintf(f, "%s\n  ", i ? "," : "");
		json_str(f, b->errors[i]);
	}
	fprintf(f, "],\n \"results\": [");
	for (size_t i = 0; i < b->n; i++) {
		const struct bench_series *s = &b->s[i];

		fprintf(f, "%s\n  {\"scenario\": ", i ? "," : "");
		json_str(f, s->scenario);
		fprintf(f, ", \"variant\": ");
		json_str(f, s->variant);
		fprintf(f, ", \"measure\": ");
		json_str(f, s->measure);
		fprintf(f, ", \"unit\": ");
		json_str(f, s->unit);
		fprintf(f, ", \"higher_is_better\": %s, \"median\": %.6g, \"min\": %.6g, \"max\": %.6g, \"values\": [",
			s->higher_better ? "true" : "false", s->median, s->min, s->max);
		for (size_t k = 0; k < s->n; k++)
			fprintf(f, "%s%.6g", k ? ", " : "", s->v[k]);
		fprintf(f, "]}");
	}
	fprintf(f, "\n ]}\n");
	return ferror(f) ? -EIO : 0;
}

/* The string after "key": on line (unescaped), or NULL. */
static char *json_get_str(const char *line, const char *key)
{
	char pat[48], *out, *o;
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\": \"", key);
	p = strstr(line, pat);
	if (!p)
		return NULL;
	p += strlen(pat);
	out = o = xmalloc(strlen(p) + 1);
	for (; *p && *p != '"'; p++) {
		if (*p == '\\' && p[1])
			p++;
		*o++ = *p;
	}
	*o = '\0';
	return out;
}

static int json_get_num(const char *line, const char *key, double *ret)
{
	char pat[48];
	const char *p;
	char *end;

	snprintf(pat, sizeof(pat), "\"%s\": ", key);
	p = strstr(line, pat);
	if (!p)
		return -EBADMSG;
	*ret = strtod(p + strlen(pat), &end);
	return end == p + strlen(pat) ? -EBADMSG : 0;
}

int bench_read_json(const char *path, struct bench *ret)
{
	FILE *f = fopen(path, "re");
	char *line = NULL;
	size_t cap = 0;
	struct bench b;
	bool magic = false;
	int err = 0;

	if (!f)
		return -errno;
	bench_init(&b);
	while (getline(&line, &cap, f) > 0) {
		char *sc = json_get_str(line, "scenario"), *va = json_get_str(line, "variant");
		char *me = json_get_str(line, "measure"), *un = json_get_str(line, "unit");
		double med, lo, hi;

		if (strstr(line, "\"wglab_bench\": 1"))
			magic = true;
		if (sc && va && me && un && !json_get_num(line, "median", &med) &&
		    !json_get_num(line, "min", &lo) && !json_get_num(line, "max", &hi)) {
			struct bench_series *s;

			bench_add(&b, sc, va, me, un, strstr(line, "\"higher_is_better\": true") != NULL, med);
			s = &b.s[b.n - 1];
			s->median = med;
			s->min = lo;
			s->max = hi;
		}
		free(sc);
		free(va);
		free(me);
		free(un);
	}
	free(line);
	fclose(f);
	if (!magic)
		err = -EBADMSG;
	if (err < 0) {
		bench_free(&b);
		return err;
	}
	*ret = b;
	return 0;
}
