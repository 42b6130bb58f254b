// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "traffic/http.h"

static const struct {
	const char *url;
	int ret;
	int family;
	unsigned int port;
	const char *host;
	const char *path;
} url_cases[] = {
	{ "http://10.0.0.1/", 0, AF_INET, 80, "10.0.0.1", "/" },
	{ "http://10.0.0.1:8000", 0, AF_INET, 8000, "10.0.0.1:8000", "/" },
	{ "HTTP://10.0.0.1?x=1", 0, AF_INET, 80, "10.0.0.1", "/?x=1" },
	{ "http://[fd00::1]:8080/a/b?c=d#frag", 0, AF_INET6, 8080, "[fd00::1]:8080", "/a/b?c=d" },
	{ "http://[::1]/", 0, AF_INET6, 80, "[::1]", "/" },
	{ "https://10.0.0.1/", -EINVAL, 0, 0, NULL, NULL },
	{ "http://example.com/", 0, 0, 80, "example.com", "/" },
	{ "http://web-1:8000/x", 0, 0, 8000, "web-1:8000", "/x" },
	{ "http://my-server.example.com:8080/x", 0, 0, 8080, "my-server.example.com:8080", "/x" },
	{ "http://3com.example/", 0, 0, 80, "3com.example", "/" },
	{ "http://.web/", -EINVAL, 0, 0, NULL, NULL },
	{ "http://-web/", -EINVAL, 0, 0, NULL, NULL },
	{ "http://we+b/", -EINVAL, 0, 0, NULL, NULL },
	{ "http://10.0.0.1:0/", -EINVAL, 0, 0, NULL, NULL },
	{ "http://10.0.0.1:65536/", -EINVAL, 0, 0, NULL, NULL },
	{ "http://10.0.0.1:/", -EINVAL, 0, 0, NULL, NULL },
	{ "http://10.0.0.1:80x/", -EINVAL, 0, 0, NULL, NULL },
	{ "http://[10.0.0.1]/", -EINVAL, 0, 0, NULL, NULL },
	{ "http://fd00::1/", -EINVAL, 0, 0, NULL, NULL },
	{ "http://[fd00::1/", -EINVAL, 0, 0, NULL, NULL },
};

START_TEST(test_http_url_parse)
{
	struct http_url u;
	int ret = http_url_parse(url_cases[_i].url, &u);

	ck_assert_int_eq(ret, url_cases[_i].ret);
	if (ret)
		return;
	ck_assert_int_eq(u.addr.family, url_cases[_i].family);
	ck_assert_int_eq(!u.name[0], !!url_cases[_i].family);
	ck_assert_uint_eq(u.port, url_cases[_i].port);
	ck_assert_str_eq(u.host, url_cases[_i].host);
	ck_assert_str_eq(u.path, url_cases[_i].path);
}
END_TEST

static const struct {
	const char *in;
	int ret;		/* > 0: the whole input is the head */
	unsigned int status;
	unsigned int version;
	const char *reason;
	unsigned int flags;
	uint64_t content_length;
} resp_cases[] = {
	{ "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/html\r\n\r\n", 1, 200, 11,
	  "OK", HTTP_HAS_CONTENT_LENGTH, 5 },
	{ "HTTP/1.0 404 Not Found\r\n\r\n", 1, 404, 10, "Not Found", 0, 0 },
	{ "HTTP/1.1 204\r\n\r\n", 1, 204, 11, "", 0, 0 },
	{ "HTTP/1.1 200 OK\n\n", 1, 200, 11, "OK", 0, 0 },
	{ "HTTP/1.1 200 OK\r\ncontent-length:  7 \r\ncontent-length: 7\r\n\r\n", 1, 200, 11, "OK",
	  HTTP_HAS_CONTENT_LENGTH, 7 },
	{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\nContent-Length: 3\r\n\r\n", 1,
	  200, 11, "OK", HTTP_CHUNKED | HTTP_HAS_TRANSFER_ENCODING, 3 },
	{ "HTTP/1.1 200 OK\r\nConnection: Keep-Alive, close\r\n\r\n", 1, 200, 11, "OK",
	  HTTP_CONN_CLOSE | HTTP_CONN_KEEP_ALIVE, 0 },
	{ "HTTP/1.1 200 OK\r\nContent-Len", 0, 0, 0, NULL, 0, 0 },
	{ "HTTP/1.1 200 OK\r\n", 0, 0, 0, NULL, 0, 0 },
	{ "", 0, 0, 0, NULL, 0, 0 },
	{ "HTTP/1.1 2000 OK\r\n\r\n", -EBADMSG, 0, 0, NULL, 0, 0 },
	{ "HTTP/1.1 20 OK\r\n\r\n", -EBADMSG, 0, 0, NULL, 0, 0 },
	{ "HTTP/1.1 099 Low\r\n\r\n", -EBADMSG, 0, 0, NULL, 0, 0 },
	{ "HTTX/1.1 200 OK\r\n\r\n", -EBADMSG, 0, 0, NULL, 0, 0 },
	{ "HTTP/2.0 200 OK\r\n\r\n", -EBADMSG, 0, 0, NULL, 0, 0 },
	{ "HTTP/1.1 2x0 OK\r\n\r\n", -EBADMSG, 0, 0, NULL, 0, 0 },
	{ "<html>\r\n\r\n", -EBADMSG, 0, 0, NULL, 0, 0 },
	{ "HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n", -EBADMSG, 0, 0, NULL, 0, 0 },
	{ "HTTP/1.1 200 OK\r\nName : v\r\n\r\n", -EBADMSG, 0, 0, NULL, 0, 0 },
	{ "HTTP/1.1 200 OK\r\nA: b\r\n folded\r\n\r\n", -EBADMSG, 0, 0, NULL, 0, 0 },
	{ "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", -EBADMSG, 0, 0,
	  NULL, 0, 0 },
	{ "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", -EBADMSG, 0, 0, NULL, 0, 0 },
	{ "HTTP/1.1 200 OK\r\nContent-Length: 1 2\r\n\r\n", -EBADMSG, 0, 0, NULL, 0, 0 },
	{ "HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n", -EBADMSG, 0, 0, NULL, 0, 0 },
};

START_TEST(test_http_parse_response_head)
{
	const char *in = resp_cases[_i].in;
	struct http_head h;
	ssize_t ret = http_parse_response_head(in, strlen(in), &h);

	if (resp_cases[_i].ret > 0) {
		ck_assert_int_eq(ret, (ssize_t)strlen(in));
		ck_assert_uint_eq(h.status, resp_cases[_i].status);
		ck_assert_uint_eq(h.version, resp_cases[_i].version);
		ck_assert_str_eq(h.reason, resp_cases[_i].reason);
		ck_assert_uint_eq(h.flags, resp_cases[_i].flags);
		if (h.flags & HTTP_HAS_CONTENT_LENGTH)
			ck_assert_uint_eq(h.content_length, resp_cases[_i].content_length);
	} else {
		ck_assert_int_eq(ret, resp_cases[_i].ret);
	}
}
END_TEST

START_TEST(test_http_parse_head_too_long)
{
	char *buf = malloc(HTTP_HEAD_MAX + 64);
	struct http_head h;
	size_t n;

	n = (size_t)sprintf(buf, "HTTP/1.1 200 OK\r\nX: ");
	memset(buf + n, 'a', HTTP_HEAD_MAX + 64 - n);
	ck_assert_int_eq(http_parse_response_head(buf, HTTP_HEAD_MAX - 1, &h), 0);
	ck_assert_int_eq(http_parse_response_head(buf, HTTP_HEAD_MAX, &h), -EMSGSIZE);
	ck_assert_int_eq(http_parse_request_head(buf, HTTP_HEAD_MAX + 64, &h), -EMSGSIZE);
	free(buf);
}
END_TEST

static const struct {
	const char *in;
	int ret;	/* > 0: complete, the head ends at the empty line */
	const char *method;
	const char *target;
	bool keep_alive;
} req_cases[] = {
	{ "GET / HTTP/1.1\r\nHost: x\r\n\r\n", 1, "GET", "/", true },
	{ "\r\nHEAD /a?b HTTP/1.1\r\nHost: x\r\n\r\n", 1, "HEAD", "/a?b", true },
	{ "GET / HTTP/1.0\r\n\r\n", 1, "GET", "/", false },
	{ "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", 1, "GET", "/", true },
	{ "GET / HTTP/1.1\r\nConnection: close\r\n\r\n", 1, "GET", "/", false },
	{ "POST /p HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 1, "POST", "/p", true },
	{ "GET / HTTP/1.1\r\nHost: x\r\n", 0, NULL, NULL, false },
	{ "GET /  HTTP/1.1\r\n\r\n", -EBADMSG, NULL, NULL, false },
	{ "GET/ HTTP/1.1\r\n\r\n", -EBADMSG, NULL, NULL, false },
	{ "G(T / HTTP/1.1\r\n\r\n", -EBADMSG, NULL, NULL, false },
	{ "GET / HTTP/1.1 extra\r\n\r\n", -EBADMSG, NULL, NULL, false },
	{ "GET / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", -EBADMSG, NULL, NULL, false },
};

START_TEST(test_http_parse_request_head)
{
	const char *in = req_cases[_i].in;
	struct http_head h;
	ssize_t ret = http_parse_request_head(in, strlen(in), &h);

	if (req_cases[_i].ret > 0) {
		ck_assert_int_eq(ret, (ssize_t)strlen(in));
		ck_assert_str_eq(h.method, req_cases[_i].method);
		ck_assert_str_eq(h.target, req_cases[_i].target);
		ck_assert_int_eq(http_keep_alive(&h), req_cases[_i].keep_alive);
	} else {
		ck_assert_int_eq(ret, req_cases[_i].ret);
	}
}
END_TEST

/* Feeds the response in pieces of `step` bytes (0: all at once). */
static int feed(struct http_response *r, const char *in, size_t step, size_t *used)
{
	size_t len = strlen(in), off = 0;
	int ret = 0;

	while (off < len && !ret) {
		size_t n = step && len - off > step ? step : len - off;

		ret = http_response_feed(r, in + off, n);
		off += n;
	}
	if (used)
		*used = off;
	return ret;
}

static const char chunked_resp[] = "HTTP/1.1 200 OK\r\n"
				   "Transfer-Encoding: chunked\r\n"
				   "\r\n"
				   "5\r\nhello\r\n"
				   "6;name=value\r\n world\r\n"
				   "A \r\n, chunked!\r\n"
				   "0\r\n"
				   "Trailer: yes\r\n"
				   "\r\n";

/* Every split of the input gives the same body: partial reads. */
START_TEST(test_http_response_chunked_any_split)
{
	struct http_response *r = malloc(sizeof(*r));
	size_t step = (size_t)_i + 1;

	http_response_init(r, false);
	ck_assert_int_eq(feed(r, chunked_resp, step, NULL), 1);
	ck_assert(r->done);
	ck_assert_uint_eq(r->head.status, 200);
	ck_assert_uint_eq(r->body_len, 21);
	ck_assert_mem_eq(r->body_buf, "hello world, chunked!", 21);
	ck_assert_uint_eq(r->body.total, 21);
	free(r);
}
END_TEST

static const char *const bad_chunked[] = {
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5x\r\nhello\r\n",
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloX\r\n",
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n",
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1234567890abcdef0\r\n",
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\rX",
};

START_TEST(test_http_response_bad_chunks)
{
	struct http_response *r = malloc(sizeof(*r));

	http_response_init(r, false);
	ck_assert_int_eq(feed(r, bad_chunked[_i], 0, NULL), -EBADMSG);
	free(r);
}
END_TEST

START_TEST(test_http_response_content_length)
{
	static const char in[] = "HTTP/1.1 201 Created\r\nContent-Length: 4\r\n\r\nbodyEXTRA";
	struct http_response *r = malloc(sizeof(*r));
	size_t step;

	for (step = 0; step < sizeof(in); step++) {
		http_response_init(r, false);
		ck_assert_int_eq(feed(r, in, step, NULL), 1);
		ck_assert_uint_eq(r->head.status, 201);
		ck_assert_uint_eq(r->body_len, 4);
		ck_assert_mem_eq(r->body_buf, "body", 4);
		ck_assert_uint_eq(r->body.total, 4);
	}
	/* Cut short: the peer closed before the 4 bytes. */
	http_response_init(r, false);
	ck_assert_int_eq(feed(r, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nbo", 0, NULL), 0);
	ck_assert_int_eq(http_response_eof(r), -EPIPE);
	/* No head at all. */
	http_response_init(r, false);
	ck_assert_int_eq(http_response_eof(r), -EPIPE);
	free(r);
}
END_TEST

START_TEST(test_http_response_eof_head_1xx)
{
	struct http_response *r = malloc(sizeof(*r));

	/* Neither length nor chunked: the body runs to the close. */
	http_response_init(r, false);
	ck_assert_int_eq(feed(r, "HTTP/1.0 200 OK\r\n\r\nuntil the end", 3, NULL), 0);
	ck_assert_int_eq(http_response_eof(r), 1);
	ck_assert_uint_eq(r->body_len, 13);

	/* HEAD: Content-Length describes the GET, no body follows. */
	http_response_init(r, true);
	ck_assert_int_eq(feed(r, "HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n", 0, NULL), 1);
	ck_assert_uint_eq(r->body_len, 0);

	/* 204 and 304 have no body either. */
	http_response_init(r, false);
	ck_assert_int_eq(feed(r, "HTTP/1.1 204 No Content\r\n\r\n", 0, NULL), 1);

	/* An interim 100 Continue is skipped. */
	http_response_init(r, false);
	ck_assert_int_eq(feed(r, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n"
				 "Content-Length: 2\r\n\r\nok", 7, NULL), 1);
	ck_assert_uint_eq(r->head.status, 200);
	ck_assert_mem_eq(r->body_buf, "ok", 2);

	/* A bad status line. */
	http_response_init(r, false);
	ck_assert_int_eq(feed(r, "HTTP/1.1 OK\r\n\r\n", 0, NULL), -EBADMSG);
	free(r);
}
END_TEST

/* The result keeps the first HTTP_BODY_KEEP bytes and counts the rest. */
START_TEST(test_http_response_large_body)
{
	struct http_response *r = malloc(sizeof(*r));
	size_t n = 10000;
	char *body = malloc(n), head[128];

	memset(body, 'z', n);
	http_response_init(r, false);
	snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n", n);
	ck_assert_int_eq(http_response_feed(r, head, strlen(head)), 0);
	ck_assert_int_eq(http_response_feed(r, body, 5000), 0);
	ck_assert_int_eq(http_response_feed(r, body, 5000), 1);
	ck_assert_uint_eq(r->body_len, HTTP_BODY_KEEP);
	ck_assert_uint_eq(r->body.total, n);
	free(body);
	free(r);
}
END_TEST

START_TEST(test_http_request_body_framing)
{
	static const char in[] = "POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET";
	struct http_head h;
	struct http_body b;
	ssize_t hl, n;

	hl = http_parse_request_head(in, strlen(in), &h);
	ck_assert_int_eq(hl, (ssize_t)strlen(in) - 6);
	http_body_init_request(&b, &h);
	n = http_body_feed(&b, in + hl, strlen(in) - (size_t)hl, NULL, 0, NULL);
	ck_assert_int_eq(n, 3);
	ck_assert(b.done);

	/* A GET without a body is complete at its head. */
	hl = http_parse_request_head("GET / HTTP/1.1\r\n\r\n", 18, &h);
	http_body_init_request(&b, &h);
	ck_assert(b.done);
}
END_TEST

START_TEST(test_http_format)
{
	char buf[256];
	struct http_url u;
	int n;

	n = http_format_response_head(buf, sizeof(buf), 404, "text/html", 9, true);
	ck_assert_int_eq(n, (int)strlen(buf));
	ck_assert_str_eq(buf, "HTTP/1.1 404 Not Found\r\nServer: wglab\r\nContent-Type: text/html\r\n"
			      "Content-Length: 9\r\nConnection: close\r\n\r\n");
	ck_assert_int_eq(http_format_response_head(buf, 10, 200, NULL, 0, false), -ENOSPC);
	ck_assert_int_eq(http_url_parse("http://[fd00::1]:81/x", &u), 0);
	n = http_format_request(buf, sizeof(buf), "GET", &u);
	ck_assert_int_gt(n, 0);
	ck_assert_str_eq(buf, "GET /x HTTP/1.1\r\nHost: [fd00::1]:81\r\nUser-Agent: wglab\r\n"
			      "Accept: */*\r\nConnection: close\r\n\r\n");
}
END_TEST

/* A URL's host name may be as long as a DNS name (253 bytes), no longer. */
START_TEST(test_http_url_long_name)
{
	char url[300], name[260];
	struct http_url u;

	memset(name, 'a', sizeof(name));
	for (size_t i = 63; i < sizeof(name); i += 64)
		name[i] = '.';
	name[253] = '\0';
	snprintf(url, sizeof(url), "http://%s:8000/", name);
	ck_assert_int_eq(http_url_parse(url, &u), 0);
	ck_assert_str_eq(u.name, name);
	ck_assert_str_eq(strchr(u.host, ':'), ":8000");
	name[253] = 'a';
	name[254] = '\0';
	snprintf(url, sizeof(url), "http://%s/", name);
	ck_assert_int_eq(http_url_parse(url, &u), -ENAMETOOLONG);
}
END_TEST

extern Suite *http_suite(void);

Suite *http_suite(void)
{
	Suite *s = suite_create("http");
	TCase *tc;

	tc = tcase_create("http_url_parse");
	tcase_add_loop_test(tc, test_http_url_parse, 0, sizeof(url_cases) / sizeof(url_cases[0]));
	tcase_add_test(tc, test_http_url_long_name);
	suite_add_tcase(s, tc);

	tc = tcase_create("http_parse_head");
	tcase_add_loop_test(tc, test_http_parse_response_head, 0,
			    sizeof(resp_cases) / sizeof(resp_cases[0]));
	tcase_add_loop_test(tc, test_http_parse_request_head, 0,
			    sizeof(req_cases) / sizeof(req_cases[0]));
	tcase_add_test(tc, test_http_parse_head_too_long);
	suite_add_tcase(s, tc);

	tc = tcase_create("http_response_feed");
	tcase_add_loop_test(tc, test_http_response_chunked_any_split, 0, sizeof(chunked_resp) - 1);
	tcase_add_loop_test(tc, test_http_response_bad_chunks, 0,
			    sizeof(bad_chunked) / sizeof(bad_chunked[0]));
	tcase_add_test(tc, test_http_response_content_length);
	tcase_add_test(tc, test_http_response_eof_head_1xx);
	tcase_add_test(tc, test_http_response_large_body);
	tcase_add_test(tc, test_http_request_body_framing);
	suite_add_tcase(s, tc);

	tc = tcase_create("http_format");
	tcase_add_test(tc, test_http_format);
	suite_add_tcase(s, tc);
	return s;
}
