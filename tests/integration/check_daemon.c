// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * A VPN product in the loop (tests/integration/product.lab): a shell
 * "product" on each node makes its own wg0 with wireguard-go, `wg` and
 * `ip`, started as a daemon with readiness (a bound UDP port, a
 * handshake); the tunnel it made carries pings.  The same product exiting
 * early fails the run with its output (also tests/selftest/daemon.lab).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "lab/lang/diag.h"
#include "lab/lang/model.h"
#include "lab/lang/scenario.h"
#include "lab/report/result.h"
#include "lab/run/runner.h"

Suite *daemon_suite(void);

static const struct result *find(const struct scenario_result *sr, const char *label)
{
	for (size_t i = 0; i < sr->n_results; i++)
		if (sr->results[i].label && !strcmp(sr->results[i].label, label))
			return &sr->results[i];
	return NULL;
}

/* Runs text (the product scenario, possibly changed); the caller frees. */
static struct run *run_text(const char *text)
{
	struct run_opts o = { .wg = "auto" };
	struct diags d = { 0 };
	struct lab *lab = NULL;
	struct run *r = NULL;

	ck_assert_msg(scenario_load_text("product.lab", text, strlen(text), &lab, &d) == 0,
		      "does not parse: %u: %s", d.first ? d.first->line : 0,
		      d.first ? d.first->msg : "");
	ck_assert_int_eq(run_new(&r, lab, NULL, &o, NULL), 0);
	run_steps(r);
	run_teardown(r);
	return r;
}

static char *product_text(void)
{
	FILE *f = fopen("tests/integration/product.lab", "re");
	char *buf = calloc(1, 65536);
	size_t n;

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(buf);
	n = fread(buf, 1, 65535, f);
	fclose(f);
	ck_assert_uint_gt(n, 0);
	return buf;
}

START_TEST(test_daemon_product_in_the_loop)
{
	char *text = product_text();
	struct run *r = run_text(text);
	const struct scenario_result *sr = run_result(r);
	const struct result *a, *b, *tunnel;

	ck_assert_msg(!sr->error, "%s", sr->error);
	for (size_t i = 0; i < sr->n_results; i++)
		ck_assert_msg(sr->results[i].held, "line %u failed: %s", sr->results[i].line,
			      sr->results[i].evidence);
	a = find(sr, "prod-a");
	b = find(sr, "prod-b");
	tunnel = find(sr, "tunnel");
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_ptr_nonnull(tunnel);
	ck_assert_msg(strstr(a->evidence, "(daemon, ready after") &&
		      strstr(a->evidence, "wg0 has a handshake with a peer") &&
		      strstr(a->evidence, "until the end of the scenario"), "%s", a->evidence);
	ck_assert_msg(strstr(b->evidence, "udp port 51820 is bound"), "%s", b->evidence);
	ck_assert_msg(strstr(tunnel->evidence, "reply from 10.9.0.2"), "%s", tunnel->evidence);
	run_free(r);
	free(text);
}
END_TEST

/* The product on b dies after configuring (its wireguard-go is gone): the
 * run fails on b's daemon line, with its output, and the tunnel fails. */
START_TEST(test_daemon_product_exits_early)
{
	char *text = product_text(), *at = strstr(text, "echo \"product up on b\"\nwait\n");
	const struct scenario_result *sr;
	const struct result *b;
	struct run *r;

	ck_assert_ptr_nonnull(at);
	memcpy(at, "echo \"product up on b\"\nexit 7\n", strlen("echo \"product up on b\"\nexit 7\n"));
	r = run_text(text);
	sr = run_result(r);
	ck_assert_msg(!sr->error, "%s", sr->error);
	b = find(sr, "prod-b");
	ck_assert_ptr_nonnull(b);
	ck_assert_msg(!b->held, "%s", b->evidence);
	ck_assert_msg(strstr(b->evidence, "exited 7 after") &&
		      strstr(b->evidence, "a daemon must run until the scenario ends") &&
		      strstr(b->evidence, "; output: ") && strstr(b->evidence, "product up on b"),
		      "%s", b->evidence);
	ck_assert(!sr->passed);
	run_free(r);
	free(text);
}
END_TEST

Suite *daemon_suite(void)
{
	Suite *s = suite_create("daemon");
	TCase *tc = tcase_create("product");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_daemon_product_in_the_loop);
	tcase_add_test(tc, test_daemon_product_exits_early);
	suite_add_tcase(s, tc);
	return s;
}
