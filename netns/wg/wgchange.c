// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "netns/wg/wgchange.h"
#include "netns/wg/wgconf.h"
#include "netns/wg/wgdev.h"

/* A one-peer change: the peer is only touched if it exists. */
static int wgchange_peer(struct wgdev *dev, const uint8_t key[static WGKEY_LEN], unsigned int flags,
			 const struct sockaddr *sa, socklen_t len)
{
	struct wgconf_device *c = wgconf_device_new();
	struct wgconf_peer *p = wgconf_device_add_peer(c);
	int r;

	wgconf_peer_set_public_key(p, key);
	p->flags |= flags;
	if (sa) {
		r = wgconf_peer_set_endpoint(p, sa, len);
		if (r < 0)
			goto cleanup;
	}
	r = wgdev_set(dev, c);
cleanup:
	wgconf_device_free(c);
	return r;
}

int wgchange_remove_peer(struct wgdev *dev, const uint8_t key[static WGKEY_LEN])
{
	return wgchange_peer(dev, key, WGCONF_PEER_REMOVE, NULL, 0);
}

int wgchange_peer_endpoint(struct wgdev *dev, const uint8_t key[static WGKEY_LEN], const struct sockaddr *sa,
			   socklen_t len)
{
	return wgchange_peer(dev, key, WGCONF_PEER_UPDATE_ONLY, sa, len);
}

static int wgchange_device(struct wgdev *dev, const uint8_t *key, int port, int64_t fwmark)
{
	struct wgconf_device *c = wgconf_device_new();
	int r;

	if (key)
		wgconf_device_set_private_key(c, key);
	if (port >= 0) {
		c->listen_port = (uint16_t)port;
		c->flags |= WGCONF_DEV_HAS_LISTEN_PORT;
	}
	if (fwmark >= 0) {
		c->fwmark = (uint32_t)fwmark;
		c->flags |= WGCONF_DEV_HAS_FWMARK;
	}
	r = wgdev_set(dev, c);
	wgconf_device_free(c);
	return r;
}

int wgchange_private_key(struct wgdev *dev, const uint8_t key[static WGKEY_LEN])
{
	return wgchange_device(dev, key, -1, -1);
}

int wgchange_listen_port(struct wgdev *dev, uint16_t port)
{
	return wgchange_device(dev, NULL, port, -1);
}

int wgchange_fwmark(struct wgdev *dev, uint32_t fwmark)
{
	return wgchange_device(dev, NULL, -1, fwmark);
}
