// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "netns/proc.h"
#include "netns/sockdiag.h"
#include "netns/util/now.h"
#include "netns/util/dir.h"
#include "netns/wg/uapi.h"
#include "netns/wg/wgbind.h"
#include "netns/wg/wgconf.h"
#include "netns/wg/wgdev.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <sys/socket.h>

#define WGBIND_MAX_INODES 16	/* sockets on one port, in one namespace; at most 31 */
#define WGBIND_POLL_MAX_MS 16
#define WGBIND_MARKER "Unable to update bind"

off_t wgbind_log_mark(int log_fd)
{
	struct stat st;

	if (log_fd < 0 || fstat(log_fd, &st) || !S_ISREG(st.st_mode))
		return 0;
	return st.st_size;
}

/* The longest strerror() text that ends msg, case aside (Go writes
 * syscall errors in lower case): its errno, or 0. */
static int wgbind_errno_of(const char *msg, size_t len)
{
	size_t best = 0;
	int e, found = 0;

	for (e = 1; e < 134; e++) {
		const char *s = strerror(e);
		size_t n = strlen(s);

		if (n > best && n <= len && !strncasecmp(msg + len - n, s, n)) {
			best = n;
			found = e;
		}
	}
	return found;
}

int wgbind_log_failure(const char *text, size_t len, const char *ifname, char *line, size_t linelen)
{
	const char *p = text, *end = text + len;
	char prefix[64];
	size_t plen;

	plen = (size_t)snprintf(prefix, sizeof(prefix), "ERROR: (%s) ", ifname);
	if (plen >= sizeof(prefix))
		return -EINVAL;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p)), *msg;
		size_t n, mlen;
		int e;

		if (!eol)
			eol = end;
		n = (size_t)(eol - p);
		msg = n > plen && !memcmp(p, prefix, plen) ?
			      memmem(p + plen, n - plen, WGBIND_MARKER, sizeof(WGBIND_MARKER) - 1) : NULL;
		if (!msg) {
			p = eol + 1;
			continue;
		}
		mlen = (size_t)(eol - msg);
		while (mlen && (msg[mlen - 1] == '\r' || msg[mlen - 1] == ' '))
			mlen--;
		if (linelen)
			snprintf(line, linelen, "%.*s", (int)mlen, msg);
		e = wgbind_errno_of(msg, mlen);
		return e ? -e : -EIO;
	}
	return 0;
}

/* Which of inodes[] (bit i for inodes[i], the first 32) are among the
 * process's descriptors (socket:[inode]): the mask, or -errno. */
static long wgbind_fd_match(int dfd, const unsigned long *inodes, size_t n)
{
	DIR *d = dir_openat(dfd, "fd", O_NOFOLLOW);
	struct dirent *de;
	long found = 0;

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		char link[64];
		unsigned long ino;
		ssize_t len;

		if (de->d_name[0] == '.')
			continue;
		len = readlinkat(dirfd(d), de->d_name, link, sizeof(link) - 1);
		if (len < 0)
			continue;	/* closed meanwhile */
		link[len] = '\0';
		if (sscanf(link, "socket:[%lu]", &ino) != 1)
			continue;
		for (size_t i = 0; i < n; i++)
			if (inodes[i] == ino)
				found |= 1L << i;
	}
	closedir(d);
	return found;
}

/* Which families the process (in ns) holds a socket on port of: bit 0
 * IPv4, bit 1 IPv6; or -errno. */
static int wgbind_families(struct netns *ns, pid_t pid, uint16_t port)
{
	struct sockdiag_sock socks[WGBIND_MAX_INODES];
	unsigned long inodes[WGBIND_MAX_INODES];
	char path[32];
	long mask;
	int dfd, n, r = 0;

	if (pid <= 0)
		return -ESRCH;
	n = sockdiag_bound(ns, IPPROTO_UDP, port, socks, WGBIND_MAX_INODES);
	if (n <= 0)
		return n;
	if (n > WGBIND_MAX_INODES)
		n = WGBIND_MAX_INODES;
	for (int i = 0; i < n; i++)
		inodes[i] = socks[i].inode;
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	/* Held open, the directory stays this process's even if the pid is
	 * reused: reads through it then fail with ESRCH. */
	dfd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	mask = wgbind_fd_match(dfd, inodes, (size_t)n);
	close(dfd);
	if (mask < 0)
		return (int)mask;
	for (int i = 0; i < n; i++)
		if (mask & (1L << i))
			r |= socks[i].family == AF_INET ? 1 : 2;
	return r;
}

int wgbind_owned(struct netns *ns, pid_t pid, uint16_t port)
{
	int r = wgbind_families(ns, pid, port);

	return r < 0 ? r : !!r;
}

/* The program's log from *pos on, complete lines only: the failure of
 * ifname's bind (see wgbind_log_failure()), or 0; *pos moves past what
 * was read. */
static int wgbind_log_scan(int fd, off_t *pos, const char *ifname, char *line, size_t linelen)
{
	char buf[8192];
	ssize_t n;
	int r;

	if (fd < 0)
		return 0;
	for (;;) {
		const char *last;
		size_t used;

		n = pread(fd, buf, sizeof(buf), *pos);
		if (n <= 0)
			return 0;
		last = memrchr(buf, '\n', (size_t)n);
		if (!last) {
			if ((size_t)n < sizeof(buf))
				return 0;	/* the rest of the line comes later */
			*pos += n;	/* a line longer than buf: not wireguard-go's */
			continue;
		}
		used = (size_t)(last - buf) + 1;
		r = wgbind_log_failure(buf, used, ifname, line, linelen);
		*pos += (off_t)used;
		if (r)
			return r;
	}
}

/*
 * One look: 1 when the program holds a socket on the listen port it
 * reports, 0 when not (yet), or -errno.  *ret_port gets that port (0:
 * none yet, as for a random port before the bind).
 */
static int wgbind_check(struct wgdev *dev, int timeout_ms, uint16_t *ret_port)
{
	struct wgconf_device *st = NULL;
	uint16_t port;
	pid_t pid = 0;
	int r;

	/* The peer of a host's socket is wglab, which bound it: the host
	 * holds the interface's sockets. */
	if (!wgdev_proc(dev)) {
		r = uapi_get(wgdev_sock_path(dev), &st, timeout_ms);
		pid = wgdev_pid(dev);
	} else {
		r = uapi_get_pid(wgdev_sock_path(dev), &st, &pid, timeout_ms);
	}
	if (r < 0)
		return r;
	port = st->flags & WGCONF_DEV_HAS_LISTEN_PORT ? st->listen_port : 0;
	wgconf_device_free(st);
	st = NULL;
	*ret_port = port;
	if (!port)
		return 0;
	r = wgbind_families(wgdev_netns(dev), pid, port);
	if (r <= 0)
		return r == -ESRCH ? 0 : r;
	/* wireguard-go binds IPv4 and IPv6 one after the other: both mean
	 * both binds were made.  One may be half of a bind that is failing
	 * (or all a node without IPv6 gets): wireguard-go binds under the
	 * lock its `get` takes, and a failed bind resets the port to 0, so
	 * the same port once more means the bind was made. */
	if (r == 3)
		return 1;
	r = uapi_get(wgdev_sock_path(dev), &st, timeout_ms);
	if (r < 0)
		return r;
	r = (st->flags & WGCONF_DEV_HAS_LISTEN_PORT) && st->listen_port == port;
	wgconf_device_free(st);
	return r;
}

/* The program's refusal to bind, logged from *pos on: -errno with its
 * words in err, or 0. */
static int wgbind_refused(int log_fd, off_t *pos, const char *ifname, char *err, size_t errlen)
{
	char said[256];
	int r;

	r = wgbind_log_scan(log_fd, pos, ifname, said, sizeof(said));
	if (r < 0 && errlen)
		snprintf(err, errlen, "wireguard-go: %s", said);
	return r;
}

int wgbind_wait(struct wgdev *dev, int log_fd, off_t log_from, int timeout_ms, char *err, size_t errlen)
{
	uint64_t deadline = now_ms() + (uint64_t)(timeout_ms > 0 ? timeout_ms : 5000);
	off_t pos = log_from;
	uint16_t port = 0;
	int delay = 1, r;
	bool answered = false;

	if (errlen)
		err[0] = '\0';
	if (wgdev_kind(dev) != WGDEV_USERSPACE)
		return 0;
	for (;;) {
		uint64_t now = now_ms();
		int left = now < deadline ? (int)(deadline - now) : 1;

		r = wgbind_refused(log_fd, &pos, wgdev_ifname(dev), err, errlen);
		if (r < 0)
			return r;
		r = wgbind_check(dev, left, &port);
		/* Bound, unless it was refused meanwhile: after a failed bind
		 * wireguard-go's port is 0, and a later bind of its own (on
		 * the next up event) takes a random one. */
		if (r > 0)
			return wgbind_refused(log_fd, &pos, wgdev_ifname(dev), err, errlen);
		/* A look cut short by the deadline (its UAPI get had only
		 * what was left) is the deadline's, below. */
		if (r == -ETIMEDOUT)
			r = 0;
		else if (!r)
			answered = true;
		if (wgdev_exited(dev)) {
			r = wgbind_refused(log_fd, &pos, wgdev_ifname(dev), err, errlen);
			if (!r && errlen)
				snprintf(err, errlen, "the program exited without a UDP socket");
			return r < 0 ? r : -ECHILD;
		}
		if (r < 0) {
			if (errlen)
				snprintf(err, errlen, "cannot see the program's UDP socket: %s", strerror(-r));
			return r;
		}
		if (now_ms() >= deadline) {
			/* A refusal logged during this last look still counts. */
			r = wgbind_refused(log_fd, &pos, wgdev_ifname(dev), err, errlen);
			if (r < 0)
				return r;
			if (errlen && port)
				snprintf(err, errlen, "the program holds no UDP socket on port %u after %d ms", port,
					 timeout_ms);
			else if (errlen && !answered)
				snprintf(err, errlen, "the program's UAPI socket did not answer in %d ms", timeout_ms);
			else if (errlen)
				snprintf(err, errlen, "the program reports no listen port after %d ms", timeout_ms);
			return -ETIMEDOUT;
		}
		poll(NULL, 0, delay);
		delay = delay * 2 > WGBIND_POLL_MAX_MS ? WGBIND_POLL_MAX_MS : delay * 2;
	}
}
