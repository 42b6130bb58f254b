// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lab/cli.h"
#include "lab/commands.h"
#include "lab/diag.h"
#include "lab/model.h"
#include "lab/report.h"
#include "lab/rootless.h"
#include "lab/runner.h"
#include "lab/scenario.h"
#include "netns/ns.h"

struct run_cmd {
	struct run_opts opts;
	const char *json, *junit;
	bool tap, keep_on_fail, no_twins;
	struct report_text text;
	struct report_tap tapr;
	struct reporter rep;
	struct scenario_result **results;
	size_t n_results;
	bool build_error;
};

static void run_usage(FILE *f)
{
	fprintf(f, "Usage: %s run [OPTIONS] FILE|DIR...\n\n", prog_name);
	fprintf(f, "Builds each scenario (every *.lab of a DIR), runs its statements in order,\n");
	fprintf(f, "reports every expectation, then runs its twins, tearing down after each.\n\n");
	fprintf(f, "  --json FILE        write the JSON report\n");
	fprintf(f, "  --junit FILE       write a JUnit XML report\n");
	fprintf(f, "  --tap              TAP version 13 on stdout instead of the text report\n");
	fprintf(f, "  --keep-on-fail     keep a failing lab up for inspection (see `wglab list`)\n");
	fprintf(f, "  --artifacts DIR    save logs and captures there\n");
	fprintf(f, "  --capture          keep every capture, not only those of failures\n");
	fprintf(f, "  --timeout S        stop a scenario after S seconds\n");
	fprintf(f, "  --wg MODE          WireGuard data path: auto, kernel, userspace[=PATH]\n");
	fprintf(f, "  --no-twins         skip the twins\n");
	fprintf(f, "  -v                 show the evidence of passing expectations too\n\n");
	fprintf(f, "Exit status: 0 every expectation held, 1 one failed, 2 usage, scenario or\n");
	fprintf(f, "build error, 128+N interrupted by signal N.\n");
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void keep_result(struct run_cmd *rc, struct scenario_result *sr)
{
	struct scenario_result **v = realloc(rc->results, (rc->n_results + 1) * sizeof(*v));

	if (!v)
		abort();
	v[rc->n_results++] = sr;
	rc->results = v;
	if (sr->error)
		rc->build_error = true;
}

/* A scenario that could not be parsed still shows in every report. */
static void parse_failed(struct run_cmd *rc, const char *file, const struct diags *d, double ms)
{
	struct scenario_result *sr = calloc(1, sizeof(*sr));

	if (!sr)
		abort();
	sr->file = strdup(file);
	sr->name = strdup(file);
	sr->parse_ms = ms;
	if (asprintf(&sr->error, "%s:%u:%u: %s%s", d->first->file, d->first->line, d->first->col,
		     d->first->msg, d->n > 1 ? " (and more errors)" : "") < 0)
		abort();
	if (!rc->tap)
		report_text_scenario_end(&rc->text, sr);
	keep_result(rc, sr);
}

static void run_one(struct run_cmd *rc, struct lab *lab, const struct twin *twin, double parse_ms)
{
	struct scenario_result *sr;
	struct run *r = NULL;
	int err;

	err = run_new(&r, lab, twin, &rc->opts, &rc->rep);
	if (err < 0) {
		fprintf(stderr, "Unable to start a run of '%s': %s\n", lab->name, strerror(-err));
		rc->build_error = true;
		return;
	}
	run_steps(r);
	if (rc->keep_on_fail && !run_result(r)->passed && !run_interrupted) {
		err = run_publish(r, lab->name);
		if (err < 0) {
			fprintf(stderr, "Unable to keep lab '%s': %s\n", lab->name, strerror(-err));
		} else {
			if (rootless_active())
				fprintf(stderr, "\nLab '%s' kept for inspection: `%s exec %s NODE -- CMD` (without root "
						"`ip netns exec` cannot reach its nodes).  Ctrl-C or `%s down %s` tears it down.\n",
					lab->name, prog_name, lab->name, prog_name, lab->name);
			else
				fprintf(stderr, "\nLab '%s' kept for inspection: `%s exec %s NODE -- CMD`, "
						"`ip netns exec %s-NODE CMD`.  Ctrl-C or `%s down %s` tears it down.\n",
					lab->name, prog_name, lab->name, lab->name, prog_name, lab->name);
			run_hold(r);
		}
	}
	run_teardown(r);
	sr = run_take_result(r);
	run_free(r);
	sr->parse_ms = parse_ms;
	if (!rc->tap)
		report_text_scenario_end(&rc->text, sr);
	keep_result(rc, sr);
}

static int write_report(const char *path, int (*fn)(FILE *, const struct scenario_result *const *, size_t),
			struct run_cmd *rc)
{
	FILE *f = fopen(path, "we");
	int ret;

	if (!f) {
		fprintf(stderr, "Unable to write '%s': %s\n", path, strerror(errno));
		return -1;
	}
	ret = fn(f, (const struct scenario_result *const *)rc->results, rc->n_results);
	if (fclose(f) || ret < 0) {
		fprintf(stderr, "Unable to write '%s': %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static bool can_build(void)
{
	struct netns *ns;
	char why[512];

	if (rootless_enter(why, sizeof(why)) < 0) {
		fprintf(stderr, "%s\n", why);
		return false;
	}
	ns = netns_new();
	if (!ns) {
		fprintf(stderr, "Unable to create a network namespace: %s (wglab run needs root, or CAP_NET_ADMIN and CAP_SYS_ADMIN)\n",
			strerror(errno));
		return false;
	}
	netns_free(ns);
	return true;
}

int run_main(int argc, const char *argv[])
{
	static const struct option longopts[] = {
		{ "json", required_argument, NULL, 'j' },
		{ "junit", required_argument, NULL, 'J' },
		{ "tap", no_argument, NULL, 't' },
		{ "keep-on-fail", no_argument, NULL, 'k' },
		{ "artifacts", required_argument, NULL, 'a' },
		{ "capture", no_argument, NULL, 'c' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "wg", required_argument, NULL, 'w' },
		{ "no-twins", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct run_cmd rc = { 0 };
	size_t i, n = 0, passed, failed;
	char **files = NULL;
	int opt, ret = EXIT_PASS;

	rc.opts.wg = "auto";
	optind = 1;
	while ((opt = getopt_long(argc, (char *const *)argv, "+vh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			rc.json = optarg;
			break;
		case 'J':
			rc.junit = optarg;
			break;
		case 't':
			rc.tap = true;
			break;
		case 'k':
			rc.keep_on_fail = true;
			break;
		case 'a':
			rc.opts.artifacts = optarg;
			break;
		case 'c':
			rc.opts.capture = true;
			break;
		case 'T': {
			char *end;
			double s = strtod(optarg, &end);

			if (*end || s <= 0 || s > 86400) {
				fprintf(stderr, "Invalid timeout '%s': seconds, e.g. 60\n", optarg);
				return EXIT_USAGE;
			}
			rc.opts.timeout_ms = (unsigned int)(s * 1000);
			break;
		}
		case 'w':
			rc.opts.wg = optarg;
			break;
		case 'n':
			rc.no_twins = true;
			break;
		case 'v':
			rc.opts.verbose++;
			break;
		case 'h':
			run_usage(stdout);
			return EXIT_PASS;
		default:
			run_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		run_usage(stderr);
		return EXIT_USAGE;
	}
	if (cli_collect_files(argc - optind, argv + optind, &files, &n) < 0 || !n) {
		cli_free_files(files, n);
		return EXIT_USAGE;
	}
	if (!can_build()) {
		cli_free_files(files, n);
		return EXIT_USAGE;
	}
	run_install_signals();
	rc.text.f = stdout;
	rc.text.color = cli_color();
	rc.text.verbose = rc.opts.verbose;
	rc.tapr.f = stdout;
	if (rc.tap)
		report_tap_init(&rc.rep, &rc.tapr);
	else
		report_text_init(&rc.rep, &rc.text);
	for (i = 0; i < n && !run_interrupted; i++) {
		struct diags d = { 0 };
		struct lab *lab = NULL;
		double t0 = now_ms(), parse_ms;

		if (scenario_load(files[i], &lab, &d) < 0) {
			parse_ms = now_ms() - t0;
			cli_print_diags(stderr, &d);
			parse_failed(&rc, files[i], &d, parse_ms);
			diag_free(&d);
			continue;
		}
		parse_ms = now_ms() - t0;
		run_one(&rc, lab, NULL, parse_ms);
		for (struct twin *t = lab->first_twin; t && !rc.no_twins && !run_interrupted; t = t->next)
			run_one(&rc, lab, t, parse_ms);
		lab_free(lab);
	}
	if (rc.tap)
		report_tap_finish(&rc.tapr, (const struct scenario_result *const *)rc.results, rc.n_results);
	if (rc.json && write_report(rc.json, report_json_write, &rc) < 0)
		ret = EXIT_USAGE;
	if (rc.junit && write_report(rc.junit, report_junit_write, &rc) < 0)
		ret = EXIT_USAGE;
	report_totals((const struct scenario_result *const *)rc.results, rc.n_results, &passed, &failed);
	printf("%s%zu passed, %zu failed\n", rc.tap ? "# " : "", passed, failed);
	if (run_interrupted)
		ret = 128 + run_interrupted;
	else if (rc.build_error)
		ret = EXIT_USAGE;
	else if (failed && ret == EXIT_PASS)
		ret = EXIT_FAILED;
	for (i = 0; i < rc.n_results; i++)
		scenario_result_free(rc.results[i]);
	free(rc.results);
	cli_free_files(files, n);
	return ret;
}
