// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* The artifacts folder: its path, the programs' logs kept for it and
 * saved with keys hidden, copies of captures. */
#include "lab/run/artifacts.h"
#include "lab/run/run_ctx.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

static char *artifact_name(const char *s)
{
	char *t = xstrdup(s);

	for (char *p = t; p && *p; p++)
		if (*p == '/' || *p == ' ')
			*p = '_';
	return t;
}

const char *run_artifacts_dir(struct run *r)
{
	char *name;

	if (!r->opts.artifacts)
		return NULL;
	if (mkdir(r->opts.artifacts, 0755) && errno != EEXIST)
		return NULL;
	if (!r->artifacts_dir) {
		name = artifact_name(r->lab->name);
		if (r->twin)
			r->artifacts_dir = xasprintf("%s/%s-twin-%s", r->opts.artifacts, name, r->twin->name);
		else
			r->artifacts_dir = xasprintf("%s/%s", r->opts.artifacts, name);
		free(name);
	}
	if (mkdir(r->artifacts_dir, 0755) && errno != EEXIST)
		return NULL;
	return r->artifacts_dir;
}

int run_artifact_copy(int fd, const char *dir, const char *name)
{
	char path[4096];
	struct stat st;
	off_t off = 0;
	int out, err = 0;

	if (fd < 0 || fstat(fd, &st) || !st.st_size)
		return 0;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0)
		return -errno;
	while (off < st.st_size)
		if (sendfile(out, fd, &off, (size_t)(st.st_size - off)) <= 0) {
			err = -errno;
			break;
		}
	close(out);
	return err;
}

void run_keep_log(struct run *r, int fd, const char *fmt, ...)
{
	char name[4096];
	struct rlog *l;
	va_list ap;

	if (fd < 0 || !r->opts.artifacts)
		return;
	l = xcalloc(1, sizeof(*l));
	/* Longer would not fit the path it is saved at either. */
	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	l->name = xstrdup(name);
	for (char *p = l->name; *p; p++)
		if (*p == '/' || *p == ' ')
			*p = '_';
	l->fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	l->next = r->logs;
	r->logs = l;
}

/* A log, keys hidden: read whole, redacted, written. */
static int save_log(const struct run *r, int fd, const char *dir, const char *name)
{
	char path[4096], *text;
	struct stat st;
	int out, err = 0;

	if (fd < 0 || fstat(fd, &st) || !st.st_size || st.st_size > (64 << 20))
		return 0;
	text = xmalloc((size_t)st.st_size + 1);
	if (pread(fd, text, (size_t)st.st_size, 0) != st.st_size) {
		free(text);
		return -EIO;
	}
	text[st.st_size] = '\0';
	/* A NUL in the output would end the redaction early: logs are text. */
	for (off_t i = 0; i < st.st_size; i++)
		if (!text[i])
			text[i] = '?';
	run_redact(r, text);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0 || write(out, text, strlen(text)) != (ssize_t)strlen(text))
		err = -errno ? -errno : -EIO;
	if (out >= 0)
		close(out);
	free(text);
	return err;
}

bool run_artifacts_kept(const struct run *r)
{
	return r->opts.artifacts && (r->opts.capture || !r->res->passed || r->res->error);
}

void run_logs_save(struct run *r, const char *dir)
{
	for (struct rlog *l = r->logs, *next; l; l = next) {
		next = l->next;
		if (dir && save_log(r, l->fd, dir, l->name) < 0)
			run_note(r, "Unable to save %s/%s", dir, l->name);
		if (l->fd >= 0)
			close(l->fd);
		free(l->name);
		free(l);
	}
	r->logs = NULL;
}
