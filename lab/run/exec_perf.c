// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* Throughput and latency expectations, carried out. */
#include "lab/run/exec_perf.h"
#include "lab/run/exec_capture.h"
#include "assertions/latency.h"
#include "assertions/throughput.h"
#include "assertions/verdict.h"
#include "lab/lang/perf.h"
#include "lab/run/run_ctx.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Validation should have refused an unknown node; run_node() aborts on
 * one, so look it up softly. */
static struct rnode *perf_node(struct run *r, const char *name)
{
	for (size_t i = 0; i < r->n_nodes; i++)
		if (!r->nodes[i].lan && !strcmp(r->nodes[i].name, name))
			return &r->nodes[i];
	return NULL;
}

static int perf_dst(struct run *r, const struct perf_expect *p, struct rnode *b, struct addr *ret)
{
	static const int families[] = { AF_INET, AF_INET6 };

	if (p->to.family) {
		*ret = p->to;
		return 0;
	}
	for (size_t f = 0; f < 2; f++)
		for (size_t k = 0; k < b->addrs.n; k++) {
			const struct addr *a = &b->addrs.v[k];

			if (a->family != families[f] ||
			    (a->family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&a->v6)))
				continue;
			*ret = *a;
			ret->prefixlen = a->family == AF_INET ? 32 : 128;
			return 0;
		}
	return run_error(r, -EADDRNOTAVAIL, "Unable to measure towards '%s': it has no address yet (say `to ADDR`)",
			 b->name);
}

int exec_throughput_path(struct run *r, const struct stmt_expect *e, struct netns **ret_from,
			 struct netns **ret_to, struct tput_req *ret)
{
	const struct perf_expect *p = e->ext;
	struct rnode *a = perf_node(r, e->node), *b = p ? perf_node(r, p->peer) : NULL;
	struct tput_req req;
	int err;

	if (!p || !a || !b)
		return run_error(r, -ENOENT, "Unable to measure '%s': no such node", e->text);
	expect_throughput_req(&p->req, p->min_bps, &req);
	err = perf_dst(r, p, b, &req.dst);
	if (err < 0)
		return err;
	*ret_from = a->ns;
	*ret_to = b->ns;
	*ret = req;
	return 0;
}

int exec_throughput(struct run *r, const struct stmt_expect *e, struct verdict *v,
		    struct tput_result *ret)
{
	const struct perf_expect *p = e->ext;
	struct netns *from, *to;
	struct tput_req req;
	char dst[ADDR_STRLEN];
	int err;

	err = exec_throughput_path(r, e, &from, &to, &req);
	if (err < 0)
		return err;
	/* The measurement holds the loop: captures read by themselves. */
	run_capture_drain(r, true);
	err = expect_throughput(from, to, &req, p->min_bps, v, ret);
	run_capture_drain(r, false);
	if (err < 0)
		return run_error(r, err, "Unable to measure throughput from '%s' to '%s' (%s)", e->node, p->peer,
				 addr_format(&req.dst, false, dst, sizeof(dst)));
	return 0;
}

int exec_latency(struct run *r, const struct stmt_expect *e, struct verdict *v,
		 struct latency_result *ret)
{
	const struct perf_expect *p = e->ext;
	struct rnode *a = perf_node(r, e->node), *b = p ? perf_node(r, p->peer) : NULL;
	struct latency_req req;
	char dst[ADDR_STRLEN];
	int err;

	if (!p || !a || !b)
		return run_error(r, -ENOENT, "Unable to measure '%s': no such node", e->text);
	req = p->lat;
	err = perf_dst(r, p, b, &req.dst);
	if (err < 0)
		return err;
	err = expect_latency(r->loop, a->ns, req.port ? NULL : b->ns, &req, p->pct, p->max_us, v, ret);
	if (err < 0)
		return run_error(r, err, "Unable to measure latency from '%s' to '%s' (%s)", e->node, p->peer,
				 addr_format(&req.dst, false, dst, sizeof(dst)));
	return 0;
}
