/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef TESTS_INTEGRATION_WGKTEST_H
#define TESTS_INTEGRATION_WGKTEST_H

/*
 * The wgkernel suite's fixture (check_wgkernel.c, wgkernel_path.c): two
 * namespaces joined by a veth, each with a key pair, and kernel WireGuard
 * devices made on demand.
 *
 *   A                                   B
 *   wgA 10.100.0.1/24 fd10::1/64        wgB 10.100.0.2/24 fd10::2/64
 *   va  10.99.0.1/24  fd99::1/64 <----> vb  10.99.0.2/24  fd99::2/64
 *       listen-port 51820                   listen-port 51821
 */
#include <check.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netns/wg/wgdev.h"
#include "netns/wg/wgkey.h"

struct netns;
struct wgconf_device;
struct wgconf_peer;

struct wgk_side {
	struct netns *ns;
	struct wgdev *dev;
	const char *ifname;
	uint8_t priv[WGKEY_LEN], pub[WGKEY_LEN];
};

extern struct wgk_side A, B;
/* A third namespace, for tests that need one (freed by the teardown). */
extern struct netns *C;
extern const struct wgdev_backend wgk_kernel;
/* B's underlay endpoint, IPv4 and IPv6. */
extern const char *const wgk_outer[2];

void wgk_setup(void);
void wgk_teardown(void);

void wgk_add_addr(struct netns *ns, const char *ifname, const char *a);
/* s's device, on backend be. */
void wgk_create(struct wgk_side *s, const struct wgdev_backend *be);
/* Runs args in ns through nsenter; its exit status.  With out, its stdout
 * (NUL-terminated, at most len - 1 bytes). */
int wgk_run_in(struct netns *ns, const char *const *args, char *out, size_t len);
bool wgk_ping_until(struct netns *ns, const char *dst, int deadline_ms);
/* s's state (caller frees). */
struct wgconf_device *wgk_get(struct wgk_side *s);
void wgk_add_ip(struct wgconf_peer *p, const char *prefix);
void wgk_set_endpoint(struct wgconf_peer *p, const char *endpoint);
/* s's device, replaced: its key, its port, and peer o at endpoint (may be
 * NULL) with the allowed IPs given. */
void wgk_configure(struct wgk_side *s, const struct wgk_side *o, const char *endpoint,
		   const char *allowed);
/* The tunnel addresses on both devices, both up. */
void wgk_tunnel_up(void);
/* Polls s's first peer for a handshake for up to ms. */
bool wgk_handshake_within(struct wgk_side *s, int ms);

/* The data path cases, added to the wgkernel suite. */
TCase *wgkernel_path_tcase(void);

#endif
