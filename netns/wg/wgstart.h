/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_WG_WGSTART_H
#define NETNS_WG_WGSTART_H

#include <stddef.h>

struct wgdev;

/*
 * The second half of a userspace interface created with
 * wgdev_backend.no_wait: waits (up to timeout_ms) until its program's UAPI
 * socket accepts, so that many wireguard-go processes start at once and
 * their start-up overlaps.  0 (a kernel interface: at once), -ECHILD when
 * the program exited first, -ETIMEDOUT; err gets one line of detail.
 */
int wgstart_wait(struct wgdev *dev, int timeout_ms, char *err, size_t errlen);

#endif
