// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "lab/cli.h"
#include "lab/lang/diag.h"
#include "netns/util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *prog_name = "wglab";

void cli_print_diags(FILE *f, struct diags *d)
{
	const struct diag *e;

	diag_sort(d);
	for (e = d->first; e; e = e->next) {
		if (e->line && e->col)
			fprintf(f, "%s:%u:%u: %s\n", e->file, e->line, e->col, e->msg);
		else if (e->line)
			fprintf(f, "%s:%u: %s\n", e->file, e->line, e->msg);
		else
			fprintf(f, "%s: %s\n", e->file, e->msg);
	}
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

		if (stat(argv[i], &st)) {
			r = -errno;
			fprintf(stderr, "Unable to read '%s': %s\n", argv[i], strerror(errno));
			goto err;
		}
		if (S_ISDIR(st.st_mode)) {
			size_t before = n;

			r = cli_collect_dir(argv[i], &v, &n);
			if (r < 0) {
				fprintf(stderr, "Unable to read directory '%s': %s\n", argv[i], strerror(-r));
				goto err;
			}
			if (n == before)
				fprintf(stderr, "No scenario (*.lab) in '%s'\n", argv[i]);
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
