// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* The bench's data: series and their statistics, the machine. */
#include "lab/bench/bench.h"
#include "netns/util/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>

void bench_init(struct bench *b)
{
	memset(b, 0, sizeof(*b));
}

void bench_free(struct bench *b)
{
	for (size_t i = 0; i < b->n; i++) {
		free(b->s[i].scenario);
		free(b->s[i].variant);
		free(b->s[i].measure);
		free(b->s[i].unit);
		free(b->s[i].v);
	}
	free(b->s);
	for (size_t i = 0; i < b->n_errors; i++)
		free(b->errors[i]);
	free(b->errors);
	memset(b, 0, sizeof(*b));
}

void bench_add(struct bench *b, const char *scenario, const char *variant, const char *measure,
	       const char *unit, bool higher_better, double v)
{
	struct bench_series *s = NULL;

	for (size_t i = 0; i < b->n && !s; i++)
		if (!strcmp(b->s[i].scenario, scenario) && !strcmp(b->s[i].variant, variant) &&
		    !strcmp(b->s[i].measure, measure))
			s = &b->s[i];
	if (!s) {
		s = xrealloc(b->s, (b->n + 1) * sizeof(*s));
		b->s = s;
		s = &b->s[b->n++];
		memset(s, 0, sizeof(*s));
		s->scenario = xstrdup(scenario ? scenario : "");
		s->variant = xstrdup(variant ? variant : "");
		s->measure = xstrdup(measure ? measure : "");
		s->unit = xstrdup(unit ? unit : "");
		s->higher_better = higher_better;
	}
	s->v = xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
	s->v[s->n++] = v;
}

void bench_error(struct bench *b, const char *fmt, ...)
{
	char **v = xrealloc(b->errors, (b->n_errors + 1) * sizeof(*v));
	va_list ap;

	b->errors = v;
	va_start(ap, fmt);
	v[b->n_errors] = xvasprintf(fmt, ap);
	va_end(ap);
	b->n_errors++;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double bench_median(double *v, size_t n)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void bench_stats(struct bench *b)
{
	for (size_t i = 0; i < b->n; i++) {
		struct bench_series *s = &b->s[i];
		double *sorted = xmalloc((s->n ? s->n : 1) * sizeof(*sorted));

		memcpy(sorted, s->v, s->n * sizeof(*sorted));
		s->median = bench_median(sorted, s->n);
		s->min = s->n ? sorted[0] : 0;
		s->max = s->n ? sorted[s->n - 1] : 0;
		free(sorted);
	}
}

void bench_env_read(struct bench_env *env)
{
	struct utsname u;
	char line[256];
	FILE *f;

	memset(env, 0, sizeof(*env));
	if (!uname(&u)) {
		size_t n = strnlen(u.sysname, 40);

		memcpy(env->kernel, u.sysname, n);
		env->kernel[n] = ' ';
		snprintf(env->kernel + n + 1, sizeof(env->kernel) - n - 1, "%.80s", u.release);
	}
	env->cores = sysconf(_SC_NPROCESSORS_ONLN);
	f = fopen("/proc/cpuinfo", "re");
	while (f && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (strncmp(line, "model name", 10) || !colon)
			continue;
		colon++;
		while (isspace((unsigned char)*colon))
			colon++;
		colon[strcspn(colon, "\n")] = '\0';
		snprintf(env->cpu, sizeof(env->cpu), "%s", colon);
		break;
	}
	if (f)
		fclose(f);
}

void bench_env_add_wireguard(struct bench_env *env, const char *datapath)
{
	size_t len = strlen(env->wireguard);

	if (!datapath || strstr(env->wireguard, datapath))
		return;
	snprintf(env->wireguard + len, sizeof(env->wireguard) - len, "%s%s", len ? "; " : "", datapath);
}
