// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* Rate and percentile arithmetic, evidence strings, iperf3's JSON. */
#include <check.h>
#include <errno.h>
#include <math.h>
#include <string.h>

#include "assertions/latency.h"
#include "assertions/throughput.h"
#include "lab/bench/bench_iperf.h"
#include "traffic/latency.h"
#include "traffic/tput.h"

extern Suite *tput_suite(void);

START_TEST(test_tput_bps)
{
	ck_assert(fabs(tput_bps(125000000, 1000000) - 1e9) < 1e-3);
	ck_assert(fabs(tput_bps(1, 8) - 1e6) < 1e-9);
	ck_assert(tput_bps(12345, 0) == 0);
}
END_TEST

static const struct {
	double bps;
	const char *text;
} rates[] = {
	{ 0, "0 bit/s" },
	{ 12, "12 bit/s" },
	{ 950000, "950 kbit/s" },
	{ 412e6, "412 Mbit/s" },
	{ 47.54e6, "47.5 Mbit/s" },
	{ 14.19e9, "14.2 Gbit/s" },
	{ 1.5e9, "1.50 Gbit/s" },
	{ 999.6e6, "1.00 Gbit/s" },
	{ 999.4e3, "999 kbit/s" },
	{ -5, "0 bit/s" },
};

START_TEST(test_tput_format_rate)
{
	char buf[32];

	ck_assert_str_eq(tput_format_rate(rates[_i].bps, buf, sizeof(buf)), rates[_i].text);
}
END_TEST

START_TEST(test_tput_udp_due)
{
	/* 100 Mbit/s of 1250-byte datagrams is 10000 per second. */
	ck_assert_uint_eq(tput_udp_due(100000000, 1250, 1000000), 10000);
	ck_assert_uint_eq(tput_udp_due(100000000, 1250, 99), 0);
	ck_assert_uint_eq(tput_udp_due(100000000, 1250, 100), 1);
	ck_assert_uint_eq(tput_udp_due(100000000, 1250, 1999), 19);
	/* An hour at 10 Gbit/s does not overflow. */
	ck_assert_uint_eq(tput_udp_due(10000000000ULL, 1000, 3600000000ULL), 4500000000ULL);
	ck_assert_uint_eq(tput_udp_due(1000, 0, 1000), 0);
}
END_TEST

START_TEST(test_tput_format_tcp)
{
	struct tput_req req = { .proto = TPUT_TCP };
	struct tput_result res = { .proto = TPUT_TCP, .streams = 1, .duration_us = 5000000,
				   .bytes = 257500000, .bps = 412e6, .retransmits = 31744,
				   .cpu_sender_s = 0.5, .cpu_receiver_s = 0.3 };
	char buf[256];

	ck_assert_str_eq(tput_format(&req, &res, buf, sizeof(buf)),
			 "tcp 1 stream 5.0 s: 412 Mbit/s, 31744 retransmits, generator CPU 0.8 s");
	res.streams = 4;
	res.error = ECONNRESET;
	ck_assert_str_eq(tput_format(&req, &res, buf, sizeof(buf)),
			 "tcp 4 streams 5.0 s: 412 Mbit/s, 31744 retransmits, generator CPU 0.8 s (stopped: connection reset)");
	res.bytes = 0;
	res.bps = 0;
	res.error = ECONNREFUSED;
	ck_assert_str_eq(tput_format(&req, &res, buf, sizeof(buf)),
			 "tcp 4 streams 5.0 s: 0 bit/s, nothing received: connection refused");
}
END_TEST

START_TEST(test_tput_format_udp)
{
	struct tput_req req = { .proto = TPUT_UDP, .rate_bps = 100000000 };
	struct tput_result res = { .proto = TPUT_UDP, .streams = 1, .duration_us = 5000000,
				   .bytes = 62375000, .bps = 99.8e6, .dgrams_sent = 52084,
				   .dgrams_offered = 52084, .dgrams_received = 52072, .dgrams_lost = 12, .loss = 12.0 / 52084,
				   .cpu_sender_s = 0.4, .cpu_receiver_s = 0.2 };
	char buf[256];

	ck_assert_str_eq(tput_format(&req, &res, buf, sizeof(buf)),
			 "udp 100 Mbit/s offered 5.0 s: 99.8 Mbit/s, 12/52084 datagrams lost (0.02 %), generator CPU 0.6 s");
	res.dgrams_offered = 60000;
	ck_assert_str_eq(tput_format(&req, &res, buf, sizeof(buf)),
			 "udp 100 Mbit/s offered 5.0 s: 99.8 Mbit/s, 12/52084 datagrams lost (0.02 %), 7916 more not sent (the send queue was full), generator CPU 0.6 s");
}
END_TEST

START_TEST(test_tput_throughput_req)
{
	struct tput_req in = { .proto = TPUT_UDP }, out;

	/* UDP offers 10 % over the threshold unless told a rate. */
	expect_throughput_req(&in, 50000000, &out);
	ck_assert_uint_eq(out.rate_bps, 55000000);
	in.rate_bps = 20000000;
	expect_throughput_req(&in, 50000000, &out);
	ck_assert_uint_eq(out.rate_bps, 20000000);
	in.proto = TPUT_TCP;
	in.rate_bps = 0;
	expect_throughput_req(&in, 50000000, &out);
	ck_assert_uint_eq(out.rate_bps, 0);
}
END_TEST

/* Nearest rank: the smallest sample with at least pct % at or below it. */
START_TEST(test_latency_percentile)
{
	double ten[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	double hundred[100];

	for (int i = 0; i < 100; i++)
		hundred[i] = i + 1;
	ck_assert(latency_percentile(ten, 10, 50) == 5);
	ck_assert(latency_percentile(ten, 10, 90) == 9);
	ck_assert(latency_percentile(ten, 10, 99) == 10);
	ck_assert(latency_percentile(ten, 10, 0) == 1);
	ck_assert(latency_percentile(ten, 1, 99) == 1);
	ck_assert(latency_percentile(ten, 0, 50) == 0);
	ck_assert(latency_percentile(hundred, 100, 50) == 50);
	ck_assert(latency_percentile(hundred, 100, 99) == 99);
	ck_assert(latency_percentile(hundred, 100, 100) == 100);
}
END_TEST

START_TEST(test_latency_stats)
{
	double s[] = { 90, 10, 50, 30, 70, 20, 40, 60, 80, 100 };
	struct latency_result r = { 0 };
	char buf[256];

	latency_stats(s, 10, 10, &r);
	ck_assert(s[0] == 10 && s[9] == 100);	/* sorted in place */
	ck_assert_uint_eq(r.sent, 10);
	ck_assert_uint_eq(r.received, 10);
	ck_assert(r.min_us == 10 && r.max_us == 100 && r.avg_us == 55);
	ck_assert(r.p50_us == 50 && r.p90_us == 90 && r.p99_us == 100);
	ck_assert_str_eq(latency_format(&r, buf, sizeof(buf)),
			 "10/10 answered: p50 0.050 ms, p90 0.090 ms, p99 0.100 ms (min 0.010, max 0.100)");
	ck_assert(expect_latency_value(&r, 90) == 90);
}
END_TEST

/* Unanswered requests count as infinitely late. */
START_TEST(test_latency_stats_lost)
{
	double s[98];
	struct latency_result r = { 0 };
	char buf[256];

	for (int i = 0; i < 98; i++)
		s[i] = 1000;
	latency_stats(s, 98, 100, &r);
	ck_assert(r.p50_us == 1000 && r.p90_us == 1000);
	ck_assert(isinf(r.p99_us));
	ck_assert_str_eq(latency_format(&r, buf, sizeof(buf)),
			 "98/100 answered: p50 1.000 ms, p90 1.000 ms, p99 lost (min 1.000, max 1.000)");
	latency_stats(s, 0, 3, &r);
	ck_assert_str_eq(latency_format(&r, buf, sizeof(buf)), "0/3 answered");
	ck_assert(isinf(r.p50_us));
	/* Requests that never left say why. */
	r.not_sent = 3;
	r.local_error = EPERM;
	ck_assert_str_eq(latency_format(&r, buf, sizeof(buf)), "0/3 answered; 3 not sent: operation not permitted (firewall)");
}
END_TEST

/* Trimmed from iperf3 3.12 -J output. */
static const char iperf_tcp[] =
	"{\"start\":{\"version\":\"iperf 3.12\"},\"end\":{\"streams\":[{\"sender\":{\"bits_per_second\":1.0}}],"
	"\"sum_sent\":{\"seconds\":5.0,\"bits_per_second\":14200000000.5,\"retransmits\":8965,\"sender\":true},"
	"\"sum_received\":{\"seconds\":5.0,\"bits_per_second\":14186000000.25,\"sender\":true},"
	"\"cpu_utilization_percent\":{\"host_total\":85.5,\"host_user\":1.2,\"remote_total\":40.25}}}";
static const char iperf_udp[] =
	"{\"end\":{\"streams\":[],\"sum\":{\"bits_per_second\":9992780.5,\"lost_packets\":0,\"lost_percent\":0,"
	"\"sender\":true},\"sum_sent\":{\"bits_per_second\":9992780.5,\"lost_percent\":1.5},"
	"\"sum_received\":{\"bits_per_second\":9842211.0,\"lost_percent\":1.5},"
	"\"cpu_utilization_percent\":{\"host_total\":3.0,\"remote_total\":1.0}}}";
static const char iperf_udp_old[] =
	"{\"end\":{\"sum\":{\"bits_per_second\":1000000.0,\"lost_percent\":2.5}}}";
static const char iperf_error[] =
	"{\"start\":{\"connected\":[]},\"intervals\":[],\"end\":{},"
	"\"error\":\t\"unable to connect to server: Connection refused\"}";

START_TEST(test_tput_iperf3_parse)
{
	struct bench_iperf_result r;
	char err[128] = "";

	ck_assert_int_eq(bench_iperf3_parse(iperf_tcp, TPUT_TCP, &r, err, sizeof(err)), 0);
	ck_assert(r.bps == 14186000000.25);
	ck_assert_uint_eq(r.retransmits, 8965);
	ck_assert(r.cpu_client == 85.5 && r.cpu_server == 40.25);
	ck_assert_int_eq(bench_iperf3_parse(iperf_udp, TPUT_UDP, &r, err, sizeof(err)), 0);
	ck_assert(r.bps == 9842211.0);
	ck_assert(r.lost_percent == 0);		/* the first in "end": the sender's sum */
	ck_assert_int_eq(bench_iperf3_parse(iperf_udp_old, TPUT_UDP, &r, err, sizeof(err)), 0);
	ck_assert(r.bps == 1000000.0 && r.lost_percent == 2.5);
	ck_assert_int_eq(bench_iperf3_parse(iperf_error, TPUT_TCP, &r, err, sizeof(err)), -EPROTO);
	ck_assert_str_eq(err, "iperf3: unable to connect to server: Connection refused");
	ck_assert_int_eq(bench_iperf3_parse("{}", TPUT_TCP, &r, err, sizeof(err)), -EBADMSG);
}
END_TEST

Suite *tput_suite(void)
{
	Suite *s = suite_create("tput");
	TCase *tc = tcase_create("rates");

	tcase_add_test(tc, test_tput_bps);
	tcase_add_loop_test(tc, test_tput_format_rate, 0, sizeof(rates) / sizeof(rates[0]));
	tcase_add_test(tc, test_tput_udp_due);
	tcase_add_test(tc, test_tput_throughput_req);
	suite_add_tcase(s, tc);
	tc = tcase_create("tput_format");
	tcase_add_test(tc, test_tput_format_tcp);
	tcase_add_test(tc, test_tput_format_udp);
	suite_add_tcase(s, tc);
	tc = tcase_create("latency_stats");
	tcase_add_test(tc, test_latency_percentile);
	tcase_add_test(tc, test_latency_stats);
	tcase_add_test(tc, test_latency_stats_lost);
	suite_add_tcase(s, tc);
	tc = tcase_create("bench_iperf3_parse");
	tcase_add_test(tc, test_tput_iperf3_parse);
	suite_add_tcase(s, tc);
	return s;
}
