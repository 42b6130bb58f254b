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

/* /etc/netns/NAME/hosts and resolv.conf, which `ip netns exec NAME` binds
 * on /etc/hosts and /etc/resolv.conf (NAME as netns_mount() takes it):
 * written with hosts and resolv (replacing files a dead run left), through
 * directory descriptors, no symlink followed.  netns_etc_remove() removes
 * both, and the directory when empty; nothing there is not an error.
 * 0 or -errno. */
int netns_etc_files(const char *name, const char *hosts, const char *resolv);
int netns_etc_remove(const char *name);

/* Files for netns_mnt_files(). */
struct mnt_file {
	const char *path;
	const char *data;	/* NUL-terminated */
	unsigned int mode;
	const char *bind_on;	/* also bind-mounted there (e.g. /etc/hosts), or NULL */
};

/* Writes n files inside the node's mount namespace, resolved from its
 * root with no symlink followed (-ELOOP on one); a file with bind_on is
 * bind-mounted on that path there (once: a path already bound is
 * rewritten in place), which takes one child process in the namespace for
 * the lot; without a bind, no process.  0 or -errno of the first failure. */
int netns_mnt_files(struct netns *ns, const struct mnt_file *files, size_t n);

#endif
