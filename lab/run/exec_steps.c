// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* Carrying out steps: run, serve, wait. */
#include "lab/run/artifacts.h"
#include "lab/run/background.h"
#include "lab/run/daemon.h"
#include "lab/run/exec_steps.h"
#include "lab/run/interrupt.h"
#include "lab/run/labvalues.h"
#include "lab/run/run_ctx.h"
#include "netns/proc.h"
#include "netns/util/now.h"
#include "netns/util/xalloc.h"
#include "traffic/loop.h"
#include "traffic/server.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void proc_exited(int fd, uint32_t events, void *data)
{
	(void)fd;
	(void)events;
	*(bool *)data = true;
}

/* Runs the loop (servers keep answering) until p exits or ms pass. */
/* How often a foreground program's output is cut to what a log keeps. */
#define RUN_BOUND_MS 100

/* Waits up to ms for p, keeping its output (logfd) to the last
 * ARTIFACT_LOG_MAX bytes in memory as it goes, as a background
 * program's is: `yes` for the 10 s of a default timeout is gigabytes. */
static int wait_proc(struct run *r, struct proc *p, int logfd, unsigned int ms, int *status)
{
	uint64_t end = now_ms() + ms;
	bool exited = false;
	off_t cut = 0;
	int err, fd = proc_pidfd(p);

	err = loop_add(r->loop, fd, EPOLLIN, proc_exited, &exited);
	if (err < 0)
		return err;
	while (!exited && !run_interrupted) {
		uint64_t now = now_ms();

		if (now >= end)
			break;
		loop_run_once(r->loop, end - now < RUN_BOUND_MS ? (int)(end - now) : RUN_BOUND_MS);
		run_log_bound(logfd, &cut);
	}
	loop_del(r->loop, fd);
	if (run_interrupted)
		return -EINTR;
	return proc_wait(p, exited ? -1 : 0, status);
}

static char *join_argv(char *const *argv)
{
	size_t len = 1;
	char *s;

	for (char *const *a = argv; *a; a++)
		len += strlen(*a) + 1;
	s = xcalloc(1, len);
	for (char *const *a = argv; *a; a++) {
		if (a != argv)
			strcat(s, " ");
		strcat(s, *a);
	}
	return s;
}

int exec_run(struct run *r, const struct stmt *s)
{
	const struct stmt_run *sr = &s->run;
	struct rnode *n = run_node(r, sr->node);
	char *script_argv[] = { "/bin/sh", "-ec", sr->script.text, NULL };
	char *const *argv = sr->argv ? sr->argv : script_argv;
	char tail[512], **env = NULL;
	struct proc_opts po = { 0 };
	struct proc *p = NULL;
	uint64_t t0 = now_ms();
	unsigned int ms = sr->timeout_ms;
	int err, status = 0, logfd;
	char *what;

	err = run_labvalues_write(r, n);
	if (err < 0)
		return err;
	logfd = memfd_create("wglab-run", MFD_CLOEXEC);
	if (logfd < 0)
		return run_error(r, -errno, "Unable to create a log for 'run %s'", n->name);
	env = run_labvalues_env(r, n);
	po.ns = n->ns;
	po.flags = PROC_NODE_MOUNTS | PROC_ISOLATE;
	po.hostname = n->name;
	po.env = env;
	po.stdin_fd = -1;
	po.stdout_fd = logfd;
	po.stderr_fd = logfd;
	what = sr->argv ? join_argv(sr->argv) : xstrdup("<< script >>");
	run_keep_log(r, logfd, "%s-run-line%u.log", n->name, s->loc.line);
	err = proc_spawn(&p, argv, &po);
	if (err < 0) {
		close(logfd);
		run_error(r, err, "Unable to run '%s' on '%s'", what, n->name);
		free(what);
		run_labvalues_env_free(env);
		return err;
	}
	if (sr->background) {
		struct rproc *rp = run_bg_add(r, s, p, logfd, what);

		free(what);
		err = sr->daemon ? run_daemon_wait(r, s, rp, env) : 0;
		run_labvalues_env_free(env);
		return err;
	}
	if (ms > run_left_ms(r))
		ms = run_left_ms(r);
	err = wait_proc(r, p, logfd, ms, &status);
	if (err == -ETIMEDOUT) {
		proc_stop(p, 500);
		run_log_tail(logfd, tail, sizeof(tail));
		run_add_result(r, s, "run", false, (double)(now_ms() - t0),
			       "'%s' did not finish within %.1f s (stopped)%s%s", what, ms / 1000.0,
			       *tail ? "; output: " : "", tail);
		err = 0;
		goto cleanup;
	}
	if (err < 0) {
		run_error(r, err, "Unable to wait for '%s' on '%s'", what, n->name);
		goto cleanup;
	}
	run_log_tail(logfd, tail, sizeof(tail));
	if (WIFEXITED(status)) {
		bool held = sr->exit_status < 0 || WEXITSTATUS(status) == sr->exit_status;
		char want[32] = "";


		if (!held)
			snprintf(want, sizeof(want), " (expected %d)", sr->exit_status);
		run_add_result(r, s, "run", held, (double)(now_ms() - t0), "'%s' exited %d%s%s%s",
			       what, WEXITSTATUS(status), want, *tail ? "; output: " : "", tail);
	} else {
		run_add_result(r, s, "run", false, (double)(now_ms() - t0),
			       "'%s' was killed by signal %d%s%s", what, WTERMSIG(status),
			       *tail ? "; output: " : "", tail);
	}
cleanup:
	proc_free(p);
	close(logfd);
	free(what);
	run_labvalues_env_free(env);
	return err;
}

int exec_serve(struct run *r, const struct stmt *s)
{
	const struct stmt_serve *sv = &s->serve;
	struct rnode *n = run_node(r, sv->node);
	struct server_spec spec = { 0 };
	struct rserver *rs;
	int err;

	spec.kind = sv->proto == SERVE_TCP ? SERVER_TCP_ECHO :
		    sv->proto == SERVE_UDP ? SERVER_UDP_ECHO : SERVER_HTTP;
	if (sv->bind.family) {
		spec.flags |= SERVER_HAS_ADDR;
		spec.addr = sv->bind;
	}
	spec.port = sv->port;
	spec.status = sv->status;
	spec.body = sv->body;
	if (sv->has_size) {
		spec.flags |= SERVER_HTTP_SIZE;
		spec.size = sv->size;
	}
	rs = xcalloc(1, sizeof(*rs));
	err = server_start(&rs->srv, r->loop, n->ns, &spec);
	if (err < 0) {
		free(rs);
		return run_error(r, err, "Unable to serve %s on '%s' port %u",
				 sv->proto == SERVE_TCP ? "tcp" : sv->proto == SERVE_UDP ? "udp" : "http",
				 n->name, sv->port);
	}
	rs->node = xstrdup(n->name);
	rs->proto = (int)sv->proto;
	rs->bind = sv->bind;
	rs->port = sv->port;
	rs->next = r->servers;
	r->servers = rs;
	return 0;
}

int exec_wait(struct run *r, const struct stmt *s)
{
	unsigned int ms = s->wait.ms;
	uint64_t end;

	if (ms > run_left_ms(r))
		ms = run_left_ms(r);
	end = now_ms() + ms;
	while (!run_interrupted) {
		uint64_t now = now_ms();

		if (now >= end)
			return 0;
		loop_run_once(r->loop, (int)(end - now));
	}
	return -EINTR;
}
