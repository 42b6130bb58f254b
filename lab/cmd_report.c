// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* report merge: the JSON reports of shards (or of runs) as one JSON, one
 * JUnit and one summary. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lab/cli.h"
#include "lab/commands.h"
#include "lab/report/report.h"
#include "netns/util/esc.h"
#include "netns/util/xalloc.h"

static void report_usage(FILE *f)
{
	fprintf(f, "Usage: %s report merge [--json FILE] [--junit FILE] REPORT.json...\n\n", prog_name);
	fprintf(f, "Joins the JSON reports of shards (run --shard I/N --json ...) into one JSON\n");
	fprintf(f, "and JUnit report, prints one line per scenario and the closing line\n");
	fprintf(f, "\"N passed, N failed\"; exits 1 when anything failed.\n");
}

static int read_file(const char *path, char **ret, size_t *ret_len)
{
	FILE *f = fopen(path, "re");
	struct stat st;
	char *buf;

	if (!f)
		return -errno;
	if (fstat(fileno(f), &st) || st.st_size > 256 * 1024 * 1024) {
		fclose(f);
		return -EFBIG;
	}
	buf = xmalloc((size_t)st.st_size + 1);
	if (fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		free(buf);
		fclose(f);
		return -EIO;
	}
	fclose(f);
	*ret = buf;
	*ret_len = (size_t)st.st_size;
	return 0;
}

int report_main(int argc, const char *argv[])
{
	static const struct option longopts[] = {
		{ "json", required_argument, NULL, 'j' },
		{ "junit", required_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_out json_out = { .dirfd = -1, .fd = -1 }, junit_out = { .dirfd = -1, .fd = -1 };
	struct scenario_result **all = NULL;
	const char *json = NULL, *junit = NULL;
	size_t n_all = 0, passed, failed;
	int opt, ret = EXIT_PASS;

	if (argc < 2 || strcmp(argv[1], "merge")) {
		bool help = argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"));

		report_usage(help ? stdout : stderr);
		return help ? EXIT_PASS : EXIT_USAGE;
	}
	optind = 1;
	while ((opt = getopt_long(argc - 1, (char *const *)argv + 1, "+h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = optarg;
			break;
		case 'J':
			junit = optarg;
			break;
		case 'h':
			report_usage(stdout);
			return EXIT_PASS;
		default:
			report_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind + 1 > argc - 1) {
		report_usage(stderr);
		return EXIT_USAGE;
	}
	if ((json && cli_out_prepare(&json_out, json, "report") < 0) ||
	    (junit && cli_out_prepare(&junit_out, junit, "report") < 0)) {
		ret = EXIT_USAGE;
		goto cleanup;
	}
	for (int i = optind + 1; i < argc; i++) {
		struct scenario_result **v = NULL;
		char *text = NULL, err[256];
		size_t len = 0, n = 0;
		int r = read_file(argv[i], &text, &len);

		if (!r)
			r = report_json_read(text, len, &v, &n, err, sizeof(err));
		else
			snprintf(err, sizeof(err), "%s", strerror(-r));
		free(text);
		if (r < 0) {
			char *shown = esc_dup(argv[i], 0);

			esc_hide_keys(err);
			fprintf(stderr, "Unable to read report '%s': ", shown);
			esc_fputs(stderr, err, 0);
			fputc('\n', stderr);
			free(shown);
			ret = EXIT_USAGE;
			continue;
		}
		all = xrealloc(all, (n_all + n + 1) * sizeof(*all));
		memcpy(all + n_all, v, n * sizeof(*v));
		n_all += n;
		free(v);
	}
	/* Reports come from elsewhere: what they hold is shown escaped. */
	for (size_t i = 0; i < n_all; i++) {
		printf("%-4s ", all[i]->passed ? "ok" : "FAIL");
		esc_fputs(stdout, all[i]->name, 0);
		if (all[i]->twin) {
			fputs(" twin ", stdout);
			esc_fputs(stdout, all[i]->twin, 0);
		}
		fputs(" (", stdout);
		esc_fputs(stdout, all[i]->file, 0);
		printf("): %zu passed, %zu failed", all[i]->n_passed, all[i]->n_failed);
		if (all[i]->error) {
			fputs("; ", stdout);
			esc_fputs(stdout, all[i]->error, 0);
		}
		putchar('\n');
	}
	if (json && cli_out_results(&json_out, report_json_write, (const struct scenario_result *const *)all, n_all) < 0)
		ret = EXIT_USAGE;
	if (junit && cli_out_results(&junit_out, report_junit_write, (const struct scenario_result *const *)all, n_all) < 0)
		ret = EXIT_USAGE;
	report_totals((const struct scenario_result *const *)all, n_all, &passed, &failed);
	printf("%zu passed, %zu failed\n", passed, failed);
	if (ret == EXIT_PASS && failed)
		ret = EXIT_FAILED;
cleanup:
	cli_out_free(&json_out);
	cli_out_free(&junit_out);
	for (size_t i = 0; i < n_all; i++)
		scenario_result_free(all[i]);
	free(all);
	return ret;
}
