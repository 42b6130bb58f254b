// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* ICMP errors, expected. */
#include "assertions/icmperr.h"
#include "lab/lang/parse_icmperr.h"
#include "lab/run/exec_icmperr.h"
#include "lab/run/run_ctx.h"
#include "netns/route.h"
#include "traffic/probe.h"

#include <errno.h>

int exec_icmperr(struct run *r, const struct stmt_expect *e, struct verdict *v)
{
	const struct expect_icmperr *x = e->ext;
	struct probe_req req = { 0 };

	if (!x)
		return run_error(r, -EINVAL, "Unable to evaluate '%s'", e->text);
	req.proto = e->reach.proto == REACH_ICMP ? PROBE_ICMP :
		    e->reach.proto == REACH_TCP ? PROBE_TCP : PROBE_UDP;
	req.dst = e->reach.dst;
	req.port = e->reach.port;
	if (req.proto == PROBE_ICMP) {
		req.size = e->reach.size;
		req.df = e->reach.df;
	}
	req.wait_ms = e->wait_ms < run_left_ms(r) ? e->wait_ms : run_left_ms(r);
	if (!req.wait_ms)
		req.wait_ms = 1;
	/* A path MTU the node learned before (an earlier big probe) makes
	 * it refuse the probe itself ("message too long"): the router on
	 * the way is asked only when the node has forgotten it. */
	if (x->type == ICMPERR_FRAG_NEEDED) {
		int err = route_forget_pmtu(run_node(r, e->node)->ns, &req.dst);

		if (err < 0)
			return run_error(r, err, "Unable to forget the path MTU node '%s' learned", e->node);
	}
	return expect_icmperr(r->loop, run_node(r, e->node)->ns, &req, (enum icmperr_type)x->type,
			      &x->from, v);
}
