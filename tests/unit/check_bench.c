// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* `wglab bench` without a kernel: the matrix, the MTU override, the
 * statistics, the JSON round trip, the baseline and the chart. */
#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "lab/bench/bench.h"
#include "lab/bench/bench_matrix.h"
#include "lab/bench/bench_report.h"
#include "lab/bench/bench_svg.h"
#include "lab/lang/perf.h"
#include "lab/lang/diag.h"
#include "lab/lang/lexer.h"
#include "lab/lang/model.h"
#include "lab/lang/pctx.h"
#include "lab/lang/scenario.h"
#include "lab/lang/validate.h"
#include "netns/wg/wgconf.h"

extern Suite *bench_suite(void);

START_TEST(test_bench_matrix_full)
{
	struct bench_combo *c;
	char *words;
	size_t n;

	ck_assert_int_eq(bench_matrix("kernel,userspace", "1280,1420", true, &c, &n, &words), 0);
	ck_assert_uint_eq(n, 4);
	ck_assert_str_eq(c[0].wg, "kernel");
	ck_assert_uint_eq(c[0].mtu, 1280);
	ck_assert_str_eq(c[1].wg, "kernel");
	ck_assert_uint_eq(c[1].mtu, 1420);
	ck_assert_str_eq(c[3].wg, "userspace");
	ck_assert_uint_eq(c[3].mtu, 1420);
	free(c);
	free(words);
}
END_TEST

START_TEST(test_bench_matrix_partial)
{
	struct bench_combo *c;
	char *words;
	size_t n;

	/* Only MTUs: the scenario's own data path. */
	ck_assert_int_eq(bench_matrix(NULL, "1280,1420,1500", true, &c, &n, &words), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_ptr_null(c[2].wg);
	ck_assert_uint_eq(c[2].mtu, 1500);
	free(c);
	free(words);
	/* Without WireGuard neither changes anything: one run. */
	ck_assert_int_eq(bench_matrix("kernel,userspace", "1280,1420", false, &c, &n, &words), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_ptr_null(c[0].wg);
	ck_assert_uint_eq(c[0].mtu, 0);
	free(c);
	free(words);
	ck_assert_int_eq(bench_matrix("userspace=/usr/bin/wireguard-go", NULL, true, &c, &n, &words), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(c[0].wg, "userspace=/usr/bin/wireguard-go");
	free(c);
	free(words);
}
END_TEST

static const struct {
	const char *wg, *mtu;
} bad_matrix[] = {
	{ "kernal", NULL }, { NULL, "1280,abc" }, { NULL, "100" }, { NULL, "1280,,1420" }, { NULL, "70000" },
	{ "kernel,", "1280," },
};

START_TEST(test_bench_matrix_refuses)
{
	struct bench_combo *c = NULL;
	char *words = NULL;
	size_t n = 0;

	ck_assert_int_eq(bench_matrix(bad_matrix[_i].wg, bad_matrix[_i].mtu, true, &c, &n, &words), -EINVAL);
	ck_assert_ptr_null(c);
	ck_assert_ptr_null(words);
}
END_TEST

static const char wg_lab[] =
	"lab m\n"
	"node a\n"
	"node b\n"
	"link a:eth0 10.0.0.1/24 -- b:eth0 10.0.0.2/24\n"
	"wireguard a:wg0 address 10.1.0.1/24 listen-port 1000\n"
	"wireguard a:wg0 listen-port 1001\n"
	"wg-quick b:wg0 <<\n"
	"[Interface]\n"
	"Address = 10.1.0.2/24\n"
	"PrivateKey = @generate\n"
	"MTU = 1400\n"
	">>\n";

START_TEST(test_bench_override_mtu)
{
	struct diags d = { 0 };
	struct lab *lab = NULL;
	const struct stmt *s;
	int n = 0;

	ck_assert_int_eq(scenario_load_text("m.lab", wg_lab, strlen(wg_lab), &lab, &d), 0);
	ck_assert(bench_lab_has_wg(lab));
	/* The creating wireguard statement and the wg-quick config; not
	 * the later change of the same interface. */
	ck_assert_uint_eq(bench_override_mtu(lab, 1280), 2);
	for (s = lab->first_stmt; s; s = s->next) {
		if (s->kind == STMT_WIREGUARD && n++ == 0) {
			ck_assert_uint_eq(s->wireguard.conf->mtu, 1280);
			ck_assert(s->wireguard.conf->flags & WGCONF_DEV_HAS_MTU);
			ck_assert(s->wireguard.set & WGSET_MTU);
		} else if (s->kind == STMT_WIREGUARD) {
			ck_assert(!(s->wireguard.set & WGSET_MTU));
		} else if (s->kind == STMT_WGQUICK) {
			ck_assert_uint_eq(s->wgquick.conf->mtu, 1280);
		}
	}
	/* The model still validates: a bench runs what `run` would. */
	ck_assert_int_eq(scenario_validate(lab, &d), 0);
	lab_free(lab);
	diag_free(&d);
}
END_TEST

START_TEST(test_bench_median)
{
	double odd[] = { 5, 1, 3 }, even[] = { 4, 1, 3, 2 }, one[] = { 7 };

	ck_assert(bench_median(odd, 3) == 3);
	ck_assert(bench_median(even, 4) == 2.5);
	ck_assert(bench_median(one, 1) == 7);
	ck_assert(bench_median(NULL, 0) == 0);
}
END_TEST

static void sample(struct bench *b)
{
	bench_init(b);
	strcpy(b->env.kernel, "Linux 6.18");
	strcpy(b->env.cpu, "AMD \"EPYC\" <test> & co");
	b->env.cores = 2;
	b->repeat = 3;
	bench_add(b, "bench-veth", "", "tcp a>b", "Mbit/s", true, 14000);
	bench_add(b, "bench-veth", "", "tcp a>b", "Mbit/s", true, 12000);
	bench_add(b, "bench-veth", "", "tcp a>b", "Mbit/s", true, 15000);
	bench_add(b, "bench-wg", "userspace mtu 1280", "tcp a>b", "Mbit/s", true, 380);
	bench_add(b, "bench-wg", "userspace mtu 1280", "rtt p99 a>b", "ms", false, 0.5);
	bench_add(b, "bench-wg", "userspace mtu 1280", "phase teardown", "ms", false, 90);
	bench_add(b, "bench-wg", "userspace mtu 1280", "phase namespaces", "ms", false, 1.2);
	bench_add(b, "bench-wg", "userspace mtu 1280", "tcp a>b generator CPU", "s", false, 0.3);
	bench_error(b, "bench-wg kernel: Unable to \"create\" wg0");
	bench_stats(b);
}

START_TEST(test_bench_series_stats)
{
	struct bench b;

	sample(&b);
	ck_assert_uint_eq(b.n, 6);
	ck_assert_uint_eq(b.s[0].n, 3);
	ck_assert(b.s[0].median == 14000 && b.s[0].min == 12000 && b.s[0].max == 15000);
	/* The values keep their order: medians work on a copy. */
	ck_assert(b.s[0].v[0] == 14000 && b.s[0].v[1] == 12000);
	bench_free(&b);
}
END_TEST

static FILE *tmp(char *path)
{
	int fd;

	strcpy(path, "/tmp/wglab-check-bench-XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	return fdopen(fd, "w+");
}

START_TEST(test_bench_json_round_trip)
{
	struct bench b, back;
	char path[64];
	FILE *f = tmp(path);

	sample(&b);
	ck_assert_int_eq(bench_write_json(f, &b), 0);
	fclose(f);
	ck_assert_int_eq(bench_read_json(path, &back), 0);
	ck_assert_uint_eq(back.n, b.n);
	for (size_t i = 0; i < b.n; i++) {
		ck_assert_str_eq(back.s[i].scenario, b.s[i].scenario);
		ck_assert_str_eq(back.s[i].variant, b.s[i].variant);
		ck_assert_str_eq(back.s[i].measure, b.s[i].measure);
		ck_assert_str_eq(back.s[i].unit, b.s[i].unit);
		ck_assert(back.s[i].higher_better == b.s[i].higher_better);
		ck_assert(fabs(back.s[i].median - b.s[i].median) < 1e-9 * (1 + b.s[i].median));
		ck_assert(back.s[i].min == b.s[i].min && back.s[i].max == b.s[i].max);
	}
	/* It is JSON: jq reads it. */
	if (!access("/usr/bin/jq", X_OK)) {
		char cmd[160];

		snprintf(cmd, sizeof(cmd), "jq -e '.results[0].median == 14000' %s >/dev/null", path);
		ck_assert_int_eq(system(cmd), 0);
	}
	unlink(path);
	bench_free(&back);
	f = tmp(path);
	fputs("{\"wglab\": \"v1\", \"passed\": 1}\n", f);
	fclose(f);
	ck_assert_int_eq(bench_read_json(path, &back), -EBADMSG);
	unlink(path);
	ck_assert_int_eq(bench_read_json("/nonexistent/x.json", &back), -ENOENT);
	bench_free(&b);
}
END_TEST

START_TEST(test_bench_baseline)
{
	struct bench cur, base;
	struct bench_delta d;

	sample(&base);
	sample(&cur);
	/* Throughput 20 % down: worse.  RTT 20 % down: better.  Teardown
	 * 5 % up: within tolerance. */
	cur.s[0].median = base.s[0].median * 0.8;
	cur.s[2].median = base.s[2].median * 0.8;
	cur.s[3].median = base.s[3].median * 1.05;
	bench_compare(&cur.s[0], &base, 0.10, &d);
	ck_assert(d.found && d.beyond && d.worse);
	ck_assert(fabs(d.rel + 0.2) < 1e-9);
	bench_compare(&cur.s[2], &base, 0.10, &d);
	ck_assert(d.found && d.beyond && !d.worse);
	bench_compare(&cur.s[3], &base, 0.10, &d);
	ck_assert(d.found && !d.beyond && !d.worse);
	ck_assert_uint_eq(bench_regressions(&cur, &base, 0.10), 1);
	ck_assert_uint_eq(bench_regressions(&cur, &base, 0.25), 0);
	/* Slower to build: worse. */
	cur.s[3].median = base.s[3].median * 1.5;
	ck_assert_uint_eq(bench_regressions(&cur, &base, 0.10), 2);
	/* A series the baseline does not have is new, not a change. */
	free(cur.s[1].variant);
	cur.s[1].variant = strdup("kernel mtu 1280");
	bench_compare(&cur.s[1], &base, 0.10, &d);
	ck_assert(!d.found && !d.worse);
	bench_free(&cur);
	bench_free(&base);
}
END_TEST

START_TEST(test_bench_table)
{
	struct bench cur, base;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	sample(&base);
	sample(&cur);
	cur.s[0].median = base.s[0].median * 0.8;
	bench_print_table(f, &cur, &base, 0.10);
	fclose(f);
	ck_assert_msg(strstr(text, "bench-veth") && strstr(text, "tcp a>b") && strstr(text, "14.0k") == NULL &&
		      strstr(text, "11200") && strstr(text, "-20.0 %  WORSE"), "%s", text);
	ck_assert_msg(strstr(text, "error: bench-wg kernel:") && strstr(text, "kernel Linux 6.18"), "%s", text);
	free(text);
	bench_free(&cur);
	bench_free(&base);
}
END_TEST

START_TEST(test_bench_svg_well_formed)
{
	struct bench b;
	char path[64], cmd[160], *text = NULL;
	size_t len = 0;
	FILE *f = tmp(path), *m = open_memstream(&text, &len);

	sample(&b);
	ck_assert_int_eq(bench_write_svg(f, &b), 0);
	fclose(f);
	ck_assert_int_eq(bench_write_svg(m, &b), 0);
	fclose(m);
	/* Every panel with its title and axis, a bar per series, the
	 * phases in run order, the user's text escaped. */
	ck_assert(strstr(text, "Throughput (goodput), Mbit/s") && strstr(text, "UDP round trip") &&
		  strstr(text, "Build phases") && strstr(text, "Generator CPU"));
	ck_assert(strstr(text, "AMD &quot;EPYC&quot; &lt;test&gt; &amp; co"));
	ck_assert(strstr(text, ">namespaces<") < strstr(text, ">teardown<"));
	ck_assert(strstr(text, "median 14000, min 12000, max 15000 Mbit/s (3 runs)"));
	if (access("/usr/bin/xmllint", X_OK)) {
		unlink(path);
		free(text);
		bench_free(&b);
		return;
	}
	snprintf(cmd, sizeof(cmd), "xmllint --noout %s", path);
	ck_assert_int_eq(system(cmd), 0);
	unlink(path);
	free(text);
	bench_free(&b);
}
END_TEST

/* Runs the throughput or latency parser on the words after "expect";
 * returns its result, the first error (or "") in err. */
static int parse_perf(const char *line, struct perf_expect *ret, char *err, size_t errlen)
{
	struct lab *lab = lab_new();
	struct stmt_expect e = { .kind = EXPECT_THROUGHPUT };
	struct diags d = { 0 };
	struct tokens t = { 0 };
	struct pctx c = { .lab = lab, .t = &t, .i = 2, .d = &d };
	const char *msg;
	unsigned int col;
	int r;

	c.loc.file = "t.lab";
	c.loc.line = 1;
	ck_assert_int_eq(lexer_split(line, strlen(line), &t, &col, &msg), 0);
	ck_assert(t.n >= 2);
	if (!strcmp(t.v[1].text, "latency")) {
		e.kind = EXPECT_LATENCY;
		r = parse_latency(&c, &e);
	} else {
		r = parse_throughput(&c, &e);
	}
	if (!r && !pctx_end(&c))
		r = -EINVAL;
	snprintf(err, errlen, "%s", d.first ? d.first->msg : "");
	if (!r) {
		*ret = *(struct perf_expect *)e.ext;
		ret->peer = strdup(ret->peer);
		ck_assert_str_eq(perf_expect_peer(&e), ret->peer);
	}
	if (e.ext_free)
		e.ext_free(e.ext);
	lexer_free(&t);
	diag_free(&d);
	lab_free(lab);
	return r;
}

START_TEST(test_bench_parse_throughput)
{
	struct perf_expect p;
	char err[256];

	ck_assert_int_eq(parse_perf("a throughput b >= 100mbit", &p, err, sizeof(err)), 0);
	ck_assert_str_eq(p.peer, "b");
	ck_assert_int_eq(p.req.proto, TPUT_TCP);
	ck_assert_uint_eq(p.min_bps, 100000000);
	ck_assert_uint_eq(p.req.duration_ms, 0);
	ck_assert_int_eq(p.to.family, 0);
	free(p.peer);
	ck_assert_int_eq(parse_perf("a throughput b tcp >= 1gbit for 2s streams 4", &p, err, sizeof(err)), 0);
	ck_assert_uint_eq(p.req.streams, 4);
	ck_assert_uint_eq(p.req.duration_ms, 2000);
	free(p.peer);
	ck_assert_int_eq(parse_perf("a throughput srv udp >= 50mbit rate 60mbit to 10.0.0.2 port 5000", &p, err,
				    sizeof(err)), 0);
	ck_assert_str_eq(p.peer, "srv");
	ck_assert_int_eq(p.req.proto, TPUT_UDP);
	ck_assert_uint_eq(p.req.rate_bps, 60000000);
	ck_assert_int_eq(p.to.family, AF_INET);
	ck_assert_uint_eq(p.req.port, 5000);
	free(p.peer);
}
END_TEST

static const struct {
	const char *line, *error;
} perf_errors[] = {
	{ "a throughput b 100mbit", "missing '>= RATE'" },
	{ "a throughput b >= fast", "'fast' is not a rate" },
	{ "a throughput b:eth0 >= 1mbit", "the other end is a NODE" },
	{ "a throughput b udp >= 1mbit streams 2", "streams is for tcp" },
	{ "a throughput b >= 1mbit rate 2mbit", "rate (the offered rate) is for udp" },
	{ "a throughput b >= 1mbit for 10ms", "100ms to 10m" },
	{ "a throughput b >= 1mbit within 2s", "unknown throughput option 'within'" },
	{ "a throughput b >= 1mbit port 0", "out of range" },
	{ "a latency b p95 < 5 ms", "'p95' is not a percentile" },
	{ "a latency b p99 5 ms", "missing '< TIME'" },
	{ "a latency b p99 < 5", "not a time with its unit" },
	{ "a latency b p99 < 5 hours", "not a time with its unit" },
	{ "a latency b p99 < 1ms port 7", "needs `to ADDR`" },
	{ "a latency b p99 < 1ms samples 0", "out of range" },
	{ "a latency", "missing the receiving NODE" },
};

START_TEST(test_bench_parse_perf_errors)
{
	struct perf_expect p;
	char err[256];

	ck_assert_int_eq(parse_perf(perf_errors[_i].line, &p, err, sizeof(err)), -EINVAL);
	ck_assert_msg(strstr(err, perf_errors[_i].error), "'%s': '%s'", perf_errors[_i].line, err);
}
END_TEST

START_TEST(test_bench_parse_latency)
{
	struct perf_expect p;
	char err[256];

	ck_assert_int_eq(parse_perf("a latency b p99 < 5 ms", &p, err, sizeof(err)), 0);
	ck_assert_uint_eq(p.pct, 99);
	ck_assert(p.max_us == 5000);
	free(p.peer);
	ck_assert_int_eq(parse_perf("a latency b p50 < 800us samples 1000", &p, err, sizeof(err)), 0);
	ck_assert_uint_eq(p.pct, 50);
	ck_assert(p.max_us == 800);
	ck_assert_uint_eq(p.lat.samples, 1000);
	free(p.peer);
	ck_assert_int_eq(parse_perf("a latency b p90 < 0.2s to fd00::1 port 7", &p, err, sizeof(err)), 0);
	ck_assert(p.max_us == 200000);
	ck_assert_int_eq(p.to.family, AF_INET6);
	ck_assert_uint_eq(p.lat.port, 7);
	free(p.peer);
	ck_assert_int_eq(parse_perf("a latency b p90 < 1.5 ms", &p, err, sizeof(err)), 0);
	ck_assert(p.max_us == 1500);
	free(p.peer);
}
END_TEST

Suite *bench_suite(void)
{
	Suite *s = suite_create("bench");
	TCase *tc = tcase_create("bench_matrix");

	tcase_add_test(tc, test_bench_matrix_full);
	tcase_add_test(tc, test_bench_matrix_partial);
	tcase_add_loop_test(tc, test_bench_matrix_refuses, 0, sizeof(bad_matrix) / sizeof(bad_matrix[0]));
	tcase_add_test(tc, test_bench_override_mtu);
	suite_add_tcase(s, tc);
	tc = tcase_create("parse_throughput");
	tcase_add_test(tc, test_bench_parse_throughput);
	tcase_add_test(tc, test_bench_parse_latency);
	tcase_add_loop_test(tc, test_bench_parse_perf_errors, 0, sizeof(perf_errors) / sizeof(perf_errors[0]));
	suite_add_tcase(s, tc);
	tc = tcase_create("bench_stats");
	tcase_add_test(tc, test_bench_median);
	tcase_add_test(tc, test_bench_series_stats);
	suite_add_tcase(s, tc);
	tc = tcase_create("bench_reports");
	tcase_add_test(tc, test_bench_json_round_trip);
	tcase_add_test(tc, test_bench_baseline);
	tcase_add_test(tc, test_bench_table);
	tcase_add_test(tc, test_bench_svg_well_formed);
	suite_add_tcase(s, tc);
	return s;
}
