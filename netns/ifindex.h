/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_IFINDEX_H
#define NETNS_IFINDEX_H

/*
 * The indices of interfaces the lab made or looked up in one namespace
 * (netns_ifindex()), kept by netns/link.c so that requests which need an
 * index (addresses, routes, master) cost no extra round trip.  The kernel
 * hands out indices cyclically, so a remembered index that went stale
 * gives -ENODEV rather than another link; link.c then forgets it and looks
 * the name up again.
 */
struct ifindex_cache;

/* hint: the first index to ask for (ifindex_hint()), 0 to let the kernel
 * pick. */
struct ifindex_cache *ifindex_cache_new(int hint);
void ifindex_cache_free(struct ifindex_cache *c);

/* The remembered index of name, or 0. */
int ifindex_lookup(const struct ifindex_cache *c, const char *name);
/* Also moves the hint below past index: it is taken.  0 or -EINVAL. */
int ifindex_remember(struct ifindex_cache *c, const char *name, int index);
void ifindex_forget(struct ifindex_cache *c, const char *name);

/* The index link.c asks for when it makes the next link in the namespace,
 * or 0 when the kernel should pick (namespaces opened by path).  The two
 * ends of a veth must not share an index: the kernel's link watch treats
 * carrier changes of such a pair as not urgent and applies them up to a
 * second late, and IPv6 drops traffic on the link until then. */
int ifindex_hint(const struct ifindex_cache *c);
void ifindex_hint_set(struct ifindex_cache *c, int next);

#endif
