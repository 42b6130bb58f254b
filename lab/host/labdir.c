// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "lab/host/labdir.h"
#include "lab/host/rootless.h"
#include "netns/ns.h"
#include "netns/util/xalloc.h"
#include "netns/nsmount.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef WGLAB_RUN_DIR
#define WGLAB_RUN_DIR "/run/wglab"
#endif

const char *labdir_root(void)
{
	static char root[4096];
	const char *base = getenv("WGLAB_RUN_DIR");

	if (!root[0])
		snprintf(root, sizeof(root), "%s/labs", base && *base ? base : WGLAB_RUN_DIR);
	return root;
}

static int labdir_path(const char *name, const char *file, char *buf, size_t len)
{
	const char *root = labdir_root();
	size_t need = strlen(root) + strlen(name) + (file ? strlen(file) + 1 : 0) + 2;

	if (need > len)
		return -ENAMETOOLONG;
	if (file)
		sprintf(buf, "%s/%s/%s", root, name, file);
	else
		sprintf(buf, "%s/%s", root, name);
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
	if (dir < 0)
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
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
			  &start) != 1)
		return 0;
	return start;
}

bool labdir_pid_alive(pid_t pid, unsigned long long start)
{
	return pid > 0 && labdir_starttime(pid) == start && start;
}

static int labdir_mkdirs(void)
{
	char path[4096];
	char *slash;

	snprintf(path, sizeof(path), "%s", labdir_root());
	for (slash = strchr(path + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(path, 0755) && errno != EEXIST)
			return -errno;
		*slash = '/';
	}
	if (mkdir(path, 0700) && errno != EEXIST)
		return -errno;
	return 0;
}

int labdir_create(const char *name)
{
	char path[4096];
	struct labinfo *li = NULL;
	int err;

	err = labdir_mkdirs();
	if (err < 0)
		return err;
	err = labdir_path(name, NULL, path, sizeof(path));
	if (err < 0)
		return err;
	if (!mkdir(path, 0700))
		return 0;
	if (errno != EEXIST)
		return -errno;
	err = labdir_read(name, &li);
	if (!err && li->alive) {
		labinfo_free(li);
		return -EEXIST;
	}
	labinfo_free(li);
	err = labdir_remove(name);
	if (err < 0)
		return err;
	return mkdir(path, 0700) ? -errno : 0;
}

static int labdir_append(const char *name, const char *file, const char *line)
{
	char path[4096];
	int fd, err = 0;
	size_t len = strlen(line);

	err = labdir_path(name, file, path, sizeof(path));
	if (err < 0)
		return err;
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (write(fd, line, len) != (ssize_t)len)
		err = -EIO;
	close(fd);
	return err;
}

int labdir_add_node(const char *name, const char *node, const char *mount, bool lan, int mnt_fd)
{
	char line[512];

	snprintf(line, sizeof(line), "%s %s %d %d\n", node, mount, lan, mnt_fd);
	return labdir_append(name, "nodes", line);
}

int labdir_set_pid(const char *name, pid_t pid)
{
	char line[64], path[4096], tmp[4096];
	int fd, err = 0;

	snprintf(line, sizeof(line), "%d %llu\n", (int)pid, labdir_starttime(pid));
	if (labdir_path(name, "pid", path, sizeof(path)) < 0 ||
	    labdir_path(name, "pid.tmp", tmp, sizeof(tmp)) < 0)
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (write(fd, line, strlen(line)) != (ssize_t)strlen(line))
		err = -EIO;
	close(fd);
	if (!err && rename(tmp, path))
		err = -errno;
	return err;
}

int labdir_read(const char *name, struct labinfo **ret)
{
	struct labinfo *li = xcalloc(1, sizeof(*li));
	char path[4096], node[256], mount[256], line[1024];
	unsigned long long start = 0;
	int pid = 0, lan, mnt_fd, err;
	FILE *f;

	li->name = xstrdup(name);
	err = labdir_path(name, NULL, path, sizeof(path));
	if (err < 0)
		goto err;
	if (access(path, F_OK)) {
		err = -errno;
		goto err;
	}
	labdir_path(name, "pid", path, sizeof(path));
	f = fopen(path, "re");
	if (f) {
		if (fscanf(f, "%d %llu", &pid, &start) != 2)
			pid = 0;
		fclose(f);
	}
	li->pid = pid;
	li->alive = labdir_pid_alive(pid, start);
	labdir_path(name, "nodes", path, sizeof(path));
	f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f)) {
		struct labnode *v;

		mnt_fd = -1;
		if (sscanf(line, "%255s %255s %d %d", node, mount, &lan, &mnt_fd) < 3)
			continue;
		v = xrealloc(li->nodes, (li->n_nodes + 1) * sizeof(*v));
		li->nodes = v;
		v[li->n_nodes].node = xstrdup(node);
		v[li->n_nodes].mount = xstrdup(mount);
		v[li->n_nodes].lan = lan;
		v[li->n_nodes].mnt_fd = mnt_fd;
		li->n_nodes++;
	}
	if (f)
		fclose(f);
	*ret = li;
	return 0;
err:
	labinfo_free(li);
	return err;
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

int labdir_remove(const char *name)
{
	static const char *const files[] = { "nodes", "pid", "pid.tmp" };
	struct labinfo *li = NULL;
	char path[4096];
	int err = 0, r;

	r = labdir_read(name, &li);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	for (size_t i = 0; i < li->n_nodes; i++) {
		r = netns_unmount(li->nodes[i].mount);
		if (r < 0 && !err)
			err = r;
		/* The node's /etc/netns/NAME/hosts (lab values), if any. */
		r = netns_etc_remove(li->nodes[i].mount);
		if (r < 0 && !err)
			err = r;
	}
	labinfo_free(li);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		labdir_path(name, files[i], path, sizeof(path));
		if (unlink(path) && errno != ENOENT && !err)
			err = -errno;
	}
	labdir_path(name, NULL, path, sizeof(path));
	if (rmdir(path) && errno != ENOENT && !err)
		err = -errno;
	return err;
}

static int labdir_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int labdir_list(char ***ret, size_t *ret_n)
{
	DIR *d = opendir(labdir_root());
	struct dirent *de;
	char **v = NULL;
	size_t n = 0;

	if (!d) {
		*ret = NULL;
		*ret_n = 0;
		return errno == ENOENT ? 0 : -errno;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
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
