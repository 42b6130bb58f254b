// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* Node names as addresses: one rule, from the model (see resolve.h). */
#include "lab/lang/resolve.h"
#include "lab/lang/model.h"
#include "netns/addr.h"
#include "netns/wg/wgconf.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
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

static void resolve_push(struct resolve_cand *v, size_t *n, const struct ifref *ref,
			 const struct addr_list *l, const char *node)
{
	if (strcmp(ref->node, node))
		return;
	for (size_t i = 0; i < l->n && *n < RESOLVE_MAX; i++) {
		if (resolve_link_local(&l->v[i]))
			continue;
		v[*n].a = l->v[i];
		v[*n].ifname = ref->ifname;
		(*n)++;
	}
}

/* The underlay addresses of node: its link ends and lan members, with
 * `address` statements on those interfaces. */
static size_t resolve_underlay(const struct lab *lab, const char *node, struct resolve_cand *v)
{
	size_t n = 0;

	for (const struct stmt *s = lab->first_stmt; s; s = s->next) {
		if (s->kind == STMT_LINK) {
			for (int k = 0; k < 2; k++)
				resolve_push(v, &n, &s->link.end[k].ref, &s->link.end[k].addrs, node);
		} else if (s->kind == STMT_LAN) {
			for (size_t k = 0; k < s->lan.n_members; k++)
				resolve_push(v, &n, &s->lan.members[k].ref, &s->lan.members[k].addrs, node);
		}
	}
	for (const struct stmt *s = lab->first_stmt; s; s = s->next) {
		bool underlay = false;

		if (s->kind != STMT_ADDRESS || s->address.op != OP_ADD)
			continue;
		for (size_t i = 0; i < n && !underlay; i++)
			underlay = !strcmp(v[i].ifname, s->address.ref.ifname);
		if (underlay)
			resolve_push(v, &n, &s->address.ref, &s->address.addrs, node);
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

int lab_resolve_node(const struct lab *lab, const char *from, const char *name, struct addr *ret,
		     char *why, size_t len)
{
	struct resolve_cand target[RESOLVE_MAX], mine[RESOLVE_MAX], keep[RESOLVE_MAX];
	size_t nt = resolve_underlay(lab, name, target);
	size_t nm = from ? resolve_underlay(lab, from, mine) : 0, nk = 0, i, j;
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
			snprintf(why, len, "'%s' is ambiguous from '%s' (%s): write the address", name,
				 from ? from : "", list);
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

static void resolve_push_wg(struct resolve_cand *v, size_t *n, const struct ifref *ref,
			    const struct wgconf_device *d, const struct ifref *want)
{
	if (!d || strcmp(ref->node, want->node) || strcmp(ref->ifname, want->ifname))
		return;
	for (const struct wgconf_ip *ip = d->first_address; ip && *n < RESOLVE_MAX; ip = ip->next) {
		if (resolve_link_local(&ip->addr))
			continue;
		v[*n].a = ip->addr;
		v[*n].ifname = ref->ifname;
		(*n)++;
	}
}

int lab_resolve_ifaddr(const struct lab *lab, const struct ifref *ref, int family, struct addr *ret,
		       char *why, size_t len)
{
	struct resolve_cand v[RESOLVE_MAX];
	const struct resolve_cand *pick = NULL;
	size_t n = 0;

	for (const struct stmt *s = lab->first_stmt; s; s = s->next) {
		const struct ifref *r = NULL;
		const struct addr_list *l = NULL;

		if (s->kind == STMT_LINK) {
			for (int k = 0; k < 2; k++)
				if (!strcmp(s->link.end[k].ref.ifname, ref->ifname))
					resolve_push(v, &n, &s->link.end[k].ref, &s->link.end[k].addrs, ref->node);
		} else if (s->kind == STMT_LAN) {
			for (size_t k = 0; k < s->lan.n_members; k++)
				if (!strcmp(s->lan.members[k].ref.ifname, ref->ifname))
					resolve_push(v, &n, &s->lan.members[k].ref, &s->lan.members[k].addrs,
						     ref->node);
		} else if (s->kind == STMT_ADDRESS && s->address.op == OP_ADD) {
			r = &s->address.ref;
			l = &s->address.addrs;
		} else if (s->kind == STMT_WIREGUARD) {
			resolve_push_wg(v, &n, &s->wireguard.ref, s->wireguard.conf, ref);
		} else if (s->kind == STMT_WGQUICK) {
			resolve_push_wg(v, &n, &s->wgquick.ref, s->wgquick.conf, ref);
		}
		if (r && !strcmp(r->ifname, ref->ifname))
			resolve_push(v, &n, r, l, ref->node);
	}
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
