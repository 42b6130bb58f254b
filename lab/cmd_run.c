// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab/cli.h"
#include "lab/commands.h"
#include "lab/host/journal.h"
#include "lab/host/labdir.h"
#include "lab/host/rootless.h"
#include "lab/host/safedir.h"
#include "lab/lang/diag.h"
#include "lab/lang/model.h"
#include "lab/lang/scenario.h"
#include "lab/report/report.h"
#include "lab/run/interrupt.h"
#include "lab/run/jobs.h"
#include "lab/run/runner.h"
#include "netns/ns.h"
#include "netns/util/esc.h"
#include "netns/util/now.h"
#include "netns/util/xalloc.h"

struct run_cmd {
	struct run_opts opts;
	const char *json, *junit;
	struct cli_out json_out, junit_out;
	bool tap, keep_on_fail, no_twins;
	unsigned int jobs;
	unsigned int shard, shards;	/* shard I of N (1-based), 0: all */
	bool probed, cannot_build;
	bool quiet;			/* a --jobs worker: no live report */
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
	fprintf(f, "                     (userspace: one wglab-wghost for every interface;\n");
	fprintf(f, "                     PATH, e.g. wireguard-go: a PATH per interface)\n");
	fprintf(f, "  --no-twins         skip the twins\n");
	fprintf(f, "  --jobs N           run N scenarios at once (each in a process of its own)\n");
	fprintf(f, "  --shard I/N        run only the I-th of N deterministic shares of the files\n");
	fprintf(f, "  --summary          text report of failures only (at most %d per scenario, one\n", REPORT_SUMMARY_FAILS);
	fprintf(f, "                     line each) and each scenario's closing line\n");
	fprintf(f, "  --raise-host-limits  raise the host-wide limits the lab needs (neighbour\n");
	fprintf(f, "                     tables, conntrack, threads) instead of refusing to build\n");
	fprintf(f, "  -v                 show the evidence of passing expectations too\n\n");
	fprintf(f, "Exit status: 0 every expectation held, 1 one failed, 2 usage, scenario or\n");
	fprintf(f, "build error, 128+N interrupted by signal N.\n");
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void keep_result(struct run_cmd *rc, struct scenario_result *sr)
{
	struct scenario_result **v = xrealloc(rc->results, (rc->n_results + 1) * sizeof(*v));

	v[rc->n_results++] = sr;
	rc->results = v;
	if (sr->error)
		rc->build_error = true;
}

/* A scenario that could not be parsed still shows in every report. */
static void parse_failed(struct run_cmd *rc, const char *file, const struct diags *d, double ms)
{
	struct scenario_result *sr = xcalloc(1, sizeof(*sr));

	sr->file = xstrdup(file);
	sr->name = xstrdup(file);
	sr->parse_ms = ms;
	sr->error = xasprintf("%s:%u:%u: %s%s", d->first->file, d->first->line, d->first->col,
			      d->first->msg, d->n > 1 ? " (and more errors)" : "");
	if (!rc->tap && !rc->quiet)
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
			fprintf(stderr, "Unable to keep lab '%s': %s\n", lab->name,
				run_last_error(r) ? run_last_error(r) : strerror(-err));
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
	if (!rc->tap && !rc->quiet)
		report_text_scenario_end(&rc->text, sr);
	keep_result(rc, sr);
}

/* Without root: a user namespace of wglab's own first (lab/host/rootless.c). */
static bool can_build(void)
{
	struct netns *ns;
	char why[512];

	if (rootless_enter(why, sizeof(why)) < 0) {
		fprintf(stderr, "%s\n", why);
		return false;
	}
	ns = netns_new(0);
	if (!ns) {
		fprintf(stderr, "Unable to create a network namespace: %s (wglab run needs root, or CAP_NET_ADMIN and CAP_SYS_ADMIN)\n",
			strerror(errno));
		return false;
	}
	netns_free(ns);
	return true;
}

/* One file: the scenario, then its twins. */
static void run_file(struct run_cmd *rc, const char *path)
{
	struct diags d = { 0 };
	struct lab *lab = NULL;
	double t0 = now_us() / 1e3, parse_ms;

	if (scenario_load(path, &lab, &d) < 0) {
		parse_ms = now_us() / 1e3 - t0;
		cli_print_diags(stderr, &d);
		parse_failed(rc, path, &d, parse_ms);
		diag_free(&d);
		return;
	}
	parse_ms = now_us() / 1e3 - t0;
	/* Probed once there is something to build: a malformed scenario
	 * makes no namespace at all. */
	if (!rc->probed && !can_build()) {
		rc->cannot_build = true;
		lab_free(lab);
		return;
	}
	rc->probed = true;
	run_one(rc, lab, NULL, parse_ms);
	for (struct twin *t = lab->first_twin; t && !rc->no_twins && !run_interrupted; t = t->next)
		run_one(rc, lab, t, parse_ms);
	lab_free(lab);
}

static int write_report(struct cli_out *out, int (*fn)(FILE *, const struct scenario_result *const *, size_t),
			struct run_cmd *rc)
{
	return cli_out_results(out, fn, (const struct scenario_result *const *)rc->results, rc->n_results);
}

/* What the run writes on the host, opened and verified before anything
 * runs (and before a rootless run enters its user namespace): the
 * reports' directories, the artifacts directory, the run journal and the
 * lab records.  Prints why and returns false when one is refused. */
static bool prepare_host(struct run_cmd *rc)
{
	char why[1024] = "";
	int fd;

	rc->json_out.dirfd = rc->junit_out.dirfd = -1;
	rc->json_out.fd = rc->junit_out.fd = -1;
	rc->opts.artifacts_fd = -1;
	if (rc->json && cli_out_prepare(&rc->json_out, rc->json, "JSON report") < 0)
		return false;
	if (rc->junit && cli_out_prepare(&rc->junit_out, rc->junit, "JUnit report") < 0)
		return false;
	if (!rc->opts.artifacts && !rc->keep_on_fail)
		return true;
	if (labdir_prepare(why, sizeof(why)) < 0) {
		fprintf(stderr, "Unable to use '%s' for the run journal and lab records: %s\n", labdir_root(), why);
		return false;
	}
	if (!rc->opts.artifacts)
		return true;
	fd = safedir_open(rc->opts.artifacts, SAFEDIR_CREATE, why, sizeof(why));
	if (fd < 0) {
		char *shown = esc_dup(rc->opts.artifacts, 0);

		fprintf(stderr, "Unable to use '%s' for artifacts: %s\n", shown, why[0] ? why : strerror(-fd));
		free(shown);
		return false;
	}
	rc->opts.artifacts_fd = fd;
	return true;
}

/* Shard I of N: the files at positions I-1, I-1+N, ... of the sorted list,
 * the same on every machine for the same tree. */
static void take_shard(char ***files, size_t *n, unsigned int shard, unsigned int shards)
{
	char **v = *files;
	size_t k = 0;

	qsort(v, *n, sizeof(*v), cmp_str);
	for (size_t i = 0; i < *n; i++) {
		if (i % shards == shard - 1)
			v[k++] = v[i];
		else
			free(v[i]);
	}
	*n = k;
}

/* A worker runs one file and writes its results as JSON; the parent
 * reports them in file order as the workers finish. */
struct run_jobs {
	struct run_cmd *rc;
	char **files;
};

static int job_work(size_t i, int outfd, void *data)
{
	static const struct reporter quiet = { 0 };
	struct run_jobs *rj = data;
	struct run_cmd *rc = rj->rc;
	FILE *f;

	rc->quiet = true;
	rc->rep = quiet;
	/* Only this file's results: not those the parent had when it forked. */
	rc->results = NULL;
	rc->n_results = 0;
	run_file(rc, rj->files[i]);
	f = fdopen(outfd, "w");
	if (!f || report_json_write(f, (const struct scenario_result *const *)rc->results,
				    rc->n_results) < 0 || fclose(f))
		return 2;
	return rc->cannot_build ? 3 : 0;
}

static void job_done(size_t i, int outfd, int status, void *data)
{
	struct run_jobs *rj = data;
	struct run_cmd *rc = rj->rc;
	const char *path = rj->files[i];
	struct scenario_result **v = NULL;
	size_t n = 0;
	char err[256], *text = NULL;
	struct stat st;

	if (!fstat(outfd, &st) && st.st_size > 0) {
		text = xmalloc((size_t)st.st_size);
		if (pread(outfd, text, (size_t)st.st_size, 0) != st.st_size ||
		    report_json_read(text, (size_t)st.st_size, &v, &n, err, sizeof(err)) < 0)
			n = 0;
	}
	free(text);
	if (!n) {
		struct scenario_result *sr = xcalloc(1, sizeof(*sr));

		sr->file = xstrdup(path);
		sr->name = xstrdup(path);
		sr->error = xasprintf("%s: the worker running it died (%s %d)", path,
				      WIFSIGNALED(status) ? "signal" : "exit status",
				      WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
		v = xcalloc(1, sizeof(*v));
		v[0] = sr;
		n = 1;
	}
	/* The same report as a serial run gives, one scenario at a time. */
	for (size_t k = 0; k < n; k++) {
		if (rc->rep.begin)
			rc->rep.begin(rc->rep.data, v[k]);
		for (size_t m = 0; m < v[k]->n_results && rc->rep.result; m++)
			rc->rep.result(rc->rep.data, v[k], &v[k]->results[m]);
		if (!rc->tap)
			report_text_scenario_end(&rc->text, v[k]);
		keep_result(rc, v[k]);
	}
	free(v);
}

static void run_jobs(struct run_cmd *rc, char **files, size_t n)
{
	struct run_jobs rj = { .rc = rc, .files = files };
	struct jobs j = { .n = n, .max = rc->jobs, .work = job_work, .done = job_done, .data = &rj };
	int err = jobs_run(&j);

	if (err < 0) {
		fprintf(stderr, "Unable to start a worker: %s\n", strerror(-err));
		run_interrupted = SIGTERM;
	}
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
		{ "summary", no_argument, NULL, 'S' },
		{ "raise-host-limits", no_argument, NULL, 'R' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "wg", required_argument, NULL, 'w' },
		{ "no-twins", no_argument, NULL, 'n' },
		{ "jobs", required_argument, NULL, 'p' },
		{ "shard", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct run_cmd rc = { 0 };
	size_t i, n = 0, passed, failed;
	char **files = NULL;
	int opt, ret = EXIT_PASS;

	rc.opts.wg = "auto";
	optind = 1;
	while ((opt = getopt_long(argc, (char *const *)argv, "vh", longopts, NULL)) != -1) {
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
		case 'S':
			rc.text.summary = true;
			break;
		case 'R':
			rc.opts.raise_limits = true;
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
			if (!cli_wg_mode_ok(optarg))
				return EXIT_USAGE;
			rc.opts.wg = optarg;
			break;
		case 'n':
			rc.no_twins = true;
			break;
		case 'p': {
			char *end;
			unsigned long j = strtoul(optarg, &end, 10);

			if (*end || !j || j > 64) {
				fprintf(stderr, "Invalid --jobs '%s': 1 to 64\n", optarg);
				return EXIT_USAGE;
			}
			rc.jobs = (unsigned int)j;
			break;
		}
		case 's':
			if (sscanf(optarg, "%u/%u", &rc.shard, &rc.shards) != 2 || !rc.shards ||
			    !rc.shard || rc.shard > rc.shards) {
				fprintf(stderr, "Invalid --shard '%s': I/N with 1 <= I <= N\n", optarg);
				return EXIT_USAGE;
			}
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
	if (rc.keep_on_fail && rc.jobs > 1) {
		fprintf(stderr, "--keep-on-fail keeps one lab: use it without --jobs\n");
		cli_free_files(files, n);
		return EXIT_USAGE;
	}
	if (rc.shards)
		take_shard(&files, &n, rc.shard, rc.shards);
	if (!prepare_host(&rc)) {
		ret = EXIT_USAGE;
		goto cleanup;
	}
	/* What dead runs left is removed before this one starts. */
	journal_reap(false);
	run_install_signals();
	rc.text.f = stdout;
	rc.text.color = cli_color();
	rc.text.verbose = rc.opts.verbose;
	rc.tapr.f = stdout;
	if (rc.tap)
		report_tap_init(&rc.rep, &rc.tapr);
	else
		report_text_init(&rc.rep, &rc.text);
	if (rc.jobs > 1)
		run_jobs(&rc, files, n);
	else
		for (i = 0; i < n && !run_interrupted && !rc.cannot_build; i++)
			run_file(&rc, files[i]);
	if (rc.cannot_build && !rc.n_results) {
		/* Nothing ran: the one line above says why. */
		ret = EXIT_USAGE;
		goto cleanup;
	}
	if (rc.tap)
		report_tap_finish(&rc.tapr, (const struct scenario_result *const *)rc.results, rc.n_results);
	if (rc.json && write_report(&rc.json_out, report_json_write, &rc) < 0)
		ret = EXIT_USAGE;
	if (rc.junit && write_report(&rc.junit_out, report_junit_write, &rc) < 0)
		ret = EXIT_USAGE;
	report_totals((const struct scenario_result *const *)rc.results, rc.n_results, &passed, &failed);
	printf("%s%zu passed, %zu failed\n", rc.tap ? "# " : "", passed, failed);
	if (run_interrupted)
		ret = 128 + run_interrupted;
	else if (rc.build_error || rc.cannot_build)
		ret = EXIT_USAGE;
	else if (failed && ret == EXIT_PASS)
		ret = EXIT_FAILED;
cleanup:
	cli_out_free(&rc.json_out);
	cli_out_free(&rc.junit_out);
	if (rc.opts.artifacts && rc.opts.artifacts_fd >= 0)
		close(rc.opts.artifacts_fd);
	for (i = 0; i < rc.n_results; i++)
		scenario_result_free(rc.results[i]);
	free(rc.results);
	cli_free_files(files, n);
	return ret;
}
