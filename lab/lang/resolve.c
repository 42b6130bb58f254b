// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* Node names as addresses: one rule, from the model (see resolve.h). */
#include "lab/lang/resolve.h"
#include "lab/lang/model.h"
#include "netns/addr.h"
#include "netns/util/strmap.h"
#include "netns/util/xalloc.h"
#include "netns/wg/wgconf.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define RESOLVE_MAX 64

struct resolve_cand {
	struct addr a;
	const char *ifname;
};

static bool resolve_link_local(const struct addr *a)
{
	return a->family == AF_INET6 && a->v6.s6_addr[0] == 0xfe && (a->v6.s6_addr[1] & 0xc0) == 0x80;
}

/* Candidates in file order. */
struct resolve_vec {
	struct resolve_cand *v;
	size_t n;
};

/* What one node's name can mean. */
struct resolve_node {
	struct resolve_vec ends;	/* its link ends and lan members */
	struct resolve_vec added;	/* `address` statements on its interfaces */
	const struct stmt_node *stmt;	/* its `node` statement, when it gives host names */
};

/*
 * One pass over the statements: lookups then cost a node's own
 * candidates, not the whole file (a 100-peer mesh asks 10 000 times, and
 * `wglab up` writes every node's hosts file, each naming every node).
 */
struct lab_names {
	struct strmap nodes;		/* NODE -> struct resolve_node */
	struct strmap ifs;		/* NODE:IF -> struct resolve_vec, every address */
	struct strmap aliases;		/* host name, lower case -> NODE (`node NODE name HOST`) */
};

/* Host names are compared as DNS does, without regard to case. */
static char *resolve_lower(const char *s)
{
	char *ret = xstrdup(s);

	for (char *p = ret; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return ret;
}

static void resolve_vec_push(struct resolve_vec *vec, const struct addr *a, const char *ifname)
{
	if (resolve_link_local(a))
		return;
	vec->v = xgrow(vec->v, vec->n, sizeof(*vec->v));
	vec->v[vec->n].a = *a;
	vec->v[vec->n++].ifname = ifname;
}

static struct resolve_node *names_node(struct lab_names *names, const char *node)
{
	void **slot = strmap_put(&names->nodes, node, NULL);

	if (!*slot)
		*slot = xcalloc(1, sizeof(struct resolve_node));
	return *slot;
}

static struct resolve_vec *names_if(struct lab_names *names, const struct ifref *ref)
{
	char *key = xasprintf("%s:%s", ref->node, ref->ifname);
	void **slot = strmap_put(&names->ifs, key, NULL);

	free(key);
	if (!*slot)
		*slot = xcalloc(1, sizeof(struct resolve_vec));
	return *slot;
}

/* An interface end of a link or lan: the node's underlay, and the
 * interface's own. */
static void names_end(struct lab_names *names, const struct ifref *ref, const struct addr_list *l)
{
	struct resolve_node *n = names_node(names, ref->node);
	struct resolve_vec *i = names_if(names, ref);

	for (size_t k = 0; k < l->n; k++) {
		resolve_vec_push(&n->ends, &l->v[k], ref->ifname);
		resolve_vec_push(i, &l->v[k], ref->ifname);
	}
}

static void names_wg(struct lab_names *names, const struct ifref *ref, const struct wgconf_device *d)
{
	struct resolve_vec *i;

	if (!d)
		return;
	i = names_if(names, ref);
	for (const struct wgconf_ip *ip = d->first_address; ip; ip = ip->next)
		resolve_vec_push(i, &ip->addr, ref->ifname);
}

struct lab_names *lab_names_new(const struct lab *lab)
{
	struct lab_names *names = xcalloc(1, sizeof(*names));

	for (const struct stmt *s = lab->first_stmt; s; s = s->next) {
		if (s->kind == STMT_NODE && s->node.n_aliases) {
			names_node(names, s->node.name)->stmt = &s->node;
			for (size_t k = 0; k < s->node.n_aliases; k++) {
				char *key = resolve_lower(s->node.aliases[k]);

				strmap_put(&names->aliases, key, s->node.name);
				free(key);
			}
		} else if (s->kind == STMT_LINK) {
			for (int k = 0; k < 2; k++)
				names_end(names, &s->link.end[k].ref, &s->link.end[k].addrs);
		} else if (s->kind == STMT_LAN) {
			for (size_t k = 0; k < s->lan.n_members; k++)
				names_end(names, &s->lan.members[k].ref, &s->lan.members[k].addrs);
		} else if (s->kind == STMT_ADDRESS && s->address.op == OP_ADD) {
			struct resolve_node *n = names_node(names, s->address.ref.node);
			struct resolve_vec *i = names_if(names, &s->address.ref);

			for (size_t k = 0; k < s->address.addrs.n; k++) {
				resolve_vec_push(&n->added, &s->address.addrs.v[k], s->address.ref.ifname);
				resolve_vec_push(i, &s->address.addrs.v[k], s->address.ref.ifname);
			}
		} else if (s->kind == STMT_WIREGUARD) {
			names_wg(names, &s->wireguard.ref, s->wireguard.conf);
		} else if (s->kind == STMT_WGQUICK) {
			names_wg(names, &s->wgquick.ref, s->wgquick.conf);
		}
	}
	return names;
}

static void resolve_vec_free(void *p)
{
	struct resolve_vec *vec = p;

	free(vec->v);
	free(vec);
}

static void resolve_node_free(void *p)
{
	struct resolve_node *n = p;

	free(n->ends.v);
	free(n->added.v);
	free(n);
}

void lab_names_free(struct lab_names *names)
{
	if (!names)
		return;
	strmap_free(&names->nodes, resolve_node_free);
	strmap_free(&names->ifs, resolve_vec_free);
	strmap_free(&names->aliases, NULL);
	free(names);
}

const char *lab_names_alias(const struct lab_names *names, const char *host)
{
	char *key;
	void **slot;

	if (!names->aliases.n)
		return NULL;
	key = resolve_lower(host);
	slot = strmap_get(&names->aliases, key);
	free(key);
	return slot ? *slot : NULL;
}

size_t lab_names_aliases(const struct lab_names *names, const char *node, char *const **ret)
{
	void **slot = strmap_get(&names->nodes, node);
	const struct stmt_node *n = slot ? ((const struct resolve_node *)*slot)->stmt : NULL;

	*ret = n ? n->aliases : NULL;
	return n ? n->n_aliases : 0;
}

/* The underlay addresses of node (at most RESOLVE_MAX): its link ends and
 * lan members, with `address` statements on those interfaces. */
static size_t resolve_underlay(const struct lab_names *names, const char *node, struct resolve_cand *v)
{
	void **slot = strmap_get(&names->nodes, node);
	const struct resolve_node *rn = slot ? *slot : NULL;
	size_t n = 0;

	if (!rn)
		return 0;
	for (size_t i = 0; i < rn->ends.n && n < RESOLVE_MAX; i++)
		v[n++] = rn->ends.v[i];
	for (size_t k = 0; k < rn->added.n && n < RESOLVE_MAX; k++) {
		bool underlay = false;

		for (size_t i = 0; i < n && !underlay; i++)
			underlay = !strcmp(v[i].ifname, rn->added.v[k].ifname);
		if (underlay)
			v[n++] = rn->added.v[k];
	}
	return n;
}

static bool resolve_same_subnet(const struct addr *a, const struct addr *mine)
{
	struct addr net;

	if (a->family != mine->family)
		return false;
	addr_network(mine, &net);
	net.prefixlen = mine->prefixlen;
	return addr_contains(&net, a);
}

static void resolve_list(const struct resolve_cand *v, size_t n, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && off < len; i++) {
		char a[ADDR_STRLEN];

		off += (size_t)snprintf(buf + off, len - off, "%s%s on %s", i ? ", " : "",
					addr_format(&v[i].a, false, a, sizeof(a)), v[i].ifname);
	}
}

int lab_resolve_node(const struct lab_names *names, const char *from, const char *name, struct addr *ret,
		     char *why, size_t len)
{
	struct resolve_cand target[RESOLVE_MAX], mine[RESOLVE_MAX], keep[RESOLVE_MAX];
	const char *alias = lab_names_alias(names, name);
	size_t nt = resolve_underlay(names, alias ? alias : name, target);
	size_t nm = from ? resolve_underlay(names, from, mine) : 0, nk = 0, i, j;
	bool near = false;
	char list[512];
	const struct resolve_cand *pick = NULL;

	if (!nt) {
		snprintf(why, len, "node '%s' has no address on a link or lan", name);
		return -ENOENT;
	}
	/* In a family `from` can use (when from has no underlay, any). */
	for (i = 0; i < nt; i++) {
		bool fam = !nm;

		for (j = 0; j < nm && !fam; j++)
			fam = mine[j].a.family == target[i].a.family;
		if (fam)
			keep[nk++] = target[i];
	}
	if (!nk) {
		resolve_list(target, nt, list, sizeof(list));
		snprintf(why, len, "'%s' has no address in a family '%s' has (%s)", name, from, list);
		return -ENETUNREACH;
	}
	/* Directly connected ones first: the neighbour's address facing us. */
	for (i = 0; i < nk && !near; i++)
		for (j = 0; j < nm && !near; j++)
			near = resolve_same_subnet(&keep[i].a, &mine[j].a);
	if (near) {
		size_t n = 0;

		for (i = 0; i < nk; i++) {
			bool on = false;

			for (j = 0; j < nm && !on; j++)
				on = resolve_same_subnet(&keep[i].a, &mine[j].a);
			if (on)
				keep[n++] = keep[i];
		}
		nk = n;
	}
	for (i = 1; i < nk; i++) {
		if (strcmp(keep[i].ifname, keep[0].ifname)) {
			resolve_list(keep, nk, list, sizeof(list));
			snprintf(why, len, "'%s' is ambiguous%s%s%s (%s): write the address", name,
				 from ? " from '" : "", from ? from : "", from ? "'" : "", list);
			return -ENOTUNIQ;
		}
	}
	for (i = 0; i < nk && !pick; i++)
		if (keep[i].a.family == AF_INET)
			pick = &keep[i];
	if (!pick)
		pick = &keep[0];
	*ret = pick->a;
	ret->prefixlen = pick->a.family == AF_INET ? 32 : 128;
	why[0] = '\0';
	return 0;
}

int lab_resolve_ifaddr(const struct lab_names *names, const struct ifref *ref, int family, struct addr *ret,
		       char *why, size_t len)
{
	char *key = xasprintf("%s:%s", ref->node, ref->ifname);
	void **slot = strmap_get(&names->ifs, key);
	const struct resolve_vec *vec = slot ? *slot : NULL;
	const struct resolve_cand *v = vec ? vec->v : NULL, *pick = NULL;
	size_t n = vec ? vec->n : 0;

	free(key);
	for (size_t i = 0; i < n && !pick; i++)
		if (family ? v[i].a.family == family : v[i].a.family == AF_INET)
			pick = &v[i];
	if (!pick && !family && n)
		pick = &v[0];
	if (!pick) {
		snprintf(why, len, "%s:%s has no %saddress in the scenario", ref->node, ref->ifname,
			 family == AF_INET ? "IPv4 " : family == AF_INET6 ? "IPv6 " : "");
		return -ENOENT;
	}
	*ret = pick->a;
	ret->prefixlen = pick->a.family == AF_INET ? 32 : 128;
	why[0] = '\0';
	return 0;
}
