// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* The artifacts folder: made under the journal in the verified DIR, the
 * programs' logs kept for it and saved with keys hidden, copies of
 * captures. */
#include "lab/host/journal.h"
#include "lab/host/safedir.h"
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

#define ARTIFACT_MODE 0600
/* The most of a program's log that is saved: its end, the part that
 * says why it failed. */
#define ARTIFACT_LOG_MAX ((off_t)64 << 20)

/* One path component made of s: no '/', no blank, no control character. */
static void artifact_clean(char *s)
{
	for (char *p = s; p && *p; p++)
		if (*p == '/' || *p == ' ' || (unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '_';
	if (s && s[0] == '.')
		s[0] = '_';
}

int run_artifacts_begin(struct run *r)
{
	char why[512] = "", *name;
	int fd;

	if (!r->opts.artifacts || r->opts.artifacts_fd < 0)
		return -1;
	if (r->twin)
		name = xasprintf("%s-twin-%s", r->lab->name, r->twin->name);
	else
		name = xstrdup(r->lab->name);
	artifact_clean(name);
	free(r->artifacts_dir);
	r->artifacts_dir = xasprintf("%s/%s", r->opts.artifacts, name);
	fd = journal_begin(r->opts.artifacts_fd, r->opts.artifacts, name, why, sizeof(why));
	if (fd < 0)
		run_note(r, "No artifacts saved in '%s': %s", r->artifacts_dir, why[0] ? why : strerror(-fd));
	free(name);
	return fd < 0 ? -1 : fd;
}

void run_artifacts_end(struct run *r, int dirfd)
{
	(void)r;
	if (dirfd < 0)
		return;
	journal_end(dirfd);
	close(dirfd);
}

int run_artifact_copy(int fd, int dirfd, const char *name)
{
	struct stat st;
	off_t off = 0;
	int out, err = 0;

	if (fd < 0 || fstat(fd, &st) || !st.st_size)
		return 0;
	out = safedir_create(dirfd, name, ARTIFACT_MODE);
	if (out < 0)
		return out;
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
	artifact_clean(l->name);
	l->fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	l->next = r->logs;
	r->logs = l;
}

/* Whether c may be part of a key's text (base64, its '=', hex). */
static bool artifact_keychar(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
	       c == '/' || c == '=';
}

/* A log, keys hidden: read whole (or its last ARTIFACT_LOG_MAX bytes, after
 * a line saying how much was cut), redacted, written. */
static int save_log(struct run *r, int fd, int dirfd, const char *name)
{
	char *text, *start, head[160];
	struct stat st;
	off_t from = 0, len;
	int out, err = 0;
	size_t n;

	if (fd < 0 || fstat(fd, &st) || !st.st_size)
		return 0;
	if (st.st_size > ARTIFACT_LOG_MAX)
		from = st.st_size - ARTIFACT_LOG_MAX;
	len = st.st_size - from;
	text = xmalloc((size_t)len + 1);
	if (pread(fd, text, (size_t)len, from) != len) {
		free(text);
		return -EIO;
	}
	text[len] = '\0';
	/* A NUL in the output would end the redaction early: logs are text. */
	for (off_t i = 0; i < len; i++)
		if (!text[i])
			text[i] = '?';
	start = text;
	if (from) {
		/* The cut may fall inside a key, whose end alone is too short
		 * to be seen as one: the log resumes at the next line, or
		 * after the run of key characters it starts in. */
		char *nl = strchr(text, '\n');

		if (nl)
			start = nl + 1;
		else
			while (artifact_keychar(*start))
				start++;
		from += start - text;
		snprintf(head, sizeof(head), "[wglab: the log was %lld bytes; its first %lld bytes are cut]\n",
			 (long long)st.st_size, (long long)from);
		run_note(r, "The log %s/%s is %lld bytes: only its last %lld are saved", r->artifacts_dir, name,
			 (long long)st.st_size, (long long)(st.st_size - from));
	}
	run_redact(r, start);
	n = strlen(start);
	out = safedir_create(dirfd, name, ARTIFACT_MODE);
	if (out < 0)
		err = out;
	else if ((from && write(out, head, strlen(head)) != (ssize_t)strlen(head)) ||
		 write(out, start, n) != (ssize_t)n)
		err = -EIO;
	if (out >= 0)
		close(out);
	free(text);
	return err;
}

bool run_artifacts_kept(const struct run *r)
{
	return r->opts.artifacts && (r->opts.capture || !r->res->passed || r->res->error);
}

void run_logs_save(struct run *r, int dirfd)
{
	for (struct rlog *l = r->logs, *next; l; l = next) {
		int err;

		next = l->next;
		if (dirfd >= 0 && (err = save_log(r, l->fd, dirfd, l->name)) < 0)
			run_note(r, "Unable to save %s/%s: %s", r->artifacts_dir, l->name, strerror(-err));
		if (l->fd >= 0)
			close(l->fd);
		free(l->name);
		free(l);
	}
	r->logs = NULL;
}
