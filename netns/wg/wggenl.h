/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_WGGENL_H
#define NETNS_WGGENL_H

#include <stddef.h>
#include <stdint.h>

struct netns;
struct nlmsghdr;
struct wgconf_device;

/*
 * The kernel WireGuard backend: the link (rtnetlink, kind "wireguard") and
 * the generic netlink family "wireguard" (WG_CMD_SET_DEVICE,
 * WG_CMD_GET_DEVICE).  Message building and parsing are pure so that unit
 * tests can check them without the module.
 */

/* The buffer size wireguard-tools splits SET messages at:
 * min(page size, 8192). */
size_t wggenl_bufsize(void);

/*
 * Builds the WG_CMD_SET_DEVICE messages for dev in buf (bufsize bytes),
 * splitting them as wireguard-tools' kernel_set_device does: device
 * attributes and flags only in the first message, a peer continued in the
 * next message repeats only its public key and more allowed IPs.  emit is
 * called for each message (in buf; seq is left 0 for emit to set) and must
 * return 0 to go on.  Returns 0, emit's error, -ENOKEY (a peer without a
 * key), -EDESTADDRREQ (an endpoint name not resolved) or -EMSGSIZE.
 */
int wggenl_build_set(void *buf, size_t bufsize, uint16_t family, const char *ifname,
		     const struct wgconf_device *dev,
		     int (*emit)(struct nlmsghdr *nlh, void *data), void *data);

/*
 * Adds one WG_CMD_GET_DEVICE answer (or a SET message: the attributes are
 * the same) to dev.  A peer whose public key equals dev's last peer is a
 * continuation and is merged into it, as the kernel's dump asks of its
 * readers.  0 or -EPROTO.
 */
int wggenl_parse(const struct nlmsghdr *nlh, struct wgconf_device *dev);

/* Kernel I/O, inside ns. */

/* The family id.  -EPROTONOSUPPORT when the kernel has no WireGuard. */
int wggenl_family(struct netns *ns, uint16_t *ret);
/* RTM_NEWLINK kind "wireguard" (create, exclusive).  -EOPNOTSUPP when the
 * kind is unknown. */
int wggenl_link_add(struct netns *ns, const char *ifname);
int wggenl_link_del(struct netns *ns, const char *ifname);
int wggenl_set(struct netns *ns, const char *ifname, const struct wgconf_device *dev);
int wggenl_get(struct netns *ns, const char *ifname, struct wgconf_device **ret);

#endif
