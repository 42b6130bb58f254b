/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_UTIL_FILE_H
#define NETNS_UTIL_FILE_H

/* Writes all of text to fd in one write() (a sysctl or /proc file takes
 * its value whole), then closes fd.  0, -errno, or -EIO for a short
 * write. */
int file_write_close(int fd, const char *text);
/* The same to path, opened for writing (O_CLOEXEC; the file must exist). */
int file_write_text(const char *path, const char *text);

#endif
