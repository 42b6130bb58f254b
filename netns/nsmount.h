/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_NSMOUNT_H
#define NETNS_NSMOUNT_H

#include <stddef.h>

struct netns;

/* Binds ns at DIR/name the way iproute2 does (DIR defaults to NETNS_RUN_DIR,
 * overridden by $WGLAB_NETNS_DIR), so `ip netns exec name` works.  -EEXIST
 * when the name is taken; -EINVAL (here and in netns_unmount()) for a
 * name that is not one path component of name_valid_max()'s characters. */
int netns_mount(const struct netns *ns, const char *name);
int netns_unmount(const char *name);
const char *netns_run_dir(void);

/* Writes a file inside the node's mount namespace (its /run, its
 * /etc/wireguard), with mode.  0 or -errno. */
int netns_mnt_write(struct netns *ns, const char *path, const void *data, size_t len,
		    unsigned int mode);

#endif
