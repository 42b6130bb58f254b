// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * A namespace's place in the file system: its name under the run dir, as
 * iproute2 binds it, and files written inside the node's mount namespace.
 */
#include "netns/nsmount.h"
#include "netns/ns.h"
#include "netns/util/name.h"

#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/openat2.h>

/* LAB-lan-NODE at most, with room. */
#define NETNS_MAX_NAME 128

#ifndef NETNS_RUN_DIR
#define NETNS_RUN_DIR "/run/netns"
#endif

const char *netns_run_dir(void)
{
	const char *dir = getenv("WGLAB_NETNS_DIR");

	return dir && *dir ? dir : NETNS_RUN_DIR;
}

/* Makes the run dir a shared mount point, as iproute2's netns_add does, so
 * the bind mounts below propagate to every mount namespace. */
static int netns_prepare_run_dir(const char *dir)
{
	bool made = false;
	int lock, ret = 0;

	if (mkdir(dir, 0755) && errno != EEXIST)
		return -errno;
	lock = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (lock < 0)
		return -errno;
	if (flock(lock, LOCK_EX)) {
		ret = -errno;
		goto cleanup;
	}
	while (mount("", dir, "none", MS_SHARED | MS_REC, NULL)) {
		if (errno != EINVAL || made) {
			ret = -errno;
			goto cleanup;
		}
		if (mount(dir, dir, "none", MS_BIND | MS_REC, NULL)) {
			ret = -errno;
			goto cleanup;
		}
		made = true;
	}
cleanup:
	close(lock);
	return ret;
}

static int netns_mount_path(const char *name, char *path, size_t len)
{
	if (!name_valid_max(name, NETNS_MAX_NAME))
		return -EINVAL;
	if (snprintf(path, len, "%s/%s", netns_run_dir(), name) >= (int)len)
		return -ENAMETOOLONG;
	return 0;
}

int netns_mount_claim(const struct netns *ns, const char *name, struct netns_mount_id *ret_id)
{
	struct netns_mount_id id;
	struct stat st;
	char path[4096];
	int fd, ret;

	ret = netns_mount_path(name, path, sizeof(path));
	if (ret < 0)
		return ret;
	if (fstat(netns_fd(ns), &st))
		return -errno;
	id.ns_dev = st.st_dev;
	id.ns_ino = st.st_ino;
	ret = netns_prepare_run_dir(netns_run_dir());
	if (ret < 0)
		return ret;
	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		ret = -errno;
		close(fd);
		unlink(path);
		return ret;
	}
	close(fd);
	id.file_dev = st.st_dev;
	id.file_ino = st.st_ino;
	*ret_id = id;
	return 0;
}

int netns_mount_bind(const struct netns *ns, const char *name)
{
	char path[4096], src[64];
	int ret = netns_mount_path(name, path, sizeof(path));

	if (ret < 0)
		return ret;
	snprintf(src, sizeof(src), "/proc/self/fd/%d", netns_fd(ns));
	if (mount(src, path, "none", MS_BIND, NULL)) {
		ret = -errno;
		unlink(path);
		return ret;
	}
	return 0;
}

static bool netns_is_mount_point(const char *path)
{
	struct statx stx;

	if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, 0, &stx))
		return false;
	return stx.stx_attributes_mask & stx.stx_attributes & STATX_ATTR_MOUNT_ROOT;
}

int netns_unmount(const char *name)
{
	char path[4096];
	int ret;

	/* Names read back from lab records too: one component, no "..". */
	ret = netns_mount_path(name, path, sizeof(path));
	if (ret < 0)
		return ret;
	if (umount2(path, MNT_DETACH)) {
		ret = -errno;
		/* A caller without the right to unmount (a user cleaning up
		 * after a lab built in its user namespace, whose mounts died
		 * with it) hears EPERM even where nothing is mounted. */
		if (ret == -EINVAL || ret == -ENOENT || (ret == -EPERM && !netns_is_mount_point(path)))
			ret = 0;
	}
	if (unlink(path) && errno != ENOENT && !ret)
		ret = -errno;
	return ret;
}

int netns_unmount_own(const char *name, const struct netns_mount_id *id, bool *ret_removed)
{
	char path[4096];
	struct stat st;
	bool removed = false;
	int ret;

	ret = netns_mount_path(name, path, sizeof(path));
	if (ret < 0)
		return ret;
	if (lstat(path, &st)) {
		ret = errno == ENOENT ? 0 : -errno;
		goto out;
	}
	/* The namespace bound there is ours: so is the mount. */
	if (st.st_dev == id->ns_dev && st.st_ino == id->ns_ino) {
		ret = netns_unmount(name);
		removed = !ret;
		goto out;
	}
	/* The file claimed and not bound (yet, or no longer: a lab without
	 * root, whose mounts died with its user namespace). */
	if (S_ISREG(st.st_mode) && st.st_dev == id->file_dev && st.st_ino == id->file_ino &&
	    !netns_is_mount_point(path)) {
		if (unlink(path) && errno != ENOENT)
			ret = -errno;
		removed = !ret;
	}
	/* Anything else there is another's (another lab's, ip netns add's):
	 * left as it is. */
out:
	if (!ret)
		*ret_removed = removed;
	return ret;
}

int netns_name_taken(const char *name)
{
	char path[4096];
	struct stat st;
	int ret = netns_mount_path(name, path, sizeof(path));

	if (ret < 0)
		return ret;
	if (!lstat(path, &st))
		return -EEXIST;
	return errno == ENOENT ? 0 : -errno;
}

static bool netns_same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return !stat(a, &sa) && !stat(b, &sb) && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* f's file, written from the node's root directory: its own mounts, no
 * symlink followed.  0 or a positive errno. */
static int netns_mnt_write(int root, const struct mnt_file *f)
{
	struct open_how how = {
		.flags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		.mode = f->mode,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	size_t len = strlen(f->data);
	int out;

	out = (int)syscall(SYS_openat2, root, f->path, &how, sizeof(how));
	if (out < 0)
		return errno;
	if (fchmod(out, f->mode) || write(out, f->data, len) != (ssize_t)len) {
		int e = errno ? errno : EIO;

		close(out);
		return e;
	}
	if (close(out))
		return errno;
	return 0;
}

struct netns_bind_job {
	int mnt;
	const struct mnt_file *files;
	size_t n;
	int err;			/* positive errno */
};

/* In a thread of its own inside the namespace (a fork of a lab holding
 * a thousand nodes copies its memory for each node: seconds): the binds
 * of the files written (a path bound already, by a second write, shows
 * the new text).  The thread's file system context is its own first, as
 * setns() into a mount namespace wants. */
static void *netns_bind_thread(void *arg)
{
	struct netns_bind_job *job = arg;

	if (unshare(CLONE_FS) || setns(job->mnt, CLONE_NEWNS)) {
		job->err = errno;
		return NULL;
	}
	for (size_t i = 0; i < job->n; i++)
		if (job->files[i].bind_on && !netns_same_file(job->files[i].path, job->files[i].bind_on) &&
		    mount(job->files[i].path, job->files[i].bind_on, NULL, MS_BIND, NULL)) {
			job->err = errno;
			break;
		}
	return NULL;
}

int netns_mnt_files(struct netns *ns, const struct mnt_file *files, size_t n)
{
	struct netns_bind_job job = { .files = files, .n = n };
	int root = netns_root_fd(ns), e;
	bool binds = false;
	pthread_t t;

	if (root < 0)
		return root;
	/* Written from here; only a bind takes a thread in the namespace. */
	for (size_t i = 0; i < n; i++) {
		e = netns_mnt_write(root, &files[i]);
		if (e)
			return -e;
		binds |= files[i].bind_on != NULL;
	}
	if (!binds)
		return 0;
	job.mnt = netns_mnt_fd(ns);
	e = pthread_create(&t, NULL, netns_bind_thread, &job);
	if (e)
		return -e;
	pthread_join(t, NULL);
	return -job.err;
}

#define NETNS_ETC_DIR "/etc/netns"

static int netns_etc_name_ok(const char *name)
{
	return *name && !strchr(name, '/') && strcmp(name, ".") && strcmp(name, "..") ? 0 : -EINVAL;
}

/* The files of /etc/netns/NAME the lab writes (and removes). */
static const char *const netns_etc_names[] = { "hosts", "resolv.conf" };

/* One file of dir, replaced by text. */
static int netns_etc_put(int dir, const char *file, const char *text)
{
	size_t len = strlen(text);
	int fd, ret = 0;

	if (unlinkat(dir, file, 0) && errno != ENOENT)
		return -errno;
	fd = openat(dir, file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (write(fd, text, len) != (ssize_t)len)
		ret = -EIO;
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

int netns_etc_files(const char *name, const char *hosts, const char *resolv)
{
	const char *text[] = { hosts, resolv };	/* as netns_etc_names */
	int etc = -1, dir = -1, ret = netns_etc_name_ok(name);

	if (ret < 0)
		return ret;
	if (mkdir(NETNS_ETC_DIR, 0755) && errno != EEXIST)
		return -errno;
	etc = open(NETNS_ETC_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (etc < 0 || (mkdirat(etc, name, 0755) && errno != EEXIST)) {
		ret = -errno;
		goto cleanup;
	}
	dir = openat(etc, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dir < 0) {
		ret = -errno;
		goto cleanup;
	}
	for (size_t i = 0; i < sizeof(text) / sizeof(text[0]) && !ret; i++)
		ret = netns_etc_put(dir, netns_etc_names[i], text[i]);
cleanup:
	if (dir >= 0)
		close(dir);
	if (etc >= 0)
		close(etc);
	return ret;
}

int netns_etc_taken(const char *name)
{
	char path[4096];
	struct stat st;
	int ret = netns_etc_name_ok(name);

	if (ret < 0)
		return ret;
	snprintf(path, sizeof(path), NETNS_ETC_DIR "/%s", name);
	if (!lstat(path, &st))
		return -EEXIST;
	return errno == ENOENT ? 0 : -errno;
}

int netns_etc_remove(const char *name)
{
	int etc, dir, ret = netns_etc_name_ok(name);

	if (ret < 0)
		return ret;
	etc = open(NETNS_ETC_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (etc < 0)
		return errno == ENOENT ? 0 : -errno;
	dir = openat(etc, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dir < 0) {
		ret = errno == ENOENT ? 0 : -errno;
		close(etc);
		return ret;
	}
	for (size_t i = 0; i < sizeof(netns_etc_names) / sizeof(netns_etc_names[0]); i++)
		if (unlinkat(dir, netns_etc_names[i], 0) && errno != ENOENT && !ret)
			ret = -errno;
	close(dir);
	/* Only when empty: what a user put there stays. */
	if (unlinkat(etc, name, AT_REMOVEDIR) && errno != ENOENT && errno != ENOTEMPTY && !ret)
		ret = -errno;
	close(etc);
	return ret;
}
