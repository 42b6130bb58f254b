/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_ROOTLESS_H
#define LAB_ROOTLESS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * Labs without root.  A wglab that lacks CAP_SYS_ADMIN or CAP_NET_ADMIN
 * builds inside a user namespace of its own, where the caller's uid and gid
 * are root (setgroups denied), with its own mount, network and PID
 * namespaces.  Everything a lab makes (namespaces, links, nftables,
 * conntrack, TUNs, sysctls) belongs to that user namespace, so it works as
 * for root and dies with it.
 *
 * The PID namespace is what proc_spawn() needs: it returns to the lab's PID
 * namespace after each program, which must be owned by the lab's user
 * namespace.  So the caller forks: the child, pid 1 of the new namespace
 * with a /proc of its own, carries on; the parent (the holder, outside)
 * forwards SIGINT, SIGTERM and SIGHUP to it and exits as it does.  Its death
 * (even by SIGKILL) kills the child and so the whole lab.
 */

/* True when this process cannot build labs as it is (no CAP_SYS_ADMIN or
 * no CAP_NET_ADMIN), i.e. rootless_enter() would make namespaces. */
bool rootless_needed(void);
/* True in the process that rootless_enter() left in the namespaces. */
bool rootless_active(void);

/* For a user other than root: WGLAB_RUN_DIR and WGLAB_NETNS_DIR default to
 * $XDG_RUNTIME_DIR/wglab and .../netns (or /tmp/wglab-UID when there is no
 * runtime directory of the user's), since /run is root's.  Variables the
 * user set are kept.  Creates nothing.  0, or -errno (the fallback directory
 * belongs to someone else) with why. */
int rootless_paths(char *why, size_t len);

/* Enters the namespaces when rootless_needed(), and does nothing otherwise.
 * Returns 0 in the process that carries on; the holder never returns.
 * -errno with one line in why (e.g. the kernel refuses unprivileged user
 * namespaces, and which sysctl says so); the process may then be half-way
 * in and should exit. */
int rootless_enter(char *why, size_t len);

/* The pid of the process that holds the lab as the lab records need it (in
 * the PID namespace of their readers): the holder when rootless, else
 * getpid(). */
pid_t rootless_holder(void);
/* A directory fd of the /proc that shows the holder's pid (the host's
 * /proc, even once the lab's own is mounted over it).  -errno. */
int rootless_host_proc(void);
/* This process's pid as the host sees it, or -errno. */
pid_t rootless_host_pid(void);

/* Joins the user and mount namespaces of the process pid (the holder of a
 * lab) when they are not the caller's, so that its node mounts are
 * visible; the working directory is kept when it exists there.  For `exec`
 * and `shell`.  0 or -errno. */
int rootless_join(pid_t pid);

/* 0 when the caller may open /dev/net/tun (wireguard-go needs it), else
 * -errno with why: without root a device mode of 0600 cannot be
 * overridden. */
int rootless_tun_check(char *why, size_t len);

#endif
