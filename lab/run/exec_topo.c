// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* Carrying out topology statements: node, link, lan, address, route, rule,
 * sysctl; and the wait until the interfaces carry traffic. */
#include "lab/lang/model.h"
#include "lab/run/exec_capture.h"
#include "lab/run/exec_topo.h"
#include "lab/run/interrupt.h"
#include "lab/run/run_ctx.h"
#include "netns/link.h"
#include "netns/ns.h"
#include "netns/sysctl.h"
#include "netns/qdisc.h"
#include "netns/ready.h"
#include "netns/route.h"
#include "netns/rule.h"
#include "netns/util/now.h"
#include "netns/util/xalloc.h"
#include "traffic/loop.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static void run_add_if(struct run *r, const char *node, const char *ifname, const char *peer, const char *lan,
		const struct addr_list *addrs)
{
	struct rif *v = xrealloc(r->ifs, (r->n_ifs + 1) * sizeof(*v));

	r->ifs = v;
	v = &v[r->n_ifs++];
	memset(v, 0, sizeof(*v));
	v->node = xstrdup(node);
	snprintf(v->ifname, sizeof(v->ifname), "%s", ifname);
	v->peer = xstrdup(peer);
	v->lan = xstrdup(lan);
	for (size_t i = 0; addrs && i < addrs->n; i++)
		addr_list_push(&v->addrs, &addrs->v[i]);
}

#define READY_WAIT_MS 3000

struct pending_if {
	size_t node;			/* index in r->nodes */
	size_t i;			/* index in r->ifs */
};

static int pending_cmp(const void *a, const void *b)
{
	const struct pending_if *x = a, *y = b;

	if (x->node != y->node)
		return x->node < y->node ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/*
 * The interfaces made since the last wait, grouped by node: each round
 * reads each node's state once (netns/ready.h ready_snap) for all its
 * interfaces still waiting, so that a hub of n interfaces costs n log n,
 * not n reads of its n-line tables.
 */
void run_wait_ready(struct run *r)
{
	uint64_t end = now_ms() + READY_WAIT_MS;
	size_t n = r->n_ifs - r->ifs_ready, k;
	struct pending_if *v;

	if (!n)
		return;
	v = xcalloc(n, sizeof(*v));
	for (k = 0; k < n; k++) {
		v[k].i = r->ifs_ready + k;
		v[k].node = (size_t)(run_node(r, r->ifs[v[k].i].node) - r->nodes);
	}
	qsort(v, n, sizeof(*v), pending_cmp);
	while (n && !run_interrupted) {
		size_t left = 0;

		for (size_t a = 0, b; a < n; a = b) {
			struct ready_snap *snap = NULL;

			for (b = a; b < n && v[b].node == v[a].node; b++)
				;
			/* An unreadable node is not waited for. */
			if (ready_snap_take(r->nodes[v[a].node].ns, &snap) < 0)
				continue;
			for (k = a; k < b; k++) {
				bool ready = false;

				if (ready_snap_if(snap, r->ifs[v[k].i].ifname, &ready) == 0 && !ready)
					v[left++] = v[k];
			}
			ready_snap_free(snap);
		}
		n = left;
		if (!n)
			break;
		if (now_ms() >= end) {
			for (k = 0; k < n; k++)
				run_note(r, "interface %s:%s did not carry traffic within %.1f s", r->ifs[v[k].i].node,
					 r->ifs[v[k].i].ifname, READY_WAIT_MS / 1000.0);
			break;
		}
		loop_run_once(r->loop, 2);
	}
	free(v);
	r->ifs_ready = r->n_ifs;
}

static struct rnode *add_rnode(struct run *r, const char *name, struct netns *ns, unsigned int flags,
			       bool lan)
{
	struct rnode *v = xrealloc(r->nodes, (r->n_nodes + 1) * sizeof(*v));

	r->nodes = v;
	v = &r->nodes[r->n_nodes++];
	memset(v, 0, sizeof(*v));
	v->name = xstrdup(name);
	v->ns = ns;
	v->flags = flags;
	v->lan = lan;
	return v;
}

static void own_addrs(struct rnode *n, const struct addr_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		addr_list_push(&n->addrs, &l->v[i]);
}

static void disown_addr(struct rnode *n, const struct addr *a)
{
	for (size_t i = 0; i < n->addrs.n; i++) {
		if (!addr_equal(&n->addrs.v[i], a))
			continue;
		n->addrs.v[i] = n->addrs.v[--n->addrs.n];
		return;
	}
}

/*
 * A fresh namespace with the baseline every node starts from: loopback up,
 * no IPv6 duplicate address detection (netns_new(0) turns it off, or a
 * router forwards no IPv6 for its first seconds) or no IPv6 at all
 * (NETNS_NO_IPV6, `ipv6 off`), forwarding as the node
 * says (a new namespace has it off), rp_filter as the kernel leaves it in a
 * new namespace (0).
 */
static int new_namespace(struct run *r, const char *what, const char *name, unsigned int flags,
			 struct netns **ret)
{
	struct netns *ns = netns_new(flags);
	int err;

	if (!ns)
		return run_error(r, -errno, "Unable to create the namespace of %s '%s'", what, name);
	err = link_set_up(ns, "lo", true);
	if (err < 0) {
		run_kernel_error(r, ns, err, "Unable to bring up 'lo' in %s '%s'", what, name);
		netns_free(ns);
		return err;
	}
	*ret = ns;
	return 0;
}

int exec_node(struct run *r, const struct stmt *s)
{
	static const char *const forwarding[] = { "net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding" };
	struct netns *ns;
	int err;

	err = new_namespace(r, "node", s->node.name, s->node.flags & NODE_NO_IPV6 ? NETNS_NO_IPV6 : 0, &ns);
	if (err < 0)
		return err;
	add_rnode(r, s->node.name, ns, s->node.flags, false);
	run_capture_now(r, s->node.name, NULL, NULL);
	if (!(s->node.flags & NODE_ROUTER))
		return 0;
	for (size_t i = 0; i < 2; i++) {
		err = netns_sysctl_set(ns, forwarding[i], "1");
		if (err < 0)
			return run_error(r, err, "Unable to set '%s' on router '%s'", forwarding[i],
					 s->node.name);
	}
	return 0;
}

static int add_addrs(struct run *r, struct rnode *n, const char *ifname, const struct addr_list *l)
{
	char buf[ADDR_STRLEN];
	int err;

	for (size_t i = 0; i < l->n; i++) {
		err = addr_add(n->ns, ifname, &l->v[i]);
		if (err < 0)
			return run_kernel_error(r, n->ns, err, "Unable to add address %s to '%s:%s'",
					 addr_format(&l->v[i], true, buf, sizeof(buf)), n->name, ifname);
	}
	own_addrs(n, l);
	return 0;
}

/* Rate, delay, jitter, loss of a link statement on the egress of both
 * ends, so the link is shaped each way.  Without sch_netem: "Unable to
 * emulate delay or loss on 'a:eth0': this kernel has no sch_netem: ...". */
static int link_shape(struct run *r, const struct stmt *s)
{
	const struct stmt_link *l = &s->link;
	struct qdisc_shape q = { 0 };
	int err;

	if (l->flags & LINK_HAS_RATE) {
		q.flags |= QDISC_HAS_RATE;
		q.rate_bps = l->rate_bps;
	}
	if (l->flags & LINK_HAS_DELAY) {
		q.flags |= QDISC_HAS_DELAY;
		q.delay_us = l->delay_us;
		q.jitter_us = l->jitter_us;
	}
	if (l->flags & LINK_HAS_LOSS) {
		q.flags |= QDISC_HAS_LOSS;
		q.loss_ppm = l->loss_ppm;
	}
	if (!q.flags)
		return 0;
	for (int k = 0; k < 2; k++) {
		const struct ifref *ref = &l->end[k].ref;
		struct rnode *n = run_node(r, ref->node);

		err = qdisc_shape(n->ns, ref->ifname, &q);
		if (err == -EOPNOTSUPP && (q.flags & (QDISC_HAS_DELAY | QDISC_HAS_LOSS)))
			return run_kernel_error(r, n->ns, err,
						"Unable to emulate delay or loss on '%s:%s': this kernel has no sch_netem",
						ref->node, ref->ifname);
		if (err < 0)
			return run_kernel_error(r, n->ns, err, "Unable to shape '%s:%s'", ref->node, ref->ifname);
	}
	return 0;
}

int exec_link(struct run *r, const struct stmt *s)
{
	const struct stmt_link *l = &s->link;
	struct rnode *a = run_node(r, l->end[0].ref.node), *b = run_node(r, l->end[1].ref.node);
	int err, k;

	err = link_add_veth(a->ns, l->end[0].ref.ifname, b->ns, l->end[1].ref.ifname,
			    (l->flags & LINK_HAS_MTU) ? l->mtu : 0);
	if (err < 0)
		return run_kernel_error(r, a->ns, err, "Unable to create link '%s:%s' -- '%s:%s'", a->name,
					l->end[0].ref.ifname, b->name, l->end[1].ref.ifname);
	err = link_shape(r, s);
	if (err < 0)
		return err;
	for (k = 0; k < 2; k++) {
		struct rnode *n = k ? b : a;
		const char *ifname = l->end[k].ref.ifname;

		err = link_set_up(n->ns, ifname, true);
		if (err < 0)
			return run_kernel_error(r, n->ns, err, "Unable to bring up '%s:%s'", n->name, ifname);
		/* Before its addresses: `sees` counts from when it came up. */
		run_capture_now(r, n->name, ifname, NULL);
		err = add_addrs(r, n, ifname, &l->end[k].addrs);
		if (err < 0)
			return err;
		run_add_if(r, n->name, ifname, (k ? a : b)->name, NULL, &l->end[k].addrs);
	}
	return 0;
}

int exec_link_set(struct run *r, const struct stmt *s)
{
	const struct stmt_link_set *l = &s->link_set;
	struct rnode *n = run_node(r, l->ref.node);
	int err;

	if (l->op == LINK_MTU)
		err = link_set_mtu(n->ns, l->ref.ifname, l->mtu);
	else
		err = link_set_up(n->ns, l->ref.ifname, l->op == LINK_UP);
	if (err < 0)
		return run_kernel_error(r, n->ns, err, "Unable to set '%s:%s' %s", n->name, l->ref.ifname,
					l->op == LINK_MTU ? "mtu" : l->op == LINK_UP ? "up" : "down");
	if (l->op == LINK_UP)
		run_capture_now(r, n->name, l->ref.ifname, NULL);
	return 0;
}

/* A lan is a bridge in a namespace of its own; each member gets a veth
 * whose far end is a bridge port. */
int exec_lan(struct run *r, const struct stmt *s)
{
	const struct stmt_lan *l = &s->lan;
	struct netns *ns;
	struct rnode *lan;
	int err;

	err = new_namespace(r, "lan", l->name, 0, &ns);
	if (err < 0)
		return err;
	lan = add_rnode(r, l->name, ns, 0, true);
	/* Bridged frames must not go through IP netfilter hooks in the lan. */
	err = netns_sysctl_set(ns, "net.bridge.bridge-nf-call-iptables", "0");
	if (!err)
		err = netns_sysctl_set(ns, "net.bridge.bridge-nf-call-ip6tables", "0");
	if (err < 0 && err != -ENOENT)
		return run_error(r, err, "Unable to turn off bridge netfilter in lan '%s'", l->name);
	err = link_add_bridge(ns, "br0");
	if (!err && l->mtu)
		err = link_set_mtu(ns, "br0", l->mtu);
	if (!err)
		err = link_set_up(ns, "br0", true);
	if (err < 0)
		return run_kernel_error(r, ns, err, "Unable to create the bridge of lan '%s'", l->name);
	run_capture_now(r, l->name, NULL, NULL);
	for (size_t i = 0; i < l->n_members; i++) {
		const struct lan_member *m = &l->members[i];
		struct rnode *n = run_node(r, m->ref.node);
		struct netns *on = n->ns;	/* where a refused request went */
		char port[IF_NAMESIZE];

		/* run_node() may move nodes: look the lan up again. */
		lan = run_node(r, l->name);
		snprintf(port, sizeof(port), "p%u", lan->ports++);
		err = link_add_veth(n->ns, m->ref.ifname, lan->ns, port, l->mtu);
		if (!err) {
			on = lan->ns;
			err = link_set_master(lan->ns, port, "br0");
		}
		if (!err)
			err = link_set_up(lan->ns, port, true);
		if (!err) {
			on = n->ns;
			err = link_set_up(n->ns, m->ref.ifname, true);
		}
		if (err < 0)
			return run_kernel_error(r, on, err, "Unable to connect '%s:%s' to lan '%s'", n->name,
						m->ref.ifname, l->name);
		run_capture_now(r, l->name, port, NULL);
		run_capture_now(r, n->name, m->ref.ifname, NULL);
		err = add_addrs(r, n, m->ref.ifname, &m->addrs);
		if (err < 0)
			return err;
		run_add_if(r, n->name, m->ref.ifname, NULL, l->name, &m->addrs);
	}
	return 0;
}

int exec_address(struct run *r, const struct stmt *s)
{
	const struct stmt_address *a = &s->address;
	struct rnode *n = run_node(r, a->ref.node);
	char buf[ADDR_STRLEN];
	int err;

	if (a->op == OP_ADD)
		return add_addrs(r, n, a->ref.ifname, &a->addrs);
	for (size_t i = 0; i < a->addrs.n; i++) {
		err = addr_del(n->ns, a->ref.ifname, &a->addrs.v[i]);
		if (err < 0)
			return run_kernel_error(r, n->ns, err, "Unable to delete address %s from '%s:%s'",
						addr_format(&a->addrs.v[i], true, buf, sizeof(buf)), n->name,
						a->ref.ifname);
		disown_addr(n, &a->addrs.v[i]);
	}
	return 0;
}

static const char *route_text(const struct route *rt, char *buf, size_t len)
{
	char dst[ADDR_STRLEN], gw[ADDR_STRLEN];
	int n;

	if (rt->dst.prefixlen || !addr_is_any(&rt->dst))
		addr_format(&rt->dst, true, dst, sizeof(dst));
	else
		snprintf(dst, sizeof(dst), "default");
	n = snprintf(buf, len, "%s", dst);
	if (rt->flags & ROUTE_HAS_GW)
		n += snprintf(buf + n, len - (size_t)n, " via %s", addr_format(&rt->gw, false, gw, sizeof(gw)));
	if ((rt->flags & ROUTE_HAS_DEV) && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " dev %s", rt->dev);
	return buf;
}

int exec_route(struct run *r, const struct stmt *s)
{
	const struct stmt_route *rs = &s->route;
	struct rnode *n = run_node(r, rs->node);
	char buf[128];
	int err;

	if (rs->op == OP_DEL)
		err = route_del(n->ns, &rs->r);
	else if (rs->op == OP_REPLACE)
		err = (route_del(n->ns, &rs->r), route_add(n->ns, &rs->r));
	else
		err = route_add(n->ns, &rs->r);
	if (err < 0)
		return run_kernel_error(r, n->ns, err, "Unable to %s route '%s' on '%s'",
					rs->op == OP_DEL ? "delete" : "add", route_text(&rs->r, buf, sizeof(buf)),
					n->name);
	return 0;
}

int exec_rule(struct run *r, const struct stmt *s)
{
	const struct stmt_rule *rs = &s->rule;
	struct rnode *n = run_node(r, rs->node);
	int err;

	err = rs->op == OP_DEL ? rule_del(n->ns, &rs->r) : rule_add(n->ns, &rs->r);
	if (err < 0)
		return run_kernel_error(r, n->ns, err, "Unable to %s rule on '%s'",
					rs->op == OP_DEL ? "delete" : "add", n->name);
	return 0;
}

int exec_sysctl(struct run *r, const struct stmt *s)
{
	const struct stmt_sysctl *sc = &s->sysctl;
	struct rnode *n = run_node(r, sc->node);
	int err;

	for (size_t i = 0; i < sc->n; i++) {
		err = netns_sysctl_set(n->ns, sc->kv[i].key, sc->kv[i].value);
		if (err < 0)
			return run_error(r, err, "Unable to set sysctl '%s' to '%s' on '%s'", sc->kv[i].key,
					 sc->kv[i].value, n->name);
	}
	return 0;
}
