// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "lab/lang/model.h"
#include "netns/wg/wgconf.h"
#include "netns/util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void addr_list_push(struct addr_list *l, const struct addr *a)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = *a;
}

struct lab *lab_new(void)
{
	return xcalloc(1, sizeof(struct lab));
}

struct stmt *stmt_new(struct lab *lab, enum stmt_kind kind, const struct loc *loc)
{
	struct stmt *s = xcalloc(1, sizeof(*s));

	(void)lab;
	s->kind = kind;
	s->loc = *loc;
	return s;
}

void lab_append(struct lab *lab, struct stmt *s)
{
	if (lab->last_stmt)
		lab->last_stmt->next = s;
	else
		lab->first_stmt = s;
	lab->last_stmt = s;
	if (s->kind == STMT_NODE)
		lab->n_nodes++;
	else if (s->kind == STMT_EXPECT)
		lab->n_expects++;
}

const char *lab_intern(struct lab *lab, const char *s)
{
	lab->strings = xgrow(lab->strings, lab->n_strings, sizeof(*lab->strings));
	lab->strings[lab->n_strings] = xstrdup(s);
	return lab->strings[lab->n_strings++];
}

static void strv_free(char **v, size_t n)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void argv_free(char **argv)
{
	char **a;

	if (!argv)
		return;
	for (a = argv; *a; a++)
		free(*a);
	free(argv);
}

static void set_free(struct expect_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n_src; i++)
		free(set->src[i].ref.node);
	for (size_t i = 0; i < set->n_dst; i++)
		free(set->dst[i].ref.node);
	free(set->src);
	free(set->dst);
	free(set);
}

static void expect_free(struct stmt_expect *e)
{
	set_free(e->set);
	if (e->kind == EXPECT_HANDSHAKE || e->kind == EXPECT_ENDPOINT || e->kind == EXPECT_TRANSFER ||
	    e->kind == EXPECT_WGDEVICE)
		free(e->wg.peer.node);
	if (e->kind == EXPECT_CONNTRACK)
		free(e->ct);
	if (e->kind == EXPECT_GETS) {
		free(e->gets.url);
		free(e->gets.body_contains);
	}
	if (e->kind == EXPECT_PATH)
		free(e->path.hops);
	if (e->kind == EXPECT_REACH)
		free(e->reach.dst_ref.node);
	if (e->kind == EXPECT_SEES)
		free(e->sees.filter);
	if (e->kind == EXPECT_REWRITES)
		free(e->rewrites.p);
	free(e->node);
	free(e->ref.node);
	free(e->text);
	if (e->ext_free)
		e->ext_free(e->ext);
}

void stmt_free(struct stmt *s)
{
	size_t i;

	if (!s)
		return;
	switch (s->kind) {
	case STMT_NODE:
		free(s->node.name);
		strv_free(s->node.aliases, s->node.n_aliases);
		break;
	case STMT_LINK:
		for (i = 0; i < 2; i++) {
			free(s->link.end[i].ref.node);
			free(s->link.end[i].addrs.v);
		}
		break;
	case STMT_LINK_SET:
		free(s->link_set.ref.node);
		break;
	case STMT_LAN:
		free(s->lan.name);
		free(s->lan.subnets.v);
		for (i = 0; i < s->lan.n_members; i++) {
			free(s->lan.members[i].ref.node);
			free(s->lan.members[i].addrs.v);
		}
		free(s->lan.members);
		break;
	case STMT_ADDRESS:
		free(s->address.ref.node);
		free(s->address.addrs.v);
		break;
	case STMT_ROUTE:
		free(s->route.node);
		break;
	case STMT_RULE:
		free(s->rule.node);
		break;
	case STMT_SYSCTL:
		free(s->sysctl.node);
		for (i = 0; i < s->sysctl.n; i++) {
			free(s->sysctl.kv[i].key);
			free(s->sysctl.kv[i].value);
		}
		free(s->sysctl.kv);
		break;
	case STMT_RUN:
		free(s->run.node);
		argv_free(s->run.argv);
		free(s->run.script.text);
		free(s->run.ready.command);
		break;
	case STMT_SERVE:
		free(s->serve.node);
		free(s->serve.body);
		break;
	case STMT_EXPECT:
		expect_free(&s->expect);
		break;
	case STMT_WIREGUARD:
		free(s->wireguard.ref.node);
		wgconf_device_free(s->wireguard.conf);
		free(s->wireguard.key_file);
		free(s->wireguard.created_in);
		break;
	case STMT_PEER:
		free(s->peer.ref.node);
		free(s->peer.peer.node);
		wgconf_device_free(s->peer.holder);
		break;
	case STMT_WGQUICK:
		free(s->wgquick.ref.node);
		wgconf_device_free(s->wgquick.conf);
		break;
	case STMT_FIREWALL:
	case STMT_NFT:
		free(s->firewall.node);
		free(s->firewall.rule);
		break;
	case STMT_NAT:
		free(s->nat.node);
		strv_free(s->nat.argv, (size_t)s->nat.argc);
		free(s->nat.cols);
		break;
	case STMT_CONNTRACK:
	case STMT_CAPTURE:
		free(s->conntrack.node);
		free(s->conntrack.ref.node);
		break;
	default:
		break;
	}
	if (s->ext_free)
		s->ext_free(s->ext);
	free(s->block.text);
	free(s->label);
	free(s->refused_text);
	free(s);
}

static void twin_free(struct twin *t)
{
	if (!t)
		return;
	free(t->name);
	free(t->why);
	strv_free(t->drop, t->n_drop);
	strv_free(t->drop_line, t->n_drop_line);
	strv_free(t->add, t->n_add);
	strv_free(t->fails, t->n_fails);
	free(t->drop_at);
	free(t->drop_line_at);
	free(t->add_at);
	free(t->fails_at);
	free(t);
}

void lab_free(struct lab *lab)
{
	struct stmt *s, *next;
	struct twin *t, *tnext;

	if (!lab)
		return;
	for (s = lab->first_stmt; s; s = next) {
		next = s->next;
		stmt_free(s);
	}
	for (t = lab->first_twin; t; t = tnext) {
		tnext = t->next;
		twin_free(t);
	}
	strv_free(lab->files, lab->n_files);
	strv_free(lab->strings, lab->n_strings);
	strmap_free(&lab->broken, NULL);
	free(lab->name);
	free(lab->description);
	free(lab);
}

static const char *const stmt_names[] = {
	[STMT_NODE] = "node",
	[STMT_LINK] = "link",
	[STMT_LINK_SET] = "link",
	[STMT_LAN] = "lan",
	[STMT_ADDRESS] = "address",
	[STMT_ROUTE] = "route",
	[STMT_RULE] = "rule",
	[STMT_SYSCTL] = "sysctl",
	[STMT_RUN] = "run",
	[STMT_SERVE] = "serve",
	[STMT_WAIT] = "wait",
	[STMT_EXPECT] = "expect",
	[STMT_WIREGUARD] = "wireguard",
	[STMT_PEER] = "peer",
	[STMT_WGQUICK] = "wg-quick",
	[STMT_FIREWALL] = "firewall",
	[STMT_NFT] = "nft",
	[STMT_NAT] = "nat",
	[STMT_CONNTRACK] = "conntrack",
	[STMT_CAPTURE] = "capture",
};

const char *stmt_kind_name(enum stmt_kind kind)
{
	return (size_t)kind < sizeof(stmt_names) / sizeof(stmt_names[0]) && stmt_names[kind] ?
		       stmt_names[kind] : "?";
}

static const char *const expect_names[] = {
	[EXPECT_REACH] = "reach",
	[EXPECT_GETS] = "http",
	[EXPECT_PATH] = "path",
	[EXPECT_ROUTE] = "route",
	[EXPECT_SEES] = "capture",
	[EXPECT_REWRITES] = "rewrite",
	[EXPECT_CONNTRACK] = "conntrack",
	[EXPECT_HANDSHAKE] = "handshake",
	[EXPECT_ENDPOINT] = "endpoint",
	[EXPECT_TRANSFER] = "transfer",
	[EXPECT_THROUGHPUT] = "throughput",
	[EXPECT_LATENCY] = "latency",
	[EXPECT_NAT] = "nat",
	[EXPECT_WGDEVICE] = "wg-config",
	[EXPECT_ICMPERR] = "icmp-error",
	[EXPECT_RULE] = "rule",
};

const char *lab_expect_kind_name(enum expect_kind kind)
{
	return (size_t)kind < EXPECT__MAX && expect_names[kind] ? expect_names[kind] : "?";
}

/* Pairs never join two members of one node. */
size_t expect_set_pairs(const struct expect_set *set, uint32_t (*ret)[2])
{
	const struct set_member *d = set->n_dst ? set->dst : set->src;
	size_t nd = set->n_dst ? set->n_dst : set->n_src, n = 0;

	for (size_t i = 0; i < set->n_src; i++) {
		for (size_t j = 0; j < nd; j++) {
			if (d[j].ref.node && !strcmp(d[j].ref.node, set->src[i].ref.node))
				continue;
			if (ret) {
				ret[n][0] = (uint32_t)i;
				ret[n][1] = (uint32_t)j;
			}
			n++;
		}
	}
	return n;
}

static const char *member_name(const struct set_member *m, bool iface, char *buf, size_t len)
{
	if (m->addr.family)
		return addr_format(&m->addr, false, buf, len);
	if (iface && m->ref.ifname[0])
		snprintf(buf, len, "%s:%s", m->ref.node, m->ref.ifname);
	else
		snprintf(buf, len, "%s", m->ref.node);
	return buf;
}

char *expect_pair_text(const struct stmt_expect *e, const struct set_member *src,
		       const struct set_member *dst)
{
	char a[ADDR_STRLEN + 64], b[ADDR_STRLEN + 64];
	bool hs = e->kind == EXPECT_HANDSHAKE;
	char port[24] = "";

	/* The protocol as the statement gives it: "a reaches b tcp 443". */
	if (!hs && e->reach.proto != REACH_ICMP)
		snprintf(port, sizeof(port), " %s %u", e->reach.proto == REACH_TCP ? "tcp" : "udp", e->reach.port);
	return xasprintf("%s %s %s%s", member_name(src, hs, a, sizeof(a)),
			 hs ? (e->negate ? "no handshake" : "handshake") : (e->negate ? "cannot reach" : "reaches"),
			 member_name(dst, true, b, sizeof(b)), port);
}

bool lab_label_in(char *const *v, size_t n, const char *label)
{
	for (size_t i = 0; label && i < n; i++)
		if (!strcmp(v[i], label))
			return true;
	return false;
}

bool lab_twin_adds(const struct lab *lab, const struct stmt *s)
{
	for (const struct twin *t = lab->first_twin; t; t = t->next)
		if (lab_label_in(t->add, t->n_add, s->label))
			return true;
	return false;
}

bool lab_twin_fails(const struct lab *lab, const struct stmt *s)
{
	/* A twin in which s does not run proves nothing of it. */
	for (const struct twin *t = lab->first_twin; t; t = t->next)
		if (lab_label_in(t->fails, t->n_fails, s->label) && lab_twin_runs(lab, t, s))
			return true;
	return false;
}

bool lab_twin_runs(const struct lab *lab, const struct twin *t, const struct stmt *s)
{
	if (!s->label)
		return true;
	if (t && lab_label_in(t->drop, t->n_drop, s->label))
		return false;
	if (t && lab_label_in(t->add, t->n_add, s->label))
		return true;
	return !lab_twin_adds(lab, s);
}
