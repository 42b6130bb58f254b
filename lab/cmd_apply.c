// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* wglab apply LAB FILE|- and wglab expect LAB FILE|-: statements and
 * expectations on a kept lab, reported as `run` reports. */
#include "lab/cli.h"
#include "lab/commands.h"
#include "lab/lang/parse_value.h"
#include "lab/live.h"
#include "lab/report/report.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define APPLY_MAX_FILE (16U << 20)

static void apply_usage(FILE *f, const char *verb)
{
	fprintf(f, "Usage: %s %s [--json FILE] [--junit FILE] [--tap] [-v] LAB FILE|-\n\n", prog_name, verb);
	if (!strcmp(verb, "apply"))
		fprintf(f, "Runs the statements of FILE (- : standard input) on the kept lab LAB (`%s up`),\n"
			   "in order, after those it was built with and those applied before.\n", prog_name);
	else
		fprintf(f, "Evaluates the expectations of FILE (- : standard input) on the kept lab LAB\n"
			   "(`%s up`), with the output, reports and exit status of `%s run`.\n", prog_name, prog_name);
}

static int apply_read(const char *path, char **ret, size_t *ret_len)
{
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY) : dup(STDIN_FILENO);
	size_t len = 0, cap = 4096;
	char *buf;
	ssize_t n;

	if (fd < 0)
		return -errno;
	buf = xmalloc(cap + 1);
	while ((n = read(fd, buf + len, cap - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || len + (size_t)n >= APPLY_MAX_FILE) {
			int err = n < 0 ? -errno : -EFBIG;

			free(buf);
			close(fd);
			return err;
		}
		len += (size_t)n;
		if (len == cap) {
			cap *= 2;
			buf = xrealloc(buf, cap + 1);
		}
	}
	close(fd);
	buf[len] = '\0';
	if (memchr(buf, '\0', len)) {
		free(buf);
		return -EINVAL;
	}
	*ret = buf;
	*ret_len = len;
	return 0;
}

static int apply_common(int argc, const char *argv[], const char *verb)
{
	static const struct option longopts[] = {
		{ "json", required_argument, NULL, 'j' },
		{ "junit", required_argument, NULL, 'J' },
		{ "tap", no_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *json = NULL, *junit = NULL, *name, *path;
	struct report_text text = { .f = stdout, .color = cli_color() };
	struct report_tap tapr = { stdout, 0 };
	struct scenario_result **v = NULL;
	struct reporter rep = { 0 };
	struct cli_out json_out = { .dirfd = -1, .fd = -1 }, junit_out = { .dirfd = -1, .fd = -1 };
	char *in = NULL, *out = NULL, err[256];
	size_t in_len = 0, out_len = 0, n = 0, passed, failed;
	bool tap = false;
	int opt, r, ret = EXIT_USAGE;

	optind = 1;
	while ((opt = getopt_long(argc, (char *const *)argv, "vh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = optarg;
			break;
		case 'J':
			junit = optarg;
			break;
		case 't':
			tap = true;
			break;
		case 'v':
			text.verbose++;
			break;
		case 'h':
			apply_usage(stdout, verb);
			return EXIT_PASS;
		default:
			apply_usage(stderr, verb);
			return EXIT_USAGE;
		}
	}
	if (optind + 2 != argc) {
		apply_usage(stderr, verb);
		return EXIT_USAGE;
	}
	name = argv[optind];
	path = argv[optind + 1];
	if (!name_valid(name)) {
		fprintf(stderr, "Invalid lab name '%s'\n", name);
		return EXIT_USAGE;
	}
	/* The reports' places are checked before the lab runs anything. */
	if ((json && cli_out_prepare(&json_out, json, "JSON report") < 0) ||
	    (junit && cli_out_prepare(&junit_out, junit, "JUnit report") < 0))
		goto cleanup;
	r = apply_read(path, &in, &in_len);
	if (r < 0) {
		fprintf(stderr, "Unable to read '%s': %s\n", path, strerror(-r));
		goto cleanup;
	}
	r = live_request(name, verb, strcmp(path, "-") ? path : "<stdin>", in, in_len, &out, &out_len);
	if (r == -ECONNREFUSED || r == -ENOENT) {
		fprintf(stderr, "Lab '%s' is not up (`%s up FILE` keeps one)\n", name, prog_name);
		goto cleanup;
	}
	if (r < 0) {
		fprintf(stderr, "Unable to reach lab '%s': %s\n", name, strerror(-r));
		goto cleanup;
	}
	if (!strncmp(out, "error\n", 6)) {
		fputs(out + 6, stderr);
		goto cleanup;
	}
	if (strncmp(out, "json\n", 5) ||
	    report_json_read(out + 5, out_len - 5, &v, &n, err, sizeof(err)) < 0 || n != 1) {
		fprintf(stderr, "Lab '%s' answered something else than a report\n", name);
		goto cleanup;
	}
	if (tap)
		report_tap_init(&rep, &tapr);
	else
		report_text_init(&rep, &text);
	if (rep.begin)
		rep.begin(rep.data, v[0]);
	for (size_t k = 0; k < v[0]->n_results && rep.result; k++)
		rep.result(rep.data, v[0], &v[0]->results[k]);
	if (tap)
		report_tap_finish(&tapr, (const struct scenario_result *const *)v, n);
	else
		report_text_scenario_end(&text, v[0]);
	ret = EXIT_PASS;
	if (json && cli_out_results(&json_out, report_json_write, (const struct scenario_result *const *)v, n) < 0)
		ret = EXIT_USAGE;
	if (junit && cli_out_results(&junit_out, report_junit_write, (const struct scenario_result *const *)v, n) < 0)
		ret = EXIT_USAGE;
	report_totals((const struct scenario_result *const *)v, n, &passed, &failed);
	printf("%s%zu passed, %zu failed\n", tap ? "# " : "", passed, failed);
	if (v[0]->error)
		ret = EXIT_USAGE;
	else if (failed && ret == EXIT_PASS)
		ret = EXIT_FAILED;
cleanup:
	cli_out_free(&json_out);
	cli_out_free(&junit_out);
	for (size_t k = 0; k < n; k++)
		scenario_result_free(v[k]);
	free(v);
	free(in);
	free(out);
	return ret;
}

int apply_main(int argc, const char *argv[])
{
	return apply_common(argc, argv, "apply");
}

int expect_main(int argc, const char *argv[])
{
	return apply_common(argc, argv, "expect");
}
