// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* Throughput and latency expectations, carried out. */
#include "lab/run/exec_perf.h"
#include "lab/run/exec_capture.h"
#include "assertions/latency.h"
#include "assertions/throughput.h"
#include "assertions/verdict.h"
#include "lab/lang/perf.h"
#include "lab/lang/resolve.h"
#include "lab/run/exec_wg.h"
#include "lab/run/run_ctx.h"
#include "lab/run/run_names.h"
#include "netns/route.h"
#include "netns/wg/wgconf.h"
#include "netns/wg/wgdev.h"

#include <errno.h>
#include <stdio.h>
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

/* Whether a's WireGuard interface wa has b's wb as a peer, now. */
static bool perf_peers(struct run *r, const struct rwg *wa, const struct rwg *wb)
{
	struct rwgkey *k = run_wg_key(r, wb->node, wb->ifname);
	struct wgconf_device *dev = NULL;
	bool yes = false;

	if (!k || wgdev_get(wa->dev, &dev) < 0)
		return false;
	for (const struct wgconf_peer *pe = dev->first_peer; pe && !yes; pe = pe->next)
		yes = !memcmp(pe->public_key, k->pub, WGKEY_LEN);
	wgconf_device_free(dev);
	return yes;
}

/* Where a flow from a to b goes by default: b's tunnel address when a
 * WireGuard interface of a has one of b's as a peer (IPv4 first), else b's
 * address by the rule of node names (lab/lang/resolve.h).  via names the
 * tunnel ("a:wg0 ~ b:wg0") or is "". */
static int perf_dst(struct run *r, const struct perf_expect *p, struct rnode *a, struct rnode *b,
		    struct addr *ret, char *via, size_t via_len)
{
	char why[640];

	via[0] = '\0';
	if (p->to.family) {
		*ret = p->to;
		return 0;
	}
	for (const struct rwg *wa = r->wgs; wa; wa = wa->next) {
		if (strcmp(wa->node, a->name))
			continue;
		for (const struct rwg *wb = r->wgs; wb; wb = wb->next) {
			const struct wgconf_ip *pick = NULL;

			if (strcmp(wb->node, b->name) || !wb->conf || !perf_peers(r, wa, wb))
				continue;
			for (const struct wgconf_ip *ip = wb->conf->first_address; ip && !pick; ip = ip->next)
				if (ip->addr.family == AF_INET)
					pick = ip;
			if (!pick)
				pick = wb->conf->first_address;
			if (!pick)
				continue;
			*ret = pick->addr;
			ret->prefixlen = ret->family == AF_INET ? 32 : 128;
			snprintf(via, via_len, "the tunnel %s:%s ~ %s:%s", wa->node, wa->ifname, wb->node,
				 wb->ifname);
			return 0;
		}
	}
	if (lab_resolve_node(run_names(r), a->name, b->name, ret, why, sizeof(why)) < 0)
		return run_error(r, -EADDRNOTAVAIL, "Unable to measure towards '%s': %s (say `to ADDR`)",
				 b->name, why);
	return 0;
}

/* The evidence names the flow: source, destination, the interface it
 * left by (as `ip route get` answers in a). */
static void perf_path(struct rnode *a, const char *b, const struct addr *dst, const char *via,
		      struct verdict *v)
{
	struct route q = { 0 }, got = { 0 };
	char s[ADDR_STRLEN], d[ADDR_STRLEN];

	q.dst = *dst;
	if (route_get(a->ns, &q, &got) < 0) {
		verdict_add(v, "; path: %s to %s (%s), no route%s%s", a->name, b,
			    addr_format(dst, false, d, sizeof(d)), *via ? " over " : "", via);
		return;
	}
	verdict_add(v, "; path: %s (%s) to %s (%s), leaving by %s%s%s", a->name,
		    (got.flags & ROUTE_HAS_SRC) ? addr_format(&got.src, false, s, sizeof(s)) : "?", b,
		    addr_format(dst, false, d, sizeof(d)), got.dev, *via ? ", over " : "", via);
}

int exec_throughput_path(struct run *r, const struct stmt_expect *e, struct netns **ret_from,
			 struct netns **ret_to, struct tput_req *ret)
{
	const struct perf_expect *p = e->ext;
	struct rnode *a = perf_node(r, e->node), *b = p ? perf_node(r, p->peer) : NULL;
	struct tput_req req;
	char via[128];
	int err;

	if (!p || !a || !b)
		return run_error(r, -ENOENT, "Unable to measure '%s': no such node", e->text);
	expect_throughput_req(&p->req, p->min_bps, &req);
	err = perf_dst(r, p, a, b, &req.dst, via, sizeof(via));
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
	char dst[ADDR_STRLEN], via[128];
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
	perf_dst(r, p, perf_node(r, e->node), perf_node(r, p->peer), &req.dst, via, sizeof(via));
	perf_path(perf_node(r, e->node), p->peer, &req.dst, via, v);
	return 0;
}

int exec_latency(struct run *r, const struct stmt_expect *e, struct verdict *v,
		 struct latency_result *ret)
{
	const struct perf_expect *p = e->ext;
	struct rnode *a = perf_node(r, e->node), *b = p ? perf_node(r, p->peer) : NULL;
	struct latency_req req;
	char dst[ADDR_STRLEN], via[128];
	int err;

	if (!p || !a || !b)
		return run_error(r, -ENOENT, "Unable to measure '%s': no such node", e->text);
	req = p->lat;
	err = perf_dst(r, p, a, b, &req.dst, via, sizeof(via));
	if (err < 0)
		return err;
	err = expect_latency(r->loop, a->ns, req.port ? NULL : b->ns, &req, p->pct, p->max_us, v, ret);
	if (err < 0)
		return run_error(r, err, "Unable to measure latency from '%s' to '%s' (%s)", e->node, p->peer,
				 addr_format(&req.dst, false, dst, sizeof(dst)));
	perf_path(a, p->peer, &req.dst, via, v);
	return 0;
}
