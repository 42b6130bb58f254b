/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_SYSCTL_H
#define NETNS_SYSCTL_H

#include <stddef.h>

struct netns;

/* Writes a sysctl (dotted or slashed key: net.ipv4.ip_forward,
 * net/ipv4/conf/eth0.100/forwarding) inside ns, where /proc/sys/net
 * resolves against the node's namespace.  -errno. */
int netns_sysctl_set(const struct netns *ns, const char *key, const char *value);
/* Reads one into buf, trailing blanks and newline cut.  -errno. */
int netns_sysctl_get(const struct netns *ns, const char *key, char *buf, size_t len);

#endif
