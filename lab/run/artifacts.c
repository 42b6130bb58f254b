// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* The artifacts folder: made under the journal in the verified DIR, the
 * programs' logs kept for it and saved with keys hidden, copies of
 * captures. */
#include "lab/host/journal.h"
#include "lab/run/artifacts.h"
#include "lab/run/run_ctx.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#define ARTIFACT_MODE 0600
/* The most of a program's log that is saved: its end, the part that
 * says why it failed. */
#define ARTIFACT_LOG_MAX ((off_t)64 << 20)
/* NAME, NAME.2, ... NAME.1000: the names a scenario's folder may take. */
#define ARTIFACT_NAME_TRIES 1000U

/* One path component made of s: no '/', no blank, no control character. */
static void artifact_clean(char *s)
{
	for (char *p = s; p && *p; p++)
		if (*p == '/' || *p == ' ' || (unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '_';
	if (s && s[0] == '.')
		s[0] = '_';
}

/* A fresh open file description of DIR, locked, or -1: flock() locks
 * belong to descriptions, which the processes of one run (--jobs) share.
 * Without the lock (a file system without flock) names are still chosen,
 * only not atomically with another run's choice. */
static int artifacts_lock(int dirfd)
{
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while (flock(fd, LOCK_EX))
		if (errno != EINTR) {
			close(fd);
			return -1;
		}
	return fd;
}

int run_artifacts_begin(struct run *r)
{
	char why[512] = "", *base, *name = NULL;
	int lockfd, fd = -EEXIST;
	struct stat st;

	if (!r->opts.artifacts || r->opts.artifacts_fd < 0)
		return -1;
	/* '@' is in no lab or twin name: lab "tw" with twin "t-1" and a lab
	 * named "tw-twin-t-1" no longer share a folder. */
	if (r->twin)
		base = xasprintf("%s@%s", r->lab->name, r->twin->name);
	else
		base = xstrdup(r->lab->name);
	artifact_clean(base);
	/* Every run's folder is its own: a name taken (by an earlier run, a
	 * scenario of this one with the same lab name, a run beside it) is
	 * never reused, NAME.2, NAME.3... is.  Choosing a free name and
	 * making it (journal_begin, which journals the name, then makes the
	 * folder) are one step under DIR's lock, so that of two runs into
	 * one DIR each makes its own folder. */
	lockfd = artifacts_lock(r->opts.artifacts_fd);
	for (unsigned int i = 1; i <= ARTIFACT_NAME_TRIES && fd == -EEXIST; i++) {
		free(name);
		name = i == 1 ? xstrdup(base) : xasprintf("%s.%u", base, i);
		if (!fstatat(r->opts.artifacts_fd, name, &st, AT_SYMLINK_NOFOLLOW) || errno != ENOENT)
			continue;
		free(r->artifacts_dir);
		r->artifacts_dir = xasprintf("%s/%s", r->opts.artifacts, name);
		why[0] = '\0';
		fd = journal_begin(r->opts.artifacts_fd, r->opts.artifacts, name, why, sizeof(why));
	}
	if (lockfd >= 0)
		close(lockfd);
	if (fd == -EEXIST && !why[0]) {
		free(r->artifacts_dir);
		r->artifacts_dir = xasprintf("%s/%s", r->opts.artifacts, base);
		snprintf(why, sizeof(why), "'%s' and '%s.2' to '%s.%u' are taken", base, base, base,
			 ARTIFACT_NAME_TRIES);
	}
	if (fd < 0)
		run_note(r, "No artifacts saved in '%s': %s", r->artifacts_dir, why[0] ? why : strerror(-fd));
	else if (strcmp(name, base))
		run_note(r, "Artifacts saved in '%s' ('%s/%s' is taken)", r->artifacts_dir, r->opts.artifacts,
			 base);
	free(name);
	free(base);
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
	out = journal_create(dirfd, name, ARTIFACT_MODE);
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

void run_log_bound(int fd, off_t *cut)
{
	struct stat st;
	off_t to;

	if (fd < 0 || fstat(fd, &st) || st.st_size <= ARTIFACT_LOG_MAX)
		return;
	/* Whole pages, all before the part save_log() reads. */
	to = (st.st_size - ARTIFACT_LOG_MAX) & ~(off_t)4095;
	if (to > *cut && !fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, *cut, to - *cut))
		*cut = to;
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
	out = journal_create(dirfd, name, ARTIFACT_MODE);
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
