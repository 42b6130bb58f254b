/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_UTIL_FILE_H
#define NETNS_UTIL_FILE_H

#include <stddef.h>

/* Writes all of text to fd in one write() (a sysctl or /proc file takes
 * its value whole), then closes fd.  0, -errno, or -EIO for a short
 * write. */
int file_write_close(int fd, const char *text);
/* The same to path, opened for writing (O_CLOEXEC; the file must exist). */
int file_write_text(const char *path, const char *text);
/* Reads what one read() gives of fd (a sysctl or /proc value) into buf,
 * at most len - 1 bytes, trailing newlines and blanks cut, then closes
 * fd.  0 or -errno (-EINVAL for len 0). */
int file_read_close(int fd, char *buf, size_t len);
/* The same from path. */
int file_read_text(const char *path, char *buf, size_t len);

#endif
