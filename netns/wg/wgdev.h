/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_WGDEV_H
#define NETNS_WGDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "netns/wg/wgkey.h"

struct netns;
struct proc;
struct wghost;
struct wgconf_device;
struct wgconf_peer;

/*
 * A WireGuard interface inside a node, whatever implements it: the kernel
 * (a "wireguard" link configured over generic netlink) or a userspace
 * program speaking the cross-platform UAPI (wireguard-go by default),
 * started inside the node with a private /run so that its socket never
 * appears in the host's /var/run/wireguard.
 */
struct wgdev;

enum wgdev_kind {
	WGDEV_KERNEL,
	WGDEV_USERSPACE,
};

struct wgdev_backend {
	enum wgdev_kind kind;
	/* Userspace: the program (NULL: "wireguard-go", searched in PATH),
	 * run as `PATH -f IFNAME`; its stdout and stderr go to log_fd (-1:
	 * /dev/null); start_timeout_ms bounds the wait for its UAPI socket
	 * (0: 5000). */
	const char *path;
	int log_fd;
	int start_timeout_ms;
	/* Userspace: return once the program is started, without waiting for
	 * its socket (netns/wg/wgstart.h waits), so that many start at once. */
	bool no_wait;
	/* Userspace: GOMAXPROCS=go_maxprocs in the program's environment
	 * (0: none added; the inherited environment's, or Go's default of
	 * one per CPU).  Harmless to a program not written in Go. */
	unsigned int go_maxprocs;
	/* Userspace: the lab's WireGuard host (netns/wg/wghost.h) makes the
	 * interface, instead of a program of its own (path and go_maxprocs
	 * then unused); NULL: a program per interface. */
	struct wghost *host;
	/* Kernel: create the link in this namespace and move it into the
	 * node, so its UDP socket stays behind (the kernel selftest's
	 * topology).  NULL: created in the node. */
	struct netns *birth_ns;
};

/* Creates ifname in ns.  On failure, err (if errlen) holds one line of
 * detail: the kernel's extack, or the program's last log line when it
 * exited before its socket appeared.  0 or -errno (-EPROTONOSUPPORT /
 * -EOPNOTSUPP: no kernel WireGuard; -ENOENT: no such program; -ECHILD: the
 * program exited; -ETIMEDOUT). */
int wgdev_create(struct wgdev **ret, struct netns *ns, const char *ifname,
		 const struct wgdev_backend *be, char *err, size_t errlen);

/* Applies config: everything its flags say (a full replace with
 * WGCONF_DEV_REPLACE_PEERS, or incremental: peers added or updated, removed
 * with WGCONF_PEER_REMOVE, touched only if present with
 * WGCONF_PEER_UPDATE_ONLY).  Key references must be resolved. */
int wgdev_set(struct wgdev *dev, const struct wgconf_device *config);
/* The live state (caller frees with wgconf_device_free()). */
int wgdev_get(struct wgdev *dev, struct wgconf_device **ret);

/* Deletes the interface (`ip link delete`): the kernel link goes, the
 * userspace program sees its TUN vanish and exits (stopped after a grace
 * period otherwise).  The object stays for wgdev_free().  0 or -errno. */
int wgdev_delete(struct wgdev *dev);
/* Deletes the interface if still there, stops the program, frees.
 * NULL-safe. */
void wgdev_free(struct wgdev *dev);
/* Before a teardown that ends the interface's namespace: wgdev_free()
 * leaves a kernel interface to that end, deleted in one batch with every
 * other link of the namespaces ending at once, instead of by itself; the
 * WireGuard host's TUN is made persistent for the same end (a userspace
 * program's: netns/wg/wgtun.h).  Never for a namespace that lives on. */
void wgdev_leave(struct wgdev *dev);

enum wgdev_kind wgdev_kind(const struct wgdev *dev);
const char *wgdev_ifname(const struct wgdev *dev);
struct netns *wgdev_netns(const struct wgdev *dev);
/* The userspace program (NULL for the kernel and for an interface of the
 * WireGuard host, see wgdev_backend.host). */
struct proc *wgdev_proc(const struct wgdev *dev);
/* The pid of whatever process holds a userspace interface's sockets
 * (its program's, the host's), 0 when not known or gone. */
pid_t wgdev_pid(const struct wgdev *dev);
/* Whether a userspace interface's program has exited, or the host has
 * closed its device (a look, no wait). */
bool wgdev_exited(struct wgdev *dev);
/* An interface of the host started without waiting (no_wait): waits up
 * to timeout_ms for the host's answer.  0 or -errno, see wghost_wait(). */
int wgdev_host_wait(struct wgdev *dev, int timeout_ms, char *err, size_t errlen);

/* The UAPI socket path as seen from the caller ("" for the kernel). */
const char *wgdev_sock_path(const struct wgdev *dev);

/* 1 when the kernel can make WireGuard links (tried on a scratch link in a
 * new namespace, ns is unused and may be NULL), 0 when not, -errno when the
 * probe itself failed. */
int wgdev_probe_kernel(struct netns *ns);

#endif
