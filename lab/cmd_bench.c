// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lab/bench/bench.h"
#include "lab/bench/bench_build.h"
#include "lab/bench/bench_matrix.h"
#include "lab/bench/bench_report.h"
#include "lab/bench/bench_run.h"
#include "lab/bench/bench_svg.h"
#include "lab/cli.h"
#include "lab/commands.h"
#include "lab/lang/diag.h"
#include "lab/lang/model.h"
#include "lab/lang/scenario.h"
#include "lab/run/interrupt.h"
#include "netns/util/xalloc.h"

static void bench_usage(FILE *f)
{
	fprintf(f, "Usage: %s bench [OPTIONS] FILE|DIR...\n", prog_name);
	fprintf(f, "       %s bench build --nodes N [--raw] [--no-ipv6] [--json|--print]\n\n", prog_name);
	fprintf(f, "Runs each scenario in every combination, --repeat times, and reports the\n");
	fprintf(f, "median, min and max of its throughput and latency expectations and of its\n");
	fprintf(f, "build phases (namespaces, links, addresses and routes, firewall, WireGuard\n");
	fprintf(f, "start, first handshake, teardown).  Twins are not run.\n\n");
	fprintf(f, "  --wg LIST          WireGuard data paths to compare, e.g. kernel,userspace\n");
	fprintf(f, "  --mtu LIST         WireGuard MTUs, e.g. 1280,1420: overrides the MTU of every\n");
	fprintf(f, "                     WireGuard interface the scenario creates (bench only)\n");
	fprintf(f, "  --repeat N         runs of each combination (default 3)\n");
	fprintf(f, "  --iperf3           iperf3 beside every throughput measurement, same path\n");
	fprintf(f, "  --json FILE        write the results as JSON\n");
	fprintf(f, "  --svg FILE         write a chart (grouped bars, min-max whiskers)\n");
	fprintf(f, "  --baseline FILE    compare medians with an earlier --json\n");
	fprintf(f, "  --tolerance P      flag changes beyond P %% (default 10)\n\n");
	fprintf(f, "bench build: a star of N nodes (a namespace and a veth each into a hub router,\n");
	fprintf(f, "a /30 on both ends), generated as a scenario and run exactly as `run` runs it:\n");
	fprintf(f, "build time (statements and the wait until every interface carries traffic),\n");
	fprintf(f, "the one expectation's, teardown's.  --raw: the same star made by netns/\n");
	fprintf(f, "calls alone, torn down until the hub saw every veth go (the kernel's floor).\n");
	fprintf(f, "--no-ipv6: every node `ipv6 off` (no link-local addresses, routes or\n");
	fprintf(f, "multicast groups: the kernel's IPv6 costs of a hub grow with its interfaces).\n");
	fprintf(f, "--print: print that scenario and run nothing.\n\n");
	fprintf(f, "Exit status: 0, 1 when a run failed or a measurement got worse than the\n");
	fprintf(f, "baseline beyond the tolerance, 2 usage.\n");
}

/* The star through the runner, as `wglab run` builds it. */
static int build_run(unsigned int nodes, bool no_ipv6, bool json)
{
	struct bench_run_result r;
	const char *what = "";
	int err;

	if (nodes > 8000) {
		fprintf(stderr, "Invalid number of nodes %u: at most 8000 through a scenario (--raw: 100000)\n", nodes);
		return EXIT_USAGE;
	}
	err = bench_build_scenario(nodes, no_ipv6, &r, &what);
	if (err < 0) {
		fprintf(stderr, "Unable to run a star of %u nodes: %s\n", nodes, what);
		return EXIT_FAILED;
	}
	if (json)
		printf("{\"nodes\": %u, \"path\": \"run\", \"load_ms\": %.3f, \"build_ms\": %.3f, "
		       "\"build_per_node_us\": %.1f, \"steps_ms\": %.3f, \"teardown_gone_ms\": %.3f, "
		       "\"teardown_per_node_us\": %.1f, \"passed\": %s}\n",
		       r.nodes, r.load_ms, r.build_ms, r.build_ms * 1e3 / r.nodes, r.steps_ms, r.teardown_ms,
		       r.teardown_ms * 1e3 / r.nodes, r.passed ? "true" : "false");
	else
		printf("%u nodes through the runner: scenario %.1f ms, build %.1f ms (%.0f us per node, with the wait "
		       "until every interface carries traffic), expectation %.1f ms, teardown %.1f ms%s\n",
		       r.nodes, r.load_ms, r.build_ms, r.build_ms * 1e3 / r.nodes, r.steps_ms, r.teardown_ms,
		       r.passed ? "" : " (the expectation FAILED)");
	return r.passed ? EXIT_PASS : EXIT_FAILED;
}

static int build_main(int argc, const char *argv[])
{
	static const struct option longopts[] = {
		{ "nodes", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "raw", no_argument, NULL, 'r' },
		{ "no-ipv6", no_argument, NULL, '6' },
		{ "print", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct bench_build_result r;
	bool raw = false, no_ipv6 = false, print = false;
	unsigned long nodes = 100;
	const char *what = "";
	bool json = false;
	char *end;
	int opt, err;

	optind = 1;
	while ((opt = getopt_long(argc, (char *const *)argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			nodes = strtoul(optarg, &end, 10);
			if (*end || !nodes || nodes > 100000) {
				fprintf(stderr, "Invalid number of nodes '%s': 1 to 100000\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'j':
			json = true;
			break;
		case 'r':
			raw = true;
			break;
		case '6':
			no_ipv6 = true;
			break;
		case 'p':
			print = true;
			break;
		case 'h':
			bench_usage(stdout);
			return EXIT_PASS;
		default:
			bench_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (print) {
		char *text = bench_star_text((unsigned int)nodes, no_ipv6);

		fputs(text, stdout);
		free(text);
		return EXIT_PASS;
	}
	if (!raw)
		return build_run((unsigned int)nodes, no_ipv6, json);
	err = bench_build_star((unsigned int)nodes, no_ipv6, &r, &what);
	if (err < 0) {
		fprintf(stderr, "Unable to build a star of %lu nodes (%s): %s\n", nodes, what, strerror(-err));
		return EXIT_FAILED;
	}
	if (json)
		printf("{\"nodes\": %u, \"build_ms\": %.3f, \"build_per_node_us\": %.1f, \"netns_us\": %.1f, "
		       "\"veth_us\": %.1f, \"addr_up_us\": %.1f, \"teardown_close_ms\": %.3f, "
		       "\"teardown_gone_ms\": %.3f, \"teardown_per_node_us\": %.1f, \"dellinks\": %u}\n",
		       r.nodes, r.build_ms, r.build_ms * 1e3 / r.nodes, r.netns_us, r.veth_us, r.addr_up_us,
		       r.teardown_close_ms, r.teardown_gone_ms, r.teardown_gone_ms * 1e3 / r.nodes, r.dellinks);
	else
		printf("%u nodes: build %.1f ms, %.0f us per node (namespace %.0f, veth %.0f, addresses and up %.0f); "
		       "teardown %.1f ms until the hub saw %u veths go (close %.1f ms), %.0f us per node\n",
		       r.nodes, r.build_ms, r.build_ms * 1e3 / r.nodes, r.netns_us, r.veth_us, r.addr_up_us,
		       r.teardown_gone_ms, r.dellinks, r.teardown_close_ms, r.teardown_gone_ms * 1e3 / r.nodes);
	return EXIT_PASS;
}

/* Into o, prepared when the command started. */
static int write_file(struct cli_out *o, int (*fn)(FILE *, const struct bench *), const struct bench *b)
{
	FILE *f = cli_out_open(o);

	if (!f)
		return -1;
	return cli_out_close(o, f, fn(f, b));
}

struct bench_cmd {
	const char *wg, *mtu, *json, *svg, *baseline;
	struct cli_out json_out, svg_out;
	double tolerance;
	struct bench_opts o;
};

static int bench_parse_opts(int argc, const char *argv[], struct bench_cmd *bc)
{
	static const struct option longopts[] = {
		{ "wg", required_argument, NULL, 'w' },
		{ "mtu", required_argument, NULL, 'm' },
		{ "repeat", required_argument, NULL, 'r' },
		{ "iperf3", no_argument, NULL, 'i' },
		{ "json", required_argument, NULL, 'j' },
		{ "svg", required_argument, NULL, 's' },
		{ "baseline", required_argument, NULL, 'b' },
		{ "tolerance", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long n;
	char *end;
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, (char *const *)argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'w':
			bc->wg = optarg;
			break;
		case 'm':
			bc->mtu = optarg;
			break;
		case 'r':
			n = strtoul(optarg, &end, 10);
			if (*end || !n || n > 1000) {
				fprintf(stderr, "Invalid repeat count '%s': 1 to 1000\n", optarg);
				return EXIT_USAGE;
			}
			bc->o.repeat = (unsigned int)n;
			break;
		case 'i':
			bc->o.iperf3 = true;
			break;
		case 'j':
			bc->json = optarg;
			break;
		case 's':
			bc->svg = optarg;
			break;
		case 'b':
			bc->baseline = optarg;
			break;
		case 't':
			bc->tolerance = strtod(optarg, &end) / 100;
			if (*end || bc->tolerance <= 0 || bc->tolerance >= 10) {
				fprintf(stderr, "Invalid tolerance '%s': a percentage, e.g. 10\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			bench_usage(stdout);
			return EXIT_PASS;
		default:
			bench_usage(stderr);
			return EXIT_USAGE;
		}
	}
	return -1;
}

int bench_main(int argc, const char *argv[])
{
	struct bench_cmd bc = { .tolerance = 0.10, .o = { .repeat = 3 }, .json_out = { .dirfd = -1, .fd = -1 },
				.svg_out = { .dirfd = -1, .fd = -1 } };
	struct bench_combo **combos;
	struct bench b, base;
	char **files = NULL, **words;
	size_t *n_combos;
	size_t n = 0, total = 0;
	unsigned int done = 0;
	int ret = EXIT_PASS, err;
	bool have_base = false;

	if (argc > 1 && !strcmp(argv[1], "build"))
		return build_main(argc - 1, argv + 1);
	ret = bench_parse_opts(argc, argv, &bc);
	if (ret >= 0)
		return ret;
	ret = EXIT_PASS;
	if (optind >= argc) {
		bench_usage(stderr);
		return EXIT_USAGE;
	}
	if (cli_collect_files(argc - optind, argv + optind, &files, &n) < 0 || !n) {
		cli_free_files(files, n);
		return EXIT_USAGE;
	}
	/* Where the results go is checked before anything is measured. */
	if ((bc.json && cli_out_prepare(&bc.json_out, bc.json, "benchmark") < 0) ||
	    (bc.svg && cli_out_prepare(&bc.svg_out, bc.svg, "benchmark") < 0)) {
		cli_out_free(&bc.json_out);
		cli_out_free(&bc.svg_out);
		cli_free_files(files, n);
		return EXIT_USAGE;
	}
	bench_init(&b);
	bench_init(&base);
	if (bc.baseline) {
		err = bench_read_json(bc.baseline, &base);
		if (err < 0) {
			fprintf(stderr, "Unable to read baseline '%s': %s\n", bc.baseline,
				err == -EBADMSG ? "not a wglab bench JSON" : strerror(-err));
			cli_out_free(&bc.json_out);
			cli_out_free(&bc.svg_out);
			cli_free_files(files, n);
			return EXIT_USAGE;
		}
		have_base = true;
	}
	bench_env_read(&b.env);
	b.repeat = bc.o.repeat;
	if (isatty(STDERR_FILENO))
		bc.o.progress = stderr;
	run_install_signals();
	/* The matrix of every scenario, for the progress count. */
	combos = xcalloc(n, sizeof(*combos));
	n_combos = xcalloc(n, sizeof(*n_combos));
	words = xcalloc(n, sizeof(*words));
	for (size_t i = 0; i < n && ret == EXIT_PASS; i++) {
		struct diags d = { 0 };
		struct lab *lab = NULL;
		bool has_wg = false;

		if (scenario_load(files[i], &lab, &d) < 0) {
			cli_print_diags(stderr, &d);
			ret = EXIT_USAGE;
		} else {
			has_wg = bench_lab_has_wg(lab);
		}
		diag_free(&d);
		lab_free(lab);
		if (ret == EXIT_PASS && bench_matrix(bc.wg, bc.mtu, has_wg, &combos[i], &n_combos[i], &words[i]) < 0) {
			fprintf(stderr, "Invalid --wg '%s' or --mtu '%s': e.g. --wg kernel,userspace --mtu 1280,1420\n",
				bc.wg ? bc.wg : "", bc.mtu ? bc.mtu : "");
			ret = EXIT_USAGE;
		}
		total += n_combos[i] * bc.o.repeat;
	}
	for (size_t i = 0; i < n && ret == EXIT_PASS && !run_interrupted; i++)
		for (size_t k = 0; k < n_combos[i] && !run_interrupted; k++)
			bench_scenario(&b, files[i], &combos[i][k], &bc.o, &done, (unsigned int)total);
	if (bc.o.progress && total)
		fprintf(stderr, "\r\033[K");
	if (ret == EXIT_PASS) {
		bench_stats(&b);
		bench_print_table(stdout, &b, have_base ? &base : NULL, bc.tolerance);
		if (bc.json && write_file(&bc.json_out, bench_write_json, &b) < 0)
			ret = EXIT_FAILED;
		if (bc.svg && write_file(&bc.svg_out, bench_write_svg, &b) < 0)
			ret = EXIT_FAILED;
		if (have_base && bench_regressions(&b, &base, bc.tolerance)) {
			printf("%zu measurement(s) worse than the baseline by more than %.0f %%\n",
			       bench_regressions(&b, &base, bc.tolerance), bc.tolerance * 100);
			ret = EXIT_FAILED;
		}
		if (b.n_errors)
			ret = EXIT_FAILED;
	}
	if (run_interrupted)
		ret = 128 + run_interrupted;
	for (size_t i = 0; i < n; i++) {
		free(combos[i]);
		free(words[i]);
	}
	free(combos);
	free(n_combos);
	free(words);
	cli_out_free(&bc.json_out);
	cli_out_free(&bc.svg_out);
	bench_free(&b);
	bench_free(&base);
	cli_free_files(files, n);
	return ret;
}
