// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * wglab mutate FILE...: mutation testing for labs.  Each mutant
 * (lab/mutate/mutant.h) runs the scenario, without its twins, through the
 * runner in a process of its own (lab/run/jobs.h), stopping at the first
 * failure but still evaluating the negative expectations; a mutant is
 * killed (by the first result that failed, or by a build error), survived,
 * invalid (the text no longer validates), timed out (--timeout stopped it:
 * not a kill) or not run (its worker died).  The last two leave the mutant
 * unjudged, so they make the exit status 2.  Mutants take the unmutated
 * run's decisions of where the lab listens itself (run_opts.listens): a
 * kill is the network's, not wglab's listener turned on or off.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab/cli.h"
#include "lab/commands.h"
#include "lab/host/journal.h"
#include "lab/lang/diag.h"
#include "lab/lang/model.h"
#include "lab/lang/scenario.h"
#include "lab/mutate/mutant.h"
#include "lab/report/report.h"
#include "lab/run/interrupt.h"
#include "lab/run/jobs.h"
#include "lab/run/runner.h"
#include "netns/util/now.h"
#include "netns/util/xalloc.h"

enum outcome { MUT_INVALID, MUT_KILLED, MUT_SURVIVED, MUT_NOT_RUN, MUT_TIMED_OUT };

static const char *const outcome_name[] = { "invalid", "killed", "survived", "not run", "timed out" };

struct mres {
	enum outcome o;
	char *by;			/* killed: "file:line: text", invalid: the error */
};

struct negative {
	unsigned int line;
	char *text;
	bool failed;			/* some mutant made it fail */
};

struct mfile {
	const char *path;
	char *text;
	size_t len;
	struct mutants ms;
	struct mres *res;
	struct negative *neg;
	size_t n_neg;
	size_t included;		/* statements of included files, not mutated */
	char *included_file;		/* the first of those files */
	size_t killed, survived, marked, invalid, not_run, timed_out;
	bool base_failed;
	char *base_error;
};

struct mutate_cmd {
	struct run_opts opts;
	unsigned int jobs;
	const char *json, *junit;
	struct mfile *cur;
	size_t *map;			/* job -> mutant index; SIZE_MAX: the unmutated run */
	int listen_fd;			/* the unmutated run's run_listened(), from its worker */
	struct run_listen *listens;	/* ... as read from it, for the mutants */
};

static void mutate_usage(FILE *f)
{
	fprintf(f, "Usage: %s mutate [OPTIONS] FILE...\n\n", prog_name);
	fprintf(f, "Runs each scenario once per mutant: without one statement (expectations\n");
	fprintf(f, "aside), without one line of a firewall, nft, wg-quick or run block, with\n");
	fprintf(f, "ACCEPT and DROP swapped, a port off by one, or another peer's key.  A mutant\n");
	fprintf(f, "no expectation notices survived: its line is asserted by nothing.  Mark a line\n");
	fprintf(f, "kept on purpose with a comment above it: # mutate-keep: REASON\n\n");
	fprintf(f, "  --jobs N           run N mutants at once (each in a process of its own)\n");
	fprintf(f, "  --json FILE        write the mutants and their outcome as JSON\n");
	fprintf(f, "  --junit FILE       one testcase per mutant (an unmarked survivor fails)\n");
	fprintf(f, "  --wg MODE          WireGuard data path: auto, kernel, userspace[=PATH]\n");
	fprintf(f, "                     (userspace: one wglab-wghost for every interface;\n");
	fprintf(f, "                     PATH, e.g. wireguard-go: a PATH per interface)\n");
	fprintf(f, "  --timeout S        stop a mutant after S seconds\n\n");
	fprintf(f, "Exit status: 0 no unmarked survivor, 1 one survived (or the unmutated\n");
	fprintf(f, "scenario fails), 2 usage or scenario errors, or a mutant not run or timed\n");
	fprintf(f, "out, 128+N interrupted by signal N.\n");
}

static bool keep_negative(const struct stmt *s, void *data)
{
	(void)data;
	return s->kind == STMT_EXPECT && s->expect.negate;
}

/* In the worker: builds and runs one text, writes its result as JSON. */
static int mutant_work(size_t i, int fd, void *data)
{
	static const struct reporter quiet = { 0 };
	struct mutate_cmd *mc = data;
	struct mfile *mf = mc->cur;
	size_t k = mc->map[i], len = mf->ms.base_len;
	char *text = k == SIZE_MAX ? xstrdup(mf->ms.base) : mutate_apply(&mf->ms, &mf->ms.v[k], &len);
	struct scenario_result *sr;
	struct diags d = { 0 };
	struct lab *lab = NULL;
	struct run *r = NULL;
	FILE *f;

	if (scenario_load_text(mf->path, text, len, &lab, &d) < 0)
		return 2;
	if (run_new(&r, lab, NULL, &mc->opts, &quiet) < 0)
		return 2;
	run_steps(r);
	run_teardown(r);
	if (k == SIZE_MAX) {
		size_t n;
		const struct run_listen *l = run_listened(r, &n);

		if (n && pwrite(mc->listen_fd, l, n * sizeof(*l), 0) != (ssize_t)(n * sizeof(*l)))
			return 2;
	}
	sr = run_take_result(r);
	run_free(r);
	f = fdopen(fd, "w");
	if (!f || report_json_write(f, (const struct scenario_result *const *)&sr, 1) < 0 || fclose(f))
		return 2;
	return 0;
}

static struct scenario_result *read_result(int fd)
{
	struct scenario_result **v = NULL, *sr = NULL;
	char err[256], *text;
	struct stat st;
	size_t n = 0;

	if (fstat(fd, &st) || st.st_size <= 0)
		return NULL;
	text = xmalloc((size_t)st.st_size);
	if (pread(fd, text, (size_t)st.st_size, 0) == st.st_size &&
	    !report_json_read(text, (size_t)st.st_size, &v, &n, err, sizeof(err)) && n) {
		sr = v[0];
		for (size_t i = 1; i < n; i++)
			scenario_result_free(v[i]);
	}
	free(v);
	free(text);
	return sr;
}

static void mutant_done(size_t i, int fd, int status, void *data)
{
	struct mutate_cmd *mc = data;
	struct mfile *mf = mc->cur;
	size_t k = mc->map[i];
	struct scenario_result *sr = read_result(fd);
	struct mres *m = k == SIZE_MAX ? NULL : &mf->res[k];
	const struct result *first = NULL;

	if (!sr) {
		char *why = xasprintf("the worker died (%s %d)", WIFSIGNALED(status) ? "signal" : "exit status",
				      WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));

		if (!m) {
			mf->base_failed = true;
			mf->base_error = why;
		} else {
			m->o = MUT_NOT_RUN;
			m->by = why;
		}
		return;
	}
	for (size_t r = 0; r < sr->n_results; r++) {
		const struct result *v = &sr->results[r];

		if (v->passed || v->skipped)
			continue;
		if (!first)
			first = v;
		for (size_t n = 0; m && n < mf->n_neg; n++)
			if (mf->neg[n].line == v->line && v->file && !strcmp(v->file, mf->path))
				mf->neg[n].failed = true;
	}
	if (!m) {
		mf->base_failed = !sr->passed;
		if (sr->error)
			mf->base_error = xstrdup(sr->error);
		else if (first)
			mf->base_error = xasprintf("%s:%u: %s failed: %s", first->file, first->line, first->text,
						   first->evidence ? first->evidence : "");
	} else if (sr->timed_out) {
		/* A mutant the limit stopped is not known to be killed: its
		 * last waits were cut short, its later lines never ran. */
		m->o = MUT_TIMED_OUT;
		m->by = sr->error ? xstrdup(sr->error) :
			first ? xasprintf("%s:%u: %s: cut short by the time limit", first->file, first->line, first->text) :
				xstrdup("the time limit ran out");
	} else if (sr->error) {
		m->o = MUT_KILLED;
		m->by = xasprintf("build error: %s", sr->error);
	} else if (first) {
		m->o = MUT_KILLED;
		m->by = xasprintf("%s:%u: %s", first->file, first->line, first->text);
	} else if (sr->passed) {
		m->o = MUT_SURVIVED;
	} else {
		m->o = MUT_NOT_RUN;
		m->by = xstrdup("no result failed, yet the run did not pass");
	}
	if (m) {
		const struct mutant *mu = &mf->ms.v[k];

		fprintf(stderr, "  [%zu/%zu] %s:%u %s: %s%s%s\n", k + 1, mf->ms.n, mf->path, mu->line, mu->what,
			outcome_name[m->o], !m->by ? "" : m->o == MUT_KILLED ? " by " : ": ", m->by ? m->by : "");
	}
	scenario_result_free(sr);
}

static int read_text(const char *path, char **ret, size_t *ret_len)
{
	FILE *f = fopen(path, "re");
	size_t cap = 4096, n = 0, got;
	char *buf;

	if (!f)
		return -errno;
	buf = xmalloc(cap);
	while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (n + 1 == cap)
			buf = xrealloc(buf, cap *= 2);
	}
	fclose(f);
	buf[n] = '\0';
	*ret = buf;
	*ret_len = n;
	return 0;
}

/* What the unmutated run decided of the lab's own listeners, for the
 * mutants' options. */
static void read_listens(struct mutate_cmd *mc)
{
	struct stat st;
	size_t n;

	if (fstat(mc->listen_fd, &st) || st.st_size <= 0)
		return;
	n = (size_t)st.st_size / sizeof(*mc->listens);
	mc->listens = xcalloc(n, sizeof(*mc->listens));
	if (pread(mc->listen_fd, mc->listens, n * sizeof(*mc->listens), 0) != (ssize_t)(n * sizeof(*mc->listens))) {
		free(mc->listens);
		mc->listens = NULL;
		return;
	}
	mc->opts.listens = mc->listens;
	mc->opts.n_listens = n;
}

static int run_batch(struct mutate_cmd *mc, size_t n)
{
	struct jobs j = { .n = n, .max = mc->jobs, .work = mutant_work, .done = mutant_done, .data = mc };

	return jobs_run(&j);
}

/* Returns an exit status for this file. */
static int mutate_file(struct mutate_cmd *mc, struct mfile *mf)
{
	struct diags d = { 0 };
	struct lab *lab = NULL;
	size_t n = 0;
	int err;

	err = read_text(mf->path, &mf->text, &mf->len);
	if (err < 0) {
		fprintf(stderr, "Unable to read '%s': %s\n", mf->path, strerror(-err));
		return EXIT_USAGE;
	}
	if (scenario_load_text(mf->path, mf->text, mf->len, &lab, &d) < 0 ||
	    mutate_plan(mf->path, mf->text, mf->len, lab, &mf->ms, &d) < 0) {
		cli_print_diags(stderr, &d);
		diag_free(&d);
		lab_free(lab);
		return EXIT_USAGE;
	}
	for (const struct stmt *s = lab->first_stmt; s; s = s->next) {
		/* What included files say is theirs: not mutated here. */
		if (s->loc.file && strcmp(s->loc.file, mf->path) && s->kind != STMT_EXPECT) {
			if (!mf->included++)
				mf->included_file = xstrdup(s->loc.file);
			continue;
		}
		if (s->kind != STMT_EXPECT || !s->expect.negate || strcmp(s->loc.file, mf->path) ||
		    lab_twin_adds(lab, s) || lab_twin_fails(lab, s))
			continue;
		mf->neg = xrealloc(mf->neg, (mf->n_neg + 1) * sizeof(*mf->neg));
		mf->neg[mf->n_neg].line = s->loc.line;
		mf->neg[mf->n_neg].text = xstrdup(s->expect.text ? s->expect.text : "");
		mf->neg[mf->n_neg++].failed = false;
	}
	lab_free(lab);
	mf->res = xcalloc(mf->ms.n + 1, sizeof(*mf->res));
	mc->cur = mf;
	mc->map = xcalloc(mf->ms.n + 1, sizeof(*mc->map));

	/* The scenario as it is must pass first: else nothing is learned. */
	fprintf(stderr, "%s: %zu mutants; the unmutated scenario first\n", mf->path, mf->ms.n);
	mc->map[0] = SIZE_MAX;
	if (ftruncate(mc->listen_fd, 0) < 0)
		return EXIT_USAGE;
	run_batch(mc, 1);
	if (mf->base_failed || run_interrupted) {
		if (!run_interrupted)
			printf("%s: the scenario fails unmutated, nothing mutated: %s\n", mf->path,
			       mf->base_error ? mf->base_error : "(no reason given)");
		return run_interrupted ? 128 + run_interrupted : EXIT_FAILED;
	}
	/* A mutant changes the network, not where wglab listens itself. */
	read_listens(mc);
	/* Invalid mutants are known without running them. */
	for (size_t k = 0; k < mf->ms.n; k++) {
		size_t len;
		char *text = mutate_apply(&mf->ms, &mf->ms.v[k], &len);
		struct diags md = { 0 };
		struct lab *ml = NULL;

		if (scenario_load_text(mf->path, text, len, &ml, &md) < 0) {
			mf->res[k].o = MUT_INVALID;
			mf->res[k].by = md.first ? xasprintf("%s:%u:%u: %s", md.first->file, md.first->line,
							     md.first->col, md.first->msg) : xstrdup("invalid");
		} else {
			mc->map[n++] = k;
		}
		diag_free(&md);
		lab_free(ml);
		free(text);
	}
	run_batch(mc, n);
	for (size_t k = 0; k < mf->ms.n; k++) {
		switch (mf->res[k].o) {
		case MUT_KILLED:
			mf->killed++;
			break;
		case MUT_INVALID:
			mf->invalid++;
			break;
		case MUT_SURVIVED:
			if (mf->ms.v[k].keep)
				mf->marked++;
			else
				mf->survived++;
			break;
		case MUT_NOT_RUN:
			mf->not_run++;
			break;
		case MUT_TIMED_OUT:
			mf->timed_out++;
			break;
		}
	}
	if (run_interrupted)
		return 128 + run_interrupted;
	/* A mutant not judged leaves the question open: not a pass. */
	if (mf->not_run || mf->timed_out)
		return EXIT_USAGE;
	return mf->survived ? EXIT_FAILED : EXIT_PASS;
}

static void print_file(const struct mfile *mf)
{
	if (!mf->res)
		return;
	printf("%s: %zu/%zu killed, %zu survived, %zu kept on purpose, %zu invalid", mf->path, mf->killed,
	       mf->ms.n - mf->invalid, mf->survived, mf->marked, mf->invalid);
	if (mf->timed_out)
		printf(", %zu timed out", mf->timed_out);
	if (mf->not_run)
		printf(", %zu not run", mf->not_run);
	printf("\n");
	for (size_t k = 0; k < mf->ms.n; k++) {
		const struct mutant *m = &mf->ms.v[k];

		if (mf->res[k].o == MUT_SURVIVED && !m->keep)
			printf("  SURVIVED %s:%u: %s: %s\n", mf->path, m->line, m->what, m->orig);
		else if (mf->res[k].o == MUT_NOT_RUN || mf->res[k].o == MUT_TIMED_OUT)
			printf("  %-8s %s:%u: %s: %s (%s)\n", mf->res[k].o == MUT_NOT_RUN ? "NOT RUN" : "TIMEOUT",
			       mf->path, m->line, m->what, m->orig, mf->res[k].by ? mf->res[k].by : "");
	}
	for (size_t k = 0; k < mf->ms.n; k++) {
		const struct mutant *m = &mf->ms.v[k];

		if (mf->res[k].o == MUT_SURVIVED && m->keep)
			printf("  kept     %s:%u: %s: %s -- %s\n", mf->path, m->line, m->what, m->orig, m->keep);
	}
	for (size_t n = 0; n < mf->n_neg; n++)
		if (!mf->neg[n].failed)
			printf("  possibly vacuous: %s:%u: %s (no mutant made it fail)\n", mf->path, mf->neg[n].line,
			       mf->neg[n].text);
	if (mf->included)
		printf("  note: %zu statement%s of included files (the first in %s) not mutated: only %s's own lines are\n",
		       mf->included, mf->included == 1 ? "" : "s", mf->included_file, mf->path);
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	report_json_string(f, s);
	fputc('"', f);
}

static int write_json(FILE *f, const struct mfile *v, size_t n)
{
	fprintf(f, "{\"files\":[");
	for (size_t i = 0; i < n; i++) {
		const struct mfile *mf = &v[i];

		fprintf(f, "%s{\"file\":", i ? "," : "");
		json_str(f, mf->path);
		fprintf(f, ",\"unmutated_passed\":%s,\"killed\":%zu,\"survived\":%zu,\"kept\":%zu,\"invalid\":%zu,"
			   "\"timed_out\":%zu,\"not_run\":%zu,\"mutants\":[", mf->res && !mf->base_failed ? "true" : "false",
			mf->killed, mf->survived, mf->marked, mf->invalid, mf->timed_out, mf->not_run);
		for (size_t k = 0; mf->res && !mf->base_failed && k < mf->ms.n; k++) {
			const struct mutant *m = &mf->ms.v[k];

			fprintf(f, "%s{\"line\":%u,\"last\":%u,\"what\":", k ? "," : "", m->line, m->last);
			json_str(f, m->what);
			fprintf(f, ",\"text\":");
			json_str(f, m->orig);
			fprintf(f, ",\"outcome\":\"%s\",\"by\":", outcome_name[mf->res[k].o]);
			if (mf->res[k].by)
				json_str(f, mf->res[k].by);
			else
				fprintf(f, "null");
			fprintf(f, ",\"keep\":");
			if (m->keep)
				json_str(f, m->keep);
			else
				fprintf(f, "null");
			fprintf(f, "}");
		}
		fprintf(f, "],\"possibly_vacuous\":[");
		for (size_t k = 0, c = 0; k < mf->n_neg; k++) {
			if (mf->neg[k].failed)
				continue;
			fprintf(f, "%s{\"line\":%u,\"text\":", c++ ? "," : "", mf->neg[k].line);
			json_str(f, mf->neg[k].text);
			fprintf(f, "}");
		}
		fprintf(f, "]}");
	}
	fprintf(f, "]}\n");
	return ferror(f) ? -EIO : 0;
}

static int write_junit(FILE *f, const struct mfile *v, size_t n)
{
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
	for (size_t i = 0; i < n; i++) {
		const struct mfile *mf = &v[i];

		fprintf(f, "<testsuite name=\"mutate ");
		report_xml_string(f, mf->path);
		fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\">\n", mf->res ? mf->ms.n : 0,
			mf->survived, mf->not_run + mf->timed_out);
		for (size_t k = 0; mf->res && k < mf->ms.n; k++) {
			const struct mutant *m = &mf->ms.v[k];
			char *name = xasprintf("%s:%u %s: %s", mf->path, m->line, m->what, m->orig);

			fprintf(f, "  <testcase name=\"");
			report_xml_string(f, name);
			fprintf(f, "\">");
			if (mf->res[k].o == MUT_SURVIVED && !m->keep) {
				fprintf(f, "<failure message=\"survived: no expectation depends on this line\"/>");
			} else if (mf->res[k].o == MUT_NOT_RUN || mf->res[k].o == MUT_TIMED_OUT) {
				fprintf(f, "<error message=\"%s: ", outcome_name[mf->res[k].o]);
				report_xml_string(f, mf->res[k].by ? mf->res[k].by : "");
				fprintf(f, "\"/>");
			} else if (mf->res[k].o == MUT_SURVIVED || mf->res[k].o == MUT_INVALID) {
				fprintf(f, "<skipped message=\"");
				report_xml_string(f, mf->res[k].o == MUT_SURVIVED ? m->keep : outcome_name[mf->res[k].o]);
				fprintf(f, "\"/>");
			}
			fprintf(f, "</testcase>\n");
			free(name);
		}
		fprintf(f, "</testsuite>\n");
	}
	fprintf(f, "</testsuites>\n");
	return ferror(f) ? -EIO : 0;
}

int mutate_main(int argc, const char *argv[])
{
	static const struct option longopts[] = {
		{ "jobs", required_argument, NULL, 'p' },
		{ "json", required_argument, NULL, 'j' },
		{ "junit", required_argument, NULL, 'J' },
		{ "wg", required_argument, NULL, 'w' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct mutate_cmd mc = { .jobs = 1 };
	struct cli_out json_out = { .dirfd = -1, .fd = -1 }, junit_out = { .dirfd = -1, .fd = -1 };
	struct mfile *files;
	FILE *f;
	uint64_t t0 = now_ms();
	size_t nfiles;
	int opt, ret = EXIT_PASS;

	mc.opts.wg = "auto";
	mc.opts.stop_at_fail = true;
	mc.opts.keep_going = keep_negative;
	optind = 1;
	while ((opt = getopt_long(argc, (char *const *)argv, "h", longopts, NULL)) != -1) {
		char *end;

		switch (opt) {
		case 'p': {
			unsigned long j = strtoul(optarg, &end, 10);

			if (*end || !j || j > 64) {
				fprintf(stderr, "Invalid --jobs '%s': 1 to 64\n", optarg);
				return EXIT_USAGE;
			}
			mc.jobs = (unsigned int)j;
			break;
		}
		case 'j':
			mc.json = optarg;
			break;
		case 'J':
			mc.junit = optarg;
			break;
		case 'w':
			if (!cli_wg_mode_ok(optarg))
				return EXIT_USAGE;
			mc.opts.wg = optarg;
			break;
		case 'T': {
			double s = strtod(optarg, &end);

			if (*end || s <= 0 || s > 86400) {
				fprintf(stderr, "Invalid timeout '%s': seconds, e.g. 60\n", optarg);
				return EXIT_USAGE;
			}
			mc.opts.timeout_ms = (unsigned int)(s * 1000);
			break;
		}
		case 'h':
			mutate_usage(stdout);
			return EXIT_PASS;
		default:
			mutate_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		mutate_usage(stderr);
		return EXIT_USAGE;
	}
	/* The reports' places are checked before any mutant runs. */
	if ((mc.json && cli_out_prepare(&json_out, mc.json, "JSON report") < 0) ||
	    (mc.junit && cli_out_prepare(&junit_out, mc.junit, "JUnit report") < 0)) {
		cli_out_free(&json_out);
		cli_out_free(&junit_out);
		return EXIT_USAGE;
	}
	mc.listen_fd = memfd_create("wglab-listens", MFD_CLOEXEC);
	if (mc.listen_fd < 0) {
		fprintf(stderr, "Unable to make a memfd: %s\n", strerror(errno));
		cli_out_free(&json_out);
		cli_out_free(&junit_out);
		return EXIT_USAGE;
	}
	nfiles = (size_t)(argc - optind);
	files = xcalloc(nfiles, sizeof(*files));
	journal_reap(false);
	run_install_signals();
	for (size_t i = 0; i < nfiles && !run_interrupted; i++) {
		int r;

		files[i].path = argv[optind + (int)i];
		r = mutate_file(&mc, &files[i]);
		free(mc.map);
		mc.map = NULL;
		free(mc.listens);
		mc.listens = NULL;
		mc.opts.listens = NULL;
		mc.opts.n_listens = 0;
		print_file(&files[i]);
		/* The worst: interrupted, then errors, then survivors. */
		if (r > ret && !(ret >= 128))
			ret = r;
	}
	if (mc.json && ((f = cli_out_open(&json_out)) == NULL ||
			cli_out_close(&json_out, f, write_json(f, files, nfiles)) < 0))
		ret = EXIT_USAGE;
	if (mc.junit && ((f = cli_out_open(&junit_out)) == NULL ||
			 cli_out_close(&junit_out, f, write_junit(f, files, nfiles)) < 0))
		ret = EXIT_USAGE;
	cli_out_free(&json_out);
	cli_out_free(&junit_out);
	printf("mutate: %zu file%s in %.1f s\n", nfiles, nfiles == 1 ? "" : "s", (now_ms() - t0) / 1000.0);
	for (size_t i = 0; i < nfiles; i++) {
		struct mfile *mf = &files[i];

		for (size_t k = 0; mf->res && k < mf->ms.n; k++)
			free(mf->res[k].by);
		for (size_t k = 0; k < mf->n_neg; k++)
			free(mf->neg[k].text);
		free(mf->neg);
		free(mf->res);
		free(mf->text);
		free(mf->base_error);
		free(mf->included_file);
		mutate_free(&mf->ms);
	}
	free(files);
	close(mc.listen_fd);
	if (run_interrupted)
		ret = 128 + run_interrupted;
	return ret;
}
