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

int cli_out_prepare(struct cli_out *o, const char *path, const char *what)
{
	const char *slash = strrchr(path, '/');
	char why[1024] = "", *dir, *shown;

	o->path = path;
	o->base = xstrdup(slash ? slash + 1 : path);
	if (slash == path)
		dir = xstrdup("/");
	else
		dir = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
	o->dirfd = !*o->base ? -EISDIR : safedir_open(dir, 0, why, sizeof(why));
	free(dir);
	if (o->dirfd >= 0)
		return 0;
	shown = esc_dup(path, 0);
	fprintf(stderr, "Unable to write the %s to '%s': %s\n", what, shown,
		why[0] ? why : strerror(-o->dirfd));
	free(shown);
	return o->dirfd;
}

FILE *cli_out_open(struct cli_out *o)
{
	int fd = o->dirfd >= 0 ? safedir_create(o->dirfd, o->base, 0644) : o->dirfd;
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	char *shown;

	if (f)
		return f;
	shown = esc_dup(o->path, 0);
	fprintf(stderr, "Unable to write '%s': %s\n", shown,
		fd == -EPERM ? "it exists and belongs to another user" : strerror(fd < 0 ? -fd : errno));
	free(shown);
	if (fd >= 0)
		close(fd);
	return NULL;
}

int cli_out_results(const char *path, const char *what,
		    int (*fn)(FILE *, const struct scenario_result *const *, size_t),
		    const struct scenario_result *const *v, size_t n)
{
	struct cli_out out = { .dirfd = -1 };
	FILE *f = NULL;
	int r;

	if (cli_out_prepare(&out, path, what) == 0)
		f = cli_out_open(&out);
	cli_out_free(&out);
	if (!f)
		return -1;
	r = fn(f, v, n);
	if (fclose(f) || r < 0) {
		fprintf(stderr, "Unable to write '%s': %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

void cli_out_free(struct cli_out *o)
{
	if (o->dirfd >= 0)
		close(o->dirfd);
	o->dirfd = -1;
	free(o->base);
	o->base = NULL;
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
