/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_NS_H
#define NETNS_NS_H

#include <stdbool.h>
#include <stddef.h>

struct ifindex_cache;
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
 * are up.  Flags: NETNS_NO_IPV6 turns IPv6 off in it
 * (net.ipv6.conf.all.disable_ipv6 = 1, before its first interface): no
 * link-local address, route, multicast group or router solicitation on
 * any interface, not even lo's ::1.  A hub of thousands of interfaces then
 * costs the kernel O(1) per interface, not a walk of its IPv6 routes. */
enum { NETNS_NO_IPV6 = 1U << 0 };
struct netns *netns_new(unsigned int flags);
/* Whether ns was made with IPv6 (not NETNS_NO_IPV6); an opened one has. */
bool netns_has_ipv6(const struct netns *ns);
/* Opens an existing namespace by path (e.g. /run/netns/NAME). */
struct netns *netns_open(const char *path);
void netns_free(struct netns *ns);

int netns_fd(const struct netns *ns);
struct nl *netns_rtnl(struct netns *ns);
/* The interface indices the lab knows in ns (netns/ifindex.h). */
struct ifindex_cache *netns_ifindex(struct netns *ns);
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

/* The node's mount namespace (made at first use, held until
 * netns_free()): host mounts, /sys of the node, a private /run with
 * /run/tmp.  Programs of the node join it (see PROC_NODE_MOUNTS).  The fd
 * or -errno. */
int netns_mnt_fd(struct netns *ns);
/* The root directory of that mount namespace (O_PATH; made with it): a
 * path resolved from it (openat2() with RESOLVE_IN_ROOT) sees the node's
 * mounts, without a process in the namespace.  The fd or -errno. */
int netns_root_fd(struct netns *ns);

#endif
