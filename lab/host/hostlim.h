/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_HOST_HOSTLIM_H
#define LAB_HOST_HOSTLIM_H

#include <stdbool.h>
#include <stdint.h>

/*
 * The host's limits a big lab can run into, most of them shared by every
 * namespace (and so every lab) on the machine: what each allows, how much
 * of it is in use right now, the knob that raises it, and raising it.
 */
enum hostlim {
	HOSTLIM_NEIGH4,			/* IPv4 neighbour entries, host-wide */
	HOSTLIM_NEIGH6,			/* IPv6 neighbour entries, host-wide */
	HOSTLIM_CONNTRACK,		/* conntrack entries of one namespace */
	HOSTLIM_NOFILE,			/* open files of the lab process */
	HOSTLIM_THREADS,		/* threads (wireguard-go's), host-wide */
	HOSTLIM_MEMORY,			/* bytes of available memory */
	HOSTLIM_INOTIFY,		/* inotify instances of root, host-wide
					 * (one per wireguard-go: its UAPI socket) */
	HOSTLIM__MAX
};

struct hostlim_value {
	bool known;			/* false: the host has no such limit (e.g.
					 * conntrack not loaded) or it is unreadable */
	uint64_t limit;
	uint64_t used;			/* in use now, by anything on the host */
};

/* Reads limit k.  Always fills ret (known false when unreadable). */
void hostlim_read(enum hostlim k, struct hostlim_value *ret);
/* "IPv4 neighbour entries", "open files"... */
const char *hostlim_what(enum hostlim k);
/* What raises it: "net.ipv4.neigh.default.gc_thresh3", "ulimit -n"... */
const char *hostlim_knob(enum hostlim k);
/* Whether raising it changes the host for everything on it (a sysctl),
 * not only this process. */
bool hostlim_host_wide(enum hostlim k);
/* Raises limit k to at least value: a sysctl (host-wide), or this
 * process's rlimit.  0 or -errno (-EOPNOTSUPP: memory, not raisable). */
int hostlim_raise(enum hostlim k, uint64_t value);

#endif
