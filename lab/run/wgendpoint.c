// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "lab/run/run_ctx.h"
#include "lab/run/wgendpoint.h"
#include "netns/util/xalloc.h"
#include "netns/wg/wgconf.h"
#include "netns/wg/wgdev.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool wgep_sets(const struct wgconf_device *delta)
{
	for (const struct wgconf_peer *p = delta->first_peer; p; p = p->next)
		if (!(p->flags & WGCONF_PEER_REMOVE) && (p->flags & WGCONF_PEER_HAS_ENDPOINT))
			return true;
	return false;
}

int run_wgep_before(struct run *r, struct rwg *w, const struct wgconf_device *delta,
		    struct wgconf_device **ret)
{
	int err;

	*ret = NULL;
	if (!wgep_sets(delta))
		return 0;
	err = wgdev_get(w->dev, ret);
	if (err < 0)
		return run_error(r, err, "Unable to read '%s:%s' before setting an endpoint", w->node, w->ifname);
	return 0;
}

const struct rwgep *run_wgep_find(const struct rwg *w, const uint8_t peer[static 32])
{
	for (size_t i = 0; i < w->n_eps; i++)
		if (!memcmp(w->eps[i].peer, peer, 32))
			return &w->eps[i];
	return NULL;
}

static void wgep_forget(struct rwg *w, const uint8_t peer[static 32])
{
	const struct rwgep *e = run_wgep_find(w, peer);

	if (e)
		w->eps[e - w->eps] = w->eps[--w->n_eps];
}

static void wgep_record(struct rwg *w, const struct wgconf_peer *now, const struct loc *loc)
{
	struct rwgep *e = (struct rwgep *)run_wgep_find(w, now->public_key);

	if (!e) {
		w->eps = xgrow(w->eps, w->n_eps, sizeof(*w->eps));
		e = &w->eps[w->n_eps++];
	}
	memcpy(e->peer, now->public_key, sizeof(e->peer));
	e->rx = now->rx_bytes;
	e->hs_sec = now->last_handshake_sec;
	e->hs_nsec = now->last_handshake_nsec;
	e->loc = *loc;
}

int run_wgep_after(struct run *r, struct rwg *w, const struct wgconf_device *delta,
		   const struct wgconf_device *before, const struct loc *const *locs)
{
	struct wgconf_device *after = NULL;
	const struct wgconf_peer *p;
	size_t i;
	int err = 0;

	for (i = 0, p = delta->first_peer; p; i++, p = p->next) {
		const struct wgconf_peer *now;

		if (p->flags & WGCONF_PEER_REMOVE) {
			wgep_forget(w, p->public_key);
			continue;
		}
		if (!(p->flags & WGCONF_PEER_HAS_ENDPOINT))
			continue;
		/* Added with it: its counters began at the set. */
		if (!before || !wgconf_device_find_peer(before, p->public_key)) {
			wgep_forget(w, p->public_key);
			continue;
		}
		if (!after) {
			err = wgdev_get(w->dev, &after);
			if (err < 0)
				return run_error(r, err, "Unable to read '%s:%s' after setting an endpoint",
						 w->node, w->ifname);
		}
		now = wgconf_device_find_peer(after, p->public_key);
		if (now)
			wgep_record(w, now, locs[i]);
		else
			wgep_forget(w, p->public_key);
	}
	wgconf_device_free(after);
	return 0;
}
