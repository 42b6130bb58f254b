// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* The bench's data: the matrix, series and their statistics, the machine. */
#include "lab/bench/bench.h"
#include "lab/lang/model.h"
#include "netns/wg/wgconf.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>

static char *xdup(const char *s)
{
	char *d = strdup(s ? s : "");

	if (!d)
		abort();
	return d;
}

int bench_matrix(const char *wg_list, const char *mtu_list, bool has_wg, struct bench_combo **ret,
		 size_t *ret_n, char **ret_words)
{
	char *words = xdup(wg_list ? wg_list : ""), *save = NULL, *w;
	const char *wgs[8];
	unsigned int mtus[16];
	size_t n_wg = 0, n_mtu = 0, n = 0;
	struct bench_combo *v;

	/* Empty items are mistakes ("kernel,", "1280,,1420"). */
	for (const char *l = wg_list; l && *l; l = NULL)
		if (*l == ',' || l[strlen(l) - 1] == ',' || strstr(l, ",,"))
			goto bad;
	for (w = strtok_r(words, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		if ((strcmp(w, "kernel") && strcmp(w, "userspace") && strcmp(w, "auto") &&
		     strncmp(w, "userspace=", 10)) || n_wg == 8)
			goto bad;
		wgs[n_wg++] = w;
	}
	if (mtu_list) {
		const char *p = mtu_list;

		while (*p) {
			char *end;
			unsigned long m = strtoul(p, &end, 10);

			if (end == p || m < 576 || m > 65535 || n_mtu == 16 || (*end && *end != ',') ||
			    (*end == ',' && !end[1]))
				goto bad;
			mtus[n_mtu++] = (unsigned int)m;
			p = *end ? end + 1 : end;
		}
	}
	if (!has_wg)
		n_wg = n_mtu = 0;
	v = calloc((n_wg ? n_wg : 1) * (n_mtu ? n_mtu : 1), sizeof(*v));
	if (!v)
		abort();
	for (size_t i = 0; i < (n_wg ? n_wg : 1); i++)
		for (size_t k = 0; k < (n_mtu ? n_mtu : 1); k++) {
			v[n].wg = n_wg ? wgs[i] : NULL;
			v[n].mtu = n_mtu ? mtus[k] : 0;
			n++;
		}
	*ret = v;
	*ret_n = n;
	*ret_words = words;
	return 0;
bad:
	free(words);
	return -EINVAL;
}

bool bench_lab_has_wg(const struct lab *lab)
{
	for (const struct stmt *s = lab->first_stmt; s; s = s->next)
		if (s->kind == STMT_WIREGUARD || s->kind == STMT_WGQUICK)
			return true;
	return false;
}

size_t bench_override_mtu(struct lab *lab, unsigned int mtu)
{
	size_t n = 0;

	for (struct stmt *s = lab->first_stmt; s; s = s->next) {
		struct wgconf_device *conf = NULL;
		bool seen = false;

		if (s->kind == STMT_WGQUICK) {
			conf = s->wgquick.conf;
		} else if (s->kind == STMT_WIREGUARD) {
			/* Only the statement that creates the interface: a
			 * later one changing it may not set the MTU. */
			for (struct stmt *p = lab->first_stmt; p != s; p = p->next)
				if (p->kind == STMT_WIREGUARD &&
				    !strcmp(p->wireguard.ref.node, s->wireguard.ref.node) &&
				    !strcmp(p->wireguard.ref.ifname, s->wireguard.ref.ifname))
					seen = true;
			if (seen)
				continue;
			conf = s->wireguard.conf;
			s->wireguard.set |= WGSET_MTU;
		}
		if (!conf)
			continue;
		conf->mtu = mtu;
		conf->flags |= WGCONF_DEV_HAS_MTU;
		n++;
	}
	return n;
}

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
	double *nv;

	for (size_t i = 0; i < b->n && !s; i++)
		if (!strcmp(b->s[i].scenario, scenario) && !strcmp(b->s[i].variant, variant) &&
		    !strcmp(b->s[i].measure, measure))
			s = &b->s[i];
	if (!s) {
		s = realloc(b->s, (b->n + 1) * sizeof(*s));
		if (!s)
			abort();
		b->s = s;
		s = &b->s[b->n++];
		memset(s, 0, sizeof(*s));
		s->scenario = xdup(scenario);
		s->variant = xdup(variant);
		s->measure = xdup(measure);
		s->unit = xdup(unit);
		s->higher_better = higher_better;
	}
	nv = realloc(s->v, (s->n + 1) * sizeof(*nv));
	if (!nv)
		abort();
	s->v = nv;
	s->v[s->n++] = v;
}

void bench_error(struct bench *b, const char *fmt, ...)
{
	char **v = realloc(b->errors, (b->n_errors + 1) * sizeof(*v));
	va_list ap;

	if (!v)
		abort();
	b->errors = v;
	va_start(ap, fmt);
	if (vasprintf(&v[b->n_errors], fmt, ap) < 0)
		abort();
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
		double *sorted = malloc((s->n ? s->n : 1) * sizeof(*sorted));

		if (!sorted)
			abort();
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
