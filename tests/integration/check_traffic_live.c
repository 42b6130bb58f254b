// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * Probes, servers, the HTTP client and path traces across real namespaces:
 * A -- R -- B (tests/integration/trafficlib.h).
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>

#include "netns/nftext.h"
#include "netns/ns.h"
#include "tests/integration/trafficlib.h"
#include "traffic/http.h"
#include "traffic/loop.h"
#include "traffic/path.h"
#include "traffic/probe.h"
#include "traffic/server.h"
#include "traffic/sock.h"
#include "traffic/stamp.h"
#include "netns/util/now.h"

static struct tt_topo topo;
static struct loop *lp;

static void setup(void)
{
	/* As a run does: stamps on before the topology is built. */
	stamp_keep();
	lp = loop_new();
	ck_assert_ptr_nonnull(lp);
	tt_topo_build(&topo);
}

static void teardown(void)
{
	tt_topo_free(&topo);
	loop_free(lp);
}

static void nft(struct netns *ns, const char *script)
{
	char err[512];

	ck_assert_msg(!nftext_apply(ns, script, err, sizeof(err)), "nft: %s", err);
}

static struct probe_req req_of(enum probe_proto proto, const char *dst, uint16_t port,
			       unsigned int wait_ms)
{
	struct probe_req r = { .proto = proto, .port = port, .wait_ms = wait_ms };

	r.dst = tt_parse(dst);
	return r;
}

static struct server *serve(enum server_kind kind, struct netns *ns)
{
	struct server_spec spec = { .kind = kind };
	struct server *s = NULL;

	ck_assert_int_eq(server_start(&s, lp, ns, &spec), 0);
	ck_assert_uint_ne(server_port(s), 0);
	return s;
}

static const char *const dst_b[] = { "10.0.2.2", "fd02::2" };

START_TEST(test_traffic_icmp_reaches)
{
	struct probe_req r = req_of(PROBE_ICMP, dst_b[_i], 0, 2000);
	struct probe_result res;
	char want[128];

	ck_assert_int_eq(probe_run(lp, topo.a, &r, &res), 0);
	tt_note("%s", res.evidence);
	ck_assert_msg(res.ok, "%s", res.evidence);
	ck_assert(addr_equal(&res.responder, &r.dst));
	ck_assert_uint_ge(res.attempts, 1);
	snprintf(want, sizeof(want), "icmp echo reply from %s (seq ", dst_b[_i]);
	ck_assert_msg(!strncmp(res.evidence, want, strlen(want)), "%s", res.evidence);
}
END_TEST

/* R has no route to 10.9.0.0/16: R answers "net unreachable". */
START_TEST(test_traffic_icmp_router_unreachable)
{
	static const char *const dst[] = { "10.9.9.9", "fd09::9" };
	static const char *const want[] = {
		"destination unreachable (net) from 10.0.1.1",
		"destination unreachable (no route) from fd01::1",
	};
	struct probe_req r = req_of(PROBE_ICMP, dst[_i], 0, 600);
	struct probe_result res;

	ck_assert_int_eq(probe_run(lp, topo.a, &r, &res), 0);
	tt_note("%s", res.evidence);
	ck_assert(!res.ok);
	ck_assert_int_ne(res.last_icmp.family, 0);
	ck_assert_msg(strstr(res.evidence, want[_i]), "%s", res.evidence);
	ck_assert_uint_ge(res.elapsed_ms, 600);
}
END_TEST

START_TEST(test_traffic_no_route_locally)
{
	struct probe_req r = req_of(PROBE_ICMP, "10.9.9.9", 0, 300);
	struct probe_result res;

	ck_assert_int_eq(tt_ip(topo.a, "route del default"), 0);
	ck_assert_int_eq(probe_run(lp, topo.a, &r, &res), 0);
	tt_note("%s", res.evidence);
	ck_assert(!res.ok);
	ck_assert_int_eq(res.last_error, ENETUNREACH);
	ck_assert_msg(strstr(res.evidence, "last: network unreachable (no route)"), "%s", res.evidence);

	r.proto = PROBE_TCP;
	r.port = 80;
	ck_assert_int_eq(probe_run(lp, topo.a, &r, &res), 0);
	tt_note("%s", res.evidence);
	ck_assert(!res.ok);
	ck_assert_int_eq(res.last_error, ENETUNREACH);
}
END_TEST

START_TEST(test_traffic_tcp_reaches_and_refused)
{
	struct server *s = serve(SERVER_TCP_ECHO, topo.b);
	struct probe_req r = req_of(PROBE_TCP, dst_b[_i], server_port(s), 2000);
	struct probe_result res;
	struct server_peer peer;
	uint64_t t0;

	ck_assert_int_eq(probe_run(lp, topo.a, &r, &res), 0);
	tt_note("%s", res.evidence);
	ck_assert_msg(res.ok, "%s", res.evidence);
	ck_assert_uint_eq(res.attempts, 1);
	ck_assert_msg(strstr(res.evidence, "established"), "%s", res.evidence);
	/* The server accepted it while the probe ran the loop. */
	ck_assert_uint_eq(server_peers(s, &peer, 1), 1);
	ck_assert(tt_addr_is(&peer.addr, _i ? "fd01::2" : "10.0.1.2"));

	r.port = (uint16_t)(server_port(s) + 1);
	r.wait_ms = 500;
	t0 = now_ms();
	ck_assert_int_eq(probe_run(lp, topo.a, &r, &res), 0);
	tt_note("%s", res.evidence);
	ck_assert(!res.ok);
	ck_assert_uint_ge(now_ms() - t0, 500);
	ck_assert_uint_gt(res.attempts, 1);
	ck_assert_int_eq(res.last_error, ECONNREFUSED);
	ck_assert_msg(strstr(res.evidence, "refused"), "%s", res.evidence);
	server_free(s);
}
END_TEST

START_TEST(test_traffic_udp_reaches_and_port_unreachable)
{
	struct server *s = serve(SERVER_UDP_ECHO, topo.b);
	struct probe_req r = req_of(PROBE_UDP, dst_b[_i], server_port(s), 2000);
	struct probe_result res;
	struct server_stats st;
	char want[128];

	ck_assert_int_eq(probe_run(lp, topo.a, &r, &res), 0);
	tt_note("%s", res.evidence);
	ck_assert_msg(res.ok, "%s", res.evidence);
	ck_assert(addr_equal(&res.responder, &r.dst));
	ck_assert_uint_eq(res.responder_port, server_port(s));
	server_stats(s, &st);
	ck_assert_uint_ge(st.requests, 1);

	r.port = (uint16_t)(server_port(s) + 1);
	r.wait_ms = 400;
	ck_assert_int_eq(probe_run(lp, topo.a, &r, &res), 0);
	tt_note("%s", res.evidence);
	ck_assert(!res.ok);
	ck_assert_int_eq(res.last_error, ECONNREFUSED);
	snprintf(want, sizeof(want), "last: destination unreachable (port) from %s", dst_b[_i]);
	ck_assert_msg(strstr(res.evidence, want), "%s", res.evidence);
	server_free(s);
}
END_TEST

/* A router that rejects: TCP learns why from the ICMP error (IP_RECVERR)
 * and the evidence names the router. */
START_TEST(test_traffic_tcp_admin_prohibited)
{
	static const char *const want[] = {
		"last: destination unreachable (admin-prohibited) from 10.0.1.1",
		"last: destination unreachable (admin-prohibited) from fd01::1",
	};
	struct probe_req r = req_of(PROBE_TCP, dst_b[_i], 80, 500);
	struct probe_result res;

	nft(topo.r, "table inet t { chain forward { type filter hook forward priority 0; "
		    "tcp dport 80 reject with icmpx type admin-prohibited; }\n}\n");
	ck_assert_int_eq(probe_run(lp, topo.a, &r, &res), 0);
	tt_note("%s", res.evidence);
	ck_assert(!res.ok);
	ck_assert_int_eq(res.last_icmp.family, r.dst.family);
	ck_assert(tt_addr_is(&res.last_icmp.from, _i ? "fd01::1" : "10.0.1.1"));
	ck_assert_msg(strstr(res.evidence, want[_i]), "%s", res.evidence);
}
END_TEST

/* Source binding: a second address of A is what B sees; an address A does
 * not have cannot be used. */
START_TEST(test_traffic_probe_source)
{
	struct server *s = serve(SERVER_UDP_ECHO, topo.b);
	struct probe_req r = req_of(PROBE_UDP, "10.0.2.2", server_port(s), 1000);
	struct probe_result res;
	struct server_peer peer;

	tt_addr(topo.a, "ra", "10.0.1.3/24");
	tt_wait_running(topo.a, "ra");

	r.flags = PROBE_HAS_SRC | PROBE_HAS_SPORT;
	r.src = tt_parse("10.0.1.3");
	r.sport = 4444;
	ck_assert_int_eq(probe_run(lp, topo.a, &r, &res), 0);
	ck_assert_msg(res.ok, "%s", res.evidence);
	ck_assert_uint_eq(server_peers(s, &peer, 1), 1);
	ck_assert(tt_addr_is(&peer.addr, "10.0.1.3"));
	ck_assert_uint_eq(peer.port, 4444);

	r.src = tt_parse("10.0.1.99");
	ck_assert_int_eq(probe_run(lp, topo.a, &r, &res), -EADDRNOTAVAIL);
	r.proto = PROBE_TCP;
	ck_assert_int_eq(probe_run(lp, topo.a, &r, &res), -EADDRNOTAVAIL);
	r.src = tt_parse("fd01::2");
	ck_assert_int_eq(probe_run(lp, topo.a, &r, &res), -EAFNOSUPPORT);
	server_free(s);
}
END_TEST

/* A firewall that drops: the probe waits the whole time and says so. */
START_TEST(test_traffic_dropped_times_out)
{
	static const enum probe_proto protos[] = { PROBE_ICMP, PROBE_TCP, PROBE_UDP };
	struct server *tcp = serve(SERVER_TCP_ECHO, topo.b);
	struct probe_req r = req_of(protos[_i], "10.0.2.2", server_port(tcp), 1200);
	struct probe_result res;
	uint64_t t0;

	nft(topo.r, "table inet t { chain forward { type filter hook forward priority 0; "
		    "ip daddr 10.0.2.2 drop; }\n}\n");
	t0 = now_ms();
	ck_assert_int_eq(probe_run(lp, topo.a, &r, &res), 0);
	tt_note("%s", res.evidence);
	ck_assert_msg(!res.ok, "%s", res.evidence);
	ck_assert_uint_ge(now_ms() - t0, 1200);
	ck_assert_uint_ge(res.elapsed_ms, 1200);
	if (protos[_i] == PROBE_TCP) {
		ck_assert_uint_eq(res.attempts, 2);
		ck_assert_int_eq(res.last_error, ETIMEDOUT);
		ck_assert_msg(strstr(res.evidence, "last: timed out"), "%s", res.evidence);
	} else {
		ck_assert_uint_ge(res.attempts, 10);
		ck_assert_int_eq(res.last_error, 0);
		ck_assert_msg(strstr(res.evidence, "in 1.2 s"), "%s", res.evidence);
	}
	server_free(tcp);
}
END_TEST

/* With backoff (sets and batches), retries after a tenth of the wait,
 * then twice as long each time: 0, 0.2, 0.6 and 1.4 s in a wait of 2 s,
 * where a retry every 100 ms sends 20. */
START_TEST(test_traffic_dropped_backs_off)
{
	static const enum probe_proto protos[] = { PROBE_ICMP, PROBE_UDP };
	struct probe_req r = req_of(protos[_i], "10.0.2.2", 7, 2000);
	struct probe_result res;

	nft(topo.r, "table inet t { chain forward { type filter hook forward priority 0; "
		    "ip daddr 10.0.2.2 drop; }\n}\n");
	r.backoff = true;
	ck_assert_int_eq(probe_run(lp, topo.a, &r, &res), 0);
	tt_note("%s", res.evidence);
	ck_assert_msg(!res.ok, "%s", res.evidence);
	ck_assert_uint_eq(res.attempts, 4);
	ck_assert_msg(strstr(res.evidence, "4 ") && strstr(res.evidence, "in 2.0 s"), "%s", res.evidence);
}
END_TEST

/* While probe_run waits, a client in another process gets its echo: the
 * servers of the lab keep answering during every wait. */
START_TEST(test_traffic_servers_answer_during_probe)
{
	struct server *s = serve(SERVER_UDP_ECHO, topo.b);
	struct probe_req r = req_of(PROBE_ICMP, "10.0.2.99", 0, 1500);
	struct probe_result res;
	int status;
	pid_t pid;

	nft(topo.r, "table inet t { chain forward { type filter hook forward priority 0; "
		    "ip daddr 10.0.2.99 drop; }\n}\n");
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		struct timeval tv = { 1, 0 };
		struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(server_port(s)) };
		char buf[16];
		int fd;

		if (setns(netns_fd(topo.a), CLONE_NEWNET))
			_exit(2);
		fd = socket(AF_INET, SOCK_DGRAM, 0);
		inet_pton(AF_INET, "10.0.2.2", &sin.sin_addr);
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		if (sendto(fd, "ping", 4, 0, (struct sockaddr *)&sin, sizeof(sin)) != 4)
			_exit(3);
		_exit(recv(fd, buf, sizeof(buf), 0) == 4 && !memcmp(buf, "ping", 4) ? 0 : 1);
	}
	ck_assert_int_eq(probe_run(lp, topo.a, &r, &res), 0);
	tt_note("%s", res.evidence);
	ck_assert(!res.ok);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	server_free(s);
}
END_TEST

START_TEST(test_traffic_http_get)
{
	struct server_spec spec = {
		.kind = SERVER_HTTP,
		.status = 201,
		.body = "hello from b\n",
		.content_type = "text/x-test",
	};
	struct server_peer peers[4];
	struct server_stats st;
	struct http_result res;
	struct server *s = NULL;
	char url[128];

	ck_assert_int_eq(server_start(&s, lp, topo.b, &spec), 0);
	snprintf(url, sizeof(url), "http://10.0.2.2:%u/x?y=1", server_port(s));
	ck_assert_int_eq(http_get(lp, topo.a, url, NULL, 2000, &res), 0);
	tt_note("%s", res.evidence);
	ck_assert_msg(res.ok, "%s", res.evidence);
	ck_assert_uint_eq(res.status, 201);
	ck_assert_str_eq(res.body, "hello from b\n");
	ck_assert_str_eq(res.content_type, "text/x-test");
	ck_assert(res.has_content_length);
	ck_assert_uint_eq(res.content_length, 13);
	ck_assert_msg(strstr(res.evidence, "HTTP/1.1 201 Created"), "%s", res.evidence);

	snprintf(url, sizeof(url), "http://[fd02::2]:%u/", server_port(s));
	ck_assert_int_eq(http_get(lp, topo.a, url, NULL, 2000, &res), 0);
	tt_note("%s", res.evidence);
	ck_assert_msg(res.ok, "%s", res.evidence);
	ck_assert_uint_eq(res.status, 201);

	server_stats(s, &st);
	ck_assert_uint_eq(st.requests, 2);
	ck_assert_uint_eq(st.connections, 2);
	ck_assert_uint_eq(server_peers(s, peers, 4), 2);
	ck_assert(tt_addr_is(&peers[0].addr, "fd01::2"));
	ck_assert(tt_addr_is(&peers[1].addr, "10.0.1.2"));

	snprintf(url, sizeof(url), "http://10.0.2.2:%u/", server_port(s) + 1);
	ck_assert_int_eq(http_get(lp, topo.a, url, NULL, 300, &res), 0);
	tt_note("%s", res.evidence);
	ck_assert(!res.ok);
	ck_assert_int_eq(res.last_error, ECONNREFUSED);
	ck_assert_msg(strstr(res.evidence, "refused"), "%s", res.evidence);
	server_free(s);
}
END_TEST

struct raw_client {
	int fd;
	bool eof;
	char buf[8192];
	size_t len;
};

static void raw_client_cb(int fd, uint32_t events, void *data)
{
	struct raw_client *c = data;
	ssize_t n;

	(void)events;
	while ((n = recv(fd, c->buf + c->len, sizeof(c->buf) - c->len, 0)) > 0)
		c->len += (size_t)n;
	if (!n)
		c->eof = true;
}

/* Three pipelined requests in one segment (GET, HEAD, GET with close): three
 * responses in order, then the server closes. */
START_TEST(test_traffic_http_server_pipelined)
{
	static const char reqs[] = "GET /1 HTTP/1.1\r\nHost: b\r\n\r\n"
				   "HEAD /2 HTTP/1.1\r\nHost: b\r\n\r\n"
				   "GET /3 HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n";
	struct server_spec spec = { .kind = SERVER_HTTP, .body = "abc" };
	struct raw_client c = { .fd = -1 };
	struct http_response *resp = malloc(sizeof(*resp));
	struct sockaddr_storage sa;
	struct server_stats st;
	struct server *s = NULL;
	size_t off = 0;
	struct addr b;
	socklen_t len;
	int i;

	ck_assert_int_eq(server_start(&s, lp, topo.b, &spec), 0);
	c.fd = traffic_socket(topo.a, AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(c.fd, 0);
	b = tt_parse("10.0.2.2");
	len = traffic_sockaddr(&b, server_port(s), 0, &sa);
	ck_assert(!connect(c.fd, (struct sockaddr *)&sa, len) || errno == EINPROGRESS);
	ck_assert_int_eq(loop_add(lp, c.fd, EPOLLIN, raw_client_cb, &c), 0);
	for (i = 0; i < 100 && send(c.fd, reqs, sizeof(reqs) - 1, MSG_NOSIGNAL) < 0; i++)
		loop_run_once(lp, 10);
	ck_assert_int_eq(traffic_wait(lp, now_ms() + 2000, &c.eof), 0);

	for (i = 0; i < 3; i++) {
		int ret = 0;

		http_response_init(resp, i == 1);
		while (off < c.len && ret == 0) {
			ret = http_response_feed(resp, c.buf + off, 1);
			off++;
		}
		ck_assert_int_eq(ret, 1);
		ck_assert_uint_eq(resp->head.status, 200);
		ck_assert_uint_eq(resp->head.content_length, 3);
		ck_assert_uint_eq(resp->body_len, i == 1 ? 0 : 3);
		ck_assert_int_eq(!!(resp->head.flags & HTTP_CONN_CLOSE), i == 2);
	}
	ck_assert_uint_eq(off, c.len);
	server_stats(s, &st);
	ck_assert_uint_eq(st.requests, 3);
	loop_del(lp, c.fd);
	close(c.fd);
	free(resp);
	server_free(s);
}
END_TEST

/* A server bound to one address of one family; HTTP that closes after each
 * response. */
START_TEST(test_traffic_server_bound)
{
	struct server_spec spec = { .kind = SERVER_HTTP, .flags = SERVER_HAS_ADDR | SERVER_HTTP_CLOSE };
	struct server *s = NULL;
	struct http_result res;
	char url[128];

	tt_addr(topo.b, "br", "10.0.2.3/24");
	tt_wait_running(topo.b, "br");
	spec.addr = tt_parse("10.0.2.3");
	ck_assert_int_eq(server_start(&s, lp, topo.b, &spec), 0);
	snprintf(url, sizeof(url), "http://10.0.2.3:%u/", server_port(s));
	ck_assert_int_eq(http_get(lp, topo.a, url, NULL, 2000, &res), 0);
	ck_assert_msg(res.ok, "%s", res.evidence);
	ck_assert_str_eq(res.body, "wglab\n");
	snprintf(url, sizeof(url), "http://10.0.2.2:%u/", server_port(s));
	ck_assert_int_eq(http_get(lp, topo.a, url, NULL, 300, &res), 0);
	ck_assert(!res.ok);
	ck_assert_int_eq(res.last_error, ECONNREFUSED);
	server_free(s);

	/* Taken: the second one on the same address and port fails. */
	spec.kind = SERVER_UDP_ECHO;
	spec.port = 7;
	ck_assert_int_eq(server_start(&s, lp, topo.b, &spec), 0);
	{
		struct server *again = NULL;

		ck_assert_int_eq(server_start(&again, lp, topo.b, &spec), -EADDRINUSE);
		ck_assert_ptr_null(again);
	}
	server_free(s);
	spec.addr = tt_parse("10.0.2.99");
	ck_assert_int_eq(server_start(&s, lp, topo.b, &spec), -EADDRNOTAVAIL);
}
END_TEST

/* The internet host sees the gateway's public address as the source. */
START_TEST(test_traffic_server_sees_masqueraded_source)
{
	struct server *s = serve(SERVER_UDP_ECHO, topo.b);
	struct probe_req r = req_of(PROBE_UDP, "10.0.2.2", server_port(s), 2000);
	struct probe_result res;
	struct server_peer peer;

	nft(topo.r, "table ip n { chain postrouting { type nat hook postrouting priority 100; "
		    "oifname \"rb\" masquerade; }\n}\n");
	ck_assert_int_eq(probe_run(lp, topo.a, &r, &res), 0);
	tt_note("%s", res.evidence);
	ck_assert_msg(res.ok, "%s", res.evidence);
	ck_assert_uint_eq(server_peers(s, &peer, 1), 1);
	ck_assert(tt_addr_is(&peer.addr, "10.0.2.1"));
	server_free(s);
}
END_TEST

static const struct {
	enum path_method method;
	const char *dst;
	const char *evidence;
} path_cases[] = {
	{ PATH_UDP, "10.0.2.2", "1 10.0.1.1, 2 10.0.2.2" },
	{ PATH_ICMP, "10.0.2.2", "1 10.0.1.1, 2 10.0.2.2" },
	{ PATH_UDP, "fd02::2", "1 fd01::1, 2 fd02::2" },
	{ PATH_ICMP, "fd02::2", "1 fd01::1, 2 fd02::2" },
};

START_TEST(test_traffic_path_through_router)
{
	struct path_req req = { .method = path_cases[_i].method };
	struct addr dst = tt_parse(path_cases[_i].dst);
	struct path_result res;

	ck_assert_int_eq(path_trace(lp, topo.a, &dst, &req, &res), 0);
	tt_note("%s", res.evidence);
	ck_assert_msg(res.reached, "%s", res.evidence);
	ck_assert_uint_eq(res.nhops, 2);
	ck_assert_str_eq(res.evidence, path_cases[_i].evidence);
}
END_TEST

/* A hop that drops everything shows as "*"; an unreachable ends the trace. */
START_TEST(test_traffic_path_silent_and_unreachable)
{
	struct path_req req = { .hop_wait_ms = 200, .max_silent = 3 };
	struct addr dst = tt_parse("10.0.2.2");
	struct path_result res;

	nft(topo.r, "table inet t { chain output { type filter hook output priority 0; "
		    "icmp type time-exceeded drop; }\n}\n");
	ck_assert_int_eq(path_trace(lp, topo.a, &dst, &req, &res), 0);
	tt_note("%s", res.evidence);
	ck_assert_msg(res.reached, "%s", res.evidence);
	ck_assert_str_eq(res.evidence, "1 *, 2 10.0.2.2");

	dst = tt_parse("10.9.9.9");
	ck_assert_int_eq(path_trace(lp, topo.a, &dst, &req, &res), 0);
	tt_note("%s", res.evidence);
	ck_assert(!res.reached);
	ck_assert_str_eq(res.evidence, "1 10.0.1.1 !N; destination not reached");
}
END_TEST

/*
 * A UDP echo in b that answers from inside the probe's own loop and then
 * keeps the loop busy for 300 ms (a machine too busy to read sockets in
 * time), answering before it stalls or after.  Answered before: the
 * answer sat in the probe's socket before the 150 ms wait was over, so it
 * counts, with its round trip as it arrived (not when it was read); after:
 * it does not, and the evidence says how late it came.
 */
struct slow_echo {
	int fd;
	bool answer_first;
};

static void slow_echo_cb(int fd, uint32_t events, void *data)
{
	struct slow_echo *e = data;
	struct sockaddr_storage from;
	socklen_t len = sizeof(from);
	uint8_t buf[256];
	ssize_t n;

	(void)events;
	n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from, &len);
	if (n <= 0)
		return;
	if (e->answer_first)
		ck_assert_int_eq(sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, len), n);
	usleep(300 * 1000);
	if (!e->answer_first)
		ck_assert_int_eq(sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, len), n);
}

START_TEST(test_traffic_answer_read_late)
{
	struct slow_echo e = { .answer_first = _i == 0 };
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	struct probe_req r;
	struct probe_result res;

	e.fd = traffic_socket(topo.b, AF_INET, SOCK_DGRAM, IPPROTO_UDP);
	ck_assert_int_ge(e.fd, 0);
	ck_assert_int_eq(bind(e.fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(getsockname(e.fd, (struct sockaddr *)&sa, &len), 0);
	ck_assert_int_eq(loop_add(lp, e.fd, EPOLLIN, slow_echo_cb, &e), 0);
	r = req_of(PROBE_UDP, "10.0.2.2", ntohs(sa.sin_port), 150);
	r.interval_ms = 1000;
	ck_assert_int_eq(probe_run(lp, topo.a, &r, &res), 0);
	tt_note("%s", res.evidence);
	if (e.answer_first) {
		/* its time is the answer's arrival, as its wait was judged */
		ck_assert_msg(res.ok, "%s", res.evidence);
		ck_assert_uint_lt(res.rtt_us, 150 * 1000);
		ck_assert_uint_lt(res.elapsed_ms, 150);
	} else {
		ck_assert_uint_ge(res.elapsed_ms, 300);
		ck_assert_msg(!res.ok, "%s", res.evidence);
		ck_assert_msg(strstr(res.evidence, "; an answer came ") && strstr(res.evidence, " ms after the wait"),
			      "%s", res.evidence);
		ck_assert_uint_ge(res.late_ms, 100);
	}
	loop_del(lp, e.fd);
	close(e.fd);
}
END_TEST

/* The same for `gets`: an HTTP server in b, in the client's loop, that
 * sends its whole response and then stalls the loop 300 ms, or stalls
 * first. */
struct slow_http {
	int listen_fd, conn_fd;
	bool answer_first;
	struct loop *l;
};

static void slow_http_conn_cb(int fd, uint32_t events, void *data)
{
	static const char resp[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
	struct slow_http *h = data;
	char buf[2048];

	(void)events;
	if (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) <= 0)
		return;
	if (!h->answer_first)
		usleep(300 * 1000);
	ck_assert_int_eq(send(fd, resp, sizeof(resp) - 1, MSG_NOSIGNAL), (ssize_t)(sizeof(resp) - 1));
	if (h->answer_first)
		usleep(300 * 1000);
	loop_del(h->l, fd);
}

static void slow_http_accept_cb(int fd, uint32_t events, void *data)
{
	struct slow_http *h = data;

	(void)events;
	h->conn_fd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (h->conn_fd >= 0)
		ck_assert_int_eq(loop_add(h->l, h->conn_fd, EPOLLIN, slow_http_conn_cb, h), 0);
}

START_TEST(test_traffic_http_read_late)
{
	struct slow_http h = { .answer_first = _i == 0, .conn_fd = -1, .l = lp };
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	struct http_result res;
	char url[64];

	h.listen_fd = traffic_socket(topo.b, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	ck_assert_int_ge(h.listen_fd, 0);
	ck_assert_int_eq(bind(h.listen_fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(h.listen_fd, 4), 0);
	ck_assert_int_eq(getsockname(h.listen_fd, (struct sockaddr *)&sa, &len), 0);
	ck_assert_int_eq(loop_add(lp, h.listen_fd, EPOLLIN, slow_http_accept_cb, &h), 0);
	snprintf(url, sizeof(url), "http://10.0.2.2:%u/", ntohs(sa.sin_port));
	ck_assert_int_eq(http_get(lp, topo.a, url, NULL, 150, &res), 0);
	tt_note("%s", res.evidence);
	ck_assert_uint_ge(res.elapsed_ms, 300);
	if (h.answer_first) {
		ck_assert_msg(res.ok, "%s", res.evidence);
		ck_assert_uint_eq(res.status, 200);
	} else {
		ck_assert_msg(!res.ok, "%s", res.evidence);
		ck_assert_msg(strstr(res.evidence, "; the response came ") && strstr(res.evidence, " ms after the wait"),
			      "%s", res.evidence);
	}
	loop_del(lp, h.listen_fd);
	close(h.listen_fd);
	if (h.conn_fd >= 0)
		close(h.conn_fd);
}
END_TEST

/* A TCP connect answered at once while the loop is stalled 300 ms by
 * another fd: it counts, with the round trip of its SYN-ACK's arrival
 * (TCP_INFO), not of the stalled read. */
static void stall_cb(int fd, uint32_t events, void *data)
{
	char c;

	(void)events;
	if (read(fd, &c, 1) == 1)
		usleep(300 * 1000);
	loop_del(data, fd);
}

START_TEST(test_traffic_tcp_connect_read_late)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	struct probe_result res;
	struct probe_req r;
	int lfd, p[2];

	lfd = traffic_socket(topo.b, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	ck_assert_int_ge(lfd, 0);
	ck_assert_int_eq(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(lfd, 4), 0);
	ck_assert_int_eq(getsockname(lfd, (struct sockaddr *)&sa, &len), 0);
	ck_assert_int_eq(pipe2(p, O_CLOEXEC | O_NONBLOCK), 0);
	ck_assert_int_eq(write(p[1], "x", 1), 1);
	ck_assert_int_eq(loop_add(lp, p[0], EPOLLIN, stall_cb, lp), 0);
	r = req_of(PROBE_TCP, "10.0.2.2", ntohs(sa.sin_port), 150);
	ck_assert_int_eq(probe_run(lp, topo.a, &r, &res), 0);
	tt_note("%s", res.evidence);
	ck_assert_msg(res.ok, "%s", res.evidence);
	ck_assert_uint_lt(res.rtt_us, 150 * 1000);
	ck_assert_uint_lt(res.elapsed_ms, 150);
	close(p[0]);
	close(p[1]);
	close(lfd);
}
END_TEST

extern Suite *traffic_live_suite(void);

Suite *traffic_live_suite(void)
{
	Suite *s = suite_create("traffic_live");
	TCase *tc;

	tc = tcase_create("probe_run");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_traffic_icmp_reaches, 0, 2);
	tcase_add_loop_test(tc, test_traffic_icmp_router_unreachable, 0, 2);
	tcase_add_test(tc, test_traffic_no_route_locally);
	tcase_add_loop_test(tc, test_traffic_tcp_reaches_and_refused, 0, 2);
	tcase_add_loop_test(tc, test_traffic_udp_reaches_and_port_unreachable, 0, 2);
	tcase_add_loop_test(tc, test_traffic_dropped_times_out, 0, 3);
	tcase_add_loop_test(tc, test_traffic_dropped_backs_off, 0, 2);
	tcase_add_test(tc, test_traffic_servers_answer_during_probe);
	tcase_add_loop_test(tc, test_traffic_tcp_admin_prohibited, 0, 2);
	tcase_add_test(tc, test_traffic_probe_source);
	tcase_add_loop_test(tc, test_traffic_answer_read_late, 0, 2);
	tcase_add_loop_test(tc, test_traffic_http_read_late, 0, 2);
	tcase_add_test(tc, test_traffic_tcp_connect_read_late);
	suite_add_tcase(s, tc);

	tc = tcase_create("server");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_traffic_http_get);
	tcase_add_test(tc, test_traffic_http_server_pipelined);
	tcase_add_test(tc, test_traffic_server_sees_masqueraded_source);
	tcase_add_test(tc, test_traffic_server_bound);
	suite_add_tcase(s, tc);

	tc = tcase_create("path_trace");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_traffic_path_through_router, 0,
			    sizeof(path_cases) / sizeof(path_cases[0]));
	tcase_add_test(tc, test_traffic_path_silent_and_unreachable);
	suite_add_tcase(s, tc);
	return s;
}
