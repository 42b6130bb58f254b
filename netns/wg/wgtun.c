// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "netns/proc.h"
#include "netns/wg/wgdev.h"
#include "netns/wg/wgtun.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

#define WGTUN_DEV "/dev/net/tun"

/* Whether fd (a copy of the program's) is the TUN named ifname; made
 * persistent if so: 1, 0 (another file), -errno. */
static int wgtun_take(int fd, const char *ifname)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	if (ioctl(fd, TUNGETIFF, &ifr) < 0 || strncmp(ifr.ifr_name, ifname, IFNAMSIZ))
		return 0;
	return ioctl(fd, TUNSETPERSIST, 1) < 0 ? -errno : 1;
}

/* Each descriptor of the process behind pidfd (its /proc directory dfd)
 * that is a TUN, until the one named ifname. */
static int wgtun_scan(int pidfd, int dfd, const char *ifname)
{
	DIR *d;
	struct dirent *e;
	int fds, r = 0;

	fds = openat(dfd, "fd", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fds < 0)
		return errno == ENOENT ? 0 : -errno;
	d = fdopendir(fds);
	if (!d) {
		r = -errno;
		close(fds);
		return r;
	}
	while (!r && (e = readdir(d))) {
		char link[sizeof(WGTUN_DEV)];
		ssize_t n;
		int fd;

		if (e->d_name[0] == '.')
			continue;
		n = readlinkat(dirfd(d), e->d_name, link, sizeof(link));
		if (n != (ssize_t)strlen(WGTUN_DEV) || memcmp(link, WGTUN_DEV, (size_t)n))
			continue;
		fd = (int)syscall(SYS_pidfd_getfd, pidfd, atoi(e->d_name), 0);
		if (fd < 0) {
			r = errno == EBADF ? 0 : -errno;
			continue;
		}
		r = wgtun_take(fd, ifname);
		close(fd);
	}
	closedir(d);
	return r;
}

int wgtun_persist(struct wgdev *dev)
{
	struct proc *p = wgdev_proc(dev);
	char path[32];
	pid_t pid;
	int pidfd, dfd, r;

	/* No program: the kernel's, or the WireGuard host's (wgdev_leave()
	 * made its TUN persistent). */
	if (wgdev_kind(dev) != WGDEV_USERSPACE || !p)
		return 0;
	pid = proc_program_pid(p);
	if (pid <= 0)
		return 0;
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return errno == ESRCH ? 0 : -errno;
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	dfd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	/* Pinned by the pidfd, the pid is the program's only if its init
	 * still lists it: otherwise it was reused. */
	if (dfd < 0 || proc_program_pid(p) != pid)
		r = 0;
	else
		r = wgtun_scan(pidfd, dfd, wgdev_ifname(dev));
	if (dfd >= 0)
		close(dfd);
	close(pidfd);
	return r;
}
