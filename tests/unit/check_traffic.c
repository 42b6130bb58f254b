// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include <check.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <netinet/icmp6.h>
#include <sys/epoll.h>

#include "traffic/echo.h"
#include "traffic/loop.h"
#include "traffic/path.h"
#include "traffic/probe.h"
#include "traffic/sock.h"
#include "netns/util/now.h"

static struct addr A(const char *s)
{
	struct addr a;

	ck_assert_int_eq(addr_parse(s, 0, &a), 0);
	return a;
}

static struct traffic_icmp icmp(int family, uint8_t type, uint8_t code, const char *from)
{
	struct traffic_icmp e = { .family = family, .type = type, .code = code };

	if (from)
		e.from = A(from);
	return e;
}

START_TEST(test_traffic_icmp_describe)
{
	struct traffic_icmp e;
	char buf[128];

	e = icmp(AF_INET, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, "10.0.1.1");
	ck_assert_str_eq(traffic_icmp_describe(&e, buf, sizeof(buf)),
			 "destination unreachable (host) from 10.0.1.1");
	ck_assert(traffic_icmp_is_unreach(&e));
	ck_assert(!traffic_icmp_is_port_unreach(&e));
	e = icmp(AF_INET, ICMP_DEST_UNREACH, ICMP_PKT_FILTERED, "10.0.1.1");
	ck_assert_str_eq(traffic_icmp_describe(&e, buf, sizeof(buf)),
			 "destination unreachable (admin-prohibited) from 10.0.1.1");
	e = icmp(AF_INET, ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, "10.0.9.1");
	ck_assert_str_eq(traffic_icmp_describe(&e, buf, sizeof(buf)), "time exceeded (ttl) from 10.0.9.1");
	ck_assert(traffic_icmp_is_time_exceeded(&e));
	e = icmp(AF_INET, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, "10.0.9.1");
	e.info = 1400;
	ck_assert_str_eq(traffic_icmp_describe(&e, buf, sizeof(buf)),
			 "fragmentation needed (mtu 1400) from 10.0.9.1");
	e = icmp(AF_INET6, ICMP6_DST_UNREACH, ICMP6_DST_UNREACH_NOPORT, "fd02::2");
	ck_assert_str_eq(traffic_icmp_describe(&e, buf, sizeof(buf)),
			 "destination unreachable (port) from fd02::2");
	ck_assert(traffic_icmp_is_port_unreach(&e));
	e = icmp(AF_INET6, ICMP6_PACKET_TOO_BIG, 0, "fd00::1");
	e.info = 1280;
	ck_assert_str_eq(traffic_icmp_describe(&e, buf, sizeof(buf)),
			 "packet too big (mtu 1280) from fd00::1");
	e = icmp(AF_INET6, ICMP6_TIME_EXCEEDED, 0, "fd00::1");
	ck_assert_str_eq(traffic_icmp_describe(&e, buf, sizeof(buf)),
			 "time exceeded (hop limit) from fd00::1");
	e = icmp(AF_INET, 42, 1, NULL);
	ck_assert_str_eq(traffic_icmp_describe(&e, buf, sizeof(buf)), "icmp type 42 code 1");
	e = icmp(AF_INET, 0, 0, NULL);
	e.local = true;
	e.err = EMSGSIZE;
	e.info = 1420;
	ck_assert_str_eq(traffic_icmp_describe(&e, buf, sizeof(buf)),
			 "local error: message too long (mtu 1420)");
	ck_assert(!traffic_icmp_is_unreach(&e));
}
END_TEST

static struct probe_req req(enum probe_proto proto, const char *dst, uint16_t port)
{
	struct probe_req r = { .proto = proto, .port = port };

	r.dst = A(dst);
	return r;
}

START_TEST(test_traffic_probe_evidence_ok)
{
	struct probe_req r = req(PROBE_ICMP, "10.0.0.2", 0);
	struct probe_result res = { .ok = true, .attempts = 3, .seq = 3, .rtt_us = 210 };
	char buf[PROBE_EVIDENCE_LEN];

	res.responder = A("10.0.0.2");
	ck_assert_str_eq(probe_format_evidence(&r, &res, buf, sizeof(buf)),
			 "icmp echo reply from 10.0.0.2 (seq 3, 0.21 ms) after 3 requests");
	r = req(PROBE_TCP, "fd00::2", 443);
	res.attempts = 1;
	res.rtt_us = 1500;
	ck_assert_str_eq(probe_format_evidence(&r, &res, buf, sizeof(buf)),
			 "tcp connection to [fd00::2]:443 established (1.50 ms) after 1 attempt");
	r = req(PROBE_UDP, "10.0.0.2", 7);
	res.responder_port = 7;
	res.seq = 1;
	ck_assert_str_eq(probe_format_evidence(&r, &res, buf, sizeof(buf)),
			 "udp echo from 10.0.0.2:7 (seq 1, 1.50 ms) after 1 datagram");
}
END_TEST

START_TEST(test_traffic_probe_evidence_failures)
{
	struct probe_req r = req(PROBE_ICMP, "10.0.0.2", 0);
	struct probe_result res = { .attempts = 20, .elapsed_ms = 2004 };
	char buf[PROBE_EVIDENCE_LEN];

	ck_assert_str_eq(probe_format_evidence(&r, &res, buf, sizeof(buf)),
			 "no reply to 20 icmp echo requests in 2.0 s");
	res.last_error = EHOSTUNREACH;
	res.last_icmp = icmp(AF_INET, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, "10.0.1.1");
	ck_assert_str_eq(probe_format_evidence(&r, &res, buf, sizeof(buf)),
			 "no reply to 20 icmp echo requests in 2.0 s; last: destination unreachable (host) from 10.0.1.1");

	r = req(PROBE_TCP, "10.0.0.2", 81);
	memset(&res.last_icmp, 0, sizeof(res.last_icmp));
	res.last_error = ECONNREFUSED;
	ck_assert_str_eq(probe_format_evidence(&r, &res, buf, sizeof(buf)),
			 "no tcp connection to 10.0.0.2:81 in 2.0 s (20 attempts); last: connection refused (tcp reset)");
	res.attempts = 1;
	res.last_error = ETIMEDOUT;
	ck_assert_str_eq(probe_format_evidence(&r, &res, buf, sizeof(buf)),
			 "no tcp connection to 10.0.0.2:81 in 2.0 s (1 attempt); last: timed out");

	r = req(PROBE_UDP, "10.0.0.2", 7);
	res.attempts = 2;
	res.last_error = ECONNREFUSED;
	res.last_icmp = icmp(AF_INET, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, "10.0.0.2");
	ck_assert_str_eq(probe_format_evidence(&r, &res, buf, sizeof(buf)),
			 "no udp echo from 10.0.0.2:7 to 2 datagrams in 2.0 s; last: destination unreachable (port) from 10.0.0.2");
	res.last_error = ENETUNREACH;
	memset(&res.last_icmp, 0, sizeof(res.last_icmp));
	ck_assert_str_eq(probe_format_evidence(&r, &res, buf, sizeof(buf)),
			 "no udp echo from 10.0.0.2:7 to 2 datagrams in 2.0 s; last: network unreachable (no route)");
	/* Truncation keeps a terminated string. */
	ck_assert_uint_eq(strlen(probe_format_evidence(&r, &res, buf, 16)), 15);
}
END_TEST

static void hop(struct path_result *r, const char *addr, int family, uint8_t type, uint8_t code)
{
	struct path_hop *h = &r->hops[r->nhops];

	h->ttl = ++r->nhops;
	if (!addr)
		return;
	h->answered = true;
	h->addr = A(addr);
	if (family)
		h->icmp = icmp(family, type, code, addr);
}

START_TEST(test_traffic_path_evidence)
{
	struct path_result r = { 0 };
	char buf[PATH_EVIDENCE_LEN];

	hop(&r, "10.10.11.1", AF_INET, ICMP_TIME_EXCEEDED, 0);
	hop(&r, "10.10.9.0", AF_INET, ICMP_TIME_EXCEEDED, 0);
	hop(&r, "10.10.10.230", AF_INET, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH);
	r.reached = true;
	ck_assert_str_eq(path_format_evidence(&r, buf, sizeof(buf)),
			 "1 10.10.11.1, 2 10.10.9.0, 3 10.10.10.230");

	memset(&r, 0, sizeof(r));
	hop(&r, "fd01::1", AF_INET6, ICMP6_TIME_EXCEEDED, 0);
	hop(&r, NULL, 0, 0, 0);
	hop(&r, "fd02::2", 0, 0, 0);
	r.reached = true;
	ck_assert_str_eq(path_format_evidence(&r, buf, sizeof(buf)), "1 fd01::1, 2 *, 3 fd02::2");

	memset(&r, 0, sizeof(r));
	hop(&r, "10.0.1.1", AF_INET, ICMP_DEST_UNREACH, ICMP_NET_UNREACH);
	ck_assert_str_eq(path_format_evidence(&r, buf, sizeof(buf)),
			 "1 10.0.1.1 !N; destination not reached");
	r.hops[0].icmp.code = ICMP_PKT_FILTERED;
	ck_assert_str_eq(path_format_evidence(&r, buf, sizeof(buf)),
			 "1 10.0.1.1 !X; destination not reached");

	memset(&r, 0, sizeof(r));
	hop(&r, "10.0.1.1", AF_INET, ICMP_TIME_EXCEEDED, 0);
	hop(&r, NULL, 0, 0, 0);
	hop(&r, NULL, 0, 0, 0);
	r.gave_up = true;
	ck_assert_str_eq(path_format_evidence(&r, buf, sizeof(buf)),
			 "1 10.0.1.1, 2 *, 3 *; destination not reached (gave up after 2 silent hops)");

	memset(&r, 0, sizeof(r));
	hop(&r, NULL, 0, 0, 0);
	r.local_error = ENETUNREACH;
	ck_assert_str_eq(path_format_evidence(&r, buf, sizeof(buf)),
			 "1 * (send failed: network unreachable (no route))");
}
END_TEST

START_TEST(test_traffic_sockaddr)
{
	struct sockaddr_storage ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	struct addr a = A("fd00::1"), b;
	char buf[64];
	uint16_t port;
	socklen_t len;

	len = traffic_sockaddr(&a, 8080, 3, &ss);
	ck_assert_uint_eq(len, sizeof(struct sockaddr_in6));
	ck_assert_uint_eq(ntohs(sin6->sin6_port), 8080);
	ck_assert_uint_eq(sin6->sin6_scope_id, 3);
	ck_assert_int_eq(traffic_sockaddr_parse((struct sockaddr *)&ss, len, &b, &port), 0);
	ck_assert(addr_equal(&a, &b));
	ck_assert_uint_eq(port, 8080);

	/* A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d. */
	a = A("::ffff:192.0.2.7");
	len = traffic_sockaddr(&a, 1, 0, &ss);
	ck_assert_int_eq(traffic_sockaddr_parse((struct sockaddr *)&ss, len, &b, NULL), 0);
	ck_assert_int_eq(b.family, AF_INET);
	ck_assert_str_eq(addr_format(&b, false, buf, sizeof(buf)), "192.0.2.7");

	ck_assert_str_eq(traffic_endpoint_format(&b, 80, buf, sizeof(buf)), "192.0.2.7:80");
	a = A("fd00::1");
	ck_assert_str_eq(traffic_endpoint_format(&a, 80, buf, sizeof(buf)), "[fd00::1]:80");
	ck_assert_str_eq(traffic_endpoint_format(&a, 0, buf, sizeof(buf)), "fd00::1");
	a.family = 0;
	ck_assert_uint_eq(traffic_sockaddr(&a, 1, 0, &ss), 0);
}
END_TEST

/* The echo payload round-trips, and another run's reply is not ours. */
START_TEST(test_traffic_echo_match)
{
	uint8_t pkt[20 + ECHO_PACKET_LEN] = { 0x45 };
	struct addr from = A("10.0.0.2");
	struct echo_got got;

	pkt[9] = IPPROTO_ICMP;
	echo_build(AF_INET, 7, 3, 0xabcdef, 12345, pkt + 20);
	pkt[20] = ICMP_ECHOREPLY;
	ck_assert_int_eq(echo_parse(AF_INET, pkt, sizeof(pkt), &from, 7, 0xabcdef, &got), 1);
	ck_assert_int_eq(got.kind, ECHO_REPLY);
	ck_assert_uint_eq(got.seq, 3);
	ck_assert_uint_eq(got.sent_us, 12345);
	ck_assert_int_eq(echo_parse(AF_INET, pkt, sizeof(pkt), &from, 7, 0xabcdee, &got), 0);
	ck_assert_int_eq(echo_parse(AF_INET, pkt, sizeof(pkt), &from, 8, 0xabcdef, &got), 0);
	/* Our own request (seen when pinging ourselves) is not a reply. */
	pkt[20] = ICMP_ECHO;
	ck_assert_int_eq(echo_parse(AF_INET, pkt, sizeof(pkt), &from, 7, 0xabcdef, &got), 0);
}
END_TEST

START_TEST(test_traffic_echo_error_quotes_request)
{
	uint8_t pkt[20 + 8 + 20 + 8] = { 0x45 };
	uint8_t req[ECHO_PACKET_LEN];
	struct addr from = A("10.0.1.1");
	struct echo_got got;

	pkt[9] = IPPROTO_ICMP;
	pkt[20] = ICMP_TIME_EXCEEDED;
	pkt[28] = 0x45;
	pkt[28 + 9] = IPPROTO_ICMP;
	/* Routers quote only 8 bytes of the request: id and seq, no nonce. */
	echo_build(AF_INET, 7, 2, 1, 1, req);
	memcpy(pkt + 48, req, 8);
	ck_assert_int_eq(echo_parse(AF_INET, pkt, sizeof(pkt), &from, 7, 1, &got), 1);
	ck_assert_int_eq(got.kind, ECHO_ERROR);
	ck_assert_uint_eq(got.seq, 2);
	ck_assert_int_eq(got.err.type, ICMP_TIME_EXCEEDED);
	ck_assert(addr_equal(&got.err.from, &from));
}
END_TEST

struct loop_probe {
	struct loop *l;
	int fds[2][2];
	unsigned int calls[2];
};

/* The first callback removes the second fd: its pending event must not be
 * delivered. */
static void loop_probe_cb(int fd, uint32_t events, void *data)
{
	struct loop_probe *p = data;
	int i = fd == p->fds[0][0] ? 0 : 1;
	char c;

	(void)events;
	p->calls[i]++;
	ck_assert_int_eq(read(fd, &c, 1), 1);
	ck_assert_int_eq(loop_del(p->l, p->fds[!i][0]), 0);
}

START_TEST(test_traffic_loop)
{
	struct loop_probe p = { .l = loop_new() };
	uint64_t t0;

	ck_assert_ptr_nonnull(p.l);
	ck_assert_int_eq(pipe(p.fds[0]), 0);
	ck_assert_int_eq(pipe(p.fds[1]), 0);
	ck_assert_int_eq(loop_add(p.l, p.fds[0][0], EPOLLIN, loop_probe_cb, &p), 0);
	ck_assert_int_eq(loop_add(p.l, p.fds[1][0], EPOLLIN, loop_probe_cb, &p), 0);
	ck_assert_int_eq(loop_add(p.l, p.fds[1][0], EPOLLIN, loop_probe_cb, &p), -EEXIST);
	ck_assert_int_eq(loop_mod(p.l, 1234, EPOLLIN), -ENOENT);

	t0 = now_ms();
	ck_assert_int_eq(loop_run_once(p.l, 50), 0);
	ck_assert_uint_ge(now_ms() - t0, 45);

	ck_assert_int_eq(write(p.fds[0][1], "x", 1), 1);
	ck_assert_int_eq(write(p.fds[1][1], "y", 1), 1);
	ck_assert_int_eq(loop_run_once(p.l, 100), 1);
	ck_assert_uint_eq(p.calls[0] + p.calls[1], 1);
	ck_assert_int_eq(loop_del(p.l, p.fds[0][0]) == 0 || loop_del(p.l, p.fds[1][0]) == 0, 1);
	close(p.fds[0][0]);
	close(p.fds[0][1]);
	close(p.fds[1][0]);
	close(p.fds[1][1]);
	loop_free(p.l);
	loop_free(NULL);
}
END_TEST

START_TEST(test_traffic_wait_deadline)
{
	struct loop *l = loop_new();
	bool done = false;
	uint64_t t0 = now_ms();

	ck_assert_int_eq(traffic_wait(l, t0 + 30, &done), -ETIMEDOUT);
	ck_assert_uint_ge(now_ms() - t0, 30);
	done = true;
	ck_assert_int_eq(traffic_wait(l, t0, &done), 0);
	loop_free(l);
}
END_TEST

extern Suite *traffic_suite(void);

Suite *traffic_suite(void)
{
	Suite *s = suite_create("traffic");
	TCase *tc;

	tc = tcase_create("evidence");
	tcase_add_test(tc, test_traffic_icmp_describe);
	tcase_add_test(tc, test_traffic_probe_evidence_ok);
	tcase_add_test(tc, test_traffic_probe_evidence_failures);
	tcase_add_test(tc, test_traffic_path_evidence);
	suite_add_tcase(s, tc);

	tc = tcase_create("sock");
	tcase_add_test(tc, test_traffic_sockaddr);
	tcase_add_test(tc, test_traffic_echo_match);
	tcase_add_test(tc, test_traffic_echo_error_quotes_request);
	suite_add_tcase(s, tc);

	tc = tcase_create("loop");
	tcase_add_test(tc, test_traffic_loop);
	tcase_add_test(tc, test_traffic_wait_deadline);
	suite_add_tcase(s, tc);
	return s;
}
