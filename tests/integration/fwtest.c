// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "tests/integration/fwtest.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "netns/fw/fw.h"
#include "netns/ns.h"
#include "netns/sysctl.h"
#include "netns/util/xalloc.h"

static char *fwt_nsenter(struct netns *ns)
{
	return xasprintf("nsenter --net=/proc/%d/fd/%d", getpid(), netns_fd(ns));
}

struct netns *fwt_ns(void)
{
	struct netns *ns = netns_new(0);

	ck_assert_msg(ns != NULL, "netns_new: %s", strerror(errno));
	fwt_ip(ns, "link set lo up");
	return ns;
}

void fwt_ip(struct netns *ns, const char *fmt, ...)
{
	char *args, *enter = fwt_nsenter(ns), *cmd;
	va_list ap;
	int ret;

	va_start(ap, fmt);
	args = xvasprintf(fmt, ap);
	va_end(ap);
	cmd = xasprintf("%s ip %s", enter, args);
	ret = system(cmd);
	ck_assert_msg(ret == 0, "'%s' failed (%d)", cmd, ret);
	free(cmd);
	free(args);
	free(enter);
}

char *fwt_run(struct netns *ns, const char *fmt, ...)
{
	char *args, *enter = fwt_nsenter(ns), *cmd, *out = NULL;
	size_t len = 0, cap = 0;
	va_list ap;
	FILE *f;
	int c;

	va_start(ap, fmt);
	args = xvasprintf(fmt, ap);
	va_end(ap);
	cmd = xasprintf("%s %s", enter, args);
	f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	while ((c = fgetc(f)) != EOF) {
		if (len + 2 > cap) {
			cap = cap ? cap * 2 : 4096;
			out = xrealloc(out, cap);
		}
		out[len++] = (char)c;
	}
	ck_assert_msg(pclose(f) == 0, "'%s' failed", cmd);
	if (!out)
		out = xcalloc(1, 1);
	else
		out[len] = '\0';
	free(cmd);
	free(args);
	free(enter);
	return out;
}

void fwt_veth(struct netns *a, const char *ifa, const char *addr_a, struct netns *b,
	      const char *ifb, const char *addr_b)
{
	fwt_ip(a, "link add %s type veth peer name %s netns /proc/%d/fd/%d", ifa, ifb, getpid(),
	       netns_fd(b));
	if (addr_a)
		fwt_ip(a, "addr add %s dev %s", addr_a, ifa);
	if (addr_b)
		fwt_ip(b, "addr add %s dev %s", addr_b, ifb);
	fwt_ip(a, "link set %s up", ifa);
	fwt_ip(b, "link set %s up", ifb);
}

void fwt_sysctl(struct netns *ns, const char *key, const char *value)
{
	int ret = netns_sysctl_set(ns, key, value);

	ck_assert_msg(ret == 0, "sysctl %s=%s: %s", key, value, strerror(-ret));
}

void fwt_fw(struct netns *ns, struct fw_ruleset *rs, int family, const char *text)
{
	char *copy = xstrdup(text), *line, *save = NULL;
	struct fw_error err;
	unsigned int n = 0;
	int ret;

	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		ret = fw_parse_line(rs, family, line, ++n, &err);
		ck_assert_msg(!ret, "line %u '%s': column %u: %s", n, line, err.column, err.msg);
	}
	ck_assert_int_eq(fw_parse_finish(rs, &err), 0);
	ret = fw_apply(ns, rs, &err);
	ck_assert_msg(!ret, "fw_apply: line %u: %s", err.line, err.msg);
	free(copy);
}

static int fwt_sockaddr(const char *addr, uint16_t port, struct sockaddr_storage *ss,
			socklen_t *len)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		*len = sizeof(*sin);
		return AF_INET;
	}
	ck_assert_int_eq(inet_pton(AF_INET6, addr, &sin6->sin6_addr), 1);
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	*len = sizeof(*sin6);
	return AF_INET6;
}

static void fwt_format(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN];

	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const void *)ss;

		inet_ntop(AF_INET, &sin->sin_addr, ip, sizeof(ip));
		snprintf(buf, len, "%s:%u", ip, ntohs(sin->sin_port));
	} else {
		const struct sockaddr_in6 *sin6 = (const void *)ss;

		inet_ntop(AF_INET6, &sin6->sin6_addr, ip, sizeof(ip));
		snprintf(buf, len, "[%s]:%u", ip, ntohs(sin6->sin6_port));
	}
}

static int fwt_socket(struct netns *ns, int type, const char *addr, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int family = fwt_sockaddr(addr, port, &ss, &len), fd, one = 1;

	ck_assert_int_eq(netns_enter(ns), 0);
	fd = socket(family, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	netns_leave();
	ck_assert_int_ge(fd, 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	ck_assert_msg(!bind(fd, (struct sockaddr *)&ss, len), "bind %s:%u: %s", addr, port,
		      strerror(errno));
	return fd;
}

int fwt_udp(struct netns *ns, const char *addr, uint16_t port)
{
	return fwt_socket(ns, SOCK_DGRAM, addr, port);
}

int fwt_tcp_listen(struct netns *ns, const char *addr, uint16_t port)
{
	int fd = fwt_socket(ns, SOCK_STREAM, addr, port);

	ck_assert_int_eq(listen(fd, 16), 0);
	return fd;
}

int fwt_tcp_connect(struct netns *ns, const char *dst, uint16_t port, int timeout_ms, int *ret_fd)
{
	struct sockaddr_storage ss;
	struct pollfd pfd;
	socklen_t len, elen = sizeof(int);
	int family = fwt_sockaddr(dst, port, &ss, &len), fd, err = 0, ret;

	ck_assert_int_eq(netns_enter(ns), 0);
	fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	netns_leave();
	ck_assert_int_ge(fd, 0);
	if (connect(fd, (struct sockaddr *)&ss, len) && errno != EINPROGRESS) {
		ret = -errno;
		close(fd);
		return ret;
	}
	pfd.fd = fd;
	pfd.events = POLLOUT;
	ret = poll(&pfd, 1, timeout_ms);
	if (ret == 0) {
		close(fd);
		return -ETIMEDOUT;
	}
	getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen);
	if (err) {
		close(fd);
		return -err;
	}
	if (ret_fd)
		*ret_fd = fd;
	else
		close(fd);
	return 0;
}

int fwt_tcp_accept(int lfd, int timeout_ms, char *peer, size_t len)
{
	struct pollfd pfd = { .fd = lfd, .events = POLLIN };
	struct sockaddr_storage ss;
	socklen_t slen = sizeof(ss);
	int fd;

	if (poll(&pfd, 1, timeout_ms) <= 0)
		return -ETIMEDOUT;
	fd = accept4(lfd, (struct sockaddr *)&ss, &slen, SOCK_CLOEXEC);
	if (fd < 0)
		return -errno;
	fwt_format(&ss, peer, len);
	close(fd);
	return 0;
}

int fwt_udp_send(int fd, const char *dst, uint16_t port, const char *msg)
{
	struct sockaddr_storage ss;
	socklen_t len;

	fwt_sockaddr(dst, port, &ss, &len);
	return sendto(fd, msg, strlen(msg), 0, (struct sockaddr *)&ss, len) < 0 ? -errno : 0;
}

int fwt_udp_recv(int fd, int timeout_ms, char *from, size_t len, char *data, size_t dlen)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct sockaddr_storage ss;
	socklen_t slen = sizeof(ss);
	char dummy[64];
	ssize_t n;

	if (!data) {
		data = dummy;
		dlen = sizeof(dummy);
	}
	if (poll(&pfd, 1, timeout_ms) <= 0)
		return -ETIMEDOUT;
	n = recvfrom(fd, data, dlen - 1, 0, (struct sockaddr *)&ss, &slen);
	if (n < 0)
		return -errno;
	data[n] = '\0';
	if (from)
		fwt_format(&ss, from, len);
	return 0;
}
