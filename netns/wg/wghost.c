// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "netns/ns.h"
#include "netns/proc.h"
#include "netns/util/now.h"
#include "netns/util/xalloc.h"
#include "netns/wg/uapi.h"
#include "netns/wg/wghost.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

/* What wireguard-go's tun.CreateTUN gives a new TUN (device.DefaultMTU). */
#define WGHOST_MTU 1420
#define WGHOST_STOP_GRACE_MS 2000
#define WGHOST_MSG_MAX 512

enum wghost_state {
	WGHOST_PENDING,
	WGHOST_OK,
	WGHOST_FAILED,
	WGHOST_GONE,
};

struct wghost_req {
	enum wghost_state state;
	char *err;
};

struct wghost {
	struct proc *proc;
	int fd;			/* our end of the socket pair, non-blocking */
	bool ended;		/* the host closed its end: it is gone */
	struct wghost_req *reqs;	/* request id - 1 */
	size_t n_reqs;
	char *version;		/* its hello: what --version prints */
};

int wghost_start(struct wghost **ret, const char *path, int log_fd)
{
	char fdarg[16];
	char *argv[] = { (char *)path, fdarg, NULL };
	struct proc_opts opts = {
		.flags = PROC_PASS_FD,
		.stdin_fd = -1,
		.stdout_fd = log_fd,
		.stderr_fd = log_fd,
	};
	struct wghost *h;
	int sv[2], r;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		return -errno;
	if (fcntl(sv[0], F_SETFL, O_NONBLOCK)) {
		r = -errno;
		close(sv[0]);
		close(sv[1]);
		return r;
	}
	snprintf(fdarg, sizeof(fdarg), "%d", PROC_PASS_FD_NUM);
	opts.pass_fd = sv[1];
	h = xcalloc(1, sizeof(*h));
	h->fd = sv[0];
	r = proc_spawn(&h->proc, argv, &opts);
	close(sv[1]);
	if (r < 0) {
		close(h->fd);
		free(h);
		return r;
	}
	*ret = h;
	return 0;
}

void wghost_free(struct wghost *h)
{
	if (!h)
		return;
	close(h->fd);
	if (h->proc)
		proc_stop(h->proc, WGHOST_STOP_GRACE_MS);
	proc_free(h->proc);
	for (size_t i = 0; i < h->n_reqs; i++)
		free(h->reqs[i].err);
	free(h->reqs);
	free(h->version);
	free(h);
}

/* One answer, "ID ok", "ID error TEXT" or "ID gone". */
static void wghost_answer(struct wghost *h, char *msg)
{
	char *end;
	unsigned long id = strtoul(msg, &end, 10);
	struct wghost_req *q;

	if (end == msg || *end != ' ')
		return;
	if (!id && !h->version && !strncmp(end + 1, "hello ", 6)) {
		h->version = xstrdup(end + 7);
		return;
	}
	if (!id || id > h->n_reqs)
		return;
	q = &h->reqs[id - 1];
	end++;
	if (!strcmp(end, "ok")) {
		q->state = WGHOST_OK;
	} else if (!strcmp(end, "gone")) {
		q->state = WGHOST_GONE;
	} else if (!strncmp(end, "error ", 6)) {
		q->state = WGHOST_FAILED;
		free(q->err);
		q->err = xstrdup(end + 6);
	}
}

/* Reads what the host said, waiting up to timeout_ms for something. */
static void wghost_read(struct wghost *h, int timeout_ms)
{
	struct pollfd pfd = { .fd = h->fd, .events = POLLIN };
	char msg[WGHOST_MSG_MAX];
	ssize_t n;

	if (h->ended || poll(&pfd, 1, timeout_ms) <= 0)
		return;
	for (;;) {
		n = recv(h->fd, msg, sizeof(msg) - 1, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			h->ended = true;
			return;
		}
		msg[n] = '\0';
		wghost_answer(h, msg);
	}
}

/* The TUN ifname, made inside ns (a TUN belongs to the namespace that
 * opened /dev/net/tun).  IFF_TUN without IFF_NO_PI, as tun.CreateTUN of
 * wireguard-go 0.0.20220316 makes it (its reads expect the header).  The
 * fd or -errno. */
static int wghost_tun(struct netns *ns, const char *ifname)
{
	struct ifreq ifr;
	int fd, r;

	r = netns_enter(ns);
	if (r < 0)
		return r;
	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	r = fd < 0 ? -errno : 0;
	netns_leave();
	if (r < 0)
		return r;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_flags = IFF_TUN;
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	return fd;
}

/* The UAPI socket at path, listening, as wireguard-go's UAPIOpen makes
 * it (owner only; a stale file replaced).  The fd or -errno. */
static int wghost_uapi(const char *path)
{
	struct sockaddr_un sa;
	int fd, r;

	fd = uapi_socket(path, &sa);
	if (fd < 0)
		return fd;
	if (unlink(path) && errno != ENOENT)
		goto fail;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		goto fail;
	if (chmod(path, S_IRWXU) || listen(fd, SOMAXCONN)) {
		r = -errno;
		unlink(path);
		close(fd);
		return r;
	}
	return fd;
fail:
	r = -errno;
	close(fd);
	return r;
}

static int wghost_send(struct wghost *h, unsigned int id, const int *fds, size_t n_fds)
{
	char text[32];
	char cbuf[CMSG_SPACE(4 * sizeof(int))];
	struct iovec iov = { .iov_base = text };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf };
	struct cmsghdr *c;

	iov.iov_len = (size_t)snprintf(text, sizeof(text), "%u %d", id, WGHOST_MTU);
	memset(cbuf, 0, sizeof(cbuf));
	m.msg_controllen = CMSG_SPACE(n_fds * sizeof(int));
	c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(n_fds * sizeof(int));
	memcpy(CMSG_DATA(c), fds, n_fds * sizeof(int));
	while (sendmsg(h->fd, &m, MSG_NOSIGNAL) < 0) {
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN) {
			struct pollfd pfd = { .fd = h->fd, .events = POLLOUT };

			poll(&pfd, 1, 1000);
			continue;
		}
		if (errno == EPIPE || errno == ECONNRESET)
			h->ended = true;
		return -errno;
	}
	return 0;
}

int wghost_add(struct wghost *h, struct netns *ns, const char *ifname, int log_fd, unsigned int *id,
	       int *tun_fd, char *sock, size_t len)
{
	int fds[4] = { -1, -1, -1, log_fd };
	int root, r;

	if (h->ended)
		return -EPIPE;
	root = netns_root_fd(ns);
	if (root < 0)
		return root;
	if (mkdirat(root, "run/wireguard", 0755) && errno != EEXIST)
		return -errno;
	if ((size_t)snprintf(sock, len, "/proc/self/fd/%d/run/wireguard/%s.sock", root, ifname) >= len)
		return -ENAMETOOLONG;
	fds[0] = wghost_tun(ns, ifname);
	if (fds[0] < 0)
		return fds[0];
	fds[1] = netns_fd(ns);
	fds[2] = wghost_uapi(sock);
	if (fds[2] < 0) {
		close(fds[0]);
		return fds[2];
	}
	h->reqs = xrealloc(h->reqs, (h->n_reqs + 1) * sizeof(*h->reqs));
	h->reqs[h->n_reqs] = (struct wghost_req){ .state = WGHOST_PENDING };
	h->n_reqs++;
	r = wghost_send(h, (unsigned int)h->n_reqs, fds, log_fd >= 0 ? 4 : 3);
	close(fds[2]);
	if (r < 0) {
		h->reqs[h->n_reqs - 1].state = WGHOST_FAILED;
		unlink(sock);
		close(fds[0]);
		return r;
	}
	*id = (unsigned int)h->n_reqs;
	*tun_fd = fds[0];
	return 0;
}

int wghost_wait(struct wghost *h, unsigned int id, int timeout_ms, char *err, size_t errlen)
{
	uint64_t deadline = now_ms() + (uint64_t)(timeout_ms > 0 ? timeout_ms : 0);
	struct wghost_req *q;

	if (!id || id > h->n_reqs)
		return -EINVAL;
	for (;;) {
		uint64_t now;

		q = &h->reqs[id - 1];
		if (q->state == WGHOST_OK)
			return 0;
		if (q->state == WGHOST_GONE) {
			if (errlen)
				snprintf(err, errlen, "the interface closed as it started");
			return -ENODEV;
		}
		if (q->state == WGHOST_FAILED) {
			if (errlen)
				snprintf(err, errlen, "%s", q->err ? q->err : "not sent");
			return -EIO;
		}
		if (h->ended) {
			if (errlen)
				snprintf(err, errlen, "the WireGuard host exited before it answered");
			return -ECHILD;
		}
		now = now_ms();
		if (now >= deadline) {
			if (errlen)
				snprintf(err, errlen, "no answer from the WireGuard host after %d ms", timeout_ms);
			return -ETIMEDOUT;
		}
		wghost_read(h, (int)(deadline - now));
	}
}

bool wghost_gone(struct wghost *h, unsigned int id, int timeout_ms)
{
	uint64_t deadline = now_ms() + (uint64_t)(timeout_ms > 0 ? timeout_ms : 0);

	for (;;) {
		uint64_t now;

		wghost_read(h, 0);
		if (h->ended || !id || id > h->n_reqs || h->reqs[id - 1].state == WGHOST_GONE ||
		    h->reqs[id - 1].state == WGHOST_FAILED)
			return true;
		now = now_ms();
		if (now >= deadline)
			return false;
		wghost_read(h, (int)(deadline - now));
	}
}

int wghost_persist(int tun_fd)
{
	return ioctl(tun_fd, TUNSETPERSIST, 1) < 0 ? -errno : 0;
}

pid_t wghost_pid(const struct wghost *h)
{
	return h->ended ? 0 : proc_program_pid(h->proc);
}

const char *wghost_version(struct wghost *h, int timeout_ms)
{
	uint64_t deadline = now_ms() + (uint64_t)timeout_ms, now;

	while (!h->version && !h->ended && (now = now_ms()) < deadline)
		wghost_read(h, (int)(deadline - now));
	return h->version;
}

bool wghost_exited(struct wghost *h, char *why, size_t len)
{
	int status;

	if (!h || !h->proc || proc_wait(h->proc, 0, &status) != 0)
		return false;
	/* The PID namespace's init passes a killed program on as 128+N. */
	if (WIFSIGNALED(status))
		snprintf(why, len, "killed by signal %d", WTERMSIG(status));
	else if (WEXITSTATUS(status) > 128)
		snprintf(why, len, "killed by signal %d", WEXITSTATUS(status) - 128);
	else
		snprintf(why, len, "exit status %d", WEXITSTATUS(status));
	return true;
}
