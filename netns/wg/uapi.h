/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_UAPI_H
#define NETNS_UAPI_H

#include <stddef.h>
#include <sys/types.h>

struct sockaddr_un;

struct wgconf_device;

/*
 * WireGuard's cross-platform userspace API (wireguard-go and friends): a
 * UNIX stream socket carrying "set=1"/"get=1" operations of key=value
 * lines, answered by "errno=N" and a blank line.  The encoder and parser
 * are pure; uapi_set()/uapi_get() do one operation per connection, as wg
 * does.
 */

/* "set=1\n...\n\n" for dev (device keys, then a block per peer).  The
 * caller frees *ret.  -ENOKEY when a peer has no public key (only a
 * reference), -EDESTADDRREQ when an endpoint is a name not yet resolved. */
int uapi_encode_set(const struct wgconf_device *dev, char **ret, size_t *ret_len);

/* Parses the answer to "get=1": a device with its peers, allowed IPs,
 * endpoints, handshake times and byte counts (caller frees).  The answer
 * must end with "errno=N" and a blank line.  Returns 0, the server's
 * error as -errno (wireguard-go writes it negative, others positive: both
 * are read), or -EPROTO for a malformed answer. */
int uapi_parse_get(const char *text, size_t len, struct wgconf_device **ret);

/* The status of a "set=1" answer ("errno=N\n\n"): 0, -errno, or -EPROTO. */
int uapi_parse_errno(const char *text, size_t len);

/* Socket I/O, timeout_ms for the whole operation (-1: none). */
int uapi_set(const char *sock_path, const struct wgconf_device *dev, int timeout_ms);
/* uapi_set() in two halves, so that several programs apply theirs at
 * once: the request is sent (*ret_fd: the connection), then the answer
 * read (uapi_set_end() closes fd).  Each half has timeout_ms. */
int uapi_set_begin(const char *sock_path, const struct wgconf_device *dev, int timeout_ms, int *ret_fd);
int uapi_set_end(int fd, int timeout_ms);
int uapi_get(const char *sock_path, struct wgconf_device **ret, int timeout_ms);
/* uapi_get() in two halves, as uapi_set_begin() and uapi_set_end():
 * several programs format their state at once. */
int uapi_get_begin(const char *sock_path, int timeout_ms, int *ret_fd);
int uapi_get_end(int fd, int timeout_ms, struct wgconf_device **ret);
/* uapi_get(), and the pid of the process that answered (the one that
 * listens on sock_path, as our PID namespace numbers it). */
int uapi_get_pid(const char *sock_path, struct wgconf_device **ret, pid_t *ret_pid, int timeout_ms);
/* 0 when something accepts connections at sock_path, else -errno. */
int uapi_probe(const char *sock_path);
/* A UAPI stream socket (close-on-exec) and the address of path in sun,
 * for connect() or bind().  The fd or -errno (-ENAMETOOLONG). */
int uapi_socket(const char *path, struct sockaddr_un *sun);

#endif
