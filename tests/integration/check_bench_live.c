// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * `wglab bench` against the kernel: the star of `bench build` really
 * builds and really goes (the hub sees every veth deleted, and iproute2
 * finds nothing left), and a scenario's build phases are timed statement
 * by statement.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>

#include "lab/bench/bench.h"
#include "lab/bench/bench_build.h"
#include "lab/bench/bench_matrix.h"
#include "lab/bench/bench_run.h"
#include "lab/run/runner.h"
#include "tests/integration/netns_testlib.h"

extern Suite *bench_live_suite(void);

START_TEST(test_bench_build_star)
{
	struct bench_build_result r;
	const char *what = NULL;
	char before[64], after[64];
	int err;

	/* Nothing of the star shows in the host: count the root's links. */
	ck_assert_int_eq(nt_sh(NULL, before, sizeof(before), "ip -o link show | wc -l"), 0);
	err = bench_build_star(50, false, &r, &what);
	ck_assert_msg(!err, "%s: %s", what ? what : "?", strerror(-err));
	ck_assert_uint_eq(r.nodes, 50);
	ck_assert_uint_eq(r.dellinks, 50);
	ck_assert(r.build_ms > 0 && r.netns_us > 0 && r.veth_us > 0 && r.addr_up_us > 0);
	ck_assert(r.teardown_gone_ms >= r.teardown_close_ms);
	ck_assert_int_eq(nt_sh(NULL, after, sizeof(after), "ip -o link show | wc -l"), 0);
	ck_assert_str_eq(before, after);
}
END_TEST

/* `bench build` runs its star through the runner, as `wglab run` would. */
START_TEST(test_bench_build_scenario)
{
	struct bench_run_result r;
	const char *what = NULL;
	char before[64], after[64];
	char *text = bench_star_text(40, false);
	int err;

	ck_assert_ptr_nonnull(strstr(text, "for i in 1..$N: link leaf$i:eth0"));
	free(text);
	ck_assert_int_eq(nt_sh(NULL, before, sizeof(before), "ip -o link show | wc -l"), 0);
	err = bench_build_scenario(40, false, &r, &what);
	ck_assert_msg(!err, "%s: %s", what ? what : "?", strerror(-err));
	ck_assert_uint_eq(r.nodes, 40);
	ck_assert(r.passed);
	ck_assert(r.build_ms > 0 && r.steps_ms >= 0 && r.teardown_ms > 0);
	ck_assert_int_eq(nt_sh(NULL, after, sizeof(after), "ip -o link show | wc -l"), 0);
	ck_assert_str_eq(before, after);
}
END_TEST

static const char phases_lab[] =
	"lab bench-phases\n"
	"node a\n"
	"node r router\n"
	"node b\n"
	"link a:eth0 10.61.1.2/24 -- r:eth0 10.61.1.1/24\n"
	"link r:eth1 10.61.2.1/24 -- b:eth0 10.61.2.2/24\n"
	"route a default via 10.61.1.1\n"
	"route b default via 10.61.2.1\n"
	"firewall r -t nat -A POSTROUTING -o eth1 -j MASQUERADE\n"
	"expect a reaches 10.61.2.2\n";

static double median_of(const struct bench *b, const char *measure)
{
	for (size_t i = 0; i < b->n; i++)
		if (!strcmp(b->s[i].measure, measure))
			return b->s[i].median;
	return -1;
}

START_TEST(test_bench_scenario_phases)
{
	struct bench_combo combo = { 0 };
	struct bench_opts o = { .repeat = 2 };
	char path[] = "/tmp/wglab-check-bench-XXXXXX.lab";
	unsigned int done = 0;
	struct bench b;
	FILE *f;
	int fd;

	ck_assert_int_ge(sodium_init(), 0);
	fd = mkstemps(path, 4);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	fputs(phases_lab, f);
	fclose(f);
	bench_init(&b);
	ck_assert_int_eq(bench_scenario(&b, path, &combo, &o, &done, 2), 0);
	unlink(path);
	ck_assert_uint_eq(done, 2);
	ck_assert_msg(!b.n_errors, "%s", b.n_errors ? b.errors[0] : "");
	bench_stats(&b);
	/* Every phase the scenario has, once per run; no handshake phase
	 * without WireGuard. */
	for (size_t i = 0; i < b.n; i++) {
		ck_assert_str_eq(b.s[i].scenario, "bench-phases");
		ck_assert_str_eq(b.s[i].variant, "");
		ck_assert_uint_eq(b.s[i].n, 2);
	}
	ck_assert(median_of(&b, "phase namespaces") > 0);
	ck_assert(median_of(&b, "phase links") > 0);
	ck_assert(median_of(&b, "phase addresses+routes") > 0);
	ck_assert(median_of(&b, "phase firewall") > 0);
	ck_assert(median_of(&b, "phase teardown") > 0);
	ck_assert(median_of(&b, "phase first handshake") < 0);
	bench_free(&b);
}
END_TEST

Suite *bench_live_suite(void)
{
	Suite *s = suite_create("bench_live");
	TCase *tc = tcase_create("bench");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_bench_build_star);
	tcase_add_test(tc, test_bench_build_scenario);
	tcase_add_test(tc, test_bench_scenario_phases);
	suite_add_tcase(s, tc);
	return s;
}
