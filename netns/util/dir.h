/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_UTIL_DIR_H
#define NETNS_UTIL_DIR_H

#include <dirent.h>

/* The directory path names relative to dirfd ("." for dirfd itself), open
 * for readdir() on an fd of its own (O_DIRECTORY, O_CLOEXEC, plus flags,
 * e.g. O_NOFOLLOW), or NULL with errno set and nothing left open. */
DIR *dir_openat(int dirfd, const char *path, int flags);

#endif
