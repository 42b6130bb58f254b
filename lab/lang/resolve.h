/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_LANG_RESOLVE_H
#define LAB_LANG_RESOLVE_H

#include <stddef.h>

struct addr;
struct ifref;
struct lab;
struct lab_names;

/*
 * The lab's addresses by node and by NODE:IF, from one pass over its
 * statements (aborts when out of memory).  It points into the lab: it
 * lives no longer, and a lab that gains statements needs a new one.
 */
struct lab_names *lab_names_new(const struct lab *lab);
void lab_names_free(struct lab_names *names);
/* The node a host name stands for (`node NODE name HOST`; any case), or
 * NULL. */
const char *lab_names_alias(const struct lab_names *names, const char *host);
/* The host names of node (as written; n of them at *ret). */
size_t lab_names_aliases(const struct lab_names *names, const char *node, char *const **ret);

/*
 * What a node name (or a host name of a node) means as an address, seen
 * from node `from` (the README's rule): one of the node's underlay
 * addresses (those its `link` and `lan` statements give; never a
 * WireGuard interface's), in a family `from` has an underlay address of;
 * those on a subnet `from` is on (the neighbour's address facing it) are
 * preferred; then they must all be on one interface of the node, else the
 * name is ambiguous; on that interface IPv4 comes first, then the order
 * written.
 *
 * 0 with *ret; -ENOENT (no such node, or it has no underlay address),
 * -ENETUNREACH (none in a family `from` has), -ENOTUNIQ (ambiguous);
 * why (len bytes) then says it in words, naming the candidates.
 */
int lab_resolve_node(const struct lab_names *names, const char *from, const char *name, struct addr *ret,
		     char *why, size_t len);

/*
 * NODE:IF's own address, as the scenario's statements give it (its link or
 * lan end, `address`, a `wireguard` or wg-quick Address; link-local ones
 * left out): the first of family (0: IPv4 first, then IPv6).  0 with
 * *ret (a /32 or /128); -ENOENT with why when there is none.
 */
int lab_resolve_ifaddr(const struct lab_names *names, const struct ifref *ref, int family, struct addr *ret,
		       char *why, size_t len);

#endif
