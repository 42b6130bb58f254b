// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "netns/util/xalloc.h"
#include "netns/wg/uapi.h"
#include "netns/wg/wgdev.h"
#include "netns/wg/wgset.h"

#include <stdlib.h>

#define WGSET_TIMEOUT_MS 5000	/* each half, as wgdev_set() */

struct wgset {
	struct wgdev *dev;
	int fd;		/* the UAPI connection, or -1 (kernel: done) */
	int status;	/* kernel: wgdev_set()'s */
};

int wgset_begin(struct wgdev *dev, const struct wgconf_device *config, struct wgset **ret)
{
	struct wgset *s = xcalloc(1, sizeof(*s));
	int r = 0;

	s->dev = dev;
	s->fd = -1;
	if (wgdev_kind(dev) == WGDEV_KERNEL)
		s->status = wgdev_set(dev, config);
	else
		r = uapi_set_begin(wgdev_sock_path(dev), config, WGSET_TIMEOUT_MS, &s->fd);
	if (r < 0) {
		free(s);
		return r;
	}
	*ret = s;
	return 0;
}

int wgset_end(struct wgset *s)
{
	int r = s->fd >= 0 ? uapi_set_end(s->fd, WGSET_TIMEOUT_MS) : s->status;

	free(s);
	return r;
}

struct wgdev *wgset_dev(const struct wgset *s)
{
	return s->dev;
}
