// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* A node's sysctls, read and written from inside its namespace. */
#include "netns/sysctl.h"
#include "netns/ns.h"
#include "netns/util/file.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <string.h>

static int netns_sysctl_path(const char *key, char *path, size_t len)
{
	size_t n = strlen("/proc/sys/");
	bool slashed = strchr(key, '/');
	const char *k;

	if (!*key || strstr(key, "..") || key[0] == '/' || key[0] == '.')
		return -EINVAL;
	if (n + strlen(key) + 1 > len)
		return -ENAMETOOLONG;
	memcpy(path, "/proc/sys/", n);
	/* Dotted keys use '/' inside interface names (eth0.100 is not
	 * supported, as with sysctl(8) without -p); a key with '/' is taken as
	 * a path. */
	for (k = key; *k; k++)
		path[n++] = slashed ? *k : (*k == '.' ? '/' : *k);
	path[n] = '\0';
	return 0;
}

/* key's file, opened inside ns (/proc/sys/net resolves against the
 * opener's namespace, and stays bound to it).  The fd or -errno. */
static int sysctl_open(const struct netns *ns, const char *key, int flags)
{
	char path[512];
	int fd, ret;

	ret = netns_sysctl_path(key, path, sizeof(path));
	if (ret < 0)
		return ret;
	ret = netns_enter(ns);
	if (ret < 0)
		return ret;
	fd = open(path, flags | O_CLOEXEC);
	if (fd < 0)
		ret = -errno;
	netns_leave();
	return fd < 0 ? ret : fd;
}

int netns_sysctl_set(const struct netns *ns, const char *key, const char *value)
{
	int fd = sysctl_open(ns, key, O_WRONLY);

	return fd < 0 ? fd : file_write_close(fd, value);
}

int netns_sysctl_get(const struct netns *ns, const char *key, char *buf, size_t len)
{
	int fd;

	if (!len)
		return -EINVAL;
	fd = sysctl_open(ns, key, O_RDONLY);
	return fd < 0 ? fd : file_read_close(fd, buf, len);
}
