/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_NS_H
#define NETNS_NS_H

#include <stddef.h>

struct nl;

/*
 * A network namespace held by a file descriptor, with an rtnetlink socket
 * bound inside it.  Unnamed: the kernel frees it when the last holder (fd,
 * socket, process, mount) goes away, so a dead lab leaves nothing behind.
 */
struct netns;

/* Creates a namespace and returns to the caller's one.  NULL + errno.
 * Link-local IPv6 addresses in it skip duplicate address detection
 * (net.ipv6.conf.default.accept_dad = 0), so IPv6 works as soon as links
 * are up. */
struct netns *netns_new(void);
/* Opens an existing namespace by path (e.g. /run/netns/NAME). */
struct netns *netns_open(const char *path);
void netns_free(struct netns *ns);

int netns_fd(const struct netns *ns);
struct nl *netns_rtnl(struct netns *ns);
/* A netlink socket of bus (NETLINK_GENERIC, NETLINK_NETFILTER...) bound
 * inside ns, for the modules' short exchanges; caller frees with
 * nl_free() before ns.  Its refusals, like netns_rtnl()'s, are kept for
 * netns_extack().  NULL + errno. */
struct nl *netns_nl_open(struct netns *ns, int bus);
/* The kernel's reason (extack, as the kernel wrote it) for refusing the
 * last netlink request about ns, on any of its sockets; "" when that
 * request was accepted or the kernel gave no reason. */
const char *netns_extack(const struct netns *ns);

/* Switch the calling thread in and back.  Keep the lab single-threaded.
 * netns_leave() cannot fail silently: a thread that stays in a node's
 * namespace would put everything after it there, so when the kernel
 * refuses the way back it prints one line and aborts. */
int netns_enter(const struct netns *ns);
void netns_leave(void);
/* The namespace the process started in, as an O_CLOEXEC fd. */
int netns_home_fd(void);

/*
 * The indices of interfaces the lab made or looked up in ns, kept by
 * netns/link.c so that requests which need an index (addresses, routes,
 * master) cost no extra round trip.  The kernel hands out indices
 * cyclically, so a remembered index that went stale gives -ENODEV rather
 * than another link; link.c then forgets it and looks the name up again.
 */
/* The remembered index of name, or 0. */
int netns_ifindex_lookup(const struct netns *ns, const char *name);
/* Also moves the hint below past index: it is taken. */
int netns_ifindex_remember(struct netns *ns, const char *name, int index);
void netns_ifindex_forget(struct netns *ns, const char *name);

/* The index link.c asks for when it makes the next link in ns, or 0 when
 * the kernel should pick (namespaces opened by path).  The two ends of a
 * veth must not share an index: the kernel's link watch treats carrier
 * changes of such a pair as not urgent and applies them up to a second
 * late, and IPv6 drops traffic on the link until then. */
int netns_ifindex_hint(const struct netns *ns);
void netns_ifindex_hint_set(struct netns *ns, int next);

/* Binds ns at DIR/name the way iproute2 does (DIR defaults to NETNS_RUN_DIR,
 * overridden by $WGLAB_NETNS_DIR), so `ip netns exec name` works.  -EEXIST
 * when the name is taken. */
int netns_mount(const struct netns *ns, const char *name);
int netns_unmount(const char *name);
const char *netns_run_dir(void);

/* The node's mount namespace (made at first use): host mounts, /sys of the
 * node, a private /run with /run/tmp.  Programs of the node join it (see
 * PROC_NODE_MOUNTS).  The fd or -errno. */
int netns_mnt_fd(struct netns *ns);
/* Writes a file inside the node's mount namespace (its /run, its
 * /etc/wireguard), with mode.  0 or -errno. */
int netns_mnt_write(struct netns *ns, const char *path, const void *data, size_t len,
		    unsigned int mode);

/* Writes a sysctl (dotted or slashed key) inside ns.  -errno. */
int netns_sysctl_set(const struct netns *ns, const char *key, const char *value);
int netns_sysctl_get(const struct netns *ns, const char *key, char *buf, size_t len);

#endif
