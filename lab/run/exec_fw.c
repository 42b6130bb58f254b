// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* Carrying out firewall, nft, nat and conntrack statements, and the NAT
 * self-check. */
#include "assertions/natcheck.h"
#include "lab/lang/notes.h"
#include "lab/lang/parse_fw.h"
#include "lab/run/exec_fw.h"
#include "lab/run/exec_topo.h"
#include "lab/run/run_ctx.h"
#include "lab/run/run_names.h"
#include "netns/conntrack.h"
#include "netns/fw/fw.h"
#include "netns/fw/nat.h"
#include "netns/nftext.h"
#include "netns/route.h"
#include "netns/util/now.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* Rules that touch NAT make conntrack forget the flows NATed (or not)
 * under the old rules, as `conntrack -F` after a rule change does. */
static bool touches_nat(const char *text)
{
	return strstr(text, "-t nat") || strstr(text, "*nat") || strstr(text, "--table nat");
}

struct fw_walk {
	struct fw_ruleset *fw;
	struct fw_error *e;
};

static int exec_firewall_line(void *arg, const char *line, unsigned int ln, int family)
{
	struct fw_walk *w = arg;

	if (family < 0) {
		snprintf(w->e->msg, sizeof(w->e->msg), "a save header of the other family than the block's");
		w->e->line = ln;
		return family;
	}
	return fw_parse_line(w->fw, family, line, ln, w->e);
}

int exec_firewall(struct run *r, const struct stmt *s)
{
	const struct stmt_firewall *f = &s->firewall;
	struct rnode *n = run_node(r, f->node);
	struct fw_error e = { 0 };
	char *text = f->rule ? xstrdup(f->rule) : run_block_text(r, s);
	struct fw_walk w = { NULL, &e };
	int err;

	if (!n->fw)
		n->fw = fw_ruleset_new();
	w.fw = n->fw;
	err = parse_firewall_lines(s, text, exec_firewall_line, &w);
	if (!err && !f->rule)
		err = fw_parse_finish(n->fw, &e);
	if (err < 0) {
		fw_discard(n->fw);
		snprintf(r->err, sizeof(r->err), "Unable to parse the rule at line %u: %s", e.line ? e.line : s->loc.line,
			 e.msg);
		goto cleanup;
	}
	err = fw_apply(n->ns, n->fw, &e);
	if (err < 0) {
		snprintf(r->err, sizeof(r->err), "Unable to apply the rule at line %u on '%s': %s",
			 e.line ? e.line : s->loc.line, n->name, e.msg[0] ? e.msg : strerror(-err));
		goto cleanup;
	}
	if (touches_nat(text))
		conntrack_flush(n->ns);
cleanup:
	free(text);
	return err;
}

int exec_nft(struct run *r, const struct stmt *s)
{
	struct rnode *n = run_node(r, s->firewall.node);
	char *text = run_block_text(r, s), msg[512];
	int err;

	err = nftext_apply(n->ns, text, msg, sizeof(msg));
	if (err < 0)
		snprintf(r->err, sizeof(r->err), "Unable to apply the nft rules on '%s' (block from line %u): %s",
			 n->name, s->block.first_line, msg[0] ? msg : strerror(-err));
	else if (strstr(text, " nat") || strstr(text, "masquerade") || strstr(text, "snat") ||
		 strstr(text, "dnat"))
		conntrack_flush(n->ns);
	free(text);
	return err;
}

int exec_nat(struct run *r, const struct stmt *s)
{
	const struct stmt_nat *ns = &s->nat;
	struct rnode *n = run_node(r, ns->node);
	struct fw_error e = { 0 };
	struct nat_spec spec;
	struct rnat *rn;
	char note[512];
	int err;

	err = nat_parse((const char *const *)ns->argv, ns->argc, &spec, &e);
	if (!n->nat_tmo)
		n->nat_tmo = xcalloc(1, sizeof(*n->nat_tmo));
	if (!err)
		err = nat_apply(n->ns, ns->argv[0], &spec, n->nat_tmo, &e);
	if (err < 0) {
		snprintf(r->err, sizeof(r->err), "Unable to make '%s:%s' a NAT: %s", n->name, ns->argv[0],
			 e.msg[0] ? e.msg : strerror(-err));
		return err;
	}
	conntrack_flush(n->ns);
	/* The device is a `table ip`: said where IPv6 passes it. */
	if (lab_nat_ipv6_note(run_names(r), s, note, sizeof(note)))
		run_note(r, "%s", note);
	rn = xcalloc(1, sizeof(*rn));
	rn->s = s;
	rn->next = r->nats;
	r->nats = rn;
	/* Measured before the first step, once the topology is built: every
	 * rule of the node counts, also those of later statements. */
	return 0;
}

int exec_conntrack(struct run *r, const struct stmt *s)
{
	struct rnode *n = run_node(r, s->conntrack.node);
	int err = conntrack_flush(n->ns);

	if (err < 0)
		return run_kernel_error(r, n->ns, err, "Unable to flush the conntrack table of '%s'", n->name);
	return 0;
}

static const struct rif *find_if(const struct run *r, const char *node, const char *ifname)
{
	for (size_t i = 0; i < r->n_ifs; i++)
		if (!strcmp(r->ifs[i].node, node) && !strcmp(r->ifs[i].ifname, ifname))
			return &r->ifs[i];
	return NULL;
}

/* Whether a `nat` of the run so far has node:ifname as its outside. */
static bool nats_on(const struct run *r, const char *node, const char *ifname)
{
	for (const struct rnat *rn = r->nats; rn; rn = rn->next)
		if (!strcmp(rn->s->nat.node, node) && !strcmp(rn->s->nat.argv[0], ifname))
			return true;
	return false;
}

/* A node wired to iface (the far end of its link, or another member of
 * its lan), with the address it has there in family fam.  With avoid_nat,
 * one that is not itself a NAT there comes first. */
static const struct rif *neighbour(const struct run *r, const struct rif *iface, int fam,
				   bool avoid_nat, const struct addr **ret_addr)
{
	for (int pass = avoid_nat ? 0 : 1; pass < 2; pass++) {
		for (size_t i = 0; i < r->n_ifs; i++) {
			const struct rif *o = &r->ifs[i];

			if (o == iface || !strcmp(o->node, iface->node))
				continue;
			if (iface->peer ? !(o->peer && !strcmp(o->node, iface->peer) &&
					    !strcmp(o->peer, iface->node)) :
					  !(o->lan && iface->lan && !strcmp(o->lan, iface->lan)))
				continue;
			if (!pass && nats_on(r, o->node, o->ifname))
				continue;
			for (size_t k = 0; k < o->addrs.n; k++) {
				if (o->addrs.v[k].family == fam) {
					*ret_addr = &o->addrs.v[k];
					return o;
				}
			}
		}
	}
	return NULL;
}

static const struct addr *if_addr(const struct rif *iface, int fam)
{
	for (size_t k = 0; k < iface->addrs.n; k++)
		if (iface->addrs.v[k].family == fam)
			return &iface->addrs.v[k];
	return NULL;
}

/* Two reflector addresses from 198.18.0.0/15 that the lab does not use. */
static void pick_reflectors(struct run *r, struct addr ret[2])
{
	unsigned int host = 1, got = 0;

	while (got < 2 && host < 65000) {
		struct addr a = { .family = AF_INET, .prefixlen = 32 };

		a.v4.s_addr = htonl(0xc6120000u + host++);
		if (!run_owner(r, &a))
			ret[got++] = a;
	}
}

/* A /32 route towards a reflector in ns via gw, unless ns already routes it
 * through gw.  Returns 1 when it added one (to remove afterwards). */
static int temp_route(struct netns *ns, const struct addr *dst, const struct addr *gw)
{
	struct route q = { 0 }, got = { 0 }, rt = { 0 };

	q.dst = *dst;
	if (!route_get(ns, &q, &got) && (got.flags & ROUTE_HAS_GW) && addr_equal(&got.gw, gw))
		return 0;
	rt.dst = *dst;
	rt.gw = *gw;
	rt.flags = ROUTE_HAS_GW;
	rt.table = 254;
	return route_add(ns, &rt) < 0 ? 0 : 1;
}

/* What the inside node's own firewall did to the probes: "; a's own
 * firewall let the probes through (ip filter INPUT)", and the chains it
 * could not open, which may be what dropped them. */
static void nat_check_inside(const struct natcheck_result *res, const char *host, char *buf,
			     size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	if (res->inside_passed[0])
		off += (size_t)snprintf(buf, len, "; %s's own firewall let the probes through (%s)", host,
					res->inside_passed);
	if (off < len && res->inside_err)
		snprintf(buf + off, len - off,
			 "; %s's own firewall could not be opened for the probes (%s): what it drops "
			 "counts as the NAT's", host, strerror(-res->inside_err));
	else if (off < len && res->inside_in_way[0])
		snprintf(buf + off, len - off,
			 "; %s's own firewall could not be opened for the probes in %s: what it drops "
			 "counts as the NAT's", host, res->inside_in_way);
}

/* Measures one NAT.  One with nothing behind it or beyond it yet is left
 * for a later step (a node may be wired there later: a roam), and only
 * when last, a note says why it was not measured. */
static void nat_check_one(struct run *r, struct rnat *rn, bool last)
{
	const struct stmt_nat *sn = &rn->s->nat;
	struct natcheck_config cfg = { 0 };
	struct natcheck_result res = { 0 };
	struct fw_error e = { 0 };
	struct nat_spec spec;
	const struct rif *out = find_if(r, sn->node, sn->argv[0]), *in = NULL, *host = NULL, *far;
	const struct addr *host_addr = NULL, *far_addr = NULL, *nat_in = NULL;
	uint64_t t0 = now_ms();
	int added[2][2] = { { 0 } }, err;
	char text[1024], why[512] = "", inside[768];
	bool agrees;

	nat_parse((const char *const *)sn->argv, sn->argc, &spec, &e);
	far = out ? neighbour(r, out, AF_INET, true, &far_addr) : NULL;
	for (size_t i = 0; i < r->n_ifs && !host; i++) {
		in = &r->ifs[i];
		if (strcmp(in->node, sn->node) || in == out || !(nat_in = if_addr(in, AF_INET)))
			continue;
		if (spec.inside[0] && strcmp(in->ifname, spec.inside))
			continue;
		host = neighbour(r, in, AF_INET, false, &host_addr);
	}
	if (!far || !host) {
		if (!last)
			return;
		rn->checked = true;
		run_note(r, "nat %s:%s was not measured: %s", sn->node, sn->argv[0],
			 !far ? "nothing with an IPv4 address is wired to its outside interface" :
				"no node with an IPv4 address sits behind it");
		return;
	}
	rn->checked = true;
	run_wait_ready(r);
	cfg.inside = run_node(r, host->node)->ns;
	cfg.nat = run_node(r, sn->node)->ns;
	cfg.outside = run_node(r, far->node)->ns;
	cfg.inside_addr = *host_addr;
	cfg.inside_addr.prefixlen = 32;
	pick_reflectors(r, cfg.reflector);
	/* The probes are the lab's traffic: captures leave them out. */
	for (int k = 0; k < 2; k++)
		addr_list_push(&r->reflectors, &cfg.reflector[k]);
	for (int k = 0; k < 2; k++) {
		added[0][k] = temp_route(cfg.inside, &cfg.reflector[k], nat_in);
		added[1][k] = temp_route(cfg.nat, &cfg.reflector[k], far_addr);
	}
	err = natcheck_run(&cfg, &res);
	for (int k = 0; k < 2; k++) {
		struct route rt = { .dst = cfg.reflector[k], .flags = ROUTE_HAS_GW, .table = 254 };

		rt.gw = *nat_in;
		if (added[0][k])
			route_del(cfg.inside, &rt);
		rt.gw = *far_addr;
		if (added[1][k])
			route_del(cfg.nat, &rt);
	}
	nat_check_inside(&res, host->node, inside, sizeof(inside));
	if (err < 0) {
		run_add_result(r, rn->s, "nat", false, (double)(now_ms() - t0),
			       "nat %s:%s could not be measured from %s: %s%s", sn->node, sn->argv[0],
			       host->node, strerror(-err), inside);
		return;
	}
	natcheck_format(&res, text, sizeof(text));
	agrees = natcheck_agrees(&res, &spec, why, sizeof(why));
	run_add_result(r, rn->s, "nat", agrees,
		       (double)(now_ms() - t0),
		       "declared %s (%s, %s, ports %s); measured from %s, reflectors on %s: %s%s%s%s",
		       spec.preset, nat_mapping_name(spec.mapping), nat_filtering_name(spec.filtering),
		       spec.port == NAT_PORT_PRESERVE ? "preserved" : "random", host->node, far->node,
		       text, why[0] ? "; " : "", why, inside);
}

int run_nat_checks(struct run *r, bool last)
{
	struct rnat **v = NULL;
	size_t n = 0;

	/* r->nats is newest first: measure in the order declared. */
	for (struct rnat *rn = r->nats; rn; rn = rn->next) {
		if (rn->checked)
			continue;
		v = xrealloc(v, (n + 1) * sizeof(*v));
		v[n++] = rn;
	}
	while (n)
		nat_check_one(r, v[--n], last);
	free(v);
	return 0;
}

void run_fw_teardown(struct run *r)
{
	for (struct rnat *n = r->nats, *next; n; n = next) {
		next = n->next;
		free(n);
	}
	r->nats = NULL;
	for (size_t i = 0; i < r->n_ifs; i++) {
		free(r->ifs[i].node);
		free(r->ifs[i].peer);
		free(r->ifs[i].lan);
		free(r->ifs[i].addrs.v);
	}
	free(r->ifs);
	r->ifs = NULL;
	r->n_ifs = 0;
	for (size_t i = 0; i < r->n_nodes; i++) {
		fw_ruleset_free(r->nodes[i].fw);
		r->nodes[i].fw = NULL;
		free(r->nodes[i].nat_tmo);
		r->nodes[i].nat_tmo = NULL;
	}
}
