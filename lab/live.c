// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* Live labs: the keeper's control socket and the client's request. */
#include "lab/cli.h"
#include "lab/host/rootless.h"
#include "lab/keepnames.h"
#include "lab/lang/diag.h"
#include "lab/lang/model.h"
#include "lab/lang/scenario.h"
#include "lab/live.h"
#include "lab/report/report.h"
#include "lab/run/live.h"
#include "netns/util/xalloc.h"
#include "traffic/loop.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#define LIVE_MAX_REQUEST (16U << 20)
#define LIVE_IO_TIMEOUT_S 30

struct live {
	struct run *r;
	char *name;			/* the lab's */
	char *path;			/* the scenario the lab was built from */
	char **names, **texts;		/* statements applied since, in order */
	size_t n;
	struct lab **models;		/* every model the run has had (kept alive) */
	size_t n_models;
	size_t n_stmts;			/* statements of the current model */
	int fd;
};

static socklen_t live_addr(const char *name, struct sockaddr_un *sa)
{
	int n;

	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	/* abstract: sun_path[0] = '\0' */
	n = snprintf(sa->sun_path + 1, sizeof(sa->sun_path) - 1, "wglab-live/%s", name);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)n);
}

static int live_read_all(int fd, char **ret, size_t *ret_len)
{
	size_t len = 0, cap = 4096;
	char *buf = xmalloc(cap + 1);
	ssize_t n;

	for (;;) {
		if (len == cap) {
			if (cap >= LIVE_MAX_REQUEST) {
				free(buf);
				return -EFBIG;
			}
			cap *= 2;
			buf = xrealloc(buf, cap + 1);
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = -errno;

			free(buf);
			return err;
		}
		if (!n)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*ret = buf;
	*ret_len = len;
	return 0;
}

static size_t live_count(const struct lab *lab)
{
	size_t n = 0;

	for (const struct stmt *s = lab->first_stmt; s; s = s->next)
		n++;
	return n;
}

/* The statements before failed (a statement of lab), as the lab's count. */
static size_t live_index(const struct lab *lab, const struct stmt *failed)
{
	size_t n = 0;

	for (const struct stmt *s = lab->first_stmt; s && s != failed; s = s->next)
		n++;
	return n;
}

/*
 * What of an applied text ran, as text: the lines before failed's, when
 * they are exactly the statements that ran (their model has as many);
 * NULL when none ran, or when the cut is not clean (failed in an included
 * file, or inside a repetition): those are then not part of the lab.
 */
static char *live_ran_text(struct live *lv, const struct lab *lab, const char *file, const char *text,
			   const struct stmt *failed)
{
	const char **names = xcalloc(lv->n + 1, sizeof(*names)), **texts = xcalloc(lv->n + 1, sizeof(*texts));
	size_t ran = live_index(lab, failed), k;
	struct diags d = { 0 };
	struct lab *cut = NULL;
	const char *end = text;
	char *prefix = NULL;

	if (ran <= lv->n_stmts || strcmp(failed->loc.file, file))
		goto cleanup;
	for (unsigned int line = 1; line < failed->loc.line && end; line++) {
		end = strchr(end, '\n');
		if (end)
			end++;
	}
	if (!end)
		goto cleanup;
	prefix = xstrndup(text, (size_t)(end - text));
	for (k = 0; k < lv->n; k++) {
		names[k] = lv->names[k];
		texts[k] = lv->texts[k];
	}
	names[k] = file;
	texts[k] = prefix;
	if (scenario_load_more(lv->path, names, texts, lv->n + 1, &cut, &d) < 0 || live_count(cut) != ran) {
		free(prefix);
		prefix = NULL;
	}
cleanup:
	lab_free(cut);
	diag_free(&d);
	free(names);
	free(texts);
	return prefix;
}

/* One request, answered on f. */
static void live_serve(struct live *lv, const char *req, FILE *f)
{
	const char *nl = strchr(req, '\n'), *text;
	const char **names = NULL, **texts = NULL;
	struct scenario_result *sr = NULL;
	char verb[16] = "", file[256] = "";
	struct diags d = { 0 };
	struct lab *lab = NULL;
	const struct stmt *from, *failed = NULL, *taken;
	char *ran = NULL, *why = NULL;
	bool apply;
	size_t k;

	if (!nl || sscanf(req, "%15s %255[^\n]", verb, file) != 2 ||
	    (strcmp(verb, "apply") && strcmp(verb, "expect"))) {
		fprintf(f, "error\nmalformed request\n");
		return;
	}
	apply = !strcmp(verb, "apply");
	text = nl + 1;
	names = xcalloc(lv->n + 1, sizeof(*names));
	texts = xcalloc(lv->n + 1, sizeof(*texts));
	for (k = 0; k < lv->n; k++) {
		names[k] = lv->names[k];
		texts[k] = lv->texts[k];
	}
	names[k] = file;
	texts[k] = text;
	if (scenario_load_more(lv->path, names, texts, lv->n + 1, &lab, &d) < 0) {
		fprintf(f, "error\n");
		cli_print_diags(f, &d);
		goto cleanup;
	}
	from = lab->first_stmt;
	for (k = 0; k < lv->n_stmts && from; k++)
		from = from->next;
	for (const struct stmt *s = from; s && !apply; s = s->next) {
		if (s->kind != STMT_EXPECT) {
			fprintf(f, "error\n%s:%u:%u: wglab expect evaluates expectations only; `%s` is a statement for wglab apply\n",
				s->loc.file, s->loc.line, s->loc.col, stmt_kind_name(s->kind));
			lab_free(lab);
			lab = NULL;
			goto cleanup;
		}
	}
	/* A new node's names are refused, as up refuses them, before
	 * anything runs: under /etc/netns, a user's files would be written
	 * over, then removed by down. */
	taken = keepnames_taken(from, lv->name, !rootless_active(), "choose another name for the node", &why);
	if (taken) {
		fprintf(f, "error\n%s:%u:%u: Unable to add %s '%s' to lab '%s': it %s\n", taken->loc.file,
			taken->loc.line, taken->loc.col, taken->kind == STMT_LAN ? "lan" : "node",
			taken->kind == STMT_LAN ? taken->lan.name : taken->node.name, lv->name, why);
		free(why);
		lab_free(lab);
		lab = NULL;
		goto cleanup;
	}
	lv->models = xrealloc(lv->models, (lv->n_models + 1) * sizeof(*lv->models));
	lv->models[lv->n_models++] = lab;
	run_more(lv->r, lab, from, file, &sr, &failed);
	/* What was applied and ran stays part of the lab's model; a
	 * statement that failed, and those after it, did not run. */
	if (apply)
		ran = failed ? live_ran_text(lv, lab, file, text, failed) : xstrdup(text);
	if (ran) {
		lv->names = xrealloc(lv->names, (lv->n + 1) * sizeof(*lv->names));
		lv->texts = xrealloc(lv->texts, (lv->n + 1) * sizeof(*lv->texts));
		lv->names[lv->n] = xstrdup(file);
		lv->texts[lv->n] = ran;
		lv->n++;
		lv->n_stmts = failed ? live_index(lab, failed) : live_count(lab);
	}
	fprintf(f, "json\n");
	report_json_write(f, (const struct scenario_result *const *)&sr, 1);
	scenario_result_free(sr);
cleanup:
	diag_free(&d);
	free(names);
	free(texts);
}

static void live_accept(int fd, uint32_t events, void *data)
{
	struct live *lv = data;
	struct timeval tv = { .tv_sec = LIVE_IO_TIMEOUT_S };
	struct ucred cred;
	socklen_t len = sizeof(cred);
	char *req = NULL;
	size_t n;
	FILE *f;
	int c;

	(void)fd;
	(void)events;
	c = accept4(lv->fd, NULL, NULL, SOCK_CLOEXEC);
	if (c < 0)
		return;
	/* Only the keeper's own user drives it. */
	if (getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cred, &len) || cred.uid != geteuid()) {
		close(c);
		return;
	}
	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (live_read_all(c, &req, &n) < 0 || memchr(req, '\0', n)) {
		free(req);
		close(c);
		return;
	}
	f = fdopen(c, "w");
	if (!f) {
		free(req);
		close(c);
		return;
	}
	/* One request at a time: the statements spin the run's loop, which
	 * would serve a second request inside this one (both validated
	 * against the lab as it was, their labels and nodes made twice).
	 * The next waits in the listen queue. */
	loop_mod(run_loop(lv->r), lv->fd, 0);
	live_serve(lv, req, f);
	loop_mod(run_loop(lv->r), lv->fd, EPOLLIN);
	fclose(f);
	free(req);
}

int live_listen(struct run *r, struct lab *lab, const char *name, const char *path)
{
	struct live *lv = xcalloc(1, sizeof(*lv));
	struct sockaddr_un sa;
	socklen_t sl = live_addr(name, &sa);
	int err;

	lv->r = r;
	lv->name = xstrdup(name);
	lv->path = xstrdup(path);
	lv->n_stmts = live_count(lab);
	lv->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lv->fd < 0 || bind(lv->fd, (struct sockaddr *)&sa, sl) || listen(lv->fd, 8)) {
		err = -errno;
		goto fail;
	}
	err = loop_add(run_loop(r), lv->fd, EPOLLIN, live_accept, lv);
	if (err < 0)
		goto fail;
	/* lv lives as long as the keeper. */
	return 0;
fail:
	if (lv->fd >= 0)
		close(lv->fd);
	free(lv->name);
	free(lv->path);
	free(lv);
	return err;
}

int live_request(const char *name, const char *verb, const char *file, const char *text,
		 size_t len, char **ret, size_t *ret_len)
{
	struct sockaddr_un sa;
	socklen_t sl = live_addr(name, &sa);
	char *head = xasprintf("%s %s\n", verb, file);
	int fd, err = 0;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sl)) {
		err = -errno;
		goto cleanup;
	}
	if (write(fd, head, strlen(head)) != (ssize_t)strlen(head)) {
		err = -EIO;
		goto cleanup;
	}
	for (size_t off = 0; off < len;) {
		ssize_t n = write(fd, text + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? -errno : -EIO;
			goto cleanup;
		}
		off += (size_t)n;
	}
	shutdown(fd, SHUT_WR);
	err = live_read_all(fd, ret, ret_len);
cleanup:
	if (fd >= 0)
		close(fd);
	free(head);
	return err;
}
