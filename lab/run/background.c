// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* Background programs of a run: watched from start to teardown, one
 * report line each. */
#include "lab/run/background.h"
#include "lab/run/artifacts.h"
#include "lab/run/run_ctx.h"
#include "netns/proc.h"
#include "netns/util/now.h"
#include "netns/util/xalloc.h"
#include "traffic/loop.h"

#include <ctype.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

void run_log_tail(int fd, char *buf, size_t len)
{
	struct stat st;
	off_t off;
	ssize_t n;
	char *p;
	int lines = 0;

	buf[0] = '\0';
	if (fd < 0 || fstat(fd, &st) || !st.st_size || len < 2)
		return;
	off = st.st_size > (off_t)len - 1 ? st.st_size - (off_t)len + 1 : 0;
	n = pread(fd, buf, len - 1, off);
	if (n <= 0) {
		buf[0] = '\0';
		return;
	}
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	/* Keep the last three lines. */
	for (p = buf + n; p > buf; p--) {
		if (p[-1] == '\n' && ++lines == 3)
			break;
	}
	/* Cut inside a line: its first word may be the end of a key, too
	 * short to be recognised and hidden as one. Drop it. */
	if (off > 0 && p == buf) {
		/* and a character cut in two (UTF-8 continuation bytes) */
		while (((unsigned char)*p & 0xc0) == 0x80)
			p++;
		while (*p && (isalnum((unsigned char)*p) || *p == '+' || *p == '/' || *p == '='))
			p++;
	}
	memmove(buf, p, strlen(p) + 1);
	for (p = buf; *p; p++)
		if (*p == '\n')
			*p = '|';
}

/* The program exited: reap it now, report it at the next statement. */
static void bg_note_exit(struct rproc *rp)
{
	if (rp->exited)
		return;
	rp->exited = true;
	rp->exited_ms = now_ms();
	if (rp->watched) {
		loop_del(rp->loop, proc_pidfd(rp->p));
		rp->watched = false;
	}
	if (proc_wait(rp->p, 0, &rp->status) < 0)
		rp->status = -1;
}

static void bg_exited(int fd, uint32_t events, void *data)
{
	(void)fd;
	(void)events;
	bg_note_exit(data);
}

/*
 * A program's output is kept in a memfd, which it writes itself: a fast
 * writer (`yes`) would fill the memory, while only the last
 * ARTIFACT_LOG_MAX bytes are ever read.  The run's loop frees the rest
 * every BG_BOUND_MS, in every wait and while a kept lab is held.
 */
#define BG_BOUND_MS 100

static void bg_bound(int fd, uint32_t events, void *data)
{
	struct run *r = data;
	uint64_t ticks;

	(void)events;
	if (read(fd, &ticks, sizeof(ticks)) < 0) {
		/* nothing to read: woken for another fd */
	}
	for (struct rproc *rp = r->procs; rp; rp = rp->next)
		run_log_bound(rp->logfd, &rp->log_cut);
}

static void bg_bound_start(struct run *r)
{
	struct itimerspec its = { .it_interval = { .tv_nsec = BG_BOUND_MS * 1000000L },
				  .it_value = { .tv_nsec = BG_BOUND_MS * 1000000L } };
	int fd;

	if (r->bg_timer > 0)
		return;
	fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (fd < 0)
		return;
	if (timerfd_settime(fd, 0, &its, NULL) || loop_add(r->loop, fd, EPOLLIN, bg_bound, r)) {
		close(fd);
		return;
	}
	r->bg_timer = fd;
}

struct rproc *run_bg_add(struct run *r, const struct stmt *s, struct proc *p, int logfd,
			 const char *what)
{
	struct rproc *rp = xcalloc(1, sizeof(*rp)), **tail = &r->procs;

	rp->p = p;
	rp->s = s;
	rp->logfd = logfd;
	rp->what = xstrdup(what);
	rp->loop = r->loop;
	rp->started_ms = now_ms();
	/* Not watched (the loop refused the fd): run_bg_check() polls it. */
	rp->watched = loop_add(r->loop, proc_pidfd(p), EPOLLIN, bg_exited, rp) == 0;
	while (*tail)
		tail = &(*tail)->next;
	*tail = rp;
	bg_bound_start(r);
	return rp;
}

/* "(background)", or a daemon's readiness: "(daemon, ready after 0.2 s:
 * tcp port 8080 listens)", "(daemon, before it was ready: ...)". */
static void bg_kind(const struct rproc *rp, char *buf, size_t len)
{
	if (!rp->daemon)
		snprintf(buf, len, "(background)");
	else if (rp->ready_ms)
		snprintf(buf, len, "(daemon, ready after %.1f s: %s)",
			 (double)(rp->ready_ms - rp->started_ms) / 1000.0, rp->ready_what);
	else
		snprintf(buf, len, "(daemon, before it was ready: %s)", rp->ready_what);
}

static void bg_report_exit(struct run *r, struct rproc *rp)
{
	const struct stmt_run *sr = &rp->s->run;
	double secs = (double)(rp->exited_ms - rp->started_ms) / 1000.0;
	bool exited = rp->status >= 0 && WIFEXITED(rp->status);
	int code = exited ? WEXITSTATUS(rp->status) : -1;
	bool held = exited && sr->exit_given && (sr->exit_status < 0 || code == sr->exit_status);
	char tail[512], why[96], kind[192];

	bg_kind(rp, kind, sizeof(kind));
	run_log_tail(rp->logfd, tail, sizeof(tail));
	if (held && sr->exit_status < 0)
		snprintf(why, sizeof(why), "as its `exit any` allows");
	else if (held)
		snprintf(why, sizeof(why), "as its `exit %d` allows", sr->exit_status);
	else if (sr->exit_given && exited)
		snprintf(why, sizeof(why), "expected %d", sr->exit_status);
	else
		snprintf(why, sizeof(why), "a %s must run until the scenario ends",
			 rp->daemon ? "daemon" : "background program");
	if (rp->status >= 0 && WIFSIGNALED(rp->status))
		run_add_result(r, rp->s, "run", false, (double)(rp->exited_ms - rp->started_ms),
			       "'%s' %s was killed by signal %d after %.1f s%s%s", rp->what, kind,
			       WTERMSIG(rp->status), secs, *tail ? "; output: " : "; no output", tail);
	else
		run_add_result(r, rp->s, "run", held, (double)(rp->exited_ms - rp->started_ms),
			       "'%s' %s exited %d after %.1f s (%s)%s%s", rp->what, kind, code, secs,
			       why, *tail ? "; output: " : "; no output", tail);
	rp->reported = true;
}

void run_bg_check(struct run *r)
{
	for (struct rproc *rp = r->procs; rp; rp = rp->next) {
		if (rp->reported)
			continue;
		if (!rp->exited && !proc_running(rp->p))
			bg_note_exit(rp);
		if (rp->exited)
			bg_report_exit(r, rp);
	}
}

/* A program in the middle of exiting (its files already closed, which may
 * be what ended the last step) has not outlived the scenario: the run
 * waits, at most this long, for its exit to land.  Programs that are not
 * exiting are not waited for. */
#define BG_EXIT_WAIT_MS 1000

static void bg_exit_grace(struct run *r)
{
	uint64_t deadline = now_ms() + BG_EXIT_WAIT_MS, now;

	for (struct rproc *rp = r->procs; rp; rp = rp->next) {
		struct pollfd pfd = { .fd = proc_pidfd(rp->p), .events = POLLIN };

		if (rp->reported || rp->exited || !proc_exiting(rp->p))
			continue;
		now = now_ms();
		if (now < deadline)
			poll(&pfd, 1, (int)(deadline - now));
	}
}

void run_bg_finish(struct run *r, const char *why_stopped)
{
	bg_exit_grace(r);
	run_bg_check(r);
	for (struct rproc *rp = r->procs; rp; rp = rp->next) {
		char kind[192];
		uint64_t ms;

		if (rp->reported)
			continue;
		ms = now_ms() - rp->started_ms;
		bg_kind(rp, kind, sizeof(kind));
		if (rp->daemon)
			run_add_result(r, rp->s, "run", true, (double)ms,
				       "'%s' %s ran for %.1f s, until %s", rp->what, kind,
				       (double)ms / 1000.0,
				       why_stopped ? why_stopped : "the end of the scenario");
		else
			run_add_result(r, rp->s, "run", true, (double)ms,
				       "'%s' ran in the background for %.1f s, until %s", rp->what,
				       (double)ms / 1000.0,
				       why_stopped ? why_stopped : "the end of the scenario");
		rp->reported = true;
	}
}

void run_bg_stop(struct run *r)
{
	if (r->bg_timer > 0) {
		loop_del(r->loop, r->bg_timer);
		close(r->bg_timer);
		r->bg_timer = 0;
	}
	for (struct rproc *rp = r->procs, *next; rp; rp = next) {
		next = rp->next;
		if (rp->watched)
			loop_del(rp->loop, proc_pidfd(rp->p));
		proc_stop(rp->p, 1000);
		proc_free(rp->p);
		if (rp->logfd >= 0)
			close(rp->logfd);
		free(rp->what);
		free(rp->ready_what);
		free(rp);
	}
	r->procs = NULL;
}
