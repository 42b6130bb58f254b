// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * dir_openat: a directory open for readdir() relative to a directory fd,
 * and nothing left open when it fails.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "netns/util/dir.h"

extern Suite *dir_suite(void);

static char base[64];
static int basefd = -1;

static void dir_setup(void)
{
	int fd;

	snprintf(base, sizeof(base), "/tmp/wglab-check-dir-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(base));
	basefd = open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(basefd, 0);
	ck_assert_int_eq(mkdirat(basefd, "sub", 0700), 0);
	fd = openat(basefd, "sub/entry", O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
	fd = openat(basefd, "file", O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(symlinkat("sub", basefd, "link"), 0);
}

static void dir_teardown(void)
{
	unlinkat(basefd, "sub/entry", 0);
	unlinkat(basefd, "sub", AT_REMOVEDIR);
	unlinkat(basefd, "file", 0);
	unlinkat(basefd, "link", 0);
	close(basefd);
	rmdir(base);
}

/* The lowest fd free now: a failure that left one open moves it. */
static int next_fd(void)
{
	int fd = dup(0), ret = fd;

	if (fd >= 0)
		close(fd);
	return ret;
}

START_TEST(test_dir_openat_lists)
{
	struct dirent *de;
	bool seen = false;
	DIR *d = dir_openat(basefd, "sub", 0);

	ck_assert_ptr_nonnull(d);
	ck_assert(fcntl(dirfd(d), F_GETFD) & FD_CLOEXEC);
	while ((de = readdir(d)))
		seen |= !strcmp(de->d_name, "entry");
	ck_assert(seen);
	closedir(d);
	/* "." is the directory itself, on an fd of its own. */
	d = dir_openat(basefd, ".", 0);
	ck_assert_ptr_nonnull(d);
	ck_assert_int_ne(dirfd(d), basefd);
	closedir(d);
	/* A symlink is followed unless asked not to. */
	d = dir_openat(basefd, "link", 0);
	ck_assert_ptr_nonnull(d);
	closedir(d);
}
END_TEST

START_TEST(test_dir_openat_fails_clean)
{
	int before = next_fd();

	errno = 0;
	ck_assert_ptr_null(dir_openat(basefd, "file", 0));
	ck_assert_int_eq(errno, ENOTDIR);
	ck_assert_ptr_null(dir_openat(basefd, "missing", 0));
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_ptr_null(dir_openat(basefd, "link", O_NOFOLLOW));
	ck_assert(errno == ELOOP || errno == ENOTDIR);
	ck_assert_ptr_null(dir_openat(-1, "sub", 0));
	ck_assert_int_eq(errno, EBADF);
	ck_assert_int_eq(next_fd(), before);
}
END_TEST

Suite *dir_suite(void)
{
	Suite *s = suite_create("dir");
	TCase *tc = tcase_create("dir_openat");

	tcase_add_checked_fixture(tc, dir_setup, dir_teardown);
	tcase_add_test(tc, test_dir_openat_lists);
	tcase_add_test(tc, test_dir_openat_fails_clean);
	suite_add_tcase(s, tc);
	return s;
}
