// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* Expectations evaluated together: the pairs of a set expectation, and
 * runs of consecutive reachability expectations; results in file order,
 * failures with the kernel counters that moved meanwhile. */
#include "assertions/wgstate.h"
#include "lab/run/autoserve.h"
#include "lab/run/counters.h"
#include "lab/run/exec_set.h"
#include "lab/run/exec_wg.h"
#include "lab/run/run_ctx.h"
#include "lab/run/wgnote.h"
#include "netns/addr.h"
#include "netns/kcount.h"
#include "netns/util/name.h"
#include "netns/util/now.h"
#include "netns/util/strmap.h"
#include "netns/util/xalloc.h"
#include "netns/wg/wgconf.h"
#include "traffic/loop.h"
#include "traffic/probe.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* Probes in flight at once: ICMP probes of a node share one socket, TCP
 * and UDP ones have a socket each. */
#define SET_ICMP_IN_FLIGHT 1024
#define SET_SOCKET_IN_FLIGHT 256

static unsigned int set_wait(const struct run *r, const struct stmt_expect *e)
{
	unsigned int left = run_left_ms(r);

	return e->wait_ms < left ? e->wait_ms : left ? left : 1;
}

static const struct addr *pick(const struct addr *v, size_t n, int family)
{
	for (size_t i = 0; i < n; i++)
		if (family ? v[i].family == family : v[i].family == AF_INET)
			return &v[i];
	for (size_t i = 0; !family && i < n; i++)
		if (v[i].family == AF_INET6)
			return &v[i];
	return NULL;
}

/* The address a member is reached at: an address as written; NODE:IF's
 * (a WireGuard interface's, or what its link or lan gave it); a node's
 * first, as built so far.  IPv4 first unless family says.  NULL with
 * why when there is none. */
static const struct addr *member_addr(struct run *r, const struct set_member *m, int family, struct addr *buf,
				      char *why, size_t len)
{
	const char *fam = family == AF_INET6 ? "IPv6 " : family == AF_INET ? "IPv4 " : "";
	const struct addr *a = NULL;
	struct rwg *w;

	if (m->addr.family) {
		if (!family || m->addr.family == family)
			return &m->addr;
		snprintf(why, len, "%s is not an %saddress", m->ref.node ? m->ref.node : "it", fam);
		return NULL;
	}
	if (!m->ref.ifname[0]) {
		struct rnode *n = run_node(r, m->ref.node);

		a = pick(n->addrs.v, n->addrs.n, family);
		if (!a)
			snprintf(why, len, "%s has no %saddress", m->ref.node, fam);
		return a;
	}
	w = run_wg(r, m->ref.node, m->ref.ifname);
	if (w && w->conf) {
		struct addr v[16];
		size_t n = 0;

		for (const struct wgconf_ip *ip = w->conf->first_address; ip && n < 16; ip = ip->next)
			v[n++] = ip->addr;
		a = pick(v, n, family);
		if (a) {
			*buf = *a;
			return buf;
		}
	}
	for (size_t i = 0; !a && i < r->n_ifs; i++)
		if (!strcmp(r->ifs[i].node, m->ref.node) && !strcmp(r->ifs[i].ifname, m->ref.ifname))
			a = pick(r->ifs[i].addrs.v, r->ifs[i].addrs.n, family);
	if (!a)
		snprintf(why, len, "%s:%s has no %saddress", m->ref.node, m->ref.ifname, fam);
	return a;
}

/* Probes start spread over sources and destinations (pair i -> i+1 of
 * every source first, then i -> i+2...), so that no node (nor its
 * WireGuard) gets every handshake of the set at once. */
struct spread {
	size_t pair;
	size_t key;
};

static int spread_cmp(const void *a, const void *b)
{
	const struct spread *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->pair < y->pair ? -1 : x->pair > y->pair;
}

/* At most this many phases (a pair that would need more runs in the
 * last: its tunnels have sessions by then), and tunnels looked at per
 * pair. */
#define SET_PHASES 8
#define SET_TUNNELS 8

/* A tunnel's latest phase in a run of probes, and the directions probes
 * of that phase cross it in (1: from the node whose name sorts first, 2:
 * the other). */
struct set_tunnel {
	unsigned char phase, dirs;
};

/* The ends of the tunnels a probe crosses, node names; their count.  A
 * probe from a node with WireGuard to a WireGuard address of another node
 * crosses the tunnel between the two (asked of nobody: a mesh's pairs are
 * all such); any other goes where the nodes' routes and WireGuard's peers
 * send it (wgnote_tunnels(): on its way too, a site-to-site tunnel
 * between two routers).  wgaddr maps the lab's WireGuard addresses to
 * their nodes, wgnode holds the nodes with WireGuard. */
static size_t set_tunnels(struct run *r, struct wgnote **note, const struct strmap *wgaddr,
			  const struct strmap *wgnode, const char *from, const struct addr *dst,
			  const char *(*ret)[2])
{
	struct wgnote_tunnel t[SET_TUNNELS];
	char ip[ADDR_STRLEN];
	void **to;
	size_t n;

	addr_format(dst, false, ip, sizeof(ip));
	to = strmap_get(wgaddr, ip);
	if (to && strmap_get(wgnode, from) && strcmp(from, *to)) {
		ret[0][0] = from;
		ret[0][1] = *to;
		return 1;
	}
	n = wgnote_tunnels(r, note, from, dst, t, SET_TUNNELS);
	for (size_t i = 0; i < n; i++) {
		ret[i][0] = t[i].from->node;
		ret[i][1] = t[i].to->node;
	}
	return n;
}

/*
 * Phases, so that probes run together mean what they mean one after the
 * other.  When two WireGuard peers both start a handshake at once, each
 * consumes the other's initiation, which replaces its own, and drops the
 * answer to it: both wait for the retry (5 s).  And a probe may work only
 * over a session an earlier one made (an end without the other's endpoint
 * only answers).  So a probe goes in the latest phase of the tunnels it
 * crosses (set_tunnels()), or the one after when a probe of that phase
 * crosses one of them the other way: probes of one phase never cross a
 * tunnel both ways.  Where no tunnel is known, a pair whose reverse came
 * earlier waits for the second phase.  src and dst are node indices (dst
 * -1: unknown); phase gets each job's; returns the number of phases.
 */
static unsigned int set_phases(struct run *r, const struct probe_job *jobs, const size_t *src, const long *dst,
			       size_t n, unsigned char *phase)
{
	size_t nn = r->n_nodes;
	unsigned char *seen = xcalloc(nn * nn / 8 + 1, 1);
	struct strmap used = { 0 }, wgaddr = { 0 }, wgnode = { 0 };
	struct wgnote *note = NULL;
	unsigned int phases = 1;

	for (const struct rwg *w = r->wgs; w; w = w->next) {
		strmap_put(&wgnode, w->node, w->node);
		for (const struct wgconf_ip *ip = w->conf ? w->conf->first_address : NULL; ip; ip = ip->next) {
			char a[ADDR_STRLEN];

			strmap_put(&wgaddr, addr_format(&ip->addr, false, a, sizeof(a)), w->node);
		}
	}
	for (size_t k = 0; k < n; k++) {
		const char *t[SET_TUNNELS][2];
		size_t nt = set_tunnels(r, &note, &wgaddr, &wgnode, r->nodes[src[k]].name, &jobs[k].req.dst, t);
		char key[SET_TUNNELS][2 * NAME_MAX_LEN + 2];
		unsigned char dir[SET_TUNNELS];
		unsigned int p = 0;

		for (size_t i = 0; i < nt; i++) {
			bool first = strcmp(t[i][0], t[i][1]) < 0;
			struct set_tunnel **u;
			unsigned int need;

			dir[i] = first ? 1 : 2;
			snprintf(key[i], sizeof(key[i]), "%s %s", t[i][!first], t[i][first]);
			u = (struct set_tunnel **)strmap_get(&used, key[i]);
			if (!u)
				continue;
			need = (*u)->phase + ((*u)->dirs & ~dir[i] ? 1U : 0U);
			if (need > p)
				p = need;
		}
		if (!nt && dst[k] >= 0) {
			size_t fwd = src[k] * nn + (size_t)dst[k], rev = (size_t)dst[k] * nn + src[k];

			if (seen[rev / 8] & (1U << (rev % 8)))
				p = 1;
			else
				seen[fwd / 8] |= (unsigned char)(1U << (fwd % 8));
		}
		phase[k] = (unsigned char)(p < SET_PHASES ? p : SET_PHASES - 1);
		for (size_t i = 0; i < nt; i++) {
			struct set_tunnel **u = (struct set_tunnel **)strmap_put(&used, key[i], NULL);

			if (!*u)
				*u = xcalloc(1, sizeof(**u));
			if (phase[k] > (*u)->phase || !(*u)->dirs) {
				(*u)->phase = phase[k];
				(*u)->dirs = dir[i];
			} else if (phase[k] == (*u)->phase) {
				(*u)->dirs |= dir[i];
			}
		}
		if (phase[k] + 1U > phases)
			phases = phase[k] + 1U;
	}
	wgnote_free(note);
	strmap_free(&used, free);
	strmap_free(&wgaddr, NULL);
	strmap_free(&wgnode, NULL);
	free(seen);
	return phases;
}

/* probe_run_many() over the jobs of each phase in turn.  With wg, what
 * WireGuard saw of each probe that got no answer (wgnote_pair(), from
 * src[k], a node index) is read as its phase ends, before the next one's
 * handshakes change it; wg[k] NULL otherwise. */
static int run_phased(struct run *r, struct probe_job *jobs, const unsigned char *phase, unsigned int phases,
		      size_t n, unsigned int in_flight, const size_t *src, char **wg)
{
	struct probe_job *v = xcalloc(n ? n : 1, sizeof(*v));
	size_t *back = xcalloc(n ? n : 1, sizeof(*back));
	int err = 0;

	for (unsigned int p = 0; p < phases && !err; p++) {
		struct wgnote *note = NULL;
		size_t m = 0;

		for (size_t k = 0; k < n; k++) {
			if (phase[k] != p)
				continue;
			back[m] = k;
			v[m++] = jobs[k];
		}
		err = probe_run_many(r->loop, v, m, in_flight);
		for (size_t k = 0; k < m; k++) {
			jobs[back[k]] = v[k];
			if (wg && !err && v[k].err >= 0 && !v[k].res.ok)
				wg[back[k]] = wgnote_pair(r, &note, r->nodes[src[back[k]]].name, &v[k].req.dst,
							  v[k].req.flags & PROBE_HAS_SRC ? &v[k].req.src : NULL);
		}
		wgnote_free(note);
	}
	free(back);
	free(v);
	return err;
}

/* The nodes a failure's counters are read from: every source, and the
 * owner of every destination. */
static const char **set_nodes(struct run *r, const struct expect_set *set, size_t *ret_n)
{
	const char **v = xcalloc(set->n_src + set->n_dst + 1, sizeof(*v));
	size_t n = 0;

	for (size_t i = 0; i < set->n_src; i++)
		v[n++] = set->src[i].ref.node;
	for (size_t i = 0; i < set->n_dst; i++) {
		const struct rnode *o = set->dst[i].ref.node ? NULL : run_owner(r, &set->dst[i].addr);

		v[n++] = set->dst[i].ref.node ? set->dst[i].ref.node : o ? o->name : NULL;
	}
	*ret_n = n;
	return v;
}

static int set_reach(struct run *r, const struct stmt *s)
{
	const struct stmt_expect *e = &s->expect;
	const struct expect_set *set = e->set;
	const struct set_member *dmem = set->n_dst ? set->dst : set->src;
	size_t nd = set->n_dst ? set->n_dst : set->n_src, n_nodes, n_jobs = 0, k;
	uint32_t (*pairs)[2] = xcalloc(set->n_pairs, sizeof(*pairs));
	size_t n = expect_set_pairs(set, pairs);
	struct addr *addrs = xcalloc(nd, sizeof(*addrs));
	char **why = xcalloc(nd, sizeof(*why));
	struct rserver **own = xcalloc(nd, sizeof(*own));
	uint64_t *own_before = xcalloc(nd, sizeof(*own_before));
	int proto = e->reach.proto == REACH_TCP ? SERVE_TCP : SERVE_UDP;
	struct probe_job *jobs = xcalloc(n, sizeof(*jobs));
	size_t *job_of = xcalloc(n, sizeof(*job_of));
	struct spread *order = xcalloc(n, sizeof(*order));
	const char **nodes = set_nodes(r, set, &n_nodes);
	size_t *src_idx = xcalloc(n ? n : 1, sizeof(*src_idx));
	long *dst_idx = xcalloc(n ? n : 1, sizeof(*dst_idx));
	unsigned char *phase = xcalloc(n ? n : 1, 1);
	char **wg = xcalloc(n ? n : 1, sizeof(*wg)), *moved = NULL;
	struct kcount before;
	unsigned int phases;
	int err = 0;

	/* Each destination's address, and its listener, once. */
	for (k = 0; k < nd; k++) {
		char buf[160];
		const struct addr *a = member_addr(r, &dmem[k], set->family, &addrs[k], buf, sizeof(buf));

		if (!a) {
			why[k] = xstrdup(buf);
			continue;
		}
		addrs[k] = *a;
		if (e->reach.proto != REACH_ICMP) {
			err = run_auto_serve(r, proto, &addrs[k], e->reach.port);
			if (err < 0)
				goto cleanup;
			own[k] = run_auto_server(r, proto, &addrs[k], e->reach.port);
			own_before[k] = run_auto_answered(own[k]);
		}
	}
	for (k = 0; k < n; k++) {
		order[k].pair = k;
		order[k].key = (pairs[k][1] + nd - pairs[k][0] % nd) % nd;
	}
	qsort(order, n, sizeof(*order), spread_cmp);
	for (size_t o = 0; o < n; o++) {
		size_t p = order[o].pair, d = pairs[p][1];
		const struct rnode *owner;
		struct probe_job *j;

		job_of[p] = SIZE_MAX;
		if (why[d])
			continue;
		job_of[p] = n_jobs;
		src_idx[n_jobs] = (size_t)(run_node(r, set->src[pairs[p][0]].ref.node) - r->nodes);
		owner = dmem[d].ref.node ? run_node(r, dmem[d].ref.node) : run_owner(r, &addrs[d]);
		dst_idx[n_jobs] = owner ? owner - r->nodes : -1;
		j = &jobs[n_jobs++];
		j->from = run_node(r, set->src[pairs[p][0]].ref.node)->ns;
		j->req.proto = e->reach.proto == REACH_ICMP ? PROBE_ICMP :
			       e->reach.proto == REACH_TCP ? PROBE_TCP : PROBE_UDP;
		j->req.dst = addrs[d];
		j->req.port = e->reach.port;
		j->req.wait_ms = set_wait(r, e);
		j->req.backoff = true;
	}
	phases = set_phases(r, jobs, src_idx, dst_idx, n_jobs, phase);
	run_counters_read(r, &before, nodes, n_nodes);
	err = run_phased(r, jobs, phase, phases, n_jobs,
			 e->reach.proto == REACH_ICMP ? SET_ICMP_IN_FLIGHT : SET_SOCKET_IN_FLIGHT, src_idx,
			 e->negate ? NULL : wg);
	if (err < 0) {
		run_error(r, err, "Unable to evaluate '%s'", e->text);
		kcount_free(&before);
		goto cleanup;
	}
	for (k = 0; k < n && !moved; k++) {
		const struct probe_job *j = job_of[k] == SIZE_MAX ? NULL : &jobs[job_of[k]];

		if (!j || j->err < 0 || j->res.ok == e->negate)
			moved = run_counters_note(r, &before, nodes, n_nodes, "");
	}
	kcount_free(&before);
	for (k = 0; k < n; k++) {
		const struct probe_job *j = job_of[k] == SIZE_MAX ? NULL : &jobs[job_of[k]];
		char *text = expect_pair_text(e, &set->src[pairs[k][0]], &dmem[pairs[k][1]]), *ev;
		bool held;

		if (!j) {
			held = false;
			ev = xstrdup(why[pairs[k][1]]);
		} else if (j->err < 0) {
			held = false;
			ev = xasprintf("could not probe: %s", strerror(-j->err));
		} else {
			const char *note = wg[job_of[k]];
			size_t d = pairs[k][1];
			char own_note[256] = "";

			held = j->res.ok != e->negate;
			/* The destination's listener answered some of its
			 * pairs: this one's, if it was answered. */
			if (e->reach.proto != REACH_ICMP)
				run_auto_note(r, j->res.ok ? own[d] : NULL, own_before[d], proto, &addrs[d],
					      e->reach.port, j->res.ok, own_note, sizeof(own_note));
			ev = xasprintf("%s%s%s%s", j->res.evidence, own_note, held ? "" : moved,
				       !held && note ? note : "");
		}
		run_add_pair(r, s, text, k, n, held, j && !j->err ? (double)j->res.elapsed_ms : 0, ev);
		free(ev);
		free(text);
	}
cleanup:
	for (k = 0; k < n; k++)
		free(wg[k]);
	free(wg);
	free(src_idx);
	free(dst_idx);
	free(phase);
	for (k = 0; k < nd; k++)
		free(why[k]);
	free(why);
	free(own);
	free(own_before);
	free(moved);
	free(nodes);
	free(order);
	free(job_of);
	free(jobs);
	free(addrs);
	free(pairs);
	return err;
}

static int set_handshake(struct run *r, const struct stmt *s)
{
	const struct stmt_expect *e = &s->expect;
	const struct expect_set *set = e->set;
	const struct set_member *dmem = set->n_dst ? set->dst : set->src;
	uint32_t (*pairs)[2] = xcalloc(set->n_pairs, sizeof(*pairs));
	size_t n = expect_set_pairs(set, pairs), n_nodes;
	struct wgstate_job *jobs = xcalloc(n, sizeof(*jobs));
	const char **nodes = set_nodes(r, set, &n_nodes);
	char *moved = NULL, *names = xcalloc(n, 80);
	struct kcount before;
	int err = 0;

	for (size_t k = 0; k < n; k++) {
		const struct set_member *a = &set->src[pairs[k][0]], *b = &dmem[pairs[k][1]];
		struct rwg *w = run_wg(r, a->ref.node, a->ref.ifname);
		struct rwgkey *key = run_wg_key(r, b->ref.node, b->ref.ifname);

		if (!w || !key) {
			err = run_error(r, w ? -ENOKEY : -ENODEV, "Unable to read '%s:%s'", w ? b->ref.node : a->ref.node,
					w ? b->ref.ifname : a->ref.ifname);
			goto cleanup;
		}
		snprintf(names + k * 80, 80, "%s:%s", b->ref.node, b->ref.ifname);
		jobs[k].dev = w->dev;
		jobs[k].want.kind = WGSTATE_HANDSHAKE;
		jobs[k].want.negate = e->negate;
		memcpy(jobs[k].want.peer, key->pub, sizeof(jobs[k].want.peer));
		jobs[k].want.peer_name = names + k * 80;
		jobs[k].want.wait_ms = set_wait(r, e);
	}
	run_counters_read(r, &before, nodes, n_nodes);
	expect_wgstate_many(r->loop, jobs, n);
	for (size_t k = 0; k < n && !moved; k++)
		if (jobs[k].err < 0 || !jobs[k].v.held)
			moved = run_counters_note(r, &before, nodes, n_nodes, "");
	kcount_free(&before);
	for (size_t k = 0; k < n; k++) {
		char *text = expect_pair_text(e, &set->src[pairs[k][0]], &dmem[pairs[k][1]]), *ev;
		bool held = !jobs[k].err && jobs[k].v.held;

		if (jobs[k].err < 0)
			ev = xasprintf("could not read the interface: %s", strerror(-jobs[k].err));
		else
			ev = xasprintf("%s%s", jobs[k].v.evidence, held ? "" : moved);
		run_add_pair(r, s, text, k, n, held, (double)jobs[k].elapsed_ms, ev);
		free(ev);
		free(text);
	}
cleanup:
	free(moved);
	free(names);
	free(nodes);
	free(jobs);
	free(pairs);
	return err;
}

int exec_expect_set(struct run *r, const struct stmt *s)
{
	return s->expect.kind == EXPECT_HANDSHAKE ? set_handshake(r, s) : set_reach(r, s);
}

/* Series (count, size, don't fragment, interval) run alone: their
 * verdict is the series', not a first reply's. */
bool exec_batchable(const struct stmt *s)
{
	const struct stmt_expect *e = &s->expect;

	return s->kind == STMT_EXPECT && !e->set && e->kind == EXPECT_REACH && !e->negate &&
	       !e->reach.count && !e->reach.size && !e->reach.df && !e->reach.interval_ms;
}

int exec_expect_batch(struct run *r, const struct stmt *const *v, size_t n)
{
	struct probe_job *jobs = xcalloc(n, sizeof(*jobs));
	struct rserver **own = xcalloc(n, sizeof(*own));
	uint64_t *own_before = xcalloc(n, sizeof(*own_before));
	const char **nodes = xcalloc(2 * n, sizeof(*nodes));
	size_t *src_idx = xcalloc(n, sizeof(*src_idx)), n_nodes = 0, k;
	long *dst_idx = xcalloc(n, sizeof(*dst_idx));
	unsigned char *phase = xcalloc(n, 1);
	char **wg = xcalloc(n, sizeof(*wg)), *moved = NULL;
	struct kcount before;
	unsigned int phases;
	bool sockets = false;
	int err = 0;

	for (k = 0; k < n; k++) {
		const struct stmt_expect *e = &v[k]->expect;
		const struct rnode *owner = run_owner(r, &e->reach.dst);
		struct probe_job *j = &jobs[k];

		if (e->reach.proto != REACH_ICMP) {
			sockets = true;
			r->cur = v[k];
			err = run_auto_serve(r, e->reach.proto == REACH_TCP ? SERVE_TCP : SERVE_UDP, &e->reach.dst,
					     e->reach.port);
			if (err < 0)
				goto cleanup;
			own[k] = run_auto_server(r, e->reach.proto == REACH_TCP ? SERVE_TCP : SERVE_UDP,
						 &e->reach.dst, e->reach.port);
			own_before[k] = run_auto_answered(own[k]);
		}
		j->from = run_node(r, e->node)->ns;
		src_idx[k] = (size_t)(run_node(r, e->node) - r->nodes);
		dst_idx[k] = owner ? owner - r->nodes : -1;
		j->req.proto = e->reach.proto == REACH_ICMP ? PROBE_ICMP :
			       e->reach.proto == REACH_TCP ? PROBE_TCP : PROBE_UDP;
		j->req.dst = e->reach.dst;
		j->req.port = e->reach.port;
		if (e->reach.src.family) {
			j->req.src = e->reach.src;
			j->req.flags |= PROBE_HAS_SRC;
		}
		j->req.wait_ms = set_wait(r, e);
		j->req.backoff = true;
		nodes[n_nodes++] = e->node;
		if (owner)
			nodes[n_nodes++] = owner->name;
	}
	phases = set_phases(r, jobs, src_idx, dst_idx, n, phase);
	run_counters_read(r, &before, nodes, n_nodes);
	err = run_phased(r, jobs, phase, phases, n, sockets ? SET_SOCKET_IN_FLIGHT : SET_ICMP_IN_FLIGHT, src_idx, wg);
	if (err < 0) {
		run_error(r, err, "Unable to evaluate '%s'", v[0]->expect.text);
		kcount_free(&before);
		goto cleanup;
	}
	for (k = 0; k < n && !moved; k++)
		if (jobs[k].err < 0 || !jobs[k].res.ok)
			moved = run_counters_note(r, &before, nodes, n_nodes, "");
	kcount_free(&before);
	for (k = 0; k < n; k++) {
		const struct stmt_expect *e = &v[k]->expect;
		char own_note[256] = "";

		/* A probe that could not run stops the scenario there, as it
		 * does run alone. */
		if (jobs[k].err < 0) {
			r->cur = v[k];
			err = run_error(r, jobs[k].err, "Unable to evaluate '%s'", e->text);
			break;
		}
		r->cur = v[k];
		if (e->reach.proto != REACH_ICMP)
			run_auto_note(r, own[k], own_before[k], e->reach.proto == REACH_TCP ? SERVE_TCP : SERVE_UDP,
				      &e->reach.dst, e->reach.port, jobs[k].res.ok, own_note, sizeof(own_note));
		run_add_result(r, v[k], lab_expect_kind_name(e->kind), jobs[k].res.ok,
			       (double)jobs[k].res.elapsed_ms, "%s%s%s%s", jobs[k].res.evidence, own_note,
			       jobs[k].res.ok ? "" : moved, wg[k] ? wg[k] : "");
	}
cleanup:
	for (k = 0; k < n; k++)
		free(wg[k]);
	free(wg);
	free(src_idx);
	free(dst_idx);
	free(phase);
	free(moved);
	free(nodes);
	free(own_before);
	free(own);
	free(jobs);
	return err;
}
