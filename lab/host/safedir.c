// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* Directories reached through verified descriptors (lab/host/safedir.h). */
#include "lab/host/safedir.h"
#include "netns/util/xalloc.h"
#include "netns/util/dir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SAFEDIR_MAX_LINKS 40

static void safedir_why(char *why, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void safedir_why(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!len)
		return;
	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
}

static bool safedir_uid_trusted(uid_t uid)
{
	return uid == 0 || uid == geteuid();
}

bool safedir_trusted(const struct stat *st, const char *shown, char *why, size_t len)
{
	bool group = (st->st_mode & S_IWGRP) && st->st_gid != 0 && st->st_gid != getegid();

	if (!S_ISDIR(st->st_mode)) {
		safedir_why(why, len, "'%s' is not a directory", shown);
		return false;
	}
	if (!safedir_uid_trusted(st->st_uid)) {
		safedir_why(why, len, "'%s' belongs to uid %u, neither root nor uid %u: its owner could swap what is written there",
			    shown, (unsigned int)st->st_uid, (unsigned int)geteuid());
		return false;
	}
	if ((group || (st->st_mode & S_IWOTH)) && !(st->st_mode & S_ISVTX)) {
		safedir_why(why, len, "'%s' is writable by others (mode %04o) without the sticky bit", shown,
			    (unsigned int)(st->st_mode & 07777));
		return false;
	}
	return true;
}

/* The checks of the last directory with SAFEDIR_PRIVATE or SAFEDIR_MINE. */
static int safedir_private(int fd, const struct stat *st, unsigned int flags, const char *shown, char *why,
			   size_t len)
{
	if (st->st_uid != geteuid()) {
		safedir_why(why, len, "'%s' belongs to uid %u, not to uid %u", shown, (unsigned int)st->st_uid,
			    (unsigned int)geteuid());
		return -EPERM;
	}
	if ((flags & SAFEDIR_PRIVATE) && (st->st_mode & 07777) != 0700 && fchmod(fd, 0700)) {
		int ret = -errno;

		safedir_why(why, len, "Unable to make '%s' private: %s", shown, strerror(-ret));
		return ret;
	}
	return 0;
}

/* One component, name, of the trusted dirfd: opened (made first with
 * SAFEDIR_CREATE), checked.  A symlink is not opened: *ret_link gets its
 * target (caller frees) when it is trusted. */
static int safedir_step(int dirfd, const char *name, const char *shown, unsigned int flags,
			char **ret_link, char *why, size_t len)
{
	struct stat st;
	char target[PATH_MAX];
	ssize_t n;
	int fd, ret;

	*ret_link = NULL;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW)) {
		ret = -errno;
		if (ret != -ENOENT || !(flags & SAFEDIR_CREATE)) {
			safedir_why(why, len, "'%s': %s", shown, strerror(-ret));
			return ret;
		}
		if (mkdirat(dirfd, name, 0700) && errno != EEXIST) {
			ret = -errno;
			safedir_why(why, len, "Unable to create '%s': %s", shown, strerror(-ret));
			return ret;
		}
	} else if (S_ISLNK(st.st_mode)) {
		if (!safedir_uid_trusted(st.st_uid)) {
			safedir_why(why, len, "'%s' is a symlink of uid %u, neither root nor uid %u", shown,
				    (unsigned int)st.st_uid, (unsigned int)geteuid());
			return -EPERM;
		}
		n = readlinkat(dirfd, name, target, sizeof(target) - 1);
		if (n <= 0) {
			ret = n < 0 ? -errno : -ENOENT;
			safedir_why(why, len, "'%s': %s", shown, strerror(-ret));
			return ret;
		}
		target[n] = '\0';
		*ret_link = xstrdup(target);
		return 0;
	}
	/* Whatever is there now is what gets checked: a swap after the
	 * fstatat() above shows in the fstat() below, or fails O_NOFOLLOW. */
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		safedir_why(why, len, "'%s': %s", shown, ret == -ELOOP ? "became a symlink" : strerror(-ret));
		return ret;
	}
	if (fstat(fd, &st)) {
		ret = -errno;
		goto fail;
	}
	ret = -EPERM;
	if (!safedir_trusted(&st, shown, why, len))
		goto fail;
	if (flags & (SAFEDIR_PRIVATE | SAFEDIR_MINE)) {
		ret = safedir_private(fd, &st, flags, shown, why, len);
		if (ret < 0)
			goto fail;
	}
	return fd;
fail:
	close(fd);
	return ret;
}

static int safedir_start(bool root, char *why, size_t len)
{
	const char *shown = root ? "/" : ".";
	struct stat st;
	int fd = open(shown, O_RDONLY | O_DIRECTORY | O_CLOEXEC), ret;

	if (fd < 0) {
		ret = -errno;
		safedir_why(why, len, "'%s': %s", shown, strerror(-ret));
		return ret;
	}
	if (fstat(fd, &st) || !safedir_trusted(&st, root ? "/" : "the working directory", why, len)) {
		close(fd);
		return -EPERM;
	}
	return fd;
}

int safedir_open(const char *path, unsigned int flags, char *why, size_t len)
{
	char *rest = xstrdup(path), *shown = xstrdup(path[0] == '/' ? "/" : ""), *comp, *next, *link = NULL;
	unsigned int links = 0;
	int fd, nfd;

	if (!*path) {
		safedir_why(why, len, "empty path");
		fd = -ENOENT;
		goto cleanup;
	}
	fd = safedir_start(path[0] == '/', why, len);
	for (comp = rest; fd >= 0 && comp;) {
		char *joined;
		bool last;

		while (*comp == '/')
			comp++;
		next = strchr(comp, '/');
		if (next)
			*next++ = '\0';
		while (next && *next == '/')
			next++;
		if (next && !*next)
			next = NULL;
		if (!*comp || !strcmp(comp, ".")) {
			comp = next;
			continue;
		}
		last = !next;
		if (!*shown)
			joined = xstrdup(comp);
		else
			joined = xasprintf("%s%s%s", shown, strcmp(shown, "/") ? "/" : "", comp);
		free(shown);
		shown = joined;
		nfd = safedir_step(fd, comp, shown, last ? flags : 0, &link, why, len);
		if (nfd < 0) {
			close(fd);
			fd = nfd;
			break;
		}
		if (link) {
			char *more;

			if (++links > SAFEDIR_MAX_LINKS) {
				safedir_why(why, len, "'%s': %s", shown, strerror(ELOOP));
				close(fd);
				fd = -ELOOP;
				break;
			}
			more = xasprintf("%s%s%s", link, next ? "/" : "", next ? next : "");
			if (link[0] == '/') {
				close(fd);
				fd = safedir_start(true, why, len);
			}
			free(link);
			link = NULL;
			free(rest);
			rest = more;
			comp = rest;
			continue;
		}
		close(fd);
		fd = nfd;
		comp = next;
	}
cleanup:
	free(link);
	free(rest);
	free(shown);
	return fd;
}

int safedir_sub(int dirfd, const char *name, unsigned int flags, char *why, size_t len)
{
	char *link = NULL;
	int fd;

	if (!*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..")) {
		safedir_why(why, len, "'%s' is not a name", name);
		return -EINVAL;
	}
	fd = safedir_step(dirfd, name, name, flags, &link, why, len);
	if (link) {
		safedir_why(why, len, "'%s' is a symlink", name);
		free(link);
		return -ELOOP;
	}
	return fd;
}

int safedir_create(int dirfd, const char *name, mode_t mode)
{
	struct stat st;
	int fd;

	if (!*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
		return -EINVAL;
	if (!fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW)) {
		/* Only a regular file is ever removed: a symlink, device
		 * or FIFO at a name like /dev/stdout is the host's. */
		if (S_ISDIR(st.st_mode))
			return -EISDIR;
		if (S_ISLNK(st.st_mode))
			return -ELOOP;
		if (!S_ISREG(st.st_mode))
			return -EEXIST;
		if (st.st_uid != geteuid())
			return -EPERM;
		if (unlinkat(dirfd, name, 0) && errno != ENOENT)
			return -errno;
	}
	/* O_EXCL: whatever appeared in between is refused, not opened. */
	fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0)
		return -errno;
	if (fchmod(fd, mode)) {
		int ret = -errno;

		close(fd);
		unlinkat(dirfd, name, 0);
		return ret;
	}
	return fd;
}

int safedir_empty(int dirfd)
{
	DIR *d = dir_openat(dirfd, ".", 0);
	struct dirent *de;
	int ret = 0;

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (unlinkat(dirfd, de->d_name, 0) && errno != ENOENT && errno != EISDIR && !ret)
			ret = -errno;
	}
	closedir(d);
	return ret;
}
