/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_WG_WGBIND_H
#define NETNS_WG_WGBIND_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct netns;
struct wgdev;

/*
 * Whether a userspace WireGuard holds its UDP socket.  wireguard-go opens
 * it only while its device is up, which it decides on its own, after
 * reading its TUN's events: until then a listen_port set over UAPI is
 * accepted without a socket, and when the bind then fails it only logs
 * "Unable to update bind: ..." and stays without one.  So after bringing
 * an interface up the lab waits for the socket itself (the UAPI's
 * listen_port, a UDP socket bound to it in the program's network
 * namespace (sock_diag), that socket one of the program's own
 * descriptors), and reads the program's log for that line, to report the
 * refusal at once.  The
 * kernel binds when the link goes up or the port changes, or refuses
 * then: nothing to wait for.
 */

/* Where in log_fd a later wgbind_wait() starts reading (its size now);
 * 0 for -1 or an unreadable log. */
off_t wgbind_log_mark(int log_fd);

/*
 * Waits (up to timeout_ms) until dev's program holds a UDP socket on its
 * listen port.  0 (at once for a kernel device); when the program's log
 * (log_fd, -1: none) says from log_from on that it could not bind, the
 * errno its line names (-EADDRINUSE, ...; -EIO when it names none) and
 * err gets "wireguard-go: " and its words; -ECHILD when the program
 * exited; -ETIMEDOUT; or a UAPI error.  err gets one line of detail.
 */
int wgbind_wait(struct wgdev *dev, int log_fd, off_t log_from, int timeout_ms, char *err, size_t errlen);

/* The parts (for the tests). */

/* 1 when process pid, of namespace ns, has among its descriptors a UDP
 * socket (IPv4 or IPv6) of ns bound to port; 0 when not; -ESRCH when
 * there is no such process, or -errno. */
int wgbind_owned(struct netns *ns, pid_t pid, uint16_t port);
/* In log text (len bytes), the first line in which ifname's wireguard-go
 * says it could not bind ("ERROR: (IF) DATE TIME Unable to update bind:
 * ..."): its words from "Unable" on into line; the errno its end names as
 * -errno (-EIO when none), or 0 when there is no such line. */
int wgbind_log_failure(const char *text, size_t len, const char *ifname, char *line, size_t linelen);

#endif
