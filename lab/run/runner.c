// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* A run, in order: build and steps through the executors' table, results
 * as they come, publishing a kept lab, teardown on every path. */
#include "lab/host/labdir.h"
#include "lab/host/rootless.h"
#include "lab/run/autoserve.h"
#include "lab/lang/resolve.h"
#include "lab/run/background.h"
#include "lab/run/exec_capture.h"
#include "lab/run/exec_expect.h"
#include "lab/run/exec_fw.h"
#include "lab/run/exec_refused.h"
#include "lab/run/exec_set.h"
#include "lab/run/exec_steps.h"
#include "lab/run/exec_topo.h"
#include "lab/run/exec_wg.h"
#include "lab/run/needs.h"
#include "lab/run/interrupt.h"
#include "lab/run/run_ctx.h"
#include "lab/run/run_names.h"
#include "lab/run/runner.h"
#include "netns/ns.h"
#include "netns/nsmount.h"
#include "netns/proc.h"
#include "netns/util/now.h"
#include "netns/util/xalloc.h"
#include "traffic/loop.h"
#include "traffic/stamp.h"
#include "traffic/server.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

static void run_on_interrupt(int fd, uint32_t events, void *data)
{
	(void)fd;
	(void)events;
	(void)data;
	/* Only wakes the wait: its caller reads run_interrupted. */
	run_interrupt_drain();
}

int run_new(struct run **ret, struct lab *lab, const struct twin *twin, const struct run_opts *o,
	    const struct reporter *rep)
{
	struct run *r;
	struct loop *loop = loop_new();
	struct scenario_result *sr;
	int ifd = run_interrupt_fd(), err;

	if (!loop)
		return -errno;
	/* Arrival stamps from the start: the build gives the kernel time to
	 * turn them on before the first answer is waited for. */
	stamp_keep();
	/* Every wait of the run is on this loop: a signal wakes it even when
	 * it came between the wait's check of run_interrupted and its
	 * epoll_wait(). */
	if (ifd >= 0) {
		err = loop_add(loop, ifd, EPOLLIN, run_on_interrupt, NULL);
		if (err < 0) {
			loop_free(loop);
			return err;
		}
	}
	r = xcalloc(1, sizeof(*r));
	run_set_lab(r, lab);
	r->twin = twin;
	r->opts = *o;
	if (rep)
		r->rep = *rep;
	r->loop = loop;
	sr = r->res = xcalloc(1, sizeof(*r->res));
	sr->file = xstrdup(lab->files[0]);
	sr->name = xstrdup(lab->name);
	sr->description = xstrdup(lab->description);
	if (twin) {
		sr->twin = xstrdup(twin->name);
		sr->twin_why = xstrdup(twin->why);
	}
	r->started_ms = now_ms();
	if (o->timeout_ms)
		r->deadline_ms = r->started_ms + o->timeout_ms;
	*ret = r;
	return 0;
}

/*
 * Every statement kind, carried out by its executor; `build` marks those
 * that build the lab (timed as build).  Before any other statement the
 * interfaces made so far must carry traffic and the NATs declared so far
 * are measured.
 */
static const struct run_exec {
	int (*exec)(struct run *r, const struct stmt *s);
	bool build;
} run_execs[] = {
	[STMT_NODE] = { exec_node, true },
	[STMT_LINK] = { exec_link, true },
	[STMT_LINK_SET] = { exec_link_set, true },
	[STMT_LAN] = { exec_lan, true },
	[STMT_ADDRESS] = { exec_address, true },
	[STMT_ROUTE] = { exec_route, true },
	[STMT_RULE] = { exec_rule, true },
	[STMT_SYSCTL] = { exec_sysctl, true },
	[STMT_RUN] = { exec_run, false },
	[STMT_SERVE] = { exec_serve, false },
	[STMT_WAIT] = { exec_wait, false },
	[STMT_EXPECT] = { exec_expect, false },
	[STMT_WIREGUARD] = { exec_wireguard, true },
	[STMT_PEER] = { exec_peer, true },
	[STMT_WGQUICK] = { exec_wgquick, true },
	[STMT_FIREWALL] = { exec_firewall, true },
	[STMT_NFT] = { exec_nft, true },
	[STMT_NAT] = { exec_nat, true },
	[STMT_CONNTRACK] = { exec_conntrack, false },
	[STMT_CAPTURE] = { exec_capture, false },
};

static const struct run_exec *run_exec_of(const struct stmt *s)
{
	if ((size_t)s->kind >= sizeof(run_execs) / sizeof(run_execs[0]) || !run_execs[s->kind].exec)
		return NULL;
	return &run_execs[s->kind];
}

/* A kind without an executor is refused as a build step. */
static bool run_is_build(const struct stmt *s)
{
	const struct run_exec *x = run_exec_of(s);

	return !x || x->build;
}

int run_stmt(struct run *r, const struct stmt *s)
{
	const struct run_exec *x = run_exec_of(s);

	if (!x)
		return run_error(r, -EOPNOTSUPP, "Unable to run '%s'", stmt_kind_name(s->kind));
	if (s->refused)
		return exec_refused(r, s, x->exec);
	return x->exec(r, s);
}

/* After a failure with stop_at_fail: whether s (an expectation) is still
 * evaluated, and the last statement that is. */
static bool run_kept(const struct run *r, const struct stmt *s)
{
	return s->kind == STMT_EXPECT && r->opts.keep_going && r->opts.keep_going(s, r->opts.keep_data);
}

static const struct stmt *run_last_kept(const struct run *r, const struct stmt *from)
{
	const struct stmt *last = NULL;

	for (const struct stmt *s = from; s; s = s->next)
		if (!run_dropped(r, s) && run_kept(r, s))
			last = s;
	return last;
}

#define RUN_WHY_FAILED "not evaluated: an earlier result failed (the run stops at the first)"

/*
 * Consecutive reachability expectations run together (lab/run/exec_set.h):
 * from *sp on, every one the run keeps, up to the first other statement;
 * *sp is left at the last of them.
 */
static int run_batch(struct run *r, const struct stmt **sp)
{
	const struct stmt **v = NULL, *s, *last = *sp;
	size_t n = 0;
	int err;

	for (s = *sp; s && (exec_batchable(s) || run_dropped(r, s)); s = s->next) {
		if (run_dropped(r, s))
			continue;
		v = xgrow(v, n, sizeof(*v));
		v[n++] = s;
		last = s;
	}
	err = exec_expect_batch(r, v, n);
	free(v);
	if (!err) {
		r->cur = last;
		*sp = last;
	}
	return err;
}

/* At most this many `peer` statements go to WireGuard at once. */
#define RUN_PEER_BATCH 1024

/*
 * Consecutive `peer` statements of one interface (skipping dropped ones)
 * configure WireGuard together (lab/run/exec_wg.h), while the interfaces
 * before take theirs; *sp is left at the last one applied, or at the one
 * an error is about.
 */
static int run_peer_batch(struct run *r, const struct stmt **sp)
{
	const struct stmt **v = NULL, *s;
	size_t n = 0, done = 0;
	int err;

	for (s = *sp; s && n < RUN_PEER_BATCH; s = s->next) {
		if (run_dropped(r, s))
			continue;
		if (n && !exec_peer_joins(v[0], s))
			break;
		v = xgrow(v, n, sizeof(*v));
		v[n++] = s;
	}
	err = exec_peers(r, v, n, &done);
	if (!err) {
		r->cur = v[n - 1];
		/* Configurations still on their way are settled before any
		 * statement that could depend on them. */
		while (s && run_dropped(r, s))
			s = s->next;
		if (!s || s->kind != STMT_PEER || s->refused)
			err = exec_peers_flush(r);
	}
	*sp = r->cur;
	free(v);
	return err;
}

int run_step(struct run *r, const struct stmt **sp)
{
	const struct stmt *s = *sp;

	if (exec_batchable(s))
		return run_batch(r, sp);
	if (s->kind == STMT_PEER && !s->refused)
		return run_peer_batch(r, sp);
	return run_stmt(r, s);
}

int run_steps(struct run *r)
{
	struct scenario_result *sr = r->res;
	const struct stmt *s, *last_kept = NULL;
	bool stopping = false;
	char *why;
	int err = 0;

	/* The lab's keys first: the description and a twin's reason are
	 * free text, that may quote one (the report's header shows them). */
	err = run_wg_keys(r);
	run_redact(r, sr->description);
	run_redact(r, sr->twin_why);
	if (r->rep.begin)
		r->rep.begin(r->rep.data, sr);
	run_capture_plan(r);
	/* Nothing is built when the host cannot take the lab. */
	if (!err)
		err = run_check_host(r);
	if (!err)
		run_wg_begin(r);
	if (err < 0) {
		s = r->cur;
		sr->error = xasprintf("%s:%u:%u: %s", s->loc.file, s->loc.line, s->loc.col, r->err);
		why = xasprintf("not run: the %s stopped at an error (%s)", r->twin ? "twin" : "scenario",
				sr->error);
		run_skip_rest(r, r->lab->first_stmt, why);
		free(why);
		run_twin_unfailed(r);
		sr->passed = false;
		return err;
	}
	for (s = r->lab->first_stmt; s; s = s->next) {
		size_t failed = sr->n_failed;
		uint64_t t0;

		if (run_dropped(r, s))
			continue;
		if (run_interrupted) {
			err = -EINTR;
			sr->error = xasprintf("%s:%u: interrupted by signal %d before this statement",
					      s->loc.file, s->loc.line, run_interrupted);
			run_skip_rest(r, s, "not run: interrupted");
			break;
		}
		if (r->deadline_ms && !run_left_ms(r)) {
			err = -ETIMEDOUT;
			sr->timed_out = true;
			sr->error = xasprintf("%s:%u: the scenario's time limit (%.1f s) ran out before this statement",
					      s->loc.file, s->loc.line, r->opts.timeout_ms / 1000.0);
			run_skip_rest(r, s, "not run: time limit");
			break;
		}
		/* After a failure (stop_at_fail), statements still run for
		 * the expectations kept, the others are reported as not run. */
		if (stopping && (s->kind == STMT_EXPECT || s->kind == STMT_RUN) && !run_kept(r, s)) {
			run_skip_stmt(r, s, RUN_WHY_FAILED);
			continue;
		}
		/* wglab up --no-expect: not evaluated, and not a failure */
		if (r->opts.no_expect && s->kind == STMT_EXPECT)
			continue;
		r->cur = s;
		r->err[0] = '\0';
		/* Declared NATs are measured before the first step that
		 * could depend on them, once something is behind them. */
		if (!run_is_build(s)) {
			t0 = now_ms();
			run_wait_ready(r);
			sr->build_ms += (double)(now_ms() - t0);
			run_nat_checks(r, false);
		}
		t0 = now_ms();
		err = run_step(r, &s);
		if (run_is_build(s))
			sr->build_ms += (double)(now_ms() - t0);
		else
			sr->steps_ms += (double)(now_ms() - t0);
		/* Its waits were cut to what the time limit left: a failure
		 * as it ran out is the limit's, not the statement's. */
		if (r->deadline_ms && !run_left_ms(r) && sr->n_failed > failed)
			sr->timed_out = true;
		if (r->caps && !err)
			run_capture_start(r);
		if (err < 0) {
			/* A batch stopped at one of its statements. */
			s = r->cur;
			if (err == -EINTR && !r->err[0])
				snprintf(r->err, sizeof(r->err), "interrupted by signal %d", run_interrupted);
			run_redact(r, r->err);
			sr->error = xasprintf("%s:%u:%u: %s", s->loc.file, s->loc.line, s->loc.col,
					      r->err[0] ? r->err : strerror(-err));
			if (err == -EINTR) {
				run_skip_rest(r, s->next, "not run: interrupted");
			} else {
				why = xasprintf("not run: the %s stopped at an error (%s)",
						r->twin ? "twin" : "scenario", sr->error);
				run_skip_rest(r, s->next, why);
				free(why);
			}
			break;
		}
		run_bg_check(r);
		if (r->opts.stop_at_fail && !stopping && sr->n_failed) {
			stopping = true;
			last_kept = run_last_kept(r, s->next);
			if (!last_kept) {
				run_skip_rest(r, s->next, RUN_WHY_FAILED);
				break;
			}
		}
		if (stopping && s == last_kept) {
			run_skip_rest(r, s->next, RUN_WHY_FAILED);
			break;
		}
	}
	r->cur = NULL;
	if (!err && !stopping)
		run_nat_checks(r, true);
	run_bg_finish(r, err == -EINTR ? "the run was interrupted" : err < 0 ?
		      "the scenario stopped at an error" : stopping ? "the run stopped at a failure" : NULL);
	run_twin_unfailed(r);
	sr->passed = !sr->error && !sr->n_failed;
	return err;
}

/* Node i of the run under the published lab's name. */
static int run_publish_node(struct run *r, const char *name, size_t i)
{
	struct netns_mount_id id;
	char mount[256];
	int err;

	err = labdir_mount_name(name, r->nodes[i].name, r->nodes[i].lan, mount, sizeof(mount));
	if (err < 0)
		return run_error(r, err, "Unable to name the mount of node '%s'", r->nodes[i].name);
	/* The name claimed (O_EXCL: nobody else's, from now on), then
	 * recorded with what was made, then bound: a keeper killed after the
	 * claim leaves a record that reap follows, and removal takes only
	 * what the record's ids name, never a namespace of the same name that
	 * is another's.  `exec` enters the node's mounts through the
	 * keeper's fd; a keeper without root sits in a PID namespace of its
	 * own, where its pid is not the one the record holds. */
	err = netns_mount_claim(r->nodes[i].ns, mount, &id);
	if (err == -EEXIST)
		return run_error(r, err, "Unable to bind node '%s' at %s/%s (the name is taken)", r->nodes[i].name,
				 netns_run_dir(), mount);
	if (err < 0)
		return run_error(r, err, "Unable to bind node '%s' at %s/%s", r->nodes[i].name, netns_run_dir(),
				 mount);
	err = labdir_add_node(name, r->nodes[i].name, mount, r->nodes[i].lan,
			      r->nodes[i].lan || rootless_active() ? -1 : netns_mnt_fd(r->nodes[i].ns), &id);
	if (err < 0) {
		bool removed;

		netns_unmount_own(mount, &id, &removed);
		return run_error(r, err, "Unable to record node '%s' of lab '%s'", r->nodes[i].name, name);
	}
	err = netns_mount_bind(r->nodes[i].ns, mount);
	if (err < 0)
		return run_error(r, err, "Unable to bind node '%s' at %s/%s", r->nodes[i].name, netns_run_dir(),
				 mount);
	r->nodes[i].bound = true;
	return 0;
}

int run_publish(struct run *r, const char *name)
{
	int err;

	/* Born whole, holder included: a record is never without a live or
	 * dead owner that down and reap can judge. */
	err = labdir_create(name, rootless_holder());
	if (err == -EEXIST)
		return run_error(r, err, "Unable to record lab '%s' under %s: a live lab holds the name", name,
				 labdir_root());
	if (err < 0)
		return run_error(r, err, "Unable to record lab '%s' under %s", name, labdir_root());
	r->published = xstrdup(name);
	return run_publish_more(r, 0);
}

int run_publish_more(struct run *r, size_t from)
{
	int err = 0;

	if (!r->published)
		return 0;
	for (size_t i = from; i < r->n_nodes && !err; i++)
		err = run_publish_node(r, r->published, i);
	return err;
}

int run_hold(struct run *r)
{
	while (!run_interrupted)
		loop_run_once(r->loop, -1);
	return 0;
}

const char *run_last_error(const struct run *r)
{
	return r->err[0] ? r->err : NULL;
}

const struct scenario_result *run_result(const struct run *r)
{
	return r->res;
}

const struct run_listen *run_listened(const struct run *r, size_t *n)
{
	*n = r->n_listened;
	return r->listened;
}

struct scenario_result *run_take_result(struct run *r)
{
	struct scenario_result *sr = r->res;

	r->res = NULL;
	return sr;
}

void run_teardown(struct run *r)
{
	uint64_t t0;

	if (!r || r->torn_down)
		return;
	r->torn_down = true;
	t0 = now_ms();
	/* Programs first (they may hold sockets in the nodes), then the
	 * lab's own servers, then the namespaces. */
	run_capture_teardown(r);
	run_bg_stop(r);
	for (struct rserver *s = r->servers, *next; s; s = next) {
		next = s->next;
		server_free(s->srv);
		free(s->node);
		free(s);
	}
	r->servers = NULL;
	run_auto_serve_free(r);
	run_wg_teardown(r);
	run_fw_teardown(r);
	if (r->published)
		labdir_remove(r->published);
	for (size_t i = 0; i < r->n_nodes; i++) {
		netns_free(r->nodes[i].ns);
		free(r->nodes[i].name);
		free(r->nodes[i].addrs.v);
		free(r->nodes[i].resolv);
	}
	free(r->nodes);
	r->nodes = NULL;
	r->n_nodes = 0;
	free(r->published);
	r->published = NULL;
	free(r->reflectors.v);
	r->reflectors.v = NULL;
	r->reflectors.n = 0;
	if (r->res)
		r->res->teardown_ms = (double)(now_ms() - t0);
}

void run_free(struct run *r)
{
	if (!r)
		return;
	run_teardown(r);
	loop_free(r->loop);
	scenario_result_free(r->res);
	lab_names_free(r->names);
	free(r->artifacts_dir);
	free(r->listened);
	free(r);
}
