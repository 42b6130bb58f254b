// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * netns/util/file: a value written whole, read back with its newline and
 * trailing blanks cut; errors as -errno, the descriptor closed on every
 * path.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netns/util/file.h"

extern Suite *file_suite(void);

static char path[64];

static void file_setup(void)
{
	int fd;

	snprintf(path, sizeof(path), "/tmp/wglab-check-file-XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
}

static void file_teardown(void)
{
	unlink(path);
}

START_TEST(test_file_write_read)
{
	char buf[16];

	ck_assert_int_eq(file_write_text(path, "1024 \n"), 0);
	ck_assert_int_eq(file_read_text(path, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "1024");
	/* At most len - 1 bytes. */
	ck_assert_int_eq(file_write_text(path, "abcdef"), 0);
	ck_assert_int_eq(file_read_text(path, buf, 4), 0);
	ck_assert_str_eq(buf, "abc");
}
END_TEST

START_TEST(test_file_errors)
{
	char buf[8] = "x";
	int fd;

	ck_assert_int_eq(file_read_text("/nonexistent/wglab", buf, sizeof(buf)), -ENOENT);
	/* Writing never creates. */
	ck_assert_int_eq(file_write_text("/tmp/wglab-check-file-none/x", "1"), -ENOENT);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(file_read_close(fd, buf, 0), -EINVAL);
	/* Closed: the descriptor is free again. */
	ck_assert_int_eq(fcntl(fd, F_GETFD), -1);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(file_write_close(fd, "1"), -EBADF);
	ck_assert_int_eq(fcntl(fd, F_GETFD), -1);
}
END_TEST

Suite *file_suite(void)
{
	Suite *s = suite_create("file");
	TCase *tc = tcase_create("file");

	tcase_add_checked_fixture(tc, file_setup, file_teardown);
	tcase_add_test(tc, test_file_write_read);
	tcase_add_test(tc, test_file_errors);
	suite_add_tcase(s, tc);
	return s;
}
