/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef TRAFFIC_HTTP_H
#define TRAFFIC_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "netns/addr.h"

struct loop;
struct netns;

/*
 * HTTP/1.1 as the lab needs it: a client for "node gets URL status N", and
 * the message parsing shared with the lab's HTTP server.  Parsing is pure
 * (no sockets) so the unit tests drive it byte by byte.
 */

#define HTTP_HEAD_MAX 16384	/* start line + headers */
#define HTTP_BODY_KEEP 4096	/* body bytes a result keeps */
#define HTTP_WAIT_MS 2000
#define HTTP_EVIDENCE_LEN 256

/* --- URLs: http://IPv4[:port]/path, http://[IPv6][:port]/path, or
 * http://NAME[:port]/path (a lab's node: the caller gives the address) --- */

/* A URL's host name: at most a DNS name's 253 bytes. */
#define HTTP_NAME_MAX 253

struct http_url {
	struct addr addr;		/* family 0 when the host is a name */
	char name[HTTP_NAME_MAX + 1];	/* that name, else "" */
	uint16_t port;			/* default 80 */
	char host[HTTP_NAME_MAX + 8];	/* as the Host header says it */
	char path[1024];		/* "/" when the URL has none; query kept */
};

/* A host is an address literal or a name (letters, digits, '-', '.', '_',
 * not starting with '-' or '.'; at most HTTP_NAME_MAX bytes); the Host
 * header keeps it as written.  -EINVAL (not
 * http://, bad host or port), -ENAMETOOLONG. */
int http_url_parse(const char *url, struct http_url *ret);

/* --- message heads --- */

enum {
	HTTP_HAS_CONTENT_LENGTH = 1U << 0,
	HTTP_CHUNKED = 1U << 1,		/* Transfer-Encoding ends in chunked */
	HTTP_HAS_TRANSFER_ENCODING = 1U << 2,
	HTTP_CONN_CLOSE = 1U << 3,	/* Connection: close */
	HTTP_CONN_KEEP_ALIVE = 1U << 4,	/* Connection: keep-alive */
};

struct http_head {
	unsigned int flags;		/* HTTP_* above */
	unsigned int version;		/* 10 or 11 (HTTP/1.0, HTTP/1.1) */
	unsigned int status;		/* responses */
	char reason[64];
	char method[16];		/* requests */
	char target[1024];
	uint64_t content_length;
	char content_type[128];
};

/* Parses the head at the start of buf.  Returns its length (through the
 * empty line) when complete, 0 when more bytes are needed, -EBADMSG when
 * malformed (bad start line, bad header, conflicting Content-Length) and
 * -EMSGSIZE when no complete head fits in HTTP_HEAD_MAX bytes. */
ssize_t http_parse_response_head(const char *buf, size_t len, struct http_head *ret);
ssize_t http_parse_request_head(const char *buf, size_t len, struct http_head *ret);
/* Whether the connection stays open after this message (version and
 * Connection header). */
bool http_keep_alive(const struct http_head *h);

/* --- bodies: Content-Length, chunked, or until the connection closes --- */

enum http_body_mode {
	HTTP_BODY_NONE,
	HTTP_BODY_LENGTH,
	HTTP_BODY_CHUNKED,
	HTTP_BODY_EOF,
};

struct http_body {
	enum http_body_mode mode;
	int state;			/* chunked decoder state */
	unsigned int digits;
	uint64_t remaining;		/* of the body (LENGTH) or chunk (CHUNKED) */
	uint64_t total;			/* decoded body bytes so far */
	bool done;
};

/* Framing of the body that follows a head (RFC 9112 6.3).  head_request:
 * the response answers HEAD (no body whatever the headers say). */
void http_body_init_response(struct http_body *b, const struct http_head *h, bool head_request);
void http_body_init_request(struct http_body *b, const struct http_head *h);
/* Consumes body bytes from buf and stops at the end of the body (b->done).
 * Decoded bytes are appended to out while outlen < outcap (out may be NULL).
 * Returns the bytes consumed or -EBADMSG (bad chunk framing). */
ssize_t http_body_feed(struct http_body *b, const char *buf, size_t len, char *out,
		       size_t outcap, size_t *outlen);
/* The peer closed: 0 when that completes the body, -EPIPE when it was cut. */
int http_body_eof(struct http_body *b);

/* --- a whole response, fed as it arrives (the client's parser) --- */

struct http_response {
	struct http_head head;
	struct http_body body;
	bool head_request;
	bool have_head;
	bool done;
	size_t head_len;		/* bytes buffered in buf */
	size_t body_len;		/* kept in body_buf */
	char buf[HTTP_HEAD_MAX];
	char body_buf[HTTP_BODY_KEEP];
};

void http_response_init(struct http_response *r, bool head_request);
/* 1 when the response is complete (bytes after it are ignored), 0 when
 * more is needed, -EBADMSG / -EMSGSIZE when malformed.  1xx responses other
 * than 101 are skipped. */
int http_response_feed(struct http_response *r, const char *buf, size_t len);
/* The connection closed: 1 complete, -EPIPE cut short (or no response). */
int http_response_eof(struct http_response *r);

/* --- building messages --- */

const char *http_reason(unsigned int status);
/* Status line and headers for a response with a body of body_len bytes
 * (Content-Length is always sent, also for HEAD).  The head's length or
 * -ENOSPC. */
int http_format_response_head(char *buf, size_t len, unsigned int status,
			      const char *content_type, size_t body_len, bool close);
int http_format_request(char *buf, size_t len, const char *method, const struct http_url *u);

/* --- the client --- */

struct http_result {
	bool ok;			/* a complete response arrived */
	unsigned int status;
	unsigned int version;
	unsigned int attempts;		/* connections tried */
	bool has_content_length;
	uint64_t content_length;
	bool chunked;
	char content_type[128];
	uint64_t body_total;		/* body bytes received */
	size_t body_len;		/* kept in body (the first HTTP_BODY_KEEP) */
	char body[HTTP_BODY_KEEP + 1];	/* NUL-terminated */
	uint64_t elapsed_ms;
	int last_error;			/* positive errno: connect or I/O failure */
	char evidence[HTTP_EVIDENCE_LEN];
};

/* GET url from inside node from (NULL: here), connecting to at (NULL: the
 * URL's address; a URL that names its host needs at), retrying the connection
 * every PROBE_INTERVAL_MS (a pending connect for at most 1 s) until a
 * response arrives or wait_ms (0: HTTP_WAIT_MS) runs out.  0 when the
 * request ran, whatever the outcome (ret->ok, ret->status), or -errno when
 * it could not (bad URL: -EINVAL), ret untouched then. */
int http_get(struct loop *l, struct netns *from, const char *url, const struct addr *at,
	     unsigned int wait_ms, struct http_result *ret);

#endif
