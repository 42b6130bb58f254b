// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "assertions/wgstate.h"
#include "lab/run/exec_wg.h"
#include "lab/run/run_ctx.h"
#include "lab/run/wgnote.h"
#include "netns/addr.h"
#include "netns/route.h"
#include "netns/wg/wgconf.h"
#include "netns/wg/wgdev.h"
#include "netns/wg/wgkey.h"
#include "netns/util/xalloc.h"

#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct wgnote_dev {
	struct rwg *w;
	struct wgconf_device *state;	/* NULL: not read yet, or unreadable */
	bool read;
};

struct wgnote {
	struct run *r;
	struct wgnote_dev *devs;
	size_t n;
};

static struct wgnote *wgnote_new(struct run *r)
{
	struct wgnote *n = xcalloc(1, sizeof(*n));
	size_t i = 0;

	n->r = r;
	for (struct rwg *w = r->wgs; w; w = w->next)
		n->n++;
	n->devs = xcalloc(n->n ? n->n : 1, sizeof(*n->devs));
	for (struct rwg *w = r->wgs; w; w = w->next)
		n->devs[i++].w = w;
	return n;
}

void wgnote_free(struct wgnote *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n; i++)
		wgconf_device_free(n->devs[i].state);
	free(n->devs);
	free(n);
}

/* The interface's state, read on first use; NULL when it cannot be read
 * (a link deleted by the scenario, a program gone). */
static const struct wgconf_device *wgnote_state(struct wgnote_dev *d)
{
	if (!d->read) {
		d->read = true;
		if (wgdev_get(d->w->dev, &d->state) < 0)
			d->state = NULL;
	}
	return d->state;
}

/* The peer WireGuard sends dst to (cryptokey routing): the longest allowed
 * IP holding it. */
static const struct wgconf_peer *wgnote_route(const struct wgconf_device *state, const struct addr *dst)
{
	const struct wgconf_peer *best = NULL;
	int best_len = -1;

	for (const struct wgconf_peer *p = state->first_peer; p; p = p->next)
		for (const struct wgconf_ip *ip = p->first_allowedip; ip; ip = ip->next)
			if (ip->addr.prefixlen > best_len && addr_contains(&ip->addr, dst)) {
				best = p;
				best_len = ip->addr.prefixlen;
			}
	return best;
}

/* The lab's interface with that public key, or NULL. */
static const struct rwgkey *wgnote_key(const struct run *r, const uint8_t *pub)
{
	for (size_t i = 0; i < r->n_keys; i++)
		if (!memcmp(r->keys[i].pub, pub, WGKEY_LEN))
			return &r->keys[i];
	return NULL;
}

/* "node:ifname" of the lab's interface with that public key, or the
 * key's first characters. */
static void wgnote_name(const struct run *r, const uint8_t *pub, char *buf, size_t len)
{
	const struct rwgkey *k = wgnote_key(r, pub);
	char b64[WGKEY_LEN_BASE64];

	if (k) {
		snprintf(buf, len, "%s:%s", k->node, k->ifname);
		return;
	}
	wgkey_to_base64(b64, pub);
	snprintf(buf, len, "peer %.8s...", b64);
}

static struct wgnote_dev *wgnote_dev(struct wgnote *n, const char *node, const char *ifname)
{
	for (size_t i = 0; i < n->n; i++)
		if (!strcmp(n->devs[i].w->node, node) && !strcmp(n->devs[i].w->ifname, ifname))
			return &n->devs[i];
	return NULL;
}

/* "a:wg1, peer b:wg1 for 10.1.9.1: latest handshake 1 s ago, 188 B
 * received, 532 B sent" after what out holds. */
static void wgnote_peer(char **out, const struct rwg *w, const struct wgconf_peer *p, const char *name,
			const char *for_ip)
{
	char hs[64] = "no handshake", only[96] = "", *s;
	bool handshake = p->flags & WGCONF_PEER_HAS_HANDSHAKE;
	uint64_t n = wgstate_initiations_only(handshake, p->rx_bytes);

	if (handshake)
		snprintf(hs, sizeof(hs), "latest handshake %lld s ago", (long long)(time(NULL) - p->last_handshake_sec));
	if (n)
		snprintf(only, sizeof(only), " (%llu handshake initiation%s, no answer to its own)",
			 (unsigned long long)n, n == 1 ? "" : "s");
	s = xasprintf("%s%s%s:%s, peer %s%s%s: %s, %llu B received%s, %llu B sent", *out, **out ? "; " : "",
		      w->node, w->ifname, name, for_ip ? " for " : "", for_ip ? for_ip : "", hs,
		      (unsigned long long)p->rx_bytes, only, (unsigned long long)p->tx_bytes);
	free(*out);
	*out = s;
}

static bool wgnote_holds(const struct wgconf_peer *p, const struct addr *a)
{
	for (const struct wgconf_ip *ip = p->first_allowedip; ip; ip = ip->next)
		if (addr_contains(&ip->addr, a))
			return true;
	return false;
}

/* The far end's allowed IPs for the sender do not hold the probe's source:
 * the commonest AllowedIPs mistake (a site's subnet left out). */
static void wgnote_foreign(char **out, const struct rwg *far, const char *name, const struct addr *src)
{
	char ip[ADDR_STRLEN], *s;

	addr_format(src, false, ip, sizeof(ip));
	s = xasprintf("%s; %s:%s's allowed IPs for %s do not hold the probe's source %s (WireGuard drops what a peer sends from outside them, unless NAT on the way rewrote it)",
		      *out, far->node, far->ifname, name, ip);
	free(*out);
	*out = s;
}

/* What the far end has of the interface that sent: its peer entry, or
 * that it has none; and whether that entry takes src (family 0: unknown). */
static void wgnote_far(struct wgnote *n, char **out, const struct rwg *from, const uint8_t *from_pub,
		       const uint8_t *to_pub, const struct addr *src)
{
	const struct rwgkey *k = wgnote_key(n->r, to_pub);
	struct wgnote_dev *far = k ? wgnote_dev(n, k->node, k->ifname) : NULL;
	const struct wgconf_device *state = far ? wgnote_state(far) : NULL;
	const struct wgconf_peer *p;
	char name[64], *s;

	if (!state)
		return;
	snprintf(name, sizeof(name), "%s:%s", from->node, from->ifname);
	p = wgconf_device_find_peer(state, from_pub);
	if (p) {
		wgnote_peer(out, far->w, p, name, NULL);
		if (src->family && !wgnote_holds(p, src))
			wgnote_foreign(out, far->w, name, src);
		return;
	}
	s = xasprintf("%s; %s:%s has no peer %s (it drops what that key sends)", *out, far->w->node,
		      far->w->ifname, name);
	free(*out);
	*out = s;
}

/* Hops of the underlay followed before giving up (a routing loop). */
#define WGNOTE_HOPS 16

/*
 * From node *at towards dst, hop by hop as each node's kernel routes it
 * (`ip route get` there; the next node is the one with the gateway's
 * address, or dst's owner on a link), the first lab WireGuard interface
 * dst is sent into; *at is then its node.  NULL when dst's owner is
 * reached first, or a route, a gateway's owner or a hop is unknown (an
 * address outside the lab, a NAT that rewrites dst: the walk does not
 * follow rewrites).
 */
static struct wgnote_dev *wgnote_next(struct wgnote *n, const char **at, const struct addr *dst,
				      const struct rnode *owner, struct addr *first_src)
{
	for (unsigned int hop = 0; hop < WGNOTE_HOPS; hop++) {
		struct route q = { .dst = *dst }, via = { 0 };
		const struct rnode *next;
		struct wgnote_dev *d;

		if (owner && !strcmp(owner->name, *at))
			return NULL;
		if (route_get(run_node(n->r, *at)->ns, &q, &via) < 0 || via.type != RTN_UNICAST)
			return NULL;
		if (first_src && !hop && !first_src->family && (via.flags & ROUTE_HAS_SRC))
			*first_src = via.src;
		d = wgnote_dev(n, *at, via.dev);
		if (d)
			return d;
		next = via.flags & ROUTE_HAS_GW ? run_owner(n->r, &via.gw) : owner;
		if (!next)
			return NULL;
		*at = next->name;
	}
	return NULL;
}

size_t wgnote_tunnels(struct run *r, struct wgnote **cache, const char *node, const struct addr *dst,
		      struct wgnote_tunnel *ret, size_t max)
{
	struct wgnote *n = *cache ? *cache : (*cache = wgnote_new(r));
	const struct rnode *owner = run_owner(r, dst);
	size_t i = 0;

	while (i < max) {
		struct wgnote_dev *d = wgnote_next(n, &node, dst, owner, NULL), *far;
		const struct wgconf_device *state = d ? wgnote_state(d) : NULL;
		const struct wgconf_peer *p = state ? wgnote_route(state, dst) : NULL;
		const struct rwgkey *k = p ? wgnote_key(r, p->public_key) : NULL;

		far = k ? wgnote_dev(n, k->node, k->ifname) : NULL;
		if (!far)
			break;
		ret[i].from = d->w;
		ret[i++].to = far->w;
		node = k->node;
	}
	return i;
}

/* wgnote_pair() with the cache made. */
static char *wgnote_text(struct wgnote *n, const char *node, const struct addr *dst, const struct addr *src)
{
	struct addr from = src ? *src : (struct addr){ 0 };
	struct wgnote_dev *d;
	const struct wgconf_device *state;
	const struct wgconf_peer *p;
	const struct rwgkey *k;
	char *out = xstrdup(""), *s, name[64], ip[ADDR_STRLEN];

	/* The first interface on the way that sends dst into WireGuard. */
	d = wgnote_next(n, &node, dst, run_owner(n->r, dst), &from);
	if (!d || !(state = wgnote_state(d)))
		return out;
	addr_format(dst, false, ip, sizeof(ip));
	p = wgnote_route(state, dst);
	if (!p) {
		free(out);
		return xasprintf("; WireGuard: %s:%s has no peer for %s (it drops what no peer's allowed IPs hold)",
				 d->w->node, d->w->ifname, ip);
	}
	wgnote_name(n->r, p->public_key, name, sizeof(name));
	wgnote_peer(&out, d->w, p, name, ip);
	k = run_wg_key(n->r, d->w->node, d->w->ifname);
	if (k)
		wgnote_far(n, &out, d->w, k->pub, p->public_key, &from);
	s = xasprintf("; WireGuard: %s", out);
	free(out);
	return s;
}

char *wgnote_pair(struct run *r, struct wgnote **cache, const char *node, const struct addr *dst,
		  const struct addr *src)
{
	struct wgnote *n = cache && *cache ? *cache : wgnote_new(r);
	char *s = wgnote_text(n, node, dst, src);

	if (cache)
		*cache = n;
	else
		wgnote_free(n);
	return s;
}
