/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_WG_WGGET_H
#define NETNS_WG_WGGET_H

struct wgconf_device;
struct wgdev;

/*
 * wgdev_get() in two halves, so that several interfaces are read at once:
 * a userspace program gets the request now and its answer is read in
 * wgget_end() (a wireguard-go with 99 peers takes a few milliseconds to
 * format them, and waits its turn for a CPU first); a kernel interface is
 * read at once.
 */
struct wgget;

/* 0 with *ret in flight, or -errno (nothing in flight). */
int wgget_begin(struct wgdev *dev, struct wgget **ret);
/* The interface's state (0 with *ret, the caller's, or -errno, as
 * wgdev_get()); frees g. */
int wgget_end(struct wgget *g, struct wgconf_device **ret);

#endif
