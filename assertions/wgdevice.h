/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef ASSERTIONS_WGDEVICE_H
#define ASSERTIONS_WGDEVICE_H

#include <stddef.h>
#include <stdint.h>

#include "netns/addr.h"
#include "netns/wg/wgconf.h"
#include "netns/wg/wgkey.h"

struct loop;
struct verdict;
struct wgdev;

/* A WireGuard interface's configuration as it is now (what `wg show`
 * prints): listen port, fwmark, number of peers, one peer's allowed IPs
 * (exactly that set, in any order).  Holds as soon as every part given
 * does, within the wait. */
struct wgdevice_want {
	unsigned int flags;		/* WGCONF_WANT_* */
	uint16_t listen_port;
	uint32_t fwmark;		/* 0: off */
	unsigned int peers;
	uint8_t peer[WGKEY_LEN];	/* ALLOWED */
	const char *peer_name;
	const struct addr *allowed;
	size_t n_allowed;
	unsigned int wait_ms;
};

int expect_wgdevice(struct loop *l, struct wgdev *dev, const struct wgdevice_want *w,
		    struct verdict *ret);

#endif
