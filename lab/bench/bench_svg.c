// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * The bench as an SVG chart, written by hand: one panel per kind of
 * measurement (throughput, round trips, build phases, generator CPU);
 * in each, a group of bars per measurement, a bar per scenario variant
 * (the median, labelled) with a min-max error bar.
 */
#include "lab/bench/bench.h"
#include "lab/bench/bench_run.h"
#include "lab/bench/bench_svg.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SVG_W_MIN 760
#define SVG_BAR_W 26
#define SVG_CHAR_W 6.5			/* of an 11px sans-serif label, about */
#define SVG_GROUP_GAP 34
#define SVG_PLOT_H 220
#define SVG_LEFT 78
#define SVG_TOP 58
#define SVG_BOTTOM 62

static const char *const palette[] = {
	"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7",
	"#9c755f", "#bab0ac",
};

static const struct {
	const char *prefix;		/* of the measure, or a suffix with '*' */
	const char *title;
} panels[] = {
	{ "*CPU", "Generator CPU time (sender + receiver), seconds" },
	{ "phase ", "Build phases, milliseconds" },
	{ "rtt ", "UDP round trip, milliseconds" },
	{ "", "Throughput (goodput), Mbit/s" },
};

static size_t panel_of(const struct bench_series *s)
{
	for (size_t p = 0; p < sizeof(panels) / sizeof(panels[0]); p++) {
		const char *x = panels[p].prefix;

		if (*x == '*') {
			size_t n = strlen(s->measure), k = strlen(x + 1);

			if (n >= k && !strcmp(s->measure + n - k, x + 1))
				return p;
		} else if (!strncmp(s->measure, x, strlen(x))) {
			return p;
		}
	}
	return 0;
}

static void xml_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '&')
			fputs("&amp;", f);
		else if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '"')
			fputs("&quot;", f);
		else
			fputc(*s, f);
	}
}

/* A round axis top and tick step for values up to max. */
static void nice_axis(double max, double *ret_top, double *ret_step)
{
	double raw = max > 0 ? max / 5 : 1, mag = pow(10, floor(log10(raw))), step;

	if (raw / mag <= 1)
		step = mag;
	else if (raw / mag <= 2)
		step = 2 * mag;
	else if (raw / mag <= 5)
		step = 5 * mag;
	else
		step = 10 * mag;
	*ret_step = step;
	*ret_top = ceil(max / step) * step;
	if (*ret_top <= 0)
		*ret_top = step;
}

static void fmt_num(double v, char *buf, size_t len)
{
	if (fabs(v) >= 10000)
		snprintf(buf, len, "%.1fk", v / 1000);
	else if (fabs(v) >= 1000)
		snprintf(buf, len, "%.2fk", v / 1000);
	else if (fabs(v) >= 100 || v == 0)
		snprintf(buf, len, "%.0f", v);
	else if (fabs(v) >= 10)
		snprintf(buf, len, "%.1f", v);
	else if (fabs(v) >= 0.1)
		snprintf(buf, len, "%.2f", v);
	else
		snprintf(buf, len, "%.3f", v);
}

struct svg_panel {
	size_t p;
	const char **groups;		/* measures */
	size_t n_groups;
	char **labels;			/* "scenario variant" */
	size_t n_labels;
	double *gx;			/* left edge of each group */
	double top, step;
	int width, height;
};

/* The label of a group: the measure less what the panel's title says. */
static const char *group_label(const struct svg_panel *pn, const char *measure)
{
	const char *x = panels[pn->p].prefix;
	static char buf[160];

	if (*x == '*') {
		size_t n = strlen(measure), k = strlen(x + 1);

		snprintf(buf, sizeof(buf), "%.*s", (int)(n > k ? n - k : n), measure);
		n = strlen(buf);
		while (n && buf[n - 1] == ' ')
			buf[--n] = '\0';
		return buf;
	}
	return measure + strlen(x);
}

/* Phases in the order a run goes through them, the rest as they came. */
static size_t group_rank(const char *measure, size_t seen)
{
	for (size_t i = 0; i < bench_n_phases; i++)
		if (!strcmp(measure, bench_phase_names[i]))
			return i;
	return 1000 + seen;
}

static void sort_groups(struct svg_panel *pn)
{
	for (size_t i = 1; i < pn->n_groups; i++)
		for (size_t k = i; k > 0 && group_rank(pn->groups[k], k) < group_rank(pn->groups[k - 1], k - 1); k--) {
			const char *t = pn->groups[k];

			pn->groups[k] = pn->groups[k - 1];
			pn->groups[k - 1] = t;
		}
}

static size_t add_unique(const char ***v, size_t *n, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*v)[i], s))
			return i;
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[*n] = s;
	return (*n)++;
}

static char *series_label(const struct bench_series *s)
{
	return xasprintf("%s%s%s", s->scenario, *s->variant ? " " : "", s->variant);
}

static void panel_collect(const struct bench *b, struct svg_panel *pn)
{
	double max = 0;

	for (size_t i = 0; i < b->n; i++) {
		const struct bench_series *s = &b->s[i];
		char *l;
		bool known = false;

		if (panel_of(s) != pn->p)
			continue;
		add_unique(&pn->groups, &pn->n_groups, s->measure);
		l = series_label(s);
		for (size_t k = 0; k < pn->n_labels; k++)
			known |= !strcmp(pn->labels[k], l);
		if (known) {
			free(l);
		} else {
			pn->labels = xrealloc(pn->labels, (pn->n_labels + 1) * sizeof(*pn->labels));
			pn->labels[pn->n_labels++] = l;
		}
		if (s->max > max)
			max = s->max;
		if (s->median > max)
			max = s->median;
	}
	nice_axis(max, &pn->top, &pn->step);
	sort_groups(pn);
	pn->gx = xcalloc(pn->n_groups + 1, sizeof(*pn->gx));
	pn->gx[0] = SVG_LEFT + 10;
	for (size_t g = 0; g < pn->n_groups; g++) {
		double w = (double)pn->n_labels * SVG_BAR_W + SVG_GROUP_GAP,
		       lw = (double)strlen(group_label(pn, pn->groups[g])) * SVG_CHAR_W + 14;

		pn->gx[g + 1] = pn->gx[g] + (w > lw ? w : lw);
	}
	pn->width = (int)pn->gx[pn->n_groups] + 20;
	if (pn->width < SVG_W_MIN)
		pn->width = SVG_W_MIN;
	pn->height = SVG_TOP + SVG_PLOT_H + SVG_BOTTOM + 16 * (int)((pn->n_labels + 2) / 3);
}

static void panel_draw(FILE *f, const struct bench *b, const struct svg_panel *pn, int y0)
{
	int base = y0 + SVG_TOP + SVG_PLOT_H;
	char t[32];

	fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"title\">", SVG_LEFT, y0 + 22);
	xml_text(f, panels[pn->p].title);
	fprintf(f, "</text>\n");
	/* Legend, three to a row. */
	for (size_t k = 0; k < pn->n_labels; k++) {
		int lx = SVG_LEFT + (int)(k % 3) * 230, ly = y0 + 32 + (int)(k / 3) * 16;

		fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>", lx, ly,
			palette[k % (sizeof(palette) / sizeof(palette[0]))]);
		fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"legend\">", lx + 14, ly + 9);
		xml_text(f, pn->labels[k]);
		fprintf(f, "</text>\n");
	}
	base += 16 * (int)((pn->n_labels + 2) / 3) - 16;
	/* Y axis with gridlines. */
	for (double v = 0; v <= pn->top + pn->step / 2; v += pn->step) {
		int y = base - (int)lround(v / pn->top * SVG_PLOT_H);

		fmt_num(v, t, sizeof(t));
		fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"grid\"/>", SVG_LEFT, y,
			pn->width - 10, y);
		fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"tick\" text-anchor=\"end\">%s</text>\n", SVG_LEFT - 6,
			y + 4, t);
	}
	fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/>\n", SVG_LEFT, base,
		pn->width - 10, base);
	for (size_t g = 0; g < pn->n_groups; g++) {
		double gx = pn->gx[g] + (pn->gx[g + 1] - pn->gx[g] - SVG_GROUP_GAP -
					 (double)pn->n_labels * SVG_BAR_W) / 2;

		if (gx < pn->gx[g])
			gx = pn->gx[g];

		for (size_t i = 0; i < b->n; i++) {
			const struct bench_series *s = &b->s[i];
			size_t k = 0;
			char *l;
			double x, h, ylo, yhi;

			if (panel_of(s) != pn->p || strcmp(s->measure, pn->groups[g]))
				continue;
			l = series_label(s);
			while (k < pn->n_labels && strcmp(pn->labels[k], l))
				k++;
			free(l);
			x = gx + (double)k * SVG_BAR_W;
			h = s->median / pn->top * SVG_PLOT_H;
			fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\"><title>",
				x, base - h, SVG_BAR_W - 3, h, palette[k % (sizeof(palette) / sizeof(palette[0]))]);
			xml_text(f, s->scenario);
			fprintf(f, " %s: median %g, min %g, max %g %s (%zu runs)</title></rect>\n", s->variant,
				s->median, s->min, s->max, s->unit, s->n);
			ylo = base - s->min / pn->top * SVG_PLOT_H;
			yhi = base - s->max / pn->top * SVG_PLOT_H;
			if (s->n > 1)
				fprintf(f, "<path d=\"M%.1f %.1fV%.1fM%.1f %.1fh6M%.1f %.1fh6\" class=\"err\"/>\n",
					x + (SVG_BAR_W - 3) / 2.0, ylo, yhi, x + (SVG_BAR_W - 3) / 2.0 - 3, ylo,
					x + (SVG_BAR_W - 3) / 2.0 - 3, yhi);
			fmt_num(s->median, t, sizeof(t));
			fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"value\" text-anchor=\"middle\">%s</text>\n",
				x + (SVG_BAR_W - 3) / 2.0, (yhi < base - h ? yhi : base - h) - 3, t);
		}
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" class=\"group\" text-anchor=\"middle\">",
			gx + (double)pn->n_labels * SVG_BAR_W / 2, base + 16);
		xml_text(f, group_label(pn, pn->groups[g]));
		fprintf(f, "</text>\n");
	}
}

int bench_write_svg(FILE *f, const struct bench *b)
{
	struct svg_panel pn[sizeof(panels) / sizeof(panels[0])];
	size_t np = sizeof(panels) / sizeof(panels[0]);
	int width = SVG_W_MIN, height = 40, y;

	memset(pn, 0, sizeof(pn));
	/* Throughput first, then round trips, phases, CPU. */
	for (size_t i = 0; i < np; i++) {
		pn[i].p = np - 1 - i;
		panel_collect(b, &pn[i]);
		if (!pn[i].n_groups)
			continue;
		if (pn[i].width > width)
			width = pn[i].width;
		height += pn[i].height;
	}
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
		width, height, width, height);
	fprintf(f, "<style>text{font-family:sans-serif;fill:#222}.title{font-size:15px;font-weight:bold}"
		   ".legend,.group{font-size:11px}.tick{font-size:10px;fill:#555}.value{font-size:9px;fill:#333}"
		   ".grid{stroke:#e4e4e4}.axis{stroke:#444}.err{stroke:#111;stroke-width:1.2;fill:none}</style>\n");
	fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n");
	fprintf(f, "<text x=\"%d\" y=\"20\" class=\"legend\">", SVG_LEFT);
	xml_text(f, b->env.kernel);
	fprintf(f, ", ");
	xml_text(f, b->env.cpu);
	fprintf(f, ", %ld cores; bars: median of %u runs, whiskers: min to max</text>\n", b->env.cores, b->repeat);
	y = 30;
	for (size_t i = 0; i < np; i++) {
		if (pn[i].n_groups) {
			panel_draw(f, b, &pn[i], y);
			y += pn[i].height;
		}
		for (size_t k = 0; k < pn[i].n_labels; k++)
			free(pn[i].labels[k]);
		free(pn[i].labels);
		free(pn[i].groups);
		free(pn[i].gx);
	}
	fprintf(f, "</svg>\n");
	return ferror(f) ? -EIO : 0;
}
