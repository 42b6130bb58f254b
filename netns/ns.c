// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "netns/ns.h"
#include "netns/ifindex.h"
#include "netns/nl.h"
#include "netns/util/file.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/rtnetlink.h>

struct netns {
	int fd;
	int mnt_fd;			/* the node's mount namespace, -1 until needed */
	int root_fd;			/* its root directory (O_PATH), with mnt_fd */
	struct nl *rtnl;
	struct ifindex_cache *ifx;
	bool no_ipv6;			/* made with NETNS_NO_IPV6 */
	char extack[NL_EXTACK_LEN];	/* of the last request about ns */
};

/* The lab asks for indices from here on in the namespaces it makes; the
 * kernel hands out its own (links made by programs, e.g. a TUN) cyclically
 * from 1, so the two ranges never meet in practice and a remembered index
 * is never given to another link. */
#define NETNS_IFINDEX_BASE 1000

static int home_fd = -1;

int netns_home_fd(void)
{
	if (home_fd < 0)
		home_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	return home_fd < 0 ? -errno : home_fd;
}

int netns_enter(const struct netns *ns)
{
	if (netns_home_fd() < 0)
		return -errno;
	return setns(ns->fd, CLONE_NEWNET) ? -errno : 0;
}

void netns_leave(void)
{
	char msg[128];
	int n;

	/* No home fd: netns_enter() never succeeded, the thread is home. */
	if (home_fd < 0 || !setns(home_fd, CLONE_NEWNET))
		return;
	/* The thread stays in a node's namespace: every later socket, link
	 * or sysctl would land there.  Unrecoverable, so fatal, like running
	 * out of memory (netns/util/xalloc.h). */
	n = snprintf(msg, sizeof(msg), "wglab: cannot return to the lab's network namespace: %s\n",
		     strerror(errno));
	if (n > 0 && write(STDERR_FILENO, msg, (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1) < 0)
		abort();
	abort();
}

/* Wraps fd (taking it over) with an rtnetlink socket bound in it.  The
 * caller's thread is in the namespace already when entered is true.
 * ifindex_hint: the first index to ask for, 0 to let the kernel pick. */
static struct netns *netns_adopt(int fd, bool entered, int ifindex_hint)
{
	struct netns *ns = xcalloc(1, sizeof(*ns));

	ns->fd = fd;
	ns->ifx = ifindex_cache_new(ifindex_hint);
	ns->mnt_fd = -1;
	ns->root_fd = -1;
	if (!entered && setns(fd, CLONE_NEWNET))
		goto err;
	ns->rtnl = nl_open(NETLINK_ROUTE);
	if (!ns->rtnl)
		goto err;
	nl_extack_share(ns->rtnl, ns->extack, sizeof(ns->extack));
	netns_leave();
	return ns;
err:
	netns_leave();
	netns_free(ns);
	return NULL;
}

/* Called inside a new namespace.  With IPv6: no duplicate address
 * detection on the link-local addresses its interfaces will get.  While a
 * link-local is tentative (one to two seconds) a router cannot resolve
 * neighbours for the packets it forwards (it sends solicitations only from
 * a usable link-local), so IPv6 through it would stall.  Global addresses
 * are added with IFA_F_NODAD already.  Best effort: a kernel without IPv6
 * has no such file.  Without IPv6 (NETNS_NO_IPV6): all.disable_ipv6, which
 * the kernel also gives `default` and `lo`, so no interface of the
 * namespace gets an IPv6 address, route or multicast group; a kernel
 * without IPv6 is that already. */
static int netns_ipv6_setup(unsigned int flags)
{
	int ret;

	if (!(flags & NETNS_NO_IPV6)) {
		file_write_text("/proc/sys/net/ipv6/conf/default/accept_dad", "0");
		return 0;
	}
	ret = file_write_text("/proc/sys/net/ipv6/conf/all/disable_ipv6", "1");
	return ret == -ENOENT ? 0 : ret;
}

struct netns *netns_new(unsigned int flags)
{
	struct netns *ns;
	int fd, ret;

	if (netns_home_fd() < 0)
		return NULL;
	if (unshare(CLONE_NEWNET))
		return NULL;
	fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		netns_leave();
		return NULL;
	}
	ret = netns_ipv6_setup(flags);
	if (ret < 0) {
		close(fd);
		netns_leave();
		errno = -ret;
		return NULL;
	}
	ns = netns_adopt(fd, true, NETNS_IFINDEX_BASE);
	if (ns)
		ns->no_ipv6 = flags & NETNS_NO_IPV6;
	return ns;
}

bool netns_has_ipv6(const struct netns *ns)
{
	return !ns->no_ipv6;
}

struct netns *netns_open(const char *path)
{
	int fd;

	if (netns_home_fd() < 0)
		return NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	return netns_adopt(fd, false, 0);
}

void netns_free(struct netns *ns)
{
	int saved = errno;

	if (!ns)
		return;
	if (ns->mnt_fd >= 0)
		close(ns->mnt_fd);
	if (ns->root_fd >= 0)
		close(ns->root_fd);
	nl_free(ns->rtnl);
	ifindex_cache_free(ns->ifx);
	if (ns->fd >= 0)
		close(ns->fd);
	free(ns);
	errno = saved;
}

int netns_fd(const struct netns *ns)
{
	return ns->fd;
}

const char *netns_extack(const struct netns *ns)
{
	return ns->extack;
}

struct nl *netns_nl_open(struct netns *ns, int bus)
{
	struct nl *nl;
	int ret;

	ret = netns_enter(ns);
	if (ret < 0) {
		errno = -ret;
		return NULL;
	}
	nl = nl_open(bus);
	ret = errno;
	netns_leave();
	if (!nl) {
		errno = ret;
		return NULL;
	}
	nl_extack_share(nl, ns->extack, sizeof(ns->extack));
	return nl;
}

struct nl *netns_rtnl(struct netns *ns)
{
	return ns->rtnl;
}

struct ifindex_cache *netns_ifindex(struct netns *ns)
{
	return ns->ifx;
}

/*
 * The node's mount namespace: a slave copy of the host's mount tree (nothing
 * propagates back), /sys showing the node's interfaces, and a /run of its
 * own (tmpfs, with /run/tmp for TMPDIR): wireguard-go's UAPI sockets, pid
 * files and scratch files of the node's programs live there and nowhere
 * else.  A thread builds it (a thread may unshare its mounts and join a
 * network namespace, the lab's other threads untouched; a forked copy of
 * the lab would cost milliseconds more per node) and opens it and its root
 * before it ends; the fds keep it alive, so it vanishes with the lab,
 * whatever the lab's death.
 */
struct netns_mnt_job {
	const struct netns *ns;
	int mnt_fd, root_fd;
	int err;			/* positive errno */
};

static void *netns_mnt_thread(void *arg)
{
	struct netns_mnt_job *job = arg;

	if (setns(job->ns->fd, CLONE_NEWNET) || unshare(CLONE_NEWNS) ||
	    mount("", "/", "none", MS_SLAVE | MS_REC, NULL))
		goto fail;
	/* No sysfs mounted there is fine too. */
	umount2("/sys", MNT_DETACH);
	if (mount("sysfs", "/sys", "sysfs", 0, NULL) ||
	    mount("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") ||
	    mkdir("/run/tmp", 01777) || chmod("/run/tmp", 01777))
		goto fail;
	/* The node's own /etc/wireguard, for the key files the guides'
	 * hooks read (PostUp = wg set %i private-key /etc/wireguard/%i.key).
	 * Only where the host has the directory: nothing is made on the
	 * host's file system. */
	if (!access("/etc/wireguard", F_OK) &&
	    mount("tmpfs", "/etc/wireguard", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0700"))
		goto fail;
	job->mnt_fd = open("/proc/thread-self/ns/mnt", O_RDONLY | O_CLOEXEC);
	if (job->mnt_fd < 0)
		goto fail;
	job->root_fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (job->root_fd < 0)
		goto fail;
	return NULL;
fail:
	job->err = errno ? errno : EIO;
	return NULL;
}

int netns_root_fd(struct netns *ns)
{
	int ret = netns_mnt_fd(ns);

	return ret < 0 ? ret : ns->root_fd;
}

int netns_mnt_fd(struct netns *ns)
{
	struct netns_mnt_job job = { .ns = ns, .mnt_fd = -1, .root_fd = -1 };
	pthread_t t;
	int err;

	if (ns->mnt_fd >= 0)
		return ns->mnt_fd;
	err = pthread_create(&t, NULL, netns_mnt_thread, &job);
	if (err)
		return -err;
	pthread_join(t, NULL);
	if (job.err) {
		if (job.mnt_fd >= 0)
			close(job.mnt_fd);
		return -job.err;
	}
	ns->mnt_fd = job.mnt_fd;
	ns->root_fd = job.root_fd;
	return ns->mnt_fd;
}
