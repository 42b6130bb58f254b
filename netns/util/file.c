// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "netns/util/file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

int file_write_close(int fd, const char *text)
{
	size_t len = strlen(text);
	ssize_t n = write(fd, text, len);
	int ret = 0;

	if (n < 0)
		ret = -errno;
	else if ((size_t)n != len)
		ret = -EIO;
	close(fd);
	return ret;
}

int file_write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	return fd < 0 ? -errno : file_write_close(fd, text);
}

int file_read_close(int fd, char *buf, size_t len)
{
	ssize_t n;
	int ret = 0;

	if (!len) {
		close(fd);
		return -EINVAL;
	}
	n = read(fd, buf, len - 1);
	if (n < 0) {
		ret = -errno;
		n = 0;
	}
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	close(fd);
	return ret;
}

int file_read_text(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	return fd < 0 ? -errno : file_read_close(fd, buf, len);
}
