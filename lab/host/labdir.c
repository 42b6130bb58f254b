// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "lab/host/labdir.h"
#include "lab/host/rootless.h"
#include "lab/host/safedir.h"
#include "netns/nsmount.h"
#include "netns/util/name.h"
#include "netns/util/xalloc.h"
#include "netns/util/dir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef WGLAB_RUN_DIR
#define WGLAB_RUN_DIR "/run/wglab"
#endif

/* The prefix of a record being made: ".new.PID.START.NAME". */
#define LABDIR_NEW ".new."

static const char *labdir_base(void)
{
	const char *base = getenv("WGLAB_RUN_DIR");

	return base && *base ? base : WGLAB_RUN_DIR;
}

const char *labdir_root(void)
{
	static char root[4096];

	if (!root[0])
		snprintf(root, sizeof(root), "%s/labs", labdir_base());
	return root;
}

/* WGLAB_RUN_DIR, then labs/ and runs/ under it: opened once per process
 * (what a forked worker inherits is the same directory). */
static int labdir_fds[2] = { -1, -1 };
static const char *const labdir_subs[2] = { "labs", "runs" };

static int labdir_open_sub(size_t i, bool create, char *why, size_t len)
{
	unsigned int flags = SAFEDIR_PRIVATE | (create ? SAFEDIR_CREATE : 0);
	int base, fd;

	if (labdir_fds[i] >= 0)
		return labdir_fds[i];
	base = safedir_open(labdir_base(), flags, why, len);
	if (base < 0)
		return base;
	fd = safedir_sub(base, labdir_subs[i], flags, why, len);
	close(base);
	if (fd >= 0)
		labdir_fds[i] = fd;
	return fd;
}

int labdir_dirfd(const char *sub, bool create)
{
	char why[1];

	for (size_t i = 0; i < 2; i++)
		if (!strcmp(sub, labdir_subs[i]))
			return labdir_open_sub(i, create, why, 0);
	return -EINVAL;
}

int labdir_prepare(char *why, size_t len)
{
	for (size_t i = 0; i < 2; i++) {
		int fd = labdir_open_sub(i, true, why, len);

		if (fd < 0)
			return fd;
	}
	return 0;
}

unsigned long long labdir_starttime(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long start = 0;
	int dir = rootless_host_proc(), fd;
	ssize_t n;

	/* Records hold pids as the host sees them, also from inside a
	 * rootless lab, whose /proc is its PID namespace's. */
	if (dir < 0 || pid <= 0)
		return 0;
	snprintf(path, sizeof(path), "%d/stat", (int)pid);
	fd = openat(dir, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* The command name may hold spaces and parentheses: fields count
	 * from the last ')'.  starttime is field 22. */
	p = strrchr(buf, ')');
	/* A zombie (a killed keeper that PID 1 has not reaped yet, which
	 * can take seconds here) holds nothing any more: it is dead. */
	if (!p || p[1] != ' ' || p[2] == 'Z' || p[2] == 'X')
		return 0;
	if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
			  &start) != 1)
		return 0;
	return start;
}

bool labdir_pid_alive(pid_t pid, unsigned long long start)
{
	return pid > 0 && labdir_starttime(pid) == start && start;
}

/* A fresh open file description of the labs directory, locked: flock()
 * locks belong to descriptions, which forked processes share. */
static int labdir_lock(int root)
{
	int fd = openat(root, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	while (flock(fd, LOCK_EX))
		if (errno != EINTR) {
			int ret = -errno;

			close(fd);
			return ret;
		}
	return fd;
}

/* A small file of the record, read whole (NUL-terminated). */
static char *labdir_slurp(int recfd, const char *file)
{
	int fd = openat(recfd, file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	size_t n = 0, cap = 4096;
	char *text;
	ssize_t r;

	if (fd < 0)
		return NULL;
	text = xmalloc(cap);
	for (;;) {
		if (n + 1 >= cap) {
			/* A record holds a line per node: far less than this. */
			if (cap >= (1 << 20))
				break;
			cap *= 2;
			text = xrealloc(text, cap);
		}
		r = read(fd, text + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	text[n] = '\0';
	return text;
}

int labdir_mount_name(const char *name, const char *node, bool lan, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s-%s%s", name, lan ? "lan-" : "", node);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* One "NODE MOUNT LAN FD FILEDEV:FILEINO NSDEV:NSINO" line, checked: the
 * node a valid name, the mount the one its lab and node make.  A line
 * without the mount's identity (a wglab before it) is read as whole. */
static void labdir_parse_node(struct labinfo *li, const char *line)
{
	char node[64], mount[128], want[128];
	int lan = 0, mnt_fd = -1, n;
	struct netns_mount_id id = { 0 };
	struct labnode *v;

	n = sscanf(line, "%63s %127s %d %d %llx:%llx %llx:%llx", node, mount, &lan, &mnt_fd, &id.file_dev,
		   &id.file_ino, &id.ns_dev, &id.ns_ino);
	if (n < 3 || (n > 4 && n < 8) || !name_valid(node) ||
	    (lan != 0 && lan != 1) || labdir_mount_name(li->name, node, lan, want, sizeof(want)) < 0 ||
	    strcmp(want, mount))
		return;
	v = xrealloc(li->nodes, (li->n_nodes + 1) * sizeof(*v));
	li->nodes = v;
	v[li->n_nodes].node = xstrdup(node);
	v[li->n_nodes].mount = xstrdup(mount);
	v[li->n_nodes].lan = lan;
	v[li->n_nodes].mnt_fd = mnt_fd >= 0 ? mnt_fd : -1;
	v[li->n_nodes].id = id;
	v[li->n_nodes].has_id = n == 8;
	li->n_nodes++;
}

/* The record in recfd (a directory of the caller's). */
static struct labinfo *labdir_parse(const char *name, int recfd)
{
	struct labinfo *li = xcalloc(1, sizeof(*li));
	unsigned long long start = 0;
	char *text, *line, *save = NULL;
	int pid = 0;

	li->name = xstrdup(name);
	text = labdir_slurp(recfd, "pid");
	if (!text || sscanf(text, "%d %llu", &pid, &start) != 2 || pid <= 0)
		pid = 0;
	free(text);
	li->pid = pid;
	li->start = start;
	li->alive = labdir_pid_alive(pid, start);
	text = labdir_slurp(recfd, "nodes");
	for (line = text ? strtok_r(text, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save))
		labdir_parse_node(li, line);
	free(text);
	return li;
}

/* The record directory name of the labs directory: a directory of the
 * caller's, never through a symlink. */
static int labdir_open_record(int root, const char *name)
{
	struct stat st;
	int fd = openat(root, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return errno == ELOOP || errno == ENOTDIR ? -EPERM : -errno;
	if (fstat(fd, &st) || st.st_uid != geteuid()) {
		close(fd);
		return -EPERM;
	}
	return fd;
}

/* The record of lab name (a checked name) in the labs directory: its
 * fd, or -errno (-ENOENT: no such lab, or no labs directory). */
static int labdir_record(const char *name)
{
	int root;

	if (!name_lab_valid(name))
		return -EINVAL;
	root = labdir_dirfd("labs", false);
	if (root < 0)
		return root;
	return labdir_open_record(root, name);
}

/* A DIR over the labs directory (its fd stays open), or NULL. */
static DIR *labdir_opendir(int root)
{
	return dir_openat(root, ".", 0);
}

int labdir_read(const char *name, struct labinfo **ret)
{
	int recfd = labdir_record(name);

	if (recfd < 0)
		return recfd;
	*ret = labdir_parse(name, recfd);
	close(recfd);
	return 0;
}

void labinfo_free(struct labinfo *li)
{
	if (!li)
		return;
	for (size_t i = 0; i < li->n_nodes; i++) {
		free(li->nodes[i].node);
		free(li->nodes[i].mount);
	}
	free(li->nodes);
	free(li->name);
	free(li);
}

/* Under the lock: the mounts the record names, its files, itself. */
static int labdir_remove_locked(int root, const char *dirname, const char *name)
{
	struct labinfo *li;
	int recfd, err = 0, r;

	recfd = labdir_open_record(root, dirname);
	if (recfd == -ENOENT)
		return 0;
	if (recfd < 0)
		return recfd;
	li = labdir_parse(name, recfd);
	if (li->alive && li->pid != rootless_holder()) {
		labinfo_free(li);
		close(recfd);
		return -EBUSY;
	}
	for (size_t i = 0; i < li->n_nodes; i++) {
		bool ours = true;

		/* Only the mount the record's holder made: the name may be
		 * another's (another lab's, ip netns add's) since. */
		if (li->nodes[i].has_id)
			r = netns_unmount_own(li->nodes[i].mount, &li->nodes[i].id, &ours);
		else
			r = netns_unmount(li->nodes[i].mount);
		if (r < 0 && !err)
			err = r;
		/* The node's /etc/netns/NAME/hosts (lab values), if any: written
		 * for a mount of the lab's, so only with it. */
		r = ours ? netns_etc_remove(li->nodes[i].mount) : 0;
		if (r < 0 && !err)
			err = r;
	}
	labinfo_free(li);
	/* The mounts first: a record is removed only once nothing it
	 * names is left. */
	if (!err)
		err = safedir_empty(recfd);
	close(recfd);
	if (!err && unlinkat(root, dirname, AT_REMOVEDIR) && errno != ENOENT)
		err = -errno;
	return err;
}

int labdir_remove(const char *name)
{
	int root, lock, err;

	if (!name_lab_valid(name))
		return -EINVAL;
	root = labdir_dirfd("labs", false);
	if (root < 0)
		return root == -ENOENT ? 0 : root;
	lock = labdir_lock(root);
	if (lock < 0)
		return lock;
	err = labdir_remove_locked(root, name, name);
	close(lock);
	return err;
}

static int labdir_write(int dirfd, const char *file, const char *text)
{
	int fd = safedir_create(dirfd, file, 0600), err = 0;
	size_t len = strlen(text);

	if (fd < 0)
		return fd;
	if (write(fd, text, len) != (ssize_t)len)
		err = -EIO;
	if (close(fd) && !err)
		err = -errno;
	return err;
}

int labdir_create(const char *name, pid_t holder)
{
	char tmp[128], line[64];
	int root, lock = -1, recfd = -1, err;

	if (!name_lab_valid(name))
		return -EINVAL;
	root = labdir_dirfd("labs", true);
	if (root < 0)
		return root;
	lock = labdir_lock(root);
	if (lock < 0)
		return lock;
	/* A stale record of the name goes (its mounts too); a live one
	 * wins. */
	err = labdir_remove_locked(root, name, name);
	if (err == -EBUSY)
		err = -EEXIST;
	if (err < 0)
		goto cleanup;
	snprintf(line, sizeof(line), "%d %llu\n", (int)holder, labdir_starttime(holder));
	snprintf(tmp, sizeof(tmp), LABDIR_NEW "%d.%llu.%s", (int)holder, labdir_starttime(holder), name);
	if (mkdirat(root, tmp, 0700)) {
		err = -errno;
		goto cleanup;
	}
	recfd = labdir_open_record(root, tmp);
	err = recfd < 0 ? recfd : labdir_write(recfd, "pid", line);
	if (!err && renameat2(root, tmp, root, name, RENAME_NOREPLACE))
		err = -errno;
	if (err < 0) {
		if (recfd >= 0)
			safedir_empty(recfd);
		unlinkat(root, tmp, AT_REMOVEDIR);
	}
cleanup:
	if (recfd >= 0)
		close(recfd);
	close(lock);
	return err;
}

int labdir_add_node(const char *name, const char *node, const char *mount, bool lan, int mnt_fd,
		    const struct netns_mount_id *id)
{
	char line[320], want[128];
	int recfd, fd, err = 0;
	size_t len;

	if (!name_lab_valid(name) || !name_valid(node) ||
	    labdir_mount_name(name, node, lan, want, sizeof(want)) < 0 || strcmp(want, mount))
		return -EINVAL;
	recfd = labdir_record(name);
	if (recfd < 0)
		return recfd;
	snprintf(line, sizeof(line), "%s %s %d %d %llx:%llx %llx:%llx\n", node, mount, lan, mnt_fd, id->file_dev,
		 id->file_ino, id->ns_dev, id->ns_ino);
	len = strlen(line);
	fd = openat(recfd, "nodes", O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		err = -errno;
	else if (write(fd, line, len) != (ssize_t)len)
		err = -EIO;
	if (fd >= 0)
		close(fd);
	close(recfd);
	return err;
}

int labdir_mount_owner(const char *mount, char **ret_name, bool *ret_alive)
{
	struct labinfo *li = NULL;
	char **names = NULL;
	size_t n = 0;
	int err;

	err = labdir_list(&names, &n);
	if (err < 0)
		return err;
	err = -ENOENT;
	for (size_t i = 0; i < n && err; i++) {
		if (labdir_read(names[i], &li) < 0)
			continue;
		for (size_t k = 0; k < li->n_nodes && err; k++) {
			if (strcmp(li->nodes[k].mount, mount))
				continue;
			*ret_name = xstrdup(li->name);
			*ret_alive = li->alive;
			err = 0;
		}
		labinfo_free(li);
		li = NULL;
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return err;
}

static int labdir_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int labdir_list(char ***ret, size_t *ret_n)
{
	int root = labdir_dirfd("labs", false);
	struct dirent *de;
	char **v = NULL;
	size_t n = 0;
	DIR *d;

	*ret = NULL;
	*ret_n = 0;
	if (root < 0)
		return root == -ENOENT ? 0 : root;
	d = labdir_opendir(root);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (!name_lab_valid(de->d_name))
			continue;
		v = xrealloc(v, (n + 1) * sizeof(*v));
		v[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	/* v is NULL when the directory is empty: no qsort() on it. */
	if (n)
		qsort(v, n, sizeof(*v), labdir_cmp);
	*ret = v;
	*ret_n = n;
	return 0;
}

int labdir_reap_partial(void)
{
	int root = labdir_dirfd("labs", false), lock, count = 0;
	struct dirent *de;
	DIR *d;

	if (root < 0)
		return 0;
	lock = labdir_lock(root);
	if (lock < 0)
		return 0;
	d = labdir_opendir(root);
	while (d && (de = readdir(d))) {
		unsigned long long start;
		int pid, off = 0, recfd;

		if (strncmp(de->d_name, LABDIR_NEW, strlen(LABDIR_NEW)) ||
		    sscanf(de->d_name + strlen(LABDIR_NEW), "%d.%llu.%n", &pid, &start, &off) != 2 || !off ||
		    !name_lab_valid(de->d_name + strlen(LABDIR_NEW) + off) || labdir_pid_alive(pid, start))
			continue;
		/* Made before any mount: only its pid file is in it. */
		recfd = labdir_open_record(root, de->d_name);
		if (recfd < 0)
			continue;
		safedir_empty(recfd);
		close(recfd);
		if (!unlinkat(root, de->d_name, AT_REMOVEDIR))
			count++;
	}
	if (d)
		closedir(d);
	close(lock);
	return count;
}
