// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "netns/wg/uapi.h"
#include "netns/wg/wgconf.h"
#include "netns/util/now.h"
#include "netns/util/xalloc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

static int uapi_endpoint_format(const struct wgconf_peer *peer, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN], scope[IF_NAMESIZE + 1] = "";

	if (peer->endpoint.sa.sa_family == AF_INET) {
		inet_ntop(AF_INET, &peer->endpoint.in.sin_addr, host, sizeof(host));
		snprintf(buf, len, "%s:%u", host, ntohs(peer->endpoint.in.sin_port));
		return 0;
	}
	if (peer->endpoint.sa.sa_family == AF_INET6) {
		inet_ntop(AF_INET6, &peer->endpoint.in6.sin6_addr, host, sizeof(host));
		if (peer->endpoint.in6.sin6_scope_id) {
			scope[0] = '%';
			if (!if_indextoname(peer->endpoint.in6.sin6_scope_id, scope + 1))
				snprintf(scope, sizeof(scope), "%%%u", peer->endpoint.in6.sin6_scope_id);
		}
		snprintf(buf, len, "[%s%s]:%u", host, scope, ntohs(peer->endpoint.in6.sin6_port));
		return 0;
	}
	return -EAFNOSUPPORT;
}

int uapi_encode_set(const struct wgconf_device *dev, char **ret, size_t *ret_len)
{
	const struct wgconf_peer *peer;
	const struct wgconf_ip *ip;
	char hex[WGKEY_LEN_HEX], buf[ADDR_STRLEN + 8];
	char *out = NULL;
	size_t len = 0;
	FILE *f;
	int r = 0;

	for (peer = dev->first_peer; peer; peer = peer->next) {
		if (!(peer->flags & WGCONF_PEER_HAS_PUBLIC_KEY))
			return -ENOKEY;
		if (peer->endpoint_host && !(peer->flags & WGCONF_PEER_HAS_ENDPOINT))
			return -EDESTADDRREQ;
	}
	f = xcheck(open_memstream(&out, &len));
	fputs("set=1\n", f);
	if (dev->flags & WGCONF_DEV_HAS_PRIVATE_KEY) {
		wgkey_to_hex(hex, dev->private_key);
		fprintf(f, "private_key=%s\n", hex);
	}
	if (dev->flags & WGCONF_DEV_HAS_LISTEN_PORT)
		fprintf(f, "listen_port=%u\n", dev->listen_port);
	if (dev->flags & WGCONF_DEV_HAS_FWMARK)
		fprintf(f, "fwmark=%" PRIu32 "\n", dev->fwmark);
	if (dev->flags & WGCONF_DEV_REPLACE_PEERS)
		fputs("replace_peers=true\n", f);
	for (peer = dev->first_peer; peer; peer = peer->next) {
		wgkey_to_hex(hex, peer->public_key);
		fprintf(f, "public_key=%s\n", hex);
		if (peer->flags & WGCONF_PEER_REMOVE) {
			fputs("remove=true\n", f);
			continue;
		}
		/* Must come right after public_key: wireguard-go drops a peer
		 * it has just created when it reads update_only. */
		if (peer->flags & WGCONF_PEER_UPDATE_ONLY)
			fputs("update_only=true\n", f);
		if (peer->flags & WGCONF_PEER_HAS_PRESHARED_KEY) {
			wgkey_to_hex(hex, peer->preshared_key);
			fprintf(f, "preshared_key=%s\n", hex);
		}
		if (peer->flags & WGCONF_PEER_HAS_ENDPOINT) {
			r = uapi_endpoint_format(peer, buf, sizeof(buf));
			if (r < 0)
				goto cleanup;
			fprintf(f, "endpoint=%s\n", buf);
		}
		if (peer->flags & WGCONF_PEER_HAS_KEEPALIVE)
			fprintf(f, "persistent_keepalive_interval=%u\n", peer->persistent_keepalive);
		if (peer->flags & WGCONF_PEER_REPLACE_ALLOWEDIPS)
			fputs("replace_allowed_ips=true\n", f);
		for (ip = peer->first_allowedip; ip; ip = ip->next)
			fprintf(f, "allowed_ip=%s%s\n", ip->flags & WGCONF_IP_REMOVE ? "-" : "",
				addr_format(&ip->addr, true, buf, sizeof(buf)));
	}
	fputc('\n', f);
cleanup:
	sodium_memzero(hex, sizeof(hex));
	/* A memory stream fails only when it cannot grow. */
	if (fclose(f))
		xalloc_fail();
	if (r < 0) {
		if (out)
			sodium_memzero(out, len);
		free(out);
		return r;
	}
	*ret = out;
	if (ret_len)
		*ret_len = len;
	return 0;
}

static int uapi_u64(const char *v, uint64_t max, uint64_t *ret)
{
	unsigned long long n;
	char *end;

	if (*v < '0' || *v > '9')
		return -EPROTO;
	errno = 0;
	n = strtoull(v, &end, 10);
	if (*end || errno || n > max)
		return -EPROTO;
	*ret = n;
	return 0;
}

static int uapi_errno_value(const char *v)
{
	uint64_t n;
	bool neg = *v == '-';

	/* wireguard-go answers -EINVAL etc.; the C servers answer EINVAL. */
	if (uapi_u64(v + neg, 4095, &n) < 0)
		return -EPROTO;
	return -(int)n;
}

static int uapi_parse_endpoint(struct wgconf_peer *peer, const char *v)
{
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in in = { .sin_family = AF_INET };
	char host[INET6_ADDRSTRLEN + IF_NAMESIZE + 2];
	const char *colon, *end, *pct;
	uint64_t port;
	size_t hlen;

	if (*v == '[') {
		end = strchr(v, ']');
		if (!end || end[1] != ':')
			return -EPROTO;
		hlen = (size_t)(end - v - 1);
		colon = end + 1;
		v++;
	} else {
		colon = strrchr(v, ':');
		if (!colon)
			return -EPROTO;
		hlen = (size_t)(colon - v);
	}
	if (hlen >= sizeof(host) || uapi_u64(colon + 1, UINT16_MAX, &port) < 0)
		return -EPROTO;
	memcpy(host, v, hlen);
	host[hlen] = '\0';
	if (inet_pton(AF_INET, host, &in.sin_addr) == 1) {
		in.sin_port = htons((uint16_t)port);
		return wgconf_peer_set_endpoint(peer, (struct sockaddr *)&in, sizeof(in));
	}
	pct = strchr(host, '%');
	if (pct) {
		in6.sin6_scope_id = if_nametoindex(pct + 1);
		if (!in6.sin6_scope_id)
			in6.sin6_scope_id = (uint32_t)strtoul(pct + 1, NULL, 10);
		host[pct - host] = '\0';
	}
	if (inet_pton(AF_INET6, host, &in6.sin6_addr) != 1)
		return -EPROTO;
	in6.sin6_port = htons((uint16_t)port);
	return wgconf_peer_set_endpoint(peer, (struct sockaddr *)&in6, sizeof(in6));
}

static int uapi_get_line(struct wgconf_device *dev, struct wgconf_peer **peer, const char *key,
			 const char *v)
{
	uint8_t k[WGKEY_LEN];
	struct addr a;
	uint64_t n;
	int r = 0;

	if (!strcmp(key, "private_key")) {
		if (wgkey_from_hex(k, v) < 0)
			return -EPROTO;
		wgconf_device_set_private_key(dev, k);
		sodium_memzero(k, sizeof(k));
	} else if (!strcmp(key, "listen_port")) {
		if (uapi_u64(v, UINT16_MAX, &n) < 0)
			return -EPROTO;
		dev->listen_port = (uint16_t)n;
		dev->flags |= WGCONF_DEV_HAS_LISTEN_PORT;
	} else if (!strcmp(key, "fwmark")) {
		if (uapi_u64(v, UINT32_MAX, &n) < 0)
			return -EPROTO;
		dev->fwmark = (uint32_t)n;
		dev->flags |= WGCONF_DEV_HAS_FWMARK;
	} else if (!strcmp(key, "public_key")) {
		if (wgkey_from_hex(k, v) < 0)
			return -EPROTO;
		*peer = wgconf_device_add_peer(dev);
		wgconf_peer_set_public_key(*peer, k);
	} else if (!*peer) {
		return 0;	/* a device key this parser does not know */
	} else if (!strcmp(key, "preshared_key")) {
		if (wgkey_from_hex((*peer)->preshared_key, v) < 0)
			return -EPROTO;
		if (!wgkey_is_zero((*peer)->preshared_key))
			(*peer)->flags |= WGCONF_PEER_HAS_PRESHARED_KEY;
	} else if (!strcmp(key, "endpoint")) {
		r = uapi_parse_endpoint(*peer, v);
	} else if (!strcmp(key, "persistent_keepalive_interval")) {
		if (uapi_u64(v, UINT16_MAX, &n) < 0)
			return -EPROTO;
		(*peer)->persistent_keepalive = (uint16_t)n;
		(*peer)->flags |= WGCONF_PEER_HAS_KEEPALIVE;
	} else if (!strcmp(key, "allowed_ip")) {
		if (addr_parse(v, ADDR_PARSE_NEED_PREFIX, &a) < 0)
			return -EPROTO;
		wgconf_peer_add_allowedip(*peer, &a, 0);
	} else if (!strcmp(key, "last_handshake_time_sec")) {
		if (uapi_u64(v, INT64_MAX, &n) < 0)
			return -EPROTO;
		(*peer)->last_handshake_sec = (int64_t)n;
		if (n)
			(*peer)->flags |= WGCONF_PEER_HAS_HANDSHAKE;
	} else if (!strcmp(key, "last_handshake_time_nsec")) {
		if (uapi_u64(v, INT64_MAX, &n) < 0)
			return -EPROTO;
		(*peer)->last_handshake_nsec = (int64_t)n;
		if (n)
			(*peer)->flags |= WGCONF_PEER_HAS_HANDSHAKE;
	} else if (!strcmp(key, "rx_bytes") || !strcmp(key, "tx_bytes")) {
		if (uapi_u64(v, UINT64_MAX, &n) < 0)
			return -EPROTO;
		*(key[0] == 'r' ? &(*peer)->rx_bytes : &(*peer)->tx_bytes) = n;
		(*peer)->flags |= WGCONF_PEER_HAS_STATS;
	} else if (!strcmp(key, "protocol_version")) {
		if (uapi_u64(v, UINT32_MAX, &n) < 0)
			return -EPROTO;
		(*peer)->protocol_version = (uint32_t)n;
		(*peer)->flags |= WGCONF_PEER_HAS_PROTOCOL;
	}
	/* Other keys (newer servers, forks) are skipped. */
	return r;
}

/* Calls fn on each "key=value" line of text up to the blank line; the
 * errno line ends the walk with its value. */
static int uapi_walk(const char *text, size_t len, int (*fn)(const char *key, const char *value, void *data),
		     void *data)
{
	const char *p = text, *end = text + len;
	char line[512];
	int status = 1, r;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n;
		char *eq;

		if (!nl)
			return -EPROTO;
		n = (size_t)(nl - p);
		if (!n)
			return status == 1 ? -EPROTO : status;
		if (n >= sizeof(line))
			return -EPROTO;
		memcpy(line, p, n);
		line[n] = '\0';
		p = nl + 1;
		eq = strchr(line, '=');
		if (!eq)
			return -EPROTO;
		*eq = '\0';
		if (!strcmp(line, "errno")) {
			status = uapi_errno_value(eq + 1);
			if (status == -EPROTO)
				return status;
			continue;
		}
		if (status != 1)
			return -EPROTO;	/* nothing may follow errno= */
		if (fn) {
			r = fn(line, eq + 1, data);
			if (r < 0)
				return r;
		}
	}
	return -EPROTO;	/* no blank line */
}

struct uapi_get_ctx {
	struct wgconf_device *dev;
	struct wgconf_peer *peer;
};

static int uapi_get_cb(const char *key, const char *value, void *data)
{
	struct uapi_get_ctx *ctx = data;

	return uapi_get_line(ctx->dev, &ctx->peer, key, value);
}

int uapi_parse_get(const char *text, size_t len, struct wgconf_device **ret)
{
	struct uapi_get_ctx ctx = { 0 };
	int r;

	ctx.dev = wgconf_device_new();
	r = uapi_walk(text, len, uapi_get_cb, &ctx);
	if (r < 0) {
		wgconf_device_free(ctx.dev);
		return r;
	}
	*ret = ctx.dev;
	return 0;
}

int uapi_parse_errno(const char *text, size_t len)
{
	return uapi_walk(text, len, NULL, NULL);
}

/* I/O. */

int uapi_socket(const char *path, struct sockaddr_un *sun)
{
	int fd;

	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path))
		return -ENAMETOOLONG;
	strcpy(sun->sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	return fd < 0 ? -errno : fd;
}

static int uapi_connect(const char *path)
{
	struct sockaddr_un sun;
	int fd, r;

	fd = uapi_socket(path, &sun);
	if (fd < 0)
		return fd;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun))) {
		r = -errno;
		close(fd);
		return r;
	}
	return fd;
}

int uapi_probe(const char *sock_path)
{
	int fd = uapi_connect(sock_path);

	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

static int uapi_wait(int fd, short events, int64_t deadline)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	int timeout = -1, n;

	if (deadline >= 0) {
		int64_t left = deadline - (int64_t)now_ms();

		timeout = left > 0 ? (int)left : 0;
	}
	n = poll(&pfd, 1, timeout);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	return n ? 0 : -ETIMEDOUT;
}

/* Sends req[0..req_len) on fd. */
static int uapi_send(int fd, const char *req, size_t req_len, int64_t deadline)
{
	size_t off = 0;
	ssize_t n;
	int r;

	while (off < req_len) {
		r = uapi_wait(fd, POLLOUT, deadline);
		if (r < 0)
			return r;
		n = send(fd, req + off, req_len - off, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			return -errno;
		}
		off += (size_t)n;
	}
	return 0;
}

/* Reads the answer until the blank line that ends it (caller frees). */
static int uapi_recv(int fd, char **ret, size_t *ret_len, int64_t deadline)
{
	size_t len = 0, cap = 0;
	char *buf = NULL;
	ssize_t n;
	int r;

	for (;;) {
		if (len >= 2 && buf[len - 1] == '\n' && buf[len - 2] == '\n')
			break;
		if (len == 1 && buf[0] == '\n')
			break;
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 8192;
			buf = xrealloc(buf, cap);
		}
		r = uapi_wait(fd, POLLIN, deadline);
		if (r < 0)
			goto fail;
		n = recv(fd, buf + len, cap - len - 1, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			r = -errno;
			goto fail;
		}
		if (!n) {
			r = -EPROTO;	/* closed before the answer ended */
			goto fail;
		}
		len += (size_t)n;
	}
	buf[len] = '\0';
	*ret = buf;
	*ret_len = len;
	return 0;
fail:
	free(buf);
	return r;
}

static int64_t uapi_deadline(int timeout_ms)
{
	return timeout_ms < 0 ? -1 : (int64_t)now_ms() + timeout_ms;
}

/* Connects to path and sends req: *ret_fd, the connection, or -errno
 * (nothing left open). */
static int uapi_request(const char *path, const char *req, size_t req_len, int64_t deadline, int *ret_fd)
{
	int fd = uapi_connect(path), r;

	if (fd < 0)
		return fd;
	r = uapi_send(fd, req, req_len, deadline);
	if (r < 0) {
		close(fd);
		return r;
	}
	*ret_fd = fd;
	return 0;
}

/* Reads the answer on fd and closes it: a get's state into *ret, or
 * (ret NULL) a set's status. */
static int uapi_answer(int fd, int64_t deadline, struct wgconf_device **ret)
{
	char *ans = NULL;
	size_t ans_len = 0;
	int r;

	r = uapi_recv(fd, &ans, &ans_len, deadline);
	close(fd);
	if (r < 0)
		return r;
	r = ret ? uapi_parse_get(ans, ans_len, ret) : uapi_parse_errno(ans, ans_len);
	sodium_memzero(ans, ans_len);
	free(ans);
	return r;
}

/* dev's configuration, sent (the request wiped after). */
static int uapi_set_request(const char *sock_path, const struct wgconf_device *dev, int64_t deadline, int *ret_fd)
{
	char *req = NULL;
	size_t req_len = 0;
	int r;

	r = uapi_encode_set(dev, &req, &req_len);
	if (r < 0)
		return r;
	r = uapi_request(sock_path, req, req_len, deadline, ret_fd);
	sodium_memzero(req, req_len);
	free(req);
	return r;
}

int uapi_set_begin(const char *sock_path, const struct wgconf_device *dev, int timeout_ms, int *ret_fd)
{
	return uapi_set_request(sock_path, dev, uapi_deadline(timeout_ms), ret_fd);
}

int uapi_set_end(int fd, int timeout_ms)
{
	return uapi_answer(fd, uapi_deadline(timeout_ms), NULL);
}

int uapi_set(const char *sock_path, const struct wgconf_device *dev, int timeout_ms)
{
	int64_t deadline = uapi_deadline(timeout_ms);
	int fd, r;

	r = uapi_set_request(sock_path, dev, deadline, &fd);
	return r < 0 ? r : uapi_answer(fd, deadline, NULL);
}

static const char uapi_get_req[] = "get=1\n\n";

int uapi_get_begin(const char *sock_path, int timeout_ms, int *ret_fd)
{
	return uapi_request(sock_path, uapi_get_req, sizeof(uapi_get_req) - 1, uapi_deadline(timeout_ms), ret_fd);
}

int uapi_get_end(int fd, int timeout_ms, struct wgconf_device **ret)
{
	return uapi_answer(fd, uapi_deadline(timeout_ms), ret);
}

int uapi_get_pid(const char *sock_path, struct wgconf_device **ret, pid_t *ret_pid, int timeout_ms)
{
	int64_t deadline = uapi_deadline(timeout_ms);
	struct ucred cred = { 0 };
	socklen_t cl = sizeof(cred);
	int fd, r;

	r = uapi_request(sock_path, uapi_get_req, sizeof(uapi_get_req) - 1, deadline, &fd);
	if (r < 0)
		return r;
	/* The process that listens, as the kernel saw it at listen(), in our
	 * PID namespace. */
	if (ret_pid && getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &cl)) {
		r = -errno;
		close(fd);
		return r;
	}
	r = uapi_answer(fd, deadline, ret);
	if (!r && ret_pid)
		*ret_pid = cred.pid;
	return r;
}

int uapi_get(const char *sock_path, struct wgconf_device **ret, int timeout_ms)
{
	return uapi_get_pid(sock_path, ret, NULL, timeout_ms);
}
