/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_WG_WGCHANGE_H
#define NETNS_WG_WGCHANGE_H

#include <stdint.h>
#include <sys/socket.h>

#include "netns/wg/wgkey.h"

struct wgdev;

/*
 * Small incremental changes to a device, each one wgdev_set() of a
 * configuration that holds only that change.  0 or -errno.
 */
/* Removes the peer with that key. */
int wgchange_remove_peer(struct wgdev *dev, const uint8_t key[static WGKEY_LEN]);
/* The peer's endpoint, if the device has that peer (else nothing). */
int wgchange_peer_endpoint(struct wgdev *dev, const uint8_t key[static WGKEY_LEN], const struct sockaddr *sa,
			   socklen_t len);
int wgchange_private_key(struct wgdev *dev, const uint8_t key[static WGKEY_LEN]);
int wgchange_listen_port(struct wgdev *dev, uint16_t port);
int wgchange_fwmark(struct wgdev *dev, uint32_t fwmark);

#endif
