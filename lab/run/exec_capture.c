// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* Packet captures for `sees` and `rewrites`, and the artifacts folder. */
#include "lab/host/journal.h"
#include "lab/run/exec_capture.h"
#include "lab/run/run_ctx.h"
#include "netns/link.h"
#include "traffic/capture.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

static struct rcap *find_cap(struct run *r, const char *node, const char *ifname)
{
	for (struct rcap *c = r->caps; c; c = c->next)
		if (!strcmp(c->node, node) && !strcmp(c->ifname, ifname))
			return c;
	return NULL;
}

static void want_cap(struct run *r, const char *node, const char *ifname)
{
	struct rcap *c;

	if (find_cap(r, node, ifname))
		return;
	c = calloc(1, sizeof(*c));
	if (!c)
		abort();
	c->node = strdup(node);
	snprintf(c->ifname, sizeof(c->ifname), "%s", ifname);
	c->pcapfd = -1;
	c->next = r->caps;
	r->caps = c;
}

void run_capture_plan(struct run *r)
{
	for (const struct stmt *s = r->lab->first_stmt; s; s = s->next) {
		if (s->kind == STMT_CAPTURE) {
			want_cap(r, s->conntrack.ref.node, s->conntrack.ref.ifname);
		} else if (s->kind == STMT_EXPECT && s->expect.kind == EXPECT_SEES) {
			want_cap(r, s->expect.ref.node, s->expect.ref.ifname);
		} else if (s->kind == STMT_EXPECT && s->expect.kind == EXPECT_REWRITES) {
			if (s->expect.rewrites.in[0]) {
				want_cap(r, s->expect.node, s->expect.rewrites.in);
				want_cap(r, s->expect.node, s->expect.rewrites.out);
			} else {
				want_cap(r, s->expect.node, "any");
			}
		}
	}
}

static int start_cap(struct run *r, struct rcap *c)
{
	char path[64];
	int err;

	if (c->pcapfd < 0)
		c->pcapfd = memfd_create("wglab-pcap", MFD_CLOEXEC);
	if (c->pcapfd < 0)
		return -errno;
	/* The pcap file goes to memory: it vanishes with the run unless it
	 * is saved as an artifact. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", c->pcapfd);
	err = capture_start(&c->cap, r->loop, run_node(r, c->node)->ns, c->ifname, path);
	return err;
}

void run_capture_start(struct run *r)
{
	for (struct rcap *c = r->caps; c; c = c->next) {
		struct link_info info;
		bool has_node = false;

		if (c->cap)
			continue;
		for (size_t i = 0; i < r->n_nodes && !has_node; i++)
			has_node = !strcmp(r->nodes[i].name, c->node);
		if (!has_node)
			continue;
		if (strcmp(c->ifname, "any") &&
		    (link_get(run_node(r, c->node)->ns, c->ifname, &info) < 0 || !(info.flags & IFF_UP)))
			continue;
		if (start_cap(r, c) < 0)
			run_note(r, "capture on %s:%s did not start: %s", c->node, c->ifname,
				 capture_last_error());
	}
}

struct capture *run_capture(struct run *r, const char *node, const char *ifname, size_t *ret_window)
{
	struct rcap *c = find_cap(r, node, ifname);

	if (ret_window)
		*ret_window = c ? c->window : 0;
	return c ? c->cap : NULL;
}

static char *artifact_name(const char *s)
{
	char *t = strdup(s);

	for (char *p = t; p && *p; p++)
		if (*p == '/' || *p == ' ')
			*p = '_';
	return t;
}

const char *run_artifacts_dir(struct run *r)
{
	static char dir[4096];
	char *name;

	if (!r->opts.artifacts)
		return NULL;
	if (mkdir(r->opts.artifacts, 0755) && errno != EEXIST)
		return NULL;
	name = artifact_name(r->lab->name);
	if (r->twin)
		snprintf(dir, sizeof(dir), "%s/%s-twin-%s", r->opts.artifacts, name, r->twin->name);
	else
		snprintf(dir, sizeof(dir), "%s/%s", r->opts.artifacts, name);
	free(name);
	if (mkdir(dir, 0755) && errno != EEXIST)
		return NULL;
	return dir;
}

/* Copies the whole of memfd fd to dir/name. */
static int save_fd(int fd, const char *dir, const char *name)
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
	struct rlog *l;
	va_list ap;

	if (fd < 0 || !r->opts.artifacts)
		return;
	l = calloc(1, sizeof(*l));
	if (!l)
		abort();
	va_start(ap, fmt);
	if (vasprintf(&l->name, fmt, ap) < 0)
		abort();
	va_end(ap);
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
	text = malloc((size_t)st.st_size + 1);
	if (!text)
		return -ENOMEM;
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

static bool keep_artifacts(const struct run *r)
{
	return r->opts.artifacts && (r->opts.capture || !r->res->passed || r->res->error);
}

static void save_cap(struct run *r, struct rcap *c)
{
	const char *dir;
	char name[128];

	capture_stop(c->cap);
	if (!keep_artifacts(r) || !(dir = run_artifacts_dir(r)))
		return;
	snprintf(name, sizeof(name), "%s-%s.pcap", c->node, c->ifname);
	capture_free(c->cap);
	c->cap = NULL;
	if (save_fd(c->pcapfd, dir, name) < 0)
		run_note(r, "Unable to save %s/%s", dir, name);
}

/* The capture keeps running (the pcap file holds everything); what was
 * captured before this statement stops counting for `sees`. */
int exec_capture(struct run *r, const struct stmt *s)
{
	struct rcap *c = find_cap(r, s->conntrack.ref.node, s->conntrack.ref.ifname);
	const struct capture_pkt *const *all;
	int err;

	if (!c->cap) {
		err = start_cap(r, c);
		if (err < 0) {
			snprintf(r->err, sizeof(r->err), "Unable to capture on '%s:%s': %s", c->node, c->ifname,
				 capture_last_error()[0] ? capture_last_error() : strerror(-err));
			return err;
		}
	}
	capture_poll(c->cap);
	c->window = capture_packets(c->cap, &all);
	return 0;
}

void run_capture_teardown(struct run *r)
{
	const char *dir = NULL;

	if (keep_artifacts(r))
		dir = run_artifacts_dir(r);
	/* A run killed while writing leaves a folder marked incomplete, that
	 * the journal knows of. */
	if (dir && journal_begin(dir) < 0)
		run_note(r, "Unable to journal the artifacts of '%s'", dir);
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
	for (struct rcap *c = r->caps, *next; c; c = next) {
		next = c->next;
		if (c->cap)
			save_cap(r, c);
		capture_free(c->cap);
		if (c->pcapfd >= 0)
			close(c->pcapfd);
		free(c->node);
		free(c);
	}
	r->caps = NULL;
	if (dir)
		journal_end(dir);
}
