/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_WG_WGHOST_H
#define NETNS_WG_WGHOST_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct netns;
struct proc;

/*
 * One process for every userspace WireGuard interface of a lab:
 * wglab-wghost (netns/wg/wghost/main.go), wireguard-go's own code built as
 * a library, so that a lab pays for one Go runtime instead of one per
 * interface (about 30 ms of CPU each here).  It runs as a program of
 * netns/proc.h (it dies with the lab, even by SIGKILL) and talks over a
 * socket pair: for each interface wglab opens the TUN inside the node's
 * network namespace, binds and listens on its UAPI socket at
 * /run/wireguard/IFNAME.sock in the node's mounts (where `wg` finds it, as
 * it finds wireguard-go's), and passes both with the namespace and the
 * interface's log.  The host makes the device there (its UDP sockets in
 * the node's namespace, whenever it binds) and says when it has closed
 * (its TUN deleted).
 */
struct wghost;

/* Starts the program at path with its log on log_fd (-1: none; the
 * interfaces' own lines go to their logs).  0 or -errno. */
int wghost_start(struct wghost **ret, const char *path, int log_fd);
/* Stops it (every interface it holds closes; their TUNs go unless made
 * persistent) and frees.  NULL-safe. */
void wghost_free(struct wghost *h);

/* Asks for ifname in ns without waiting: its TUN (*tun_fd: a copy for
 * the caller, see wghost_persist()) and its UAPI socket, whose path as
 * seen from the caller goes to sock (len bytes).  *id names the request
 * for wghost_wait().  0 or -errno (-EPIPE: the host is gone). */
int wghost_add(struct wghost *h, struct netns *ns, const char *ifname, int log_fd, unsigned int *id,
	       int *tun_fd, char *sock, size_t len);
/* Waits up to timeout_ms for the answer to id: 0 (the interface is ready
 * for configuration over its socket) or -errno with the host's words in
 * err (-ECHILD: the host exited; -ETIMEDOUT). */
int wghost_wait(struct wghost *h, unsigned int id, int timeout_ms, char *err, size_t errlen);
/* Whether id's device has closed, or the host is gone; waits up to
 * timeout_ms (0: a look). */
bool wghost_gone(struct wghost *h, unsigned int id, int timeout_ms);

/* The TUN behind tun_fd survives its device, for the end of its
 * namespace (netns/wg/wgtun.h).  0 or -errno. */
int wghost_persist(int tun_fd);

/* The host's pid, 0 when it is gone. */
pid_t wghost_pid(const struct wghost *h);
/* What the host says of itself when it starts (its --version line),
 * waiting up to timeout_ms for it; NULL if it did not say. */
const char *wghost_version(struct wghost *h, int timeout_ms);
/* Whether the host has exited (every interface of it gone with it), why
 * into why ("killed by signal 9", "exit status 2").  NULL-safe: false. */
bool wghost_exited(struct wghost *h, char *why, size_t len);

#endif
