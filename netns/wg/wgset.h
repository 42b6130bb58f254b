/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_WG_WGSET_H
#define NETNS_WG_WGSET_H

struct wgconf_device;
struct wgdev;

/*
 * wgdev_set() in two halves, so that several interfaces take their
 * configuration at once: a userspace program gets the request now and is
 * answered in wgset_end(), while the caller goes on (a wireguard-go spends
 * about 10 ms of CPU taking 99 peers, most of it one Curve25519 product
 * per peer); a kernel interface is configured at once and its status
 * kept.  Two sets of one interface in flight at once may be applied in
 * either order: end the first before beginning the next.
 */
struct wgset;

/* 0 with *ret in flight, or -errno (nothing in flight). */
int wgset_begin(struct wgdev *dev, const struct wgconf_device *config, struct wgset **ret);
/* The interface's answer (0 or -errno, as wgdev_set()); frees s. */
int wgset_end(struct wgset *s);
/* The interface s configures. */
struct wgdev *wgset_dev(const struct wgset *s);

#endif
