/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_HOST_SAFEDIR_H
#define LAB_HOST_SAFEDIR_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

/*
 * Directories wglab writes in or removes from on the host (artifacts,
 * reports, the run journal, lab records) are reached through descriptors
 * verified on the way, never by a path another user could swap between a
 * check and a use.  A directory is trusted when it belongs to root or to
 * the caller and no one else may write in it (or only under the sticky
 * bit, as in /tmp, where no one may rename or remove another's entries).
 * Symlinks are followed only when they belong to root or to the caller.
 * Files are made with O_EXCL and never through a symlink.
 */

enum {
	/* Make the last directory (mode 0700) when it is missing. */
	SAFEDIR_CREATE = 1U << 0,
	/* The last directory must be the caller's own (not root's when the
	 * caller is not root); it is set to mode 0700. */
	SAFEDIR_PRIVATE = 1U << 1,
	/* The last directory must be the caller's own; its mode is left as
	 * it is (a folder the caller made before keeps the mode it chose). */
	SAFEDIR_MINE = 1U << 2,
};

/* An O_DIRECTORY descriptor of path, walked component by component from
 * "/" (or from the working directory for a relative path), each one
 * trusted.  -errno, with why (when len) saying which component was refused
 * and why. */
int safedir_open(const char *path, unsigned int flags, char *why, size_t len);
/* The directory name inside the trusted dirfd (one path component): the
 * same checks and flags. */
int safedir_sub(int dirfd, const char *name, unsigned int flags, char *why, size_t len);
/* A new file name in the trusted dirfd, open for writing, with mode: an
 * old regular file of the caller's at that name is replaced, anything
 * else there is left as it is and refused (-EPERM: another user's,
 * -EISDIR, -ELOOP: a symlink, -EEXIST: a device, FIFO or socket, which
 * may be the host's).  The fd or -errno. */
int safedir_create(int dirfd, const char *name, mode_t mode);
/* Removes every entry of dirfd but directories (files and symlinks,
 * never followed).  0 or the first -errno. */
int safedir_empty(int dirfd);
/* Whether st (of a directory) may be trusted, as above; why when not. */
bool safedir_trusted(const struct stat *st, const char *shown, char *why, size_t len);

#endif
