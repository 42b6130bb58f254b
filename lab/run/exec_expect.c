// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* Evaluating expectations: the model becomes an evaluator's input, the
 * verdict becomes a result. */
#include "assertions/rulestate.h"
#include "assertions/capture.h"
#include "assertions/ctstate.h"
#include "assertions/http.h"
#include "assertions/path.h"
#include "assertions/reach.h"
#include "assertions/route.h"
#include "assertions/verdict.h"
#include "assertions/wgstate.h"
#include "lab/run/autoserve.h"
#include "lab/run/counters.h"
#include "lab/run/exec_icmperr.h"
#include "lab/run/exec_wgdev.h"
#include "lab/run/exec_capture.h"
#include "lab/run/exec_expect.h"
#include "lab/run/exec_perf.h"
#include "lab/run/exec_set.h"
#include "lab/run/exec_wg.h"
#include "lab/run/run_ctx.h"
#include "lab/run/wgendpoint.h"
#include "lab/run/wgnote.h"
#include "netns/kcount.h"
#include "netns/link.h"
#include "netns/qdisc.h"
#include "netns/util/now.h"
#include "netns/util/xalloc.h"
#include "traffic/capture.h"
#include "traffic/http.h"
#include "traffic/loop.h"
#include "traffic/probe.h"
#include "traffic/server.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int eval_reach(struct run *r, const struct stmt_expect *e, struct verdict *v)
{
	int proto = e->reach.proto == REACH_TCP ? SERVE_TCP : SERVE_UDP;
	struct probe_req req = { 0 };
	struct rserver *own = NULL;
	uint64_t before = 0;
	char note[256];
	int err;

	if (e->reach.proto != REACH_ICMP) {
		err = run_auto_serve(r, proto, &e->reach.dst, e->reach.port);
		if (err < 0)
			return err;
		own = run_auto_server(r, proto, &e->reach.dst, e->reach.port);
		before = run_auto_answered(own);
	}
	req.proto = e->reach.proto == REACH_ICMP ? PROBE_ICMP :
		    e->reach.proto == REACH_TCP ? PROBE_TCP : PROBE_UDP;
	req.dst = e->reach.dst;
	req.port = e->reach.port;
	if (e->reach.src.family) {
		req.src = e->reach.src;
		req.flags |= PROBE_HAS_SRC;
	}
	req.count = e->reach.count;
	req.size = e->reach.size;
	req.df = e->reach.df;
	req.interval_ms = e->reach.interval_ms;
	req.wait_ms = e->wait_ms < run_left_ms(r) ? e->wait_ms : run_left_ms(r);
	if (!req.wait_ms)
		req.wait_ms = 1;
	err = expect_reach(r->loop, run_node(r, e->node)->ns, &req, e->negate, v);
	if (!err && e->reach.proto != REACH_ICMP) {
		run_auto_note(r, own, before, proto, &e->reach.dst, e->reach.port, v->held != e->negate, note,
			      sizeof(note));
		verdict_add(v, "%s", note);
	}
	return err;
}

static int eval_route(struct run *r, const struct stmt_expect *e, struct verdict *v)
{
	struct route q = { 0 };

	q.dst = e->route.dst;
	if (e->route.from.family) {
		q.src = e->route.from;
		q.flags |= ROUTE_HAS_SRC;
	}
	if (e->route.has_mark) {
		q.mark = e->route.mark;
		q.flags |= ROUTE_HAS_MARK;
	}
	return expect_route(run_node(r, e->node)->ns, &q, &e->route.want, v);
}

static int eval_wg(struct run *r, const struct stmt_expect *e, struct verdict *v)
{
	struct rwg *w = run_wg(r, e->ref.node, e->ref.ifname);
	struct wgstate_want want = { 0 };
	const struct rwgep *set;
	char name[80], where[160];
	int err;

	if (!w)
		return run_error(r, -ENODEV, "Unable to read '%s:%s'", e->ref.node, e->ref.ifname);
	want.kind = e->kind == EXPECT_HANDSHAKE ? WGSTATE_HANDSHAKE :
		    e->kind == EXPECT_ENDPOINT ? WGSTATE_ENDPOINT : WGSTATE_TRANSFER;
	want.negate = e->negate;
	err = run_wg_peer_key(r, &e->wg, want.peer, name, sizeof(name));
	if (err < 0)
		return err;
	want.peer_name = name;
	want.wait_ms = e->wait_ms < run_left_ms(r) ? e->wait_ms : run_left_ms(r);
	want.endpoint = e->wg.endpoint;
	want.port = e->wg.port;
	want.any_port = e->wg.any_port;
	want.learned = e->wg.learned;
	set = run_wgep_find(w, want.peer);
	if (set) {
		const char *file = strrchr(set->loc.file, '/');

		snprintf(where, sizeof(where), "%s:%u", file ? file + 1 : set->loc.file, set->loc.line);
		want.set_rx = set->rx;
		want.set_hs_sec = set->hs_sec;
		want.set_hs_nsec = set->hs_nsec;
		want.set_where = where;
	}
	want.rx_min = e->wg.rx_min;
	want.tx_min = e->wg.tx_min;
	want.rx_max = e->kind == EXPECT_TRANSFER ? e->wg.rx_max : UINT64_MAX;
	want.tx_max = e->kind == EXPECT_TRANSFER ? e->wg.tx_max : UINT64_MAX;
	return expect_wgstate(r->loop, w->dev, &want, v);
}

static unsigned int wait_of(struct run *r, const struct stmt_expect *e)
{
	return e->wait_ms < run_left_ms(r) ? e->wait_ms : run_left_ms(r);
}

static int eval_gets(struct run *r, const struct stmt_expect *e, struct verdict *v)
{
	struct http_url u;
	int err;

	const struct addr *at = e->gets.at.family ? &e->gets.at : NULL;
	struct rserver *own = NULL;
	bool parsed = false;
	uint64_t before = 0;
	char note[256];

	if (http_url_parse(e->gets.url, &u) == 0) {
		parsed = true;
		err = run_auto_serve(r, SERVE_HTTP, at ? at : &u.addr, u.port);
		if (err < 0)
			return err;
		own = run_auto_server(r, SERVE_HTTP, at ? at : &u.addr, u.port);
		before = run_auto_answered(own);
	}
	err = expect_gets(r->loop, run_node(r, e->node)->ns, e->gets.url, at, e->gets.status,
			  e->gets.body_contains, wait_of(r, e), v);
	if (err < 0 || !parsed)
		return err;
	/* A tcp echo the lab started for an earlier `reaches ... tcp PORT`
	 * sends the request back: that is what answered, not a web server. */
	run_auto_note(r, own, before, SERVE_HTTP, at ? at : &u.addr, u.port, v->held, note, sizeof(note));
	if (own && own->proto == SERVE_TCP && run_auto_answered(own) > before)
		verdict_set(v, false, "GET %s: wglab's own tcp echo listener on %s port %u (started for a "
			    "`reaches ... tcp %u`) answered and sent the request back; it is no web server: "
			    "serve the port (`serve %s http %u`)", e->gets.url, own->node, u.port, u.port,
			    own->node, u.port);
	else
		verdict_add(v, "%s", note);
	return 0;
}

/* The NAT self-check's probes are the lab's traffic: the filter leaves out
 * every packet to or from its reflector addresses. */
static int eval_sees_without_probes(struct run *r, const struct stmt_expect *e, struct capture *cap,
				    const struct sees_window *window, const char *where, struct verdict *v)
{
	size_t len = strlen(e->sees.filter) + 32 + r->reflectors.n * (ADDR_STRLEN + 16);
	char *filter = xmalloc(len), buf[ADDR_STRLEN];
	int err;

	snprintf(filter, len, "(%s) and not (", e->sees.filter);
	for (size_t i = 0; i < r->reflectors.n; i++)
		snprintf(filter + strlen(filter), len - strlen(filter), "%sip host %s", i ? " or " : "",
			 addr_format(&r->reflectors.v[i], false, buf, sizeof(buf)));
	strcat(filter, ")");
	err = expect_sees(r->loop, cap, window, where, filter, e->negate, e->sees.count, e->sees.exactly,
			  wait_of(r, e), v);
	free(filter);
	return err;
}

static int eval_sees(struct run *r, const struct stmt_expect *e, struct verdict *v)
{
	const struct sees_window *window;
	struct capture *cap = run_capture(r, e->ref.node, e->ref.ifname, &window);
	char where[64];

	if (!cap)
		return run_error(r, -ENODEV, "Unable to capture on '%s:%s' (the interface was never up)",
				 e->ref.node, e->ref.ifname);
	snprintf(where, sizeof(where), "%s:%s", e->ref.node, e->ref.ifname);
	if (!r->reflectors.n)
		return expect_sees(r->loop, cap, window, where, e->sees.filter, e->negate, e->sees.count,
				   e->sees.exactly, wait_of(r, e), v);
	return eval_sees_without_probes(r, e, cap, window, where, v);
}

/* How long the root qdisc of ifname may hold a packet: netem's delay and
 * jitter (uniform, no table), a rate's queue (tbf: its limit in bytes;
 * netem: its limit in full frames) at the rate. */
static uint64_t qdisc_hold_us(struct netns *ns, const char *ifname)
{
	struct qdisc_info q;
	uint64_t us = 0, bytes;

	if (qdisc_get_root(ns, ifname, &q) < 0)
		return 0;
	if (q.shape.flags & QDISC_HAS_DELAY)
		us += (uint64_t)q.shape.delay_us + q.shape.jitter_us;
	if ((q.shape.flags & QDISC_HAS_RATE) && q.shape.rate_bps) {
		bytes = !strcmp(q.kind, "tbf") ? q.limit : (uint64_t)q.limit * 1514;
		us += bytes * 8 * 1000000 / q.shape.rate_bps;
	}
	return us;
}

struct hold_walk {
	struct netns *ns;
	uint64_t us;
};

static int hold_walk_cb(const struct link_info *info, void *data)
{
	struct hold_walk *w = data;
	uint64_t us = qdisc_hold_us(w->ns, info->name);

	if (us > w->us)
		w->us = us;
	return 0;
}

/* A packet leaving by ifname ("any": the node's slowest interface) is
 * captured once its qdisc lets it go: the time a rewrite may take grows
 * by what the qdisc holds. */
static uint64_t rewrite_queue_us(struct run *r, const char *node, const char *ifname)
{
	struct hold_walk w = { run_node(r, node)->ns, 0 };

	if (strcmp(ifname, "any"))
		return qdisc_hold_us(w.ns, ifname);
	link_walk(w.ns, hold_walk_cb, &w);
	return w.us;
}

/* Each side counts from its capture's window, as `sees` does: the last
 * `capture` statement of that interface, or of any interface of the node
 * for the node's whole capture ("any", no in/out). */
static int eval_rewrites(struct run *r, const struct stmt_expect *e, struct verdict *v)
{
	const char *in = e->rewrites.in[0] ? e->rewrites.in : "any";
	const char *out = e->rewrites.out[0] ? e->rewrites.out : "any";
	struct rewrite_side si = { 0 }, so = { 0 };
	struct rewrite_pattern p = *e->rewrites.p;
	char win[64], wout[64];

	si.cap = run_capture(r, e->node, in, &si.window);
	so.cap = run_capture(r, e->node, out, &so.window);
	if (!si.cap || !so.cap)
		return run_error(r, -ENODEV, "Unable to capture on '%s:%s'", e->node, !si.cap ? in : out);
	snprintf(win, sizeof(win), "%s:%s", e->node, in);
	snprintf(wout, sizeof(wout), "%s:%s", e->node, out);
	si.where = win;
	so.where = wout;
	p.queue_us = rewrite_queue_us(r, e->node, out);
	return expect_rewrite(r->loop, &si, &so, &p, wait_of(r, e), v);
}

/* The namespace of the node an expectation is evaluated on (NULL: no node
 * by that name), for the kernel's message when a request there failed. */
static const struct netns *expect_ns(const struct run *r, const struct stmt_expect *e)
{
	for (size_t i = 0; e->node && i < r->n_nodes; i++)
		if (!strcmp(r->nodes[i].name, e->node))
			return r->nodes[i].ns;
	return NULL;
}

/* Kinds whose failure may be the kernel losing packets: their evidence
 * names the counters that moved (lab/run/counters.h). */
static bool counted(const struct stmt_expect *e)
{
	return e->kind != EXPECT_ROUTE && e->kind != EXPECT_CONNTRACK;
}

int exec_expect(struct run *r, const struct stmt *s)
{
	const struct stmt_expect *e = &s->expect;
	const struct rnode *owner = e->kind == EXPECT_REACH ? run_owner(r, &e->reach.dst) : NULL;
	const char *nodes[2] = { e->node, owner ? owner->name : NULL };
	struct kcount before;
	struct verdict *v;
	uint64_t t0;
	int err;

	if (e->set)
		return exec_expect_set(r, s);
	if (counted(e))
		run_counters_read(r, &before, nodes, 2);
	v = xcalloc(1, sizeof(*v));
	t0 = now_ms();

	switch (e->kind) {
	case EXPECT_REACH:
		err = eval_reach(r, e, v);
		break;
	case EXPECT_ROUTE:
		err = eval_route(r, e, v);
		break;
	case EXPECT_HANDSHAKE:
	case EXPECT_ENDPOINT:
	case EXPECT_TRANSFER:
		err = eval_wg(r, e, v);
		break;
	case EXPECT_GETS:
		err = eval_gets(r, e, v);
		break;
	case EXPECT_PATH:
		err = expect_path(r->loop, run_node(r, e->node)->ns, &e->path.dst, e->path.icmp, e->path.hops,
				  e->path.n_hops, v);
		break;
	case EXPECT_SEES:
		err = eval_sees(r, e, v);
		break;
	case EXPECT_REWRITES:
		err = eval_rewrites(r, e, v);
		break;
	case EXPECT_CONNTRACK:
		err = expect_conntrack(r->loop, run_node(r, e->node)->ns, e->ct, e->negate,
				       e->wait_ms < run_left_ms(r) ? e->wait_ms : run_left_ms(r), v);
		break;
	case EXPECT_THROUGHPUT:
		err = exec_throughput(r, e, v, NULL);
		break;
	case EXPECT_LATENCY:
		err = exec_latency(r, e, v, NULL);
		break;
	case EXPECT_WGDEVICE:
		err = exec_wgdevice(r, e, v);
		break;
	case EXPECT_ICMPERR:
		err = exec_icmperr(r, e, v);
		break;
	case EXPECT_RULE:
		err = e->ext ? expect_rule(r->loop, run_node(r, e->node)->ns, e->ext, e->negate,
					   e->wait_ms < run_left_ms(r) ? e->wait_ms : run_left_ms(r), v) :
			       run_error(r, -EINVAL, "Unable to evaluate '%s'", e->text);
		break;
	default:
		err = run_error(r, -EOPNOTSUPP, "Unable to evaluate '%s'", e->text);
		break;
	}
	if (err == -EINTR)
		snprintf(r->err, sizeof(r->err), "interrupted");
	else if (err < 0 && !r->err[0])
		run_kernel_error(r, expect_ns(r, e), err, "Unable to evaluate '%s'", e->text);
	if (!err && !v->held && counted(e)) {
		char *ev = run_counters_note(r, &before, nodes, 2, v->evidence);
		const struct addr *src = e->reach.src.family ? &e->reach.src : NULL;
		char *wg = e->kind == EXPECT_REACH && !e->negate ? wgnote_pair(r, NULL, e->node, &e->reach.dst, src) :
								    NULL;

		snprintf(v->evidence, sizeof(v->evidence), "%s%s", ev, wg ? wg : "");
		free(wg);
		free(ev);
	}
	if (counted(e))
		kcount_free(&before);
	if (!err)
		run_add_result(r, s, lab_expect_kind_name(e->kind), v->held,
			       (double)(now_ms() - t0), "%s", v->evidence);
	free(v);
	return err;
}
