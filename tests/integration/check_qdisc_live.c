// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * Link shaping against the kernel, with tc as the witness and the
 * throughput generator and iperf3 as the measure:
 *
 *   A va 10.8.0.1/24 <-- veth, tbf 50 mbit on both ends --> vb 10.8.0.2/24 B
 */
#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "assertions/throughput.h"
#include "assertions/verdict.h"
#include "lab/bench/bench_iperf.h"
#include "netns/nl.h"
#include "netns/ns.h"
#include "netns/qdisc.h"
#include "tests/integration/netns_testlib.h"
#include "tests/integration/trafficlib.h"
#include "traffic/tput.h"

extern Suite *qdisc_live_suite(void);

static struct netns *A, *B;

static void setup(void)
{
	A = tt_ns();
	B = tt_ns();
	tt_veth(A, "va", B, "vb");
	tt_addr(A, "va", "10.8.0.1/24");
	tt_addr(B, "vb", "10.8.0.2/24");
	tt_wait_running(A, "va");
	tt_wait_running(B, "vb");
}

static void teardown(void)
{
	netns_free(A);
	netns_free(B);
}

static void shape_both(uint64_t bps)
{
	struct qdisc_shape s = { .flags = QDISC_HAS_RATE, .rate_bps = bps };

	ck_assert_msg(!qdisc_shape(A, "va", &s), "tbf on va: %s", netns_extack(A));
	ck_assert_msg(!qdisc_shape(B, "vb", &s), "tbf on vb: %s", netns_extack(B));
}

START_TEST(test_qdisc_tbf_as_tc_sees_it)
{
	struct qdisc_info q;
	char out[4096];

	shape_both(50000000);
	ck_assert_int_eq(qdisc_get_root(A, "va", &q), 0);
	ck_assert_str_eq(q.kind, "tbf");
	ck_assert_uint_eq(q.shape.rate_bps, 50000000);
	ck_assert_uint_eq(q.handle, 0x10000);
	/* The kernel keeps the bucket as time: what comes back is within a
	 * byte or two of what was asked. */
	ck_assert_msg(q.burst >= 24990 && q.burst <= 25010, "burst %u", q.burst);
	ck_assert_uint_eq(q.limit, 25000 + 312500);
	ck_assert_int_eq(nt_sh(B, out, sizeof(out), "tc qdisc show dev vb"), 0);
	ck_assert_msg(strstr(out, "qdisc tbf 1: root") && strstr(out, "rate 50Mbit") &&
		      strstr(out, "burst 25000b"), "tc says: %s", out);

	/* Replacing is idempotent, and clearing gives the default back. */
	shape_both(20000000);
	ck_assert_int_eq(qdisc_get_root(A, "va", &q), 0);
	ck_assert_uint_eq(q.shape.rate_bps, 20000000);
	ck_assert_int_eq(qdisc_clear(A, "va"), 0);
	ck_assert_int_eq(nt_sh(A, out, sizeof(out), "tc qdisc show dev va"), 0);
	ck_assert_msg(!strstr(out, "tbf"), "tc says: %s", out);
	ck_assert_int_eq(qdisc_clear(A, "va"), 0);
	ck_assert_int_eq(qdisc_clear(A, "nosuch0"), -ENODEV);
}
END_TEST

/* Shaped to 50 mbit each way: the generator and iperf3 both measure about
 * 50 Mbit/s (tbf passes a little under its rate), and agree. */
START_TEST(test_qdisc_tbf_50mbit_measured)
{
	struct tput_req req = { .proto = TPUT_TCP, .duration_ms = 3000 };
	struct bench_iperf_result ir;
	struct tput_result tr;
	char buf[512], err[256];
	int ret;

	shape_both(50000000);
	for (int dir = 0; dir < 2; dir++) {
		struct netns *from = dir ? B : A, *to = dir ? A : B;

		req.dst = tt_parse(dir ? "10.8.0.1" : "10.8.0.2");
		ck_assert_int_eq(tput_run(from, to, &req, &tr), 0);
		tt_note("tbf 50 mbit, %s: %s", dir ? "B to A" : "A to B", tput_format(&req, &tr, buf, sizeof(buf)));
		ck_assert_msg(tr.bps > 40e6 && tr.bps < 52e6, "%s", buf);
		ret = bench_iperf3(from, to, &req, &ir, err, sizeof(err));
		ck_assert_msg(!ret, "iperf3: %s", err);
		tt_note("tbf 50 mbit iperf3: %.1f Mbit/s", ir.bps / 1e6);
		ck_assert_msg(fabs(tr.bps - ir.bps) <= 0.10 * ir.bps, "wglab %.1f, iperf3 %.1f Mbit/s",
			      tr.bps / 1e6, ir.bps / 1e6);
	}
}
END_TEST

/* The expectation fails on a link shaped below its rate, and holds below
 * the shaping: it can fail, and for the right reason. */
START_TEST(test_qdisc_throughput_expectation_fails_when_shaped)
{
	struct tput_req req = { .proto = TPUT_TCP, .duration_ms = 1000 };
	struct tput_result res;
	struct verdict v;

	shape_both(20000000);
	req.dst = tt_parse("10.8.0.2");
	ck_assert_int_eq(expect_throughput(A, B, &req, 50000000, &v, &res), 0);
	ck_assert_msg(!v.held, "%s", v.evidence);
	ck_assert_msg(strstr(v.evidence, "wanted >= 50.0 Mbit/s") && res.bps < 21e6, "%s", v.evidence);
	ck_assert_int_eq(expect_throughput(A, B, &req, 10000000, &v, &res), 0);
	ck_assert_msg(v.held, "%s", v.evidence);
	/* UDP offers 55 Mbit/s; the shaped link takes 20. */
	req.proto = TPUT_UDP;
	ck_assert_int_eq(expect_throughput(A, B, &req, 50000000, &v, &res), 0);
	ck_assert_msg(!v.held && strstr(v.evidence, "udp 55.0 Mbit/s offered"), "%s", v.evidence);
}
END_TEST

/* netem where the kernel has it; here (no sch_netem) the kernel's own
 * refusal says so, and nothing was installed. */
START_TEST(test_qdisc_netem_or_clear_refusal)
{
	struct qdisc_shape s = { .flags = QDISC_HAS_DELAY, .delay_us = 10000 };
	struct qdisc_info q;
	int ret = qdisc_shape(A, "va", &s);

	if (ret == -EOPNOTSUPP) {
		ck_assert_msg(strstr(netns_extack(A), "qdisc kind is unknown"), "extack: '%s'", netns_extack(A));
		ck_assert_int_eq(qdisc_get_root(A, "va", &q), 0);
		ck_assert_str_ne(q.kind, "netem");
		return;
	}
	ck_assert_msg(ret == 0, "netem: %s: %s", strerror(-ret), netns_extack(A));
	ck_assert_int_eq(qdisc_get_root(A, "va", &q), 0);
	ck_assert_str_eq(q.kind, "netem");
	ck_assert_uint_eq(q.shape.delay_us, 10000);
}
END_TEST

Suite *qdisc_live_suite(void)
{
	Suite *s = suite_create("qdisc_live");
	TCase *tc = tcase_create("qdisc_shape");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_qdisc_tbf_as_tc_sees_it);
	tcase_add_test(tc, test_qdisc_tbf_50mbit_measured);
	tcase_add_test(tc, test_qdisc_throughput_expectation_fails_when_shaped);
	tcase_add_test(tc, test_qdisc_netem_or_clear_refusal);
	suite_add_tcase(s, tc);
	return s;
}
