// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "lab/cli.h"
#include "lab/host/safedir.h"
#include "lab/lang/diag.h"
#include "netns/util/esc.h"
#include "netns/util/name.h"
#include "netns/util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *prog_name = "wglab";

void cli_print_diags(FILE *f, struct diags *d)
{
	const struct diag *e;

	diag_sort(d);
	/* Scenario words and file names may hold anything: no control
	 * character reaches the terminal as is. */
	for (e = d->first; e; e = e->next) {
		esc_fputs(f, e->file, 0);
		if (e->line && e->col)
			fprintf(f, ":%u:%u: ", e->line, e->col);
		else if (e->line)
			fprintf(f, ":%u: ", e->line);
		else
			fputs(": ", f);
		esc_fputs(f, e->msg, 0);
		fputc('\n', f);
	}
	if (diag_full(d))
		fprintf(f, "%s: stopped after %d errors\n", prog_name, DIAG_MAX);
}

static int cli_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void cli_push(char ***v, size_t *n, char *s)
{
	char **nv = xrealloc(*v, (*n + 1) * sizeof(**v));

	nv[(*n)++] = s;
	*v = nv;
}

static int cli_collect_dir(const char *dir, char ***v, size_t *n)
{
	size_t first = *n;
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		char *path;

		if (len < 5 || strcmp(de->d_name + len - 4, ".lab") || de->d_name[0] == '.')
			continue;
		path = xasprintf("%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", de->d_name);
		cli_push(v, n, path);
	}
	closedir(d);
	/* *v is NULL when nothing was found: no qsort() on it. */
	if (*n > first)
		qsort(*v + first, *n - first, sizeof(**v), cli_cmp);
	return 0;
}

int cli_collect_files(int argc, const char *argv[], char ***ret, size_t *ret_n)
{
	char **v = NULL;
	size_t n = 0;
	int i, r;

	for (i = 0; i < argc; i++) {
		struct stat st;
		char *shown;

		if (stat(argv[i], &st)) {
			r = -errno;
			shown = esc_dup(argv[i], 0);
			fprintf(stderr, "Unable to read '%s': %s\n", shown, strerror(-r));
			free(shown);
			goto err;
		}
		if (S_ISDIR(st.st_mode)) {
			size_t before = n;

			r = cli_collect_dir(argv[i], &v, &n);
			shown = esc_dup(argv[i], 0);
			if (r < 0) {
				fprintf(stderr, "Unable to read directory '%s': %s\n", shown, strerror(-r));
				free(shown);
				goto err;
			}
			if (n == before)
				fprintf(stderr, "No scenario (*.lab) in '%s'\n", shown);
			free(shown);
			continue;
		}
		cli_push(&v, &n, xstrdup(argv[i]));
	}
	*ret = v;
	*ret_n = n;
	return 0;
err:
	cli_free_files(v, n);
	return r;
}

void cli_free_files(char **files, size_t n)
{
	size_t i;

	if (!files)
		return;
	for (i = 0; i < n; i++)
		free(files[i]);
	free(files);
}

bool cli_color(void)
{
	const char *nc = getenv("NO_COLOR");

	return isatty(STDOUT_FILENO) && !(nc && *nc);
}

static void cli_out_refuse(const struct cli_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void cli_out_refuse(const struct cli_out *o, const char *fmt, ...)
{
	char *shown = esc_dup(o->path, 0);
	va_list ap;

	fprintf(stderr, "Unable to write the %s to '%s': ", o->what, shown);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	free(shown);
}

/* The FIFO or character device at o's name, opened for writing (without
 * O_NOFOLLOW only for a symlink already judged).  0 or -errno, printed. */
static int cli_out_stream(struct cli_out *o, bool follow)
{
	struct stat st;
	int fd, ret;

	/* O_NONBLOCK: a FIFO no one reads fails instead of hanging; a
	 * regular file or directory is only opened, never truncated. */
	fd = openat(o->dirfd, o->base, O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW));
	if (fd < 0) {
		ret = -errno;
		cli_out_refuse(o, "%s", ret == -ENXIO ? "no process reads that FIFO" :
					ret == -EISDIR ? "it is a directory" : strerror(-ret));
		return ret;
	}
	if (fstat(fd, &st)) {
		ret = -errno;
		cli_out_refuse(o, "%s", strerror(-ret));
		goto fail;
	}
	ret = -EPERM;
	if (S_ISFIFO(st.st_mode) && st.st_uid && st.st_uid != geteuid()) {
		cli_out_refuse(o, "it is a FIFO of uid %u, neither root nor uid %u", (unsigned int)st.st_uid,
			       (unsigned int)geteuid());
		goto fail;
	}
	if (!S_ISFIFO(st.st_mode) && !S_ISCHR(st.st_mode)) {
		cli_out_refuse(o, "it is a symlink to something else than a FIFO, pipe or character device "
				  "(name the file itself)");
		goto fail;
	}
	ret = fcntl(fd, F_GETFL);
	if (ret < 0 || fcntl(fd, F_SETFL, ret & ~O_NONBLOCK) < 0) {
		ret = -errno;
		cli_out_refuse(o, "%s", strerror(-ret));
		goto fail;
	}
	o->fd = fd;
	return 0;
fail:
	close(fd);
	return ret;
}

int cli_out_prepare(struct cli_out *o, const char *path, const char *what)
{
	const char *slash = strrchr(path, '/');
	char why[1024] = "", *dir;
	struct stat st, dst;
	int ret;

	o->path = path;
	o->what = what;
	o->fd = -1;
	o->tmp = NULL;
	o->base = xstrdup(slash ? slash + 1 : path);
	if (slash == path)
		dir = xstrdup("/");
	else
		dir = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
	o->dirfd = !*o->base || !strcmp(o->base, ".") || !strcmp(o->base, "..") ? -EISDIR :
		   safedir_open(dir, 0, why, sizeof(why));
	free(dir);
	if (o->dirfd < 0) {
		cli_out_refuse(o, "%s", why[0] ? why : strerror(-o->dirfd));
		return o->dirfd;
	}
	if (fstatat(o->dirfd, o->base, &st, AT_SYMLINK_NOFOLLOW)) {
		ret = -errno;
		if (ret == -ENOENT)
			return 0;
		cli_out_refuse(o, "%s", strerror(-ret));
		return ret;
	}
	if (S_ISREG(st.st_mode)) {
		if (st.st_uid == geteuid())
			return 0;
		cli_out_refuse(o, "it exists and belongs to uid %u", (unsigned int)st.st_uid);
		return -EPERM;
	}
	/* Another user's FIFO is not even opened (that would wake its
	 * reader); the owner is checked again on what was opened. */
	if (S_ISFIFO(st.st_mode) && st.st_uid && st.st_uid != geteuid()) {
		cli_out_refuse(o, "it is a FIFO of uid %u, neither root nor uid %u", (unsigned int)st.st_uid,
			       (unsigned int)geteuid());
		return -EPERM;
	}
	if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode))
		return cli_out_stream(o, false);
	if (S_ISDIR(st.st_mode)) {
		cli_out_refuse(o, "it is a directory");
		return -EISDIR;
	}
	if (!S_ISLNK(st.st_mode)) {
		cli_out_refuse(o, "it is neither a regular file, a FIFO nor a character device");
		return -EEXIST;
	}
	/* Followed only where no one but its owner (root or the caller)
	 * could have put it: a sticky directory lets others make names. */
	if (st.st_uid && st.st_uid != geteuid()) {
		cli_out_refuse(o, "it is a symlink of uid %u, neither root nor uid %u", (unsigned int)st.st_uid,
			       (unsigned int)geteuid());
		return -EPERM;
	}
	if (fstat(o->dirfd, &dst)) {
		ret = -errno;
		cli_out_refuse(o, "%s", strerror(-ret));
		return ret;
	}
	if ((dst.st_mode & S_IWOTH) || ((dst.st_mode & S_IWGRP) && dst.st_gid && dst.st_gid != getegid())) {
		cli_out_refuse(o, "it is a symlink in a directory others may write (mode %04o)",
			       (unsigned int)(dst.st_mode & 07777));
		return -EPERM;
	}
	return cli_out_stream(o, true);
}

FILE *cli_out_open(struct cli_out *o)
{
	FILE *f;
	int fd = -1, ret = 0;

	if (o->fd >= 0) {
		fd = o->fd;
		o->fd = -1;
	} else if (o->dirfd < 0) {
		ret = o->dirfd;
	} else {
		/* A name of the caller's own in the verified directory:
		 * whatever else is there is never touched. */
		for (unsigned int i = 0; i < 100 && fd < 0; i++) {
			free(o->tmp);
			o->tmp = xasprintf(".%.200s.%d-%u.tmp", o->base, (int)getpid(), i);
			fd = safedir_create(o->dirfd, o->tmp, 0644);
			if (fd < 0 && fd != -EEXIST && fd != -EPERM && fd != -ELOOP)
				break;
		}
		if (fd < 0) {
			ret = fd;
			free(o->tmp);
			o->tmp = NULL;
		}
	}
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (f)
		return f;
	if (fd >= 0) {
		ret = -errno;
		close(fd);
	}
	cli_out_refuse(o, "%s", strerror(-ret));
	return NULL;
}

int cli_out_close(struct cli_out *o, FILE *f, int fn_ret)
{
	struct stat st;
	int ret = 0;

	if (fclose(f))
		ret = -errno;
	else if (fn_ret < 0)
		ret = -EIO;
	if (ret < 0 || !o->tmp)
		goto cleanup;
	/* Checked again at the end: what is at the name now is replaced
	 * only when it is a regular file of the caller's, and nothing that
	 * appeared since a missing name was checked is replaced. */
	if (!fstatat(o->dirfd, o->base, &st, AT_SYMLINK_NOFOLLOW)) {
		if (!S_ISREG(st.st_mode) || st.st_uid != geteuid())
			ret = -EEXIST;
		else if (renameat(o->dirfd, o->tmp, o->dirfd, o->base))
			ret = -errno;
	} else if (errno != ENOENT) {
		ret = -errno;
	} else if (renameat2(o->dirfd, o->tmp, o->dirfd, o->base, RENAME_NOREPLACE)) {
		ret = -errno;
	}
	if (!ret) {
		free(o->tmp);
		o->tmp = NULL;
	}
cleanup:
	if (ret < 0)
		cli_out_refuse(o, "%s", ret == -EEXIST ? "something else than a file of yours appeared at that name"
						       : strerror(-ret));
	return ret < 0 ? -1 : 0;
}

int cli_out_results(struct cli_out *o, int (*fn)(FILE *, const struct scenario_result *const *, size_t),
		    const struct scenario_result *const *v, size_t n)
{
	FILE *f = cli_out_open(o);

	if (!f)
		return -1;
	return cli_out_close(o, f, fn(f, v, n));
}

void cli_out_free(struct cli_out *o)
{
	if (o->dirfd >= 0 && o->tmp)
		unlinkat(o->dirfd, o->tmp, 0);
	free(o->tmp);
	o->tmp = NULL;
	if (o->fd >= 0)
		close(o->fd);
	o->fd = -1;
	if (o->dirfd >= 0)
		close(o->dirfd);
	o->dirfd = -1;
	free(o->base);
	o->base = NULL;
}

bool cli_wg_mode_ok(const char *mode)
{
	char *shown;

	if (!strcmp(mode, "auto") || !strcmp(mode, "kernel") || !strcmp(mode, "userspace") ||
	    (!strncmp(mode, "userspace=", 10) && mode[10]))
		return true;
	shown = esc_dup(mode, 0);
	fprintf(stderr, "Invalid --wg '%s': auto, kernel, userspace or userspace=PATH\n", shown);
	free(shown);
	return false;
}

bool cli_name_ok(const char *kind, const char *name)
{
	bool lab = !strcmp(kind, "lab");
	char *shown;

	if (lab ? name_lab_valid(name) : name_valid(name))
		return true;
	shown = esc_dup(name, 0);
	fprintf(stderr, "Invalid %s name '%s' (letters, digits, '-', '_', '.', not first '-' or '.'; at most %d bytes)\n",
		kind, shown, lab ? NAME_MAX_LAB : NAME_MAX_LEN);
	free(shown);
	return false;
}
