// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * The throughput generator and the latency loop on real paths, held to
 * iperf3 measured on the same path in the same test:
 *
 *   A va 10.9.0.1/24 fd09::1/64 <-- veth --> vb 10.9.0.2/24 fd09::2/64 B
 *
 * and through a wireguard-go tunnel built by the lab from a scenario.
 * TCP figures are held to the kernel's own counters of the receiving
 * interface (what arrived, whatever the machine's load); the UDP generator,
 * whose rate is fixed, to iperf3 on the same path.  How fast the generator
 * is beside iperf3 is a performance figure: `make bench --iperf3` prints it,
 * no test asserts it (this machine is shared and noisy).
 */
#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "lab/bench/bench_iperf.h"
#include "lab/lang/diag.h"
#include "lab/run/run_ctx.h"
#include "lab/run/runner.h"
#include "lab/lang/scenario.h"
#include "netns/link.h"
#include "netns/ns.h"
#include "netns/util/now.h"
#include "tests/integration/trafficlib.h"
#include "traffic/latency.h"
#include "traffic/loop.h"
#include "traffic/tput.h"

extern Suite *tput_live_suite(void);

static struct netns *A, *B;

static void veth_setup(void)
{
	A = tt_ns();
	B = tt_ns();
	tt_veth(A, "va", B, "vb");
	tt_addr(A, "va", "10.9.0.1/24");
	tt_addr(A, "va", "fd09::1/64");
	tt_addr(B, "vb", "10.9.0.2/24");
	tt_addr(B, "vb", "fd09::2/64");
	tt_wait_running(A, "va");
	tt_wait_running(B, "vb");
}

static void veth_teardown(void)
{
	netns_free(A);
	netns_free(B);
}

static void tcp_req(struct tput_req *req, const char *dst, unsigned int streams, unsigned int ms)
{
	memset(req, 0, sizeof(*req));
	req->proto = TPUT_TCP;
	req->dst = tt_parse(dst);
	req->streams = streams;
	req->duration_ms = ms;
}

/* The generator against iperf3, alternating, the best of each compared.
 * Foreign load on this shared machine only lowers a figure, so rounds go
 * on (six at most) until the bests agree: a generator off by more than
 * 10 % either way never gets there. */
static void versus_iperf3(struct netns *from, struct netns *to, const struct tput_req *req,
			  const char *what)
{
	double ours = 0, theirs = 0;
	char buf[512], err[256];

	for (int round = 0; round < 6; round++) {
		struct bench_iperf_result ir;
		struct tput_result tr;
		int ret;

		ck_assert_int_eq(tput_run(from, to, req, &tr), 0);
		tt_note("%s wglab: %s", what, tput_format(req, &tr, buf, sizeof(buf)));
		ck_assert_msg(!tr.error, "%s: %s", what, buf);
		ck_assert_msg(tr.bytes > 0 && tr.bytes <= tr.bytes_sent, "%s: %s", what, buf);
		if (tr.bps > ours)
			ours = tr.bps;
		ret = bench_iperf3(from, to, req, &ir, err, sizeof(err));
		ck_assert_msg(ret == 0, "%s: iperf3: %s (%s)", what, strerror(-ret), err);
		tt_note("%s iperf3: %.0f Mbit/s, %llu retransmits", what, ir.bps / 1e6,
			(unsigned long long)ir.retransmits);
		if (ir.bps > theirs)
			theirs = ir.bps;
		if (round >= 1 && fabs(ours - theirs) <= 0.10 * theirs)
			break;
	}
	ck_assert_msg(fabs(ours - theirs) <= 0.10 * theirs,
		      "%s: wglab %.0f Mbit/s, iperf3 %.0f Mbit/s: more than 10 %% apart", what,
		      ours / 1e6, theirs / 1e6);
}

/* What the generator counted against what the kernel delivered on the
 * receiving interface `rxif` during the run: payload can never exceed the
 * bytes that arrived, and what else arrived is headers (under 10 % at
 * these MTUs), a retransmitted segment at most once per retransmission
 * TCP counted (an MTU-sized packet each), the control connection and a
 * stray neighbour message (64 KiB).  A generator
 * that counts twice, misses data or times the wrong window fails,
 * whatever the load of the machine. */
static void versus_kernel(struct netns *from, struct netns *to, const char *rxif,
			  const struct tput_req *req, const char *what)
{
	struct link_info before, after;
	struct tput_result tr;
	uint64_t t0, wall, rx;
	char buf[512];

	ck_assert_int_eq(link_get(to, rxif, &before), 0);
	t0 = now_us();
	ck_assert_int_eq(tput_run(from, to, req, &tr), 0);
	wall = now_us() - t0;
	ck_assert_int_eq(link_get(to, rxif, &after), 0);
	rx = after.rx_bytes - before.rx_bytes;
	tput_format(req, &tr, buf, sizeof(buf));
	tt_note("%s: %s; kernel: %llu bytes in on %s, %llu us", what, buf,
		(unsigned long long)rx, rxif, (unsigned long long)wall);
	ck_assert_msg(!tr.error, "%s: %s", what, buf);
	ck_assert_msg(tr.bytes > 1000000 && tr.bytes <= tr.bytes_sent, "%s: %s", what, buf);
	ck_assert_msg(tr.bytes <= rx &&
			      rx <= tr.bytes + tr.bytes / 10 + tr.retransmits * 1514 + 65536,
		      "%s: generator counted %llu bytes (%llu retransmits), the kernel saw %llu "
		      "arrive on %s",
		      what, (unsigned long long)tr.bytes, (unsigned long long)tr.retransmits,
		      (unsigned long long)rx, rxif);
	/* The receiver's window lies inside the call; the rate is its bytes
	 * over that window, so never below bytes over the whole call. */
	ck_assert_msg(tr.window_us > 0 && tr.window_us <= wall, "%s: window %llu us of %llu",
		      what, (unsigned long long)tr.window_us, (unsigned long long)wall);
	ck_assert_msg(tr.bps >= (double)tr.bytes * 8e6 / (double)wall, "%s: %s", what, buf);
	ck_assert_msg(fabs(tr.bps - (double)tr.bytes * 8e6 / (double)tr.window_us) <= 1e-6 * tr.bps,
		      "%s: %s", what, buf);
}

START_TEST(test_tput_tcp_veth_matches_kernel)
{
	struct tput_req req;

	tcp_req(&req, "10.9.0.2", 1, 2000);
	versus_kernel(A, B, "vb", &req, "veth tcp");
}
END_TEST

START_TEST(test_tput_tcp_streams_ipv6)
{
	struct tput_req req;
	struct tput_result res;
	char buf[512];

	tcp_req(&req, "fd09::2", 4, 1000);
	ck_assert_int_eq(tput_run(A, B, &req, &res), 0);
	tt_note("%s", tput_format(&req, &res, buf, sizeof(buf)));
	ck_assert_int_eq(res.error, 0);
	ck_assert_uint_eq(res.streams, 4);
	ck_assert(res.bytes > 0 && res.bytes <= res.bytes_sent);
	/* The window is the receiver's: about the sender's, never much more. */
	ck_assert_msg(res.window_us > 500000 && res.window_us < 3000000, "window %llu us",
		      (unsigned long long)res.window_us);
	ck_assert(res.cpu_sender_s > 0 && res.cpu_receiver_s > 0);
}
END_TEST

START_TEST(test_tput_udp_rate_and_loss)
{
	struct tput_req req = { 0 };
	struct tput_result res;
	char buf[512];

	req.proto = TPUT_UDP;
	req.dst = tt_parse("10.9.0.2");
	req.rate_bps = 100000000;
	req.duration_ms = 1000;
	ck_assert_int_eq(tput_run(A, B, &req, &res), 0);
	tt_note("%s", tput_format(&req, &res, buf, sizeof(buf)));
	ck_assert_msg(!res.error, "%s", buf);
	/* Offered 100 Mbit/s for 1 s on an idle veth: all of it arrives. */
	ck_assert_msg(res.dgrams_sent >= 10000 && res.dgrams_sent <= 10500, "%s", buf);
	ck_assert_msg(res.dgrams_lost <= res.dgrams_sent / 100, "%s", buf);
	ck_assert_msg(fabs(res.bps - 1e8) < 0.05e8, "%s", buf);
}
END_TEST

START_TEST(test_tput_udp_matches_iperf3)
{
	struct tput_req req = { 0 };

	req.proto = TPUT_UDP;
	req.dst = tt_parse("10.9.0.2");
	req.rate_bps = 200000000;
	req.duration_ms = 2000;
	versus_iperf3(A, B, &req, "veth udp 200 Mbit/s");
}
END_TEST

START_TEST(test_tput_refused_is_a_result)
{
	struct tput_req req;
	struct tput_result res;
	char buf[512];

	/* Nothing routes to 10.9.1.2: traffic cannot flow, the
	 * measurement still ran. */
	tcp_req(&req, "10.9.1.2", 1, 500);
	ck_assert_int_eq(tput_run(A, B, &req, &res), 0);
	tput_format(&req, &res, buf, sizeof(buf));
	ck_assert_int_eq(res.error, ENETUNREACH);
	ck_assert_uint_eq(res.bytes, 0);
	ck_assert_msg(strstr(buf, "nothing received: "), "%s", buf);
}
END_TEST

START_TEST(test_latency_veth)
{
	struct latency_req req = { 0 };
	struct latency_result res;
	struct loop *l = loop_new();
	char buf[256];

	ck_assert_ptr_nonnull(l);
	req.dst = tt_parse("10.9.0.2");
	req.samples = 200;
	ck_assert_int_eq(latency_run(l, A, B, &req, &res), 0);
	tt_note("%s", latency_format(&res, buf, sizeof(buf)));
	ck_assert_uint_eq(res.sent, 200);
	ck_assert_uint_eq(res.received, 200);
	ck_assert(res.min_us <= res.p50_us && res.p50_us <= res.p90_us && res.p90_us <= res.p99_us &&
		  res.p99_us <= res.max_us);
	/* A veth round trip is tens of microseconds, far below 10 ms. */
	ck_assert_msg(res.p50_us > 0 && res.p50_us < 10000, "%s", buf);
	loop_free(l);
}
END_TEST

START_TEST(test_latency_nothing_answers)
{
	struct latency_req req = { 0 };
	struct latency_result res;
	struct loop *l = loop_new();

	/* An explicit port where nobody listens: every sample is lost. */
	req.dst = tt_parse("10.9.0.2");
	req.port = 9;
	req.samples = 3;
	req.timeout_ms = 100;
	ck_assert_int_eq(latency_run(l, A, NULL, &req, &res), 0);
	ck_assert_uint_eq(res.sent, 3);
	ck_assert_uint_eq(res.received, 0);
	loop_free(l);
}
END_TEST

/* --- through wireguard-go, built by the lab --- */

static const char wg_lab[] =
	"lab tputwg\n"
	"node a\n"
	"node b\n"
	"link a:eth0 10.99.0.1/24 -- b:eth0 10.99.0.2/24\n"
	"wireguard a:wg0 address 10.100.0.1/24 listen-port 51820 mtu 1420\n"
	"wireguard b:wg0 address 10.100.0.2/24 listen-port 51820 mtu 1420\n"
	"peer a:wg0 b:wg0 allowed-ips 10.100.0.2/32 endpoint 10.99.0.2:51820\n"
	"peer b:wg0 a:wg0 allowed-ips 10.100.0.1/32\n"
	"expect a reaches 10.100.0.2\n";

START_TEST(test_tput_wireguard_go_matches_kernel)
{
	struct run_opts o = { .wg = "userspace" };
	struct diags d = { 0 };
	struct lab *lab = NULL;
	struct run *r = NULL;
	struct tput_req req;

	ck_assert_int_ge(sodium_init(), 0);
	ck_assert_int_eq(scenario_load_text("tputwg.lab", wg_lab, strlen(wg_lab), &lab, &d), 0);
	ck_assert_int_eq(run_new(&r, lab, NULL, &o, NULL), 0);
	ck_assert_int_eq(run_steps(r), 0);
	ck_assert_msg(run_result(r)->passed, "the tunnel does not carry traffic");
	tcp_req(&req, "10.100.0.2", 1, 2000);
	versus_kernel(run_node(r, "a")->ns, run_node(r, "b")->ns, "wg0", &req, "wireguard-go tcp");
	run_free(r);
	lab_free(lab);
}
END_TEST

Suite *tput_live_suite(void)
{
	Suite *s = suite_create("tput_live");
	TCase *tc = tcase_create("tput_run");

	tcase_add_checked_fixture(tc, veth_setup, veth_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_tput_tcp_veth_matches_kernel);
	tcase_add_test(tc, test_tput_tcp_streams_ipv6);
	tcase_add_test(tc, test_tput_udp_rate_and_loss);
	tcase_add_test(tc, test_tput_udp_matches_iperf3);
	tcase_add_test(tc, test_tput_refused_is_a_result);
	suite_add_tcase(s, tc);

	tc = tcase_create("latency_run");
	tcase_add_checked_fixture(tc, veth_setup, veth_teardown);
	tcase_add_test(tc, test_latency_veth);
	tcase_add_test(tc, test_latency_nothing_answers);
	suite_add_tcase(s, tc);

	tc = tcase_create("wireguard");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_tput_wireguard_go_matches_kernel);
	suite_add_tcase(s, tc);
	return s;
}
