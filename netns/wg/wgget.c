// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "netns/util/xalloc.h"
#include "netns/wg/uapi.h"
#include "netns/wg/wgconf.h"
#include "netns/wg/wgdev.h"
#include "netns/wg/wgget.h"

#include <stdio.h>
#include <stdlib.h>

#define WGGET_TIMEOUT_MS 5000	/* each half, as wgdev_get() */

struct wgget {
	struct wgdev *dev;
	int fd;				/* the UAPI connection, or -1 (kernel: done) */
	int status;			/* kernel: wgdev_get()'s */
	struct wgconf_device *state;	/* kernel: its state */
};

int wgget_begin(struct wgdev *dev, struct wgget **ret)
{
	struct wgget *g = xcalloc(1, sizeof(*g));
	int r = 0;

	g->dev = dev;
	g->fd = -1;
	if (wgdev_kind(dev) == WGDEV_KERNEL)
		g->status = wgdev_get(dev, &g->state);
	else
		r = uapi_get_begin(wgdev_sock_path(dev), WGGET_TIMEOUT_MS, &g->fd);
	if (r < 0) {
		free(g);
		return r;
	}
	*ret = g;
	return 0;
}

int wgget_end(struct wgget *g, struct wgconf_device **ret)
{
	struct wgconf_device *state = g->state;
	int r = g->status;

	if (g->fd >= 0) {
		r = uapi_get_end(g->fd, WGGET_TIMEOUT_MS, &state);
		if (!r)
			snprintf(state->ifname, sizeof(state->ifname), "%s", wgdev_ifname(g->dev));
	}
	free(g);
	if (r < 0)
		return r;
	*ret = state;
	return 0;
}
