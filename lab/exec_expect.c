// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* Evaluating expectations: the model becomes an evaluator's input, the
 * verdict becomes a result. */
#include "assertions/ctstate.h"
#include "assertions/reach.h"
#include "assertions/route.h"
#include "assertions/verdict.h"
#include "assertions/wgstate.h"
#include "lab/run_ctx.h"
#include "traffic/loop.h"
#include "traffic/probe.h"
#include "traffic/server.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool served(struct run *r, int proto, uint16_t port)
{
	for (struct rserver *s = r->servers; s; s = s->next)
		if (!s->automatic && s->proto == proto && s->port == port)
			return true;
	return false;
}

/*
 * `reaches ADDR tcp|udp PORT` needs something listening.  The lab listens
 * itself on the node that owns ADDR, unless the scenario serves that port
 * anywhere (it said who answers, e.g. behind a DNAT) or that node serves
 * anything (it manages its own ports, e.g. to prove a port closed).
 */
static int auto_serve(struct run *r, const struct expect_reach *e)
{
	int proto = e->proto == REACH_TCP ? SERVE_TCP : SERVE_UDP;
	struct server_spec spec = { 0 };
	struct rnode *owner;
	struct rserver *rs;
	char buf[ADDR_STRLEN];
	int err;

	if (served(r, proto, e->port))
		return 0;
	owner = run_owner(r, &e->dst);
	if (!owner || owner->serves)
		return 0;
	for (rs = r->servers; rs; rs = rs->next)
		if (rs->automatic && rs->proto == proto && rs->port == e->port &&
		    addr_equal(&rs->bind, &e->dst))
			return 0;
	spec.kind = proto == SERVE_TCP ? SERVER_TCP_ECHO : SERVER_UDP_ECHO;
	spec.flags = SERVER_HAS_ADDR;
	spec.addr = e->dst;
	spec.addr.prefixlen = e->dst.family == AF_INET ? 32 : 128;
	spec.port = e->port;
	rs = calloc(1, sizeof(*rs));
	if (!rs)
		abort();
	err = server_start(&rs->srv, r->loop, owner->ns, &spec);
	if (err < 0) {
		free(rs);
		return run_error(r, err, "Unable to listen on %s %s port %u in '%s'",
				 proto == SERVE_TCP ? "tcp" : "udp",
				 addr_format(&e->dst, false, buf, sizeof(buf)), e->port, owner->name);
	}
	rs->node = strdup(owner->name);
	rs->proto = proto;
	rs->bind = e->dst;
	rs->port = e->port;
	rs->automatic = true;
	rs->next = r->servers;
	r->servers = rs;
	return 0;
}

static int eval_reach(struct run *r, const struct stmt_expect *e, struct verdict *v)
{
	struct probe_req req = { 0 };
	int err;

	if (e->reach.proto != REACH_ICMP) {
		err = auto_serve(r, &e->reach);
		if (err < 0)
			return err;
	}
	req.proto = e->reach.proto == REACH_ICMP ? PROBE_ICMP :
		    e->reach.proto == REACH_TCP ? PROBE_TCP : PROBE_UDP;
	req.dst = e->reach.dst;
	req.port = e->reach.port;
	if (e->reach.src.family) {
		req.src = e->reach.src;
		req.flags |= PROBE_HAS_SRC;
	}
	req.wait_ms = e->wait_ms < run_left_ms(r) ? e->wait_ms : run_left_ms(r);
	if (!req.wait_ms)
		req.wait_ms = 1;
	return expect_reach(r->loop, run_node(r, e->node)->ns, &req, e->negate, v);
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
	char name[80];

	if (!w)
		return run_error(r, -ENODEV, "Unable to read '%s:%s'", e->ref.node, e->ref.ifname);
	want.kind = e->kind == EXPECT_HANDSHAKE ? WGSTATE_HANDSHAKE :
		    e->kind == EXPECT_ENDPOINT ? WGSTATE_ENDPOINT : WGSTATE_TRANSFER;
	want.negate = e->negate;
	if (e->wg.peer.node) {
		struct rwgkey *k = run_wg_key(r, e->wg.peer.node, e->wg.peer.ifname);

		if (!k)
			return run_error(r, -ENOKEY, "Unable to name peer '%s:%s': it has no key",
					 e->wg.peer.node, e->wg.peer.ifname);
		memcpy(want.peer, k->pub, sizeof(want.peer));
		snprintf(name, sizeof(name), "%s:%s", e->wg.peer.node, e->wg.peer.ifname);
	} else {
		memcpy(want.peer, e->wg.key, sizeof(want.peer));
		snprintf(name, sizeof(name), "the peer");
	}
	want.peer_name = name;
	want.wait_ms = e->wait_ms < run_left_ms(r) ? e->wait_ms : run_left_ms(r);
	want.endpoint = e->wg.endpoint;
	want.port = e->wg.port;
	want.any_port = e->wg.any_port;
	want.rx_min = e->wg.rx_min;
	want.tx_min = e->wg.tx_min;
	return expect_wgstate(r->loop, w->dev, &want, v);
}

int exec_expect(struct run *r, const struct stmt *s)
{
	const struct stmt_expect *e = &s->expect;
	struct verdict *v = calloc(1, sizeof(*v));
	uint64_t t0 = loop_now_ms();
	int err;

	if (!v)
		abort();
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
	case EXPECT_CONNTRACK:
		err = expect_conntrack(r->loop, run_node(r, e->node)->ns, e->ct, e->negate,
				       e->wait_ms < run_left_ms(r) ? e->wait_ms : run_left_ms(r), v);
		break;
	default:
		err = run_error(r, -EOPNOTSUPP, "Unable to evaluate '%s'", e->text);
		break;
	}
	if (err == -EINTR)
		snprintf(r->err, sizeof(r->err), "interrupted");
	else if (err < 0 && !r->err[0])
		run_error(r, err, "Unable to evaluate '%s'", e->text);
	if (!err)
		run_add_result(r, s, lab_expect_kind_name(e->kind), v->held,
			       (double)(loop_now_ms() - t0), "%s", v->evidence);
	free(v);
	return err;
}
