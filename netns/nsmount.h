/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_NSMOUNT_H
#define NETNS_NSMOUNT_H

#include <stdbool.h>
#include <stddef.h>

struct netns;

/* What a mount of wglab's is, to tell it from another's of the same name:
 * the file netns_mount_claim() made and the namespace bound on it. */
struct netns_mount_id {
	unsigned long long file_dev, file_ino;
	unsigned long long ns_dev, ns_ino;
};

/*
 * Binds ns at DIR/name the way iproute2 does (DIR defaults to
 * NETNS_RUN_DIR, overridden by $WGLAB_NETNS_DIR), so `ip netns exec name`
 * works, in two steps: netns_mount_claim() makes the file (O_EXCL: -EEXIST
 * when the name is taken, by anyone) and fills *ret_id, so the caller can
 * record it before netns_mount_bind() binds ns on it (which removes the
 * file when it fails).  -EINVAL (here and below) for a name that is not
 * one path component of name_valid_max()'s characters.
 */
int netns_mount_claim(const struct netns *ns, const char *name, struct netns_mount_id *ret_id);
int netns_mount_bind(const struct netns *ns, const char *name);
/* Unmounts and removes DIR/name whatever it holds. */
int netns_unmount(const char *name);
/* Unmounts and removes DIR/name only when it is id's (the namespace bound,
 * or the file claimed): *ret_removed says whether it was.  Nothing there,
 * or another's, is not an error. */
int netns_unmount_own(const char *name, const struct netns_mount_id *id, bool *ret_removed);
/* 0 when nothing is at DIR/name, -EEXIST when something is. */
int netns_name_taken(const char *name);
const char *netns_run_dir(void);

/* /etc/netns/NAME/hosts and resolv.conf, which `ip netns exec NAME` binds
 * on /etc/hosts and /etc/resolv.conf (NAME as netns_mount() takes it):
 * written with hosts and resolv (replacing files a dead run left), through
 * directory descriptors, no symlink followed.  netns_etc_remove() removes
 * both, and the directory when empty; nothing there is not an error.
 * 0 or -errno. */
int netns_etc_files(const char *name, const char *hosts, const char *resolv);
int netns_etc_remove(const char *name);
/* 0 when there is no /etc/netns/NAME, -EEXIST when there is. */
int netns_etc_taken(const char *name);

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
