/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_WG_WGTUN_H
#define NETNS_WG_WGTUN_H

struct wgdev;

/*
 * Before a teardown that ends the interface's namespace: the TUN of a
 * userspace interface is made persistent (TUNSETPERSIST through a copy of
 * its program's descriptor, pidfd_getfd), so that the program's exit no
 * longer unregisters it alone.  The namespace's end then deletes it with
 * every other link of every namespace ending at once, in one batch: a TUN
 * closed by its program is unregistered by itself under the rtnl lock,
 * with its own RCU grace periods (about 20 ms each on these machines, one
 * after another however many programs stop at once).  Never for a
 * namespace that lives on: the link would outlive its program.
 *
 * 1 done, 0 nothing to do (a kernel interface, a program already gone or
 * holding no TUN of that name), -errno (-ENOSYS: a kernel without
 * pidfd_getfd); the interface is unchanged unless 1.
 */
int wgtun_persist(struct wgdev *dev);

#endif
