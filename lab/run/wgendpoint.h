/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_RUN_WGENDPOINT_H
#define LAB_RUN_WGENDPOINT_H

#include <stdint.h>

struct loc;
struct run;
struct rwg;
struct wgconf_device;

/*
 * The endpoints the lab set, so that `endpoint PEER learned` holds only
 * for one WireGuard took from an authenticated packet after the lab last
 * configured it.  A peer WireGuard adds starts with 0 bytes received: an
 * endpoint set with it needs no record.  An endpoint set on a peer it
 * already had is recorded with the peer's counters read right after the
 * set (a packet that came in between counts as before it: the verdict may
 * wait for the next one, it never takes a packet from before the set).
 * Endpoints a program sets (`wg set`, a hook) are not seen.
 */

/* The interface's state before a configuration (delta) that sets an
 * endpoint, in *ret (NULL: delta sets none).  0, or -errno with
 * run_error() called. */
int run_wgep_before(struct run *r, struct rwg *w, const struct wgconf_device *delta,
		    struct wgconf_device **ret);
/* After delta was taken: forgets removed peers and those delta added,
 * records each endpoint set on a peer before had, at locs[i] (the
 * statement of delta's i-th peer).  0, or -errno with run_error() called. */
int run_wgep_after(struct run *r, struct rwg *w, const struct wgconf_device *delta,
		   const struct wgconf_device *before, const struct loc *const *locs);
/* The record of peer on w, or NULL: the endpoint, if the lab set one, was
 * set when the peer was added. */
const struct rwgep *run_wgep_find(const struct rwg *w, const uint8_t peer[static 32]);

#endif
