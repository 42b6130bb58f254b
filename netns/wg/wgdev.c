// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "netns/wg/wgdev.h"
#include "netns/link.h"
#include "netns/nl.h"
#include "netns/ns.h"
#include "netns/proc.h"
#include "netns/wg/uapi.h"
#include "netns/wg/wgconf.h"
#include "netns/wg/wggenl.h"
#include "netns/wg/wghost.h"
#include "netns/util/now.h"
#include "netns/util/xalloc.h"
#include "netns/ifindex.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/stat.h>
#include <sys/un.h>

#define WGDEV_UAPI_TIMEOUT_MS 5000
#define WGDEV_START_TIMEOUT_MS 5000	/* wgdev_backend.start_timeout_ms 0 */
#define WGDEV_STOP_GRACE_MS 2000

struct wgdev {
	enum wgdev_kind kind;
	struct netns *ns;
	char ifname[IF_NAMESIZE];
	struct proc *proc;
	char sock[sizeof(((struct sockaddr_un *)0)->sun_path)];
	bool deleted;
	struct wghost *host;	/* the interface is the host's */
	unsigned int host_id;
	int tun_fd;		/* the host's: wglab's copy of the TUN */
};

static void wgdev_sleep_ms(int ms)
{
	poll(NULL, 0, ms);
}

/* The interface, made by the lab's WireGuard host. */
static int wgdev_start_hosted(struct wgdev *dev, const struct wgdev_backend *be, char *err, size_t errlen)
{
	int timeout = be->start_timeout_ms > 0 ? be->start_timeout_ms : WGDEV_START_TIMEOUT_MS;
	int ret;

	ret = wghost_add(be->host, dev->ns, dev->ifname, be->log_fd, &dev->host_id, &dev->tun_fd, dev->sock,
			 sizeof(dev->sock));
	if (ret < 0) {
		if (errlen)
			snprintf(err, errlen, "cannot pass the TUN and UAPI socket to the WireGuard host: %s",
				 strerror(-ret));
		return ret;
	}
	dev->host = be->host;
	if (be->no_wait)
		return 0;
	return wghost_wait(dev->host, dev->host_id, timeout, err, errlen);
}

static int wgdev_start_userspace(struct wgdev *dev, const struct wgdev_backend *be, char *err, size_t errlen)
{
	char procs[32] = "GOMAXPROCS=";
	char *env[] = { "WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1", procs, NULL };
	const char *path = be->path ? be->path : "wireguard-go";
	char *argv[] = { (char *)path, "-f", dev->ifname, NULL };
	struct proc_opts opts = {
		.ns = dev->ns,
		.flags = PROC_NODE_MOUNTS,
		.env = env,
		.stdin_fd = -1,
		.stdout_fd = be->log_fd,
		.stderr_fd = be->log_fd,
	};
	int timeout = be->start_timeout_ms > 0 ? be->start_timeout_ms : WGDEV_START_TIMEOUT_MS;
	char rel[64];
	uint64_t deadline;
	int ret, status;

	if (be->host)
		return wgdev_start_hosted(dev, be, err, errlen);
	if (be->go_maxprocs)
		snprintf(procs + strlen(procs), sizeof(procs) - strlen(procs), "%u", be->go_maxprocs);
	else
		env[1] = NULL;
	ret = proc_spawn(&dev->proc, argv, &opts);
	if (ret < 0) {
		if (errlen)
			snprintf(err, errlen, "cannot start '%s': %s", path, strerror(-ret));
		return ret;
	}
	snprintf(rel, sizeof(rel), "/run/wireguard/%s.sock", dev->ifname);
	ret = proc_root_path(dev->proc, rel, dev->sock, sizeof(dev->sock));
	if (ret < 0)
		return ret;
	if (be->no_wait)
		return 0;
	deadline = now_ms() + (uint64_t)timeout;
	/* The TUN comes first, then the socket: once it accepts, the device
	 * is ready for configuration. */
	for (;;) {
		if (!uapi_probe(dev->sock))
			return 0;
		if (proc_wait(dev->proc, 0, &status) == 0) {
			if (errlen) {
				snprintf(err, errlen, "'%s' exited before its UAPI socket appeared", path);
				proc_log_line(be->log_fd, err, errlen);
			}
			return -ECHILD;
		}
		if (now_ms() >= deadline) {
			if (errlen)
				snprintf(err, errlen, "no UAPI socket from '%s' after %d ms", path, timeout);
			return -ETIMEDOUT;
		}
		wgdev_sleep_ms(1);
	}
}

static int wgdev_create_kernel(struct wgdev *dev, const struct wgdev_backend *be, char *err, size_t errlen)
{
	struct netns *birth = be->birth_ns ? be->birth_ns : dev->ns;
	int ret;

	ret = wggenl_link_add(birth, dev->ifname);
	if (ret < 0) {
		if (errlen)
			snprintf(err, errlen, "%s", netns_extack(birth));
		return ret;
	}
	if (birth != dev->ns) {
		ret = link_move(birth, dev->ifname, dev->ns);
		if (ret < 0) {
			if (errlen)
				snprintf(err, errlen, "%s", netns_extack(birth));
			link_del(birth, dev->ifname);
			return ret;
		}
	}
	return 0;
}

int wgdev_create(struct wgdev **ret, struct netns *ns, const char *ifname,
		 const struct wgdev_backend *be, char *err, size_t errlen)
{
	struct wgdev *dev;
	int r;

	if (errlen)
		err[0] = '\0';
	if (!*ifname || strlen(ifname) >= IF_NAMESIZE)
		return -EINVAL;
	dev = xcalloc(1, sizeof(*dev));
	dev->kind = be->kind;
	dev->ns = ns;
	dev->tun_fd = -1;
	snprintf(dev->ifname, sizeof(dev->ifname), "%s", ifname);
	if (be->kind == WGDEV_KERNEL)
		r = wgdev_create_kernel(dev, be, err, errlen);
	else
		r = wgdev_start_userspace(dev, be, err, errlen);
	if (r < 0) {
		if (be->kind == WGDEV_KERNEL)
			dev->deleted = true;	/* nothing to delete */
		wgdev_free(dev);
		return r;
	}
	*ret = dev;
	return 0;
}

int wgdev_set(struct wgdev *dev, const struct wgconf_device *config)
{
	if (dev->kind == WGDEV_KERNEL)
		return wggenl_set(dev->ns, dev->ifname, config);
	return uapi_set(dev->sock, config, WGDEV_UAPI_TIMEOUT_MS);
}

int wgdev_get(struct wgdev *dev, struct wgconf_device **ret)
{
	struct wgconf_device *state = NULL;
	int r;

	if (dev->kind == WGDEV_KERNEL)
		r = wggenl_get(dev->ns, dev->ifname, &state);
	else
		r = uapi_get(dev->sock, &state, WGDEV_UAPI_TIMEOUT_MS);
	if (r < 0)
		return r;
	snprintf(state->ifname, sizeof(state->ifname), "%s", dev->ifname);
	*ret = state;
	return 0;
}

int wgdev_delete(struct wgdev *dev)
{
	int r = 0, status;

	if (dev->deleted)
		return 0;
	dev->deleted = true;
	if (dev->kind == WGDEV_KERNEL) {
		r = link_del(dev->ns, dev->ifname);
		return r == -ENODEV ? 0 : r;
	}
	if (dev->host) {
		/* The host's device sees its TUN go and closes. */
		r = link_del(dev->ns, dev->ifname);
		if (r == -ENODEV)
			r = 0;
		wghost_gone(dev->host, dev->host_id, WGDEV_STOP_GRACE_MS);
		unlink(dev->sock);
		return r;
	}
	if (!dev->proc)
		return 0;
	/* As `ip link delete` under wg-quick: wireguard-go notices its TUN
	 * is gone and exits; a program that does not is stopped. */
	r = link_del(dev->ns, dev->ifname);
	if (r == -ENODEV)
		r = 0;
	if (proc_wait(dev->proc, WGDEV_STOP_GRACE_MS, &status) == -ETIMEDOUT)
		proc_stop(dev->proc, WGDEV_STOP_GRACE_MS);
	return r;
}

void wgdev_free(struct wgdev *dev)
{
	int saved = errno;

	if (!dev)
		return;
	if (dev->kind == WGDEV_KERNEL && !dev->deleted)
		wgdev_delete(dev);
	if (dev->proc && proc_running(dev->proc))
		proc_stop(dev->proc, WGDEV_STOP_GRACE_MS);
	proc_free(dev->proc);
	if (dev->tun_fd >= 0)
		close(dev->tun_fd);
	/* The TUN went with the program. */
	if (dev->kind == WGDEV_USERSPACE)
		ifindex_forget(netns_ifindex(dev->ns), dev->ifname);
	free(dev);
	errno = saved;
}

void wgdev_leave(struct wgdev *dev)
{
	if (dev->kind == WGDEV_KERNEL)
		dev->deleted = true;	/* the namespace's end deletes it */
	/* wglab's copy of the host's TUN: the host's end no longer deletes
	 * it (wgtun.h says why), the namespace's does. */
	else if (dev->tun_fd >= 0)
		wghost_persist(dev->tun_fd);
}

enum wgdev_kind wgdev_kind(const struct wgdev *dev)
{
	return dev->kind;
}

const char *wgdev_ifname(const struct wgdev *dev)
{
	return dev->ifname;
}

struct netns *wgdev_netns(const struct wgdev *dev)
{
	return dev->ns;
}

struct proc *wgdev_proc(const struct wgdev *dev)
{
	return dev->proc;
}

pid_t wgdev_pid(const struct wgdev *dev)
{
	if (dev->host)
		return wghost_pid(dev->host);
	return dev->proc ? proc_program_pid(dev->proc) : 0;
}

bool wgdev_exited(struct wgdev *dev)
{
	int status;

	if (dev->host)
		return wghost_gone(dev->host, dev->host_id, 0);
	return dev->proc && proc_wait(dev->proc, 0, &status) == 0;
}

int wgdev_host_wait(struct wgdev *dev, int timeout_ms, char *err, size_t errlen)
{
	if (!dev->host)
		return -EINVAL;
	return wghost_wait(dev->host, dev->host_id, timeout_ms, err, errlen);
}

const char *wgdev_sock_path(const struct wgdev *dev)
{
	return dev->sock;
}

int wgdev_probe_kernel(struct netns *ns)
{
	struct netns *scratch;
	int r;

	(void)ns;
	scratch = netns_new(0);
	if (!scratch)
		return -errno;
	r = wggenl_link_add(scratch, "wgprobe0");
	if (!r)
		r = 1;
	else if (r == -EOPNOTSUPP || r == -ENOTSUP || r == -EINVAL || r == -EPROTONOSUPPORT)
		r = 0;
	/* The link dies with the namespace. */
	netns_free(scratch);
	return r;
}
