// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "traffic/http.h"
#include "netns/util/name.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int http_url_parse(const char *url, struct http_url *ret)
{
	struct http_url u = { .port = 80 };
	char host[HTTP_NAME_MAX + 1];
	const char *p = url, *end;
	size_t n;

	if (strncasecmp(p, "http://", 7))
		return -EINVAL;
	p += 7;
	if (*p == '[') {
		end = strchr(p, ']');
		if (!end)
			return -EINVAL;
		n = (size_t)(end - p - 1);
		if (n >= sizeof(host))
			return -EINVAL;
		memcpy(host, p + 1, n);
		host[n] = '\0';
		if (addr_parse(host, 0, &u.addr) < 0 || u.addr.family != AF_INET6)
			return -EINVAL;
		p = end + 1;
	} else {
		n = strcspn(p, ":/?#");
		if (n >= sizeof(host))
			return -ENAMETOOLONG;
		memcpy(host, p, n);
		host[n] = '\0';
		/* An IPv4 address, else a name: a node's (netns/util/name.h)
		 * or a host name one gives itself (letters, digits, '-', '.'),
		 * not starting with '-' or '.'. */
		if (addr_parse(host, 0, &u.addr) == 0) {
			if (u.addr.family != AF_INET)
				return -EINVAL;
		} else if (!name_valid_max(host, sizeof(host))) {
			return -EINVAL;
		} else {
			strcpy(u.name, host);
		}
		p += n;
	}
	if (*p == ':') {
		unsigned long port;
		char *e;

		if (!isdigit((unsigned char)p[1]))
			return -EINVAL;
		port = strtoul(p + 1, &e, 10);
		if (port < 1 || port > 65535 || e - (p + 1) > 5)
			return -EINVAL;
		u.port = (uint16_t)port;
		p = e;
	}
	if (*p && *p != '/' && *p != '?' && *p != '#')
		return -EINVAL;
	/* The Host header carries the authority as written (minus userinfo,
	 * which an address literal cannot have). */
	n = (size_t)(p - (url + 7));
	if (n >= sizeof(u.host))
		return -ENAMETOOLONG;
	memcpy(u.host, url + 7, n);
	u.host[n] = '\0';
	n = strcspn(p, "#");
	if (n + 2 > sizeof(u.path))
		return -ENAMETOOLONG;
	if (*p != '/')
		u.path[0] = '/';
	memcpy(u.path + strlen(u.path), p, n);
	*ret = u;
	return 0;
}

static bool http_tchar(char c)
{
	return isalnum((unsigned char)c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* Finds the end of the head: the index after the empty line, 0 if absent. */
static size_t http_head_end(const char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (buf[i] != '\n')
			continue;
		if (i + 1 < len && buf[i + 1] == '\n')
			return i + 2;
		if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

/* Next line of [p, end): its length without CR LF; *next after it. */
static size_t http_line(const char *p, const char *end, const char **next)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	size_t n;

	if (!nl) {
		*next = end;
		return (size_t)(end - p);
	}
	*next = nl + 1;
	n = (size_t)(nl - p);
	if (n && p[n - 1] == '\r')
		n--;
	return n;
}

static void http_copy(char *dst, size_t size, const char *src, size_t n)
{
	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static bool http_token_in(const char *v, size_t n, const char *token)
{
	size_t tl = strlen(token);

	while (n) {
		size_t len;

		while (n && (*v == ',' || *v == ' ' || *v == '\t')) {
			v++;
			n--;
		}
		for (len = 0; len < n && v[len] != ','; len++)
			;
		while (len && (v[len - 1] == ' ' || v[len - 1] == '\t'))
			len--;
		if (len == tl && !strncasecmp(v, token, tl))
			return true;
		while (n && *v != ',') {
			v++;
			n--;
		}
	}
	return false;
}

static int http_header(struct http_head *h, const char *name, size_t nlen, const char *v,
		       size_t vlen)
{
	if (nlen == 14 && !strncasecmp(name, "Content-Length", 14)) {
		uint64_t cl = 0;
		size_t i;

		if (!vlen || vlen > 18)
			return -EBADMSG;
		for (i = 0; i < vlen; i++) {
			if (!isdigit((unsigned char)v[i]))
				return -EBADMSG;
			cl = cl * 10 + (uint64_t)(v[i] - '0');
		}
		if ((h->flags & HTTP_HAS_CONTENT_LENGTH) && h->content_length != cl)
			return -EBADMSG;
		h->flags |= HTTP_HAS_CONTENT_LENGTH;
		h->content_length = cl;
	} else if (nlen == 17 && !strncasecmp(name, "Transfer-Encoding", 17)) {
		size_t n = vlen;

		/* Only the last coding matters: chunked must be last. */
		h->flags |= HTTP_HAS_TRANSFER_ENCODING;
		while (n && v[n - 1] != ',')
			n--;
		if (http_token_in(v + n, vlen - n, "chunked"))
			h->flags |= HTTP_CHUNKED;
		else
			h->flags &= ~HTTP_CHUNKED;
	} else if (nlen == 10 && !strncasecmp(name, "Connection", 10)) {
		if (http_token_in(v, vlen, "close"))
			h->flags |= HTTP_CONN_CLOSE;
		if (http_token_in(v, vlen, "keep-alive"))
			h->flags |= HTTP_CONN_KEEP_ALIVE;
	} else if (nlen == 12 && !strncasecmp(name, "Content-Type", 12)) {
		http_copy(h->content_type, sizeof(h->content_type), v, vlen);
	}
	return 0;
}

static int http_parse_headers(struct http_head *h, const char *p, const char *end)
{
	while (p < end) {
		const char *line = p, *colon, *v;
		size_t n = http_line(p, end, &p), vlen;
		int ret;

		if (!n)
			break;
		/* Folded lines (obs-fold) and spaces before the colon are
		 * refused, as RFC 9112 allows. */
		if (line[0] == ' ' || line[0] == '\t')
			return -EBADMSG;
		colon = memchr(line, ':', n);
		if (!colon || colon == line)
			return -EBADMSG;
		for (v = line; v < colon; v++)
			if (!http_tchar(*v))
				return -EBADMSG;
		v = colon + 1;
		vlen = n - (size_t)(v - line);
		while (vlen && (*v == ' ' || *v == '\t')) {
			v++;
			vlen--;
		}
		while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
			vlen--;
		ret = http_header(h, line, (size_t)(colon - line), v, vlen);
		if (ret < 0)
			return ret;
	}
	/* A message with both is a smuggling attempt; the encoding wins. */
	if (h->flags & HTTP_HAS_TRANSFER_ENCODING)
		h->flags &= ~HTTP_HAS_CONTENT_LENGTH;
	return 0;
}

static int http_parse_version(const char *p, size_t n, unsigned int *ret)
{
	if (n != 8 || strncmp(p, "HTTP/1.", 7) || (p[7] != '0' && p[7] != '1'))
		return -EBADMSG;
	*ret = p[7] == '1' ? 11 : 10;
	return 0;
}

ssize_t http_parse_response_head(const char *buf, size_t len, struct http_head *ret)
{
	struct http_head h = { 0 };
	const char *p = buf, *end;
	size_t hl = http_head_end(buf, len), n;
	int err;

	if (!hl)
		return len >= HTTP_HEAD_MAX ? -EMSGSIZE : 0;
	if (hl > HTTP_HEAD_MAX)
		return -EMSGSIZE;
	end = buf + hl;
	n = http_line(p, end, &p);
	/* "HTTP/1.1 200 OK", the reason phrase may be empty or absent. */
	if (n < 12 || http_parse_version(buf, 8, &h.version) < 0 || buf[8] != ' ' ||
	    !isdigit((unsigned char)buf[9]) || !isdigit((unsigned char)buf[10]) ||
	    !isdigit((unsigned char)buf[11]) || (n > 12 && buf[12] != ' '))
		return -EBADMSG;
	h.status = (unsigned int)((buf[9] - '0') * 100 + (buf[10] - '0') * 10 + (buf[11] - '0'));
	if (h.status < 100 || h.status > 599)
		return -EBADMSG;
	if (n > 13)
		http_copy(h.reason, sizeof(h.reason), buf + 13, n - 13);
	err = http_parse_headers(&h, p, end);
	if (err < 0)
		return err;
	*ret = h;
	return (ssize_t)hl;
}

ssize_t http_parse_request_head(const char *buf, size_t len, struct http_head *ret)
{
	struct http_head h = { 0 };
	const char *start = buf, *p, *end, *sp1, *sp2;
	size_t hl, n;
	int err;

	/* Empty lines before a request are tolerated (RFC 9112 2.2). */
	while (len && (*buf == '\r' || *buf == '\n')) {
		buf++;
		len--;
	}
	hl = http_head_end(buf, len);
	if (!hl)
		return len >= HTTP_HEAD_MAX ? -EMSGSIZE : 0;
	if (hl > HTTP_HEAD_MAX)
		return -EMSGSIZE;
	end = buf + hl;
	p = buf;
	n = http_line(p, end, &p);
	sp1 = memchr(buf, ' ', n);
	if (!sp1 || sp1 == buf || (size_t)(sp1 - buf) >= sizeof(h.method))
		return -EBADMSG;
	sp2 = memchr(sp1 + 1, ' ', n - (size_t)(sp1 + 1 - buf));
	if (!sp2 || sp2 == sp1 + 1 || (size_t)(sp2 - sp1 - 1) >= sizeof(h.target))
		return -EBADMSG;
	if (http_parse_version(sp2 + 1, n - (size_t)(sp2 + 1 - buf), &h.version) < 0)
		return -EBADMSG;
	for (p = buf; p < sp1; p++)
		if (!http_tchar(*p))
			return -EBADMSG;
	http_copy(h.method, sizeof(h.method), buf, (size_t)(sp1 - buf));
	http_copy(h.target, sizeof(h.target), sp1 + 1, (size_t)(sp2 - sp1 - 1));
	http_line(buf, end, &p);
	err = http_parse_headers(&h, p, end);
	if (err < 0)
		return err;
	/* A request body of unknown length cannot be framed. */
	if ((h.flags & HTTP_HAS_TRANSFER_ENCODING) && !(h.flags & HTTP_CHUNKED))
		return -EBADMSG;
	*ret = h;
	return (ssize_t)(hl + (size_t)(buf - start));
}

bool http_keep_alive(const struct http_head *h)
{
	if (h->flags & HTTP_CONN_CLOSE)
		return false;
	return h->version >= 11 || (h->flags & HTTP_CONN_KEEP_ALIVE);
}

void http_body_init_response(struct http_body *b, const struct http_head *h, bool head_request)
{
	memset(b, 0, sizeof(*b));
	if (head_request || h->status < 200 || h->status == 204 || h->status == 304)
		b->mode = HTTP_BODY_NONE;
	else if (h->flags & HTTP_CHUNKED)
		b->mode = HTTP_BODY_CHUNKED;
	else if (h->flags & HTTP_HAS_CONTENT_LENGTH)
		b->mode = HTTP_BODY_LENGTH;
	else
		b->mode = HTTP_BODY_EOF;
	b->remaining = b->mode == HTTP_BODY_LENGTH ? h->content_length : 0;
	b->done = b->mode == HTTP_BODY_NONE || (b->mode == HTTP_BODY_LENGTH && !b->remaining);
}

void http_body_init_request(struct http_body *b, const struct http_head *h)
{
	memset(b, 0, sizeof(*b));
	if (h->flags & HTTP_CHUNKED)
		b->mode = HTTP_BODY_CHUNKED;
	else if ((h->flags & HTTP_HAS_CONTENT_LENGTH) && h->content_length)
		b->mode = HTTP_BODY_LENGTH;
	else
		b->mode = HTTP_BODY_NONE;
	b->remaining = b->mode == HTTP_BODY_LENGTH ? h->content_length : 0;
	b->done = b->mode == HTTP_BODY_NONE;
}

static void http_body_out(struct http_body *b, const char *p, size_t n, char *out,
			  size_t outcap, size_t *outlen)
{
	b->total += n;
	if (!out || !outlen || *outlen >= outcap)
		return;
	if (n > outcap - *outlen)
		n = outcap - *outlen;
	memcpy(out + *outlen, p, n);
	*outlen += n;
}

enum {
	CH_SIZE,	/* hex digits of a chunk size */
	CH_SIZE_END,	/* spaces or an extension up to LF */
	CH_DATA,
	CH_DATA_CR,	/* CR LF after the data */
	CH_DATA_LF,
	CH_TRAILER,	/* at the start of a trailer line */
	CH_TRAILER_LINE,/* inside a trailer line */
	CH_LAST_LF,	/* the final empty line's LF */
};

static int http_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static ssize_t http_chunked_feed(struct http_body *b, const char *buf, size_t len, char *out,
				 size_t outcap, size_t *outlen)
{
	size_t i = 0;

	while (i < len && !b->done) {
		char c = buf[i];
		size_t n;
		int d;

		switch (b->state) {
		case CH_SIZE:
			d = http_hex(c);
			if (d >= 0) {
				if (++b->digits > 15)
					return -EBADMSG;
				b->remaining = b->remaining * 16 + (uint64_t)d;
				i++;
				break;
			}
			if (!b->digits || !strchr(" \t;\r\n", c) || !c)
				return -EBADMSG;
			b->state = CH_SIZE_END;
			break;
		case CH_SIZE_END:
			i++;
			if (c != '\n')
				break;
			b->digits = 0;
			b->state = b->remaining ? CH_DATA : CH_TRAILER;
			break;
		case CH_DATA:
			n = len - i < b->remaining ? len - i : (size_t)b->remaining;
			http_body_out(b, buf + i, n, out, outcap, outlen);
			b->remaining -= n;
			i += n;
			if (!b->remaining)
				b->state = CH_DATA_CR;
			break;
		case CH_DATA_CR:
			i++;
			if (c == '\n') {
				b->state = CH_SIZE;
				break;
			}
			if (c != '\r')
				return -EBADMSG;
			b->state = CH_DATA_LF;
			break;
		case CH_DATA_LF:
			if (c != '\n')
				return -EBADMSG;
			i++;
			b->state = CH_SIZE;
			break;
		case CH_TRAILER:
			i++;
			if (c == '\n')
				b->done = true;
			else
				b->state = c == '\r' ? CH_LAST_LF : CH_TRAILER_LINE;
			break;
		case CH_LAST_LF:
			if (c != '\n')
				return -EBADMSG;
			i++;
			b->done = true;
			break;
		case CH_TRAILER_LINE:
			i++;
			if (c == '\n')
				b->state = CH_TRAILER;
			break;
		}
	}
	return (ssize_t)i;
}

ssize_t http_body_feed(struct http_body *b, const char *buf, size_t len, char *out,
		       size_t outcap, size_t *outlen)
{
	size_t n;

	if (b->done)
		return 0;
	switch (b->mode) {
	case HTTP_BODY_NONE:
		b->done = true;
		return 0;
	case HTTP_BODY_LENGTH:
		n = len < b->remaining ? len : (size_t)b->remaining;
		http_body_out(b, buf, n, out, outcap, outlen);
		b->remaining -= n;
		b->done = !b->remaining;
		return (ssize_t)n;
	case HTTP_BODY_EOF:
		http_body_out(b, buf, len, out, outcap, outlen);
		return (ssize_t)len;
	case HTTP_BODY_CHUNKED:
		return http_chunked_feed(b, buf, len, out, outcap, outlen);
	}
	return -EINVAL;
}

int http_body_eof(struct http_body *b)
{
	if (b->mode == HTTP_BODY_EOF)
		b->done = true;
	return b->done ? 0 : -EPIPE;
}

void http_response_init(struct http_response *r, bool head_request)
{
	memset(r, 0, offsetof(struct http_response, buf));
	r->head_request = head_request;
}

static int http_response_body(struct http_response *r, const char *buf, size_t len)
{
	ssize_t n = http_body_feed(&r->body, buf, len, r->body_buf, sizeof(r->body_buf),
				   &r->body_len);

	if (n < 0)
		return (int)n;
	r->done = r->body.done;
	return r->done;
}

int http_response_feed(struct http_response *r, const char *buf, size_t len)
{
	while (!r->have_head) {
		size_t take = sizeof(r->buf) - r->head_len;
		ssize_t hl;

		if (take > len)
			take = len;
		memcpy(r->buf + r->head_len, buf, take);
		r->head_len += take;
		buf += take;
		len -= take;
		hl = http_parse_response_head(r->buf, r->head_len, &r->head);
		if (hl <= 0)
			return (int)hl;
		/* The bytes after the head belong to the body (or the next
		 * head): put them back in front of the input. */
		if (r->head.status >= 100 && r->head.status < 200 && r->head.status != 101) {
			memmove(r->buf, r->buf + hl, r->head_len - (size_t)hl);
			r->head_len -= (size_t)hl;
			memset(&r->head, 0, sizeof(r->head));
			if (!len && !r->head_len)
				return 0;
			continue;
		}
		r->have_head = true;
		http_body_init_response(&r->body, &r->head, r->head_request);
		r->done = r->body.done;
		if (r->head_len > (size_t)hl) {
			int ret = http_response_body(r, r->buf + hl, r->head_len - (size_t)hl);

			if (ret)
				return ret;
		}
	}
	if (r->done)
		return 1;
	return http_response_body(r, buf, len);
}

int http_response_eof(struct http_response *r)
{
	if (!r->have_head)
		return -EPIPE;
	if (http_body_eof(&r->body) < 0)
		return -EPIPE;
	r->done = true;
	return 1;
}

const char *http_reason(unsigned int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 413: return "Content Too Large";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	default: return "Status";
	}
}

int http_format_response_head(char *buf, size_t len, unsigned int status,
			      const char *content_type, size_t body_len, bool close)
{
	int n = snprintf(buf, len,
			 "HTTP/1.1 %u %s\r\n"
			 "Server: wglab\r\n"
			 "Content-Type: %s\r\n"
			 "Content-Length: %zu\r\n"
			 "%s"
			 "\r\n",
			 status, http_reason(status), content_type ? content_type : "text/plain",
			 body_len, close ? "Connection: close\r\n" : "");

	return n < 0 || (size_t)n >= len ? -ENOSPC : n;
}

int http_format_request(char *buf, size_t len, const char *method, const struct http_url *u)
{
	int n = snprintf(buf, len,
			 "%s %s HTTP/1.1\r\n"
			 "Host: %s\r\n"
			 "User-Agent: wglab\r\n"
			 "Accept: */*\r\n"
			 "Connection: close\r\n"
			 "\r\n",
			 method, u->path, u->host);

	return n < 0 || (size_t)n >= len ? -ENOSPC : n;
}
