// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* More statements on a kept lab's run (wglab apply/expect). */
#include "lab/run/live.h"
#include "lab/run/background.h"
#include "lab/run/exec_topo.h"
#include "lab/run/exec_wg.h"
#include "lab/run/interrupt.h"
#include "lab/run/labvalues.h"
#include "lab/run/run_ctx.h"
#include "lab/run/run_names.h"
#include "lab/run/runner.h"
#include "netns/util/now.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <string.h>

struct loop *run_loop(struct run *r)
{
	return r->loop;
}

/* run_publish_more()'s error, at the statement of the node it is about. */
static char *more_publish_error(struct run *r, const struct lab *lab, size_t from)
{
	const struct rnode *n = NULL;

	for (size_t i = from; i < r->n_nodes && !n; i++)
		if (!r->nodes[i].bound)
			n = &r->nodes[i];
	for (const struct stmt *s = lab->first_stmt; n && s; s = s->next) {
		const char *name = s->kind == STMT_NODE ? s->node.name : s->kind == STMT_LAN ? s->lan.name : NULL;

		if (name && (s->kind == STMT_LAN) == n->lan && !strcmp(name, n->name))
			return xasprintf("%s:%u:%u: %s", s->loc.file, s->loc.line, s->loc.col, r->err);
	}
	return xstrdup(r->err);
}

int run_more(struct run *r, struct lab *lab, const struct stmt *from, const char *name,
	     struct scenario_result **ret, const struct stmt **ret_failed)
{
	const struct stmt *failed = NULL;
	struct scenario_result *kept = r->res, *sr = xcalloc(1, sizeof(*sr));
	struct reporter rep = r->rep;
	size_t n_nodes = r->n_nodes;
	int err = 0;

	sr->file = xstrdup(name);
	sr->name = xstrdup(lab->name);
	sr->description = xstrdup(lab->description);
	sr->datapath = kept->datapath ? xstrdup(kept->datapath) : NULL;
	r->res = sr;
	memset(&r->rep, 0, sizeof(r->rep));
	run_set_lab(r, lab);
	/* Keys for the WireGuard interfaces the new statements define. */
	err = run_wg_keys(r);
	run_redact(r, sr->description);
	/* None of the new statements ran. */
	if (err < 0)
		failed = from;
	for (const struct stmt *s = err < 0 ? NULL : from; s; s = s->next) {
		uint64_t t0 = now_ms();

		r->cur = s;
		r->err[0] = '\0';
		if (s->kind != STMT_NODE && s->kind != STMT_LINK && s->kind != STMT_LAN)
			run_wait_ready(r);
		err = run_step(r, &s);
		sr->steps_ms += (double)(now_ms() - t0);
		if (err < 0)
			break;
		run_bg_check(r);
	}
	if (err < 0) {
		const struct stmt *s = r->cur;

		run_redact(r, r->err);
		/* Stopped by a signal to the keeper (`wglab down`'s SIGTERM). */
		if (err == -EINTR && run_interrupted)
			snprintf(r->err, sizeof(r->err), "stopped: the lab was taken down (%s)",
				 strsignal(run_interrupted));
		sr->error = s ? xasprintf("%s:%u:%u: %s", s->loc.file, s->loc.line, s->loc.col,
					  r->err[0] ? r->err : strerror(-err)) :
				xstrdup(r->err[0] ? r->err : strerror(-err));
		if (s)
			run_skip_rest(r, s->next, "not run: an earlier statement failed");
		if (!failed)
			failed = s ? s : from;
	}
	/* The new nodes, bound and recorded as up's are, whatever came
	 * after them: those made before a failing statement stay part of the
	 * lab.  Then the new interfaces' keys and nodes' values, for `wglab
	 * exec` and `ip netns exec` (under /etc/netns for bound nodes only: a
	 * name refused is another's). */
	if (run_publish_more(r, n_nodes) < 0 && !sr->error)
		sr->error = more_publish_error(r, lab, n_nodes);
	if (!run_labvalues_all(r) && r->published && r->n_nodes > n_nodes)
		run_labvalues_publish(r, r->published);
	r->cur = NULL;
	sr->passed = !sr->error && !sr->n_failed;
	r->res = kept;
	r->rep = rep;
	*ret = sr;
	*ret_failed = failed;
	return err;
}
