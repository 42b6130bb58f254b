// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "assertions/verdict.h"
#include "assertions/wgdevice.h"
#include "netns/util/now.h"
#include "netns/wg/wgconf.h"
#include "netns/wg/wgdev.h"
#include "traffic/loop.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define WGDEVICE_POLL_MS 25

static bool wgdevice_has(const struct wgconf_peer *p, const struct addr *a)
{
	for (const struct wgconf_ip *ip = p->first_allowedip; ip; ip = ip->next)
		if (addr_equal(&ip->addr, a) && ip->addr.prefixlen == a->prefixlen)
			return true;
	return false;
}

static bool wgdevice_holds(const struct wgdevice_want *w, const struct wgconf_device *d)
{
	const struct wgconf_peer *p;
	unsigned int n = 0;

	for (p = d->first_peer; p; p = p->next)
		n++;
	if ((w->flags & WGCONF_WANT_PORT) && d->listen_port != w->listen_port)
		return false;
	if ((w->flags & WGCONF_WANT_FWMARK) && d->fwmark != w->fwmark)
		return false;
	if ((w->flags & WGCONF_WANT_PEERS) && n != w->peers)
		return false;
	if (w->flags & WGCONF_WANT_ALLOWED) {
		p = wgconf_device_find_peer(d, w->peer);
		if (!p || wgconf_peer_count_allowedips(p) != w->n_allowed)
			return false;
		for (size_t i = 0; i < w->n_allowed; i++)
			if (!wgdevice_has(p, &w->allowed[i]))
				return false;
	}
	return true;
}

static void wgdevice_describe(const struct wgdevice_want *w, const struct wgconf_device *d,
			      struct verdict *v)
{
	const struct wgconf_peer *p;
	unsigned int n = 0;

	for (p = d->first_peer; p; p = p->next)
		n++;
	verdict_add(v, "listening port %u, fwmark ", d->listen_port);
	if (d->fwmark)
		verdict_add(v, "0x%x", d->fwmark);
	else
		verdict_add(v, "off");
	verdict_add(v, ", %u peer%s", n, n == 1 ? "" : "s");
	if (w->flags & WGCONF_WANT_ALLOWED) {
		char a[ADDR_STRLEN];

		p = wgconf_device_find_peer(d, w->peer);
		if (!p) {
			verdict_add(v, "; %s is not a peer", w->peer_name);
		} else {
			verdict_add(v, "; allowed ips of %s:", w->peer_name);
			if (!p->first_allowedip)
				verdict_add(v, " (none)");
			for (const struct wgconf_ip *ip = p->first_allowedip; ip; ip = ip->next)
				verdict_add(v, "%s %s", ip == p->first_allowedip ? "" : ",",
					    addr_format(&ip->addr, true, a, sizeof(a)));
		}
	}
}

static void wgdevice_wanted(const struct wgdevice_want *w, struct verdict *v)
{
	char a[ADDR_STRLEN];

	verdict_add(v, "; wanted");
	if (w->flags & WGCONF_WANT_PORT)
		verdict_add(v, " listening port %u", w->listen_port);
	if (w->flags & WGCONF_WANT_FWMARK) {
		if (w->fwmark)
			verdict_add(v, " fwmark 0x%x", w->fwmark);
		else
			verdict_add(v, " fwmark off");
	}
	if (w->flags & WGCONF_WANT_PEERS)
		verdict_add(v, " %u peer%s", w->peers, w->peers == 1 ? "" : "s");
	if (w->flags & WGCONF_WANT_ALLOWED) {
		verdict_add(v, " allowed ips");
		if (!w->n_allowed)
			verdict_add(v, " (none)");
		for (size_t i = 0; i < w->n_allowed; i++)
			verdict_add(v, "%s %s", i ? "," : "", addr_format(&w->allowed[i], true, a, sizeof(a)));
	}
}

int expect_wgdevice(struct loop *l, struct wgdev *dev, const struct wgdevice_want *w,
		    struct verdict *ret)
{
	uint64_t end = now_ms() + w->wait_ms;
	struct wgconf_device *d = NULL;
	bool holds;
	int err;

	for (;;) {
		uint64_t now;

		wgconf_device_free(d);
		d = NULL;
		err = wgdev_get(dev, &d);
		if (err < 0)
			return err;
		holds = wgdevice_holds(w, d);
		now = now_ms();
		if (holds || now >= end)
			break;
		loop_run_once(l, (int)(end - now < WGDEVICE_POLL_MS ? end - now : WGDEVICE_POLL_MS));
	}
	verdict_set(ret, holds, "%s", "");
	wgdevice_describe(w, d, ret);
	if (!holds)
		wgdevice_wanted(w, ret);
	wgconf_device_free(d);
	return 0;
}
