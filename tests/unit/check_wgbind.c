// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * The pure parts of waiting for wireguard-go's UDP socket: the kernel's
 * /proc/net/udp tables (port -> socket inodes) and wireguard-go's log line
 * for a bind it could not make.  Live: tests/integration/check_wg.c.
 */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "netns/wg/wgbind.h"

extern Suite *wgbind_suite(void);

/* As Linux 6.x prints them (udp: 128-column lines; udp6: longer). */
#define UDP4_HEADER                                                                                      \
	"   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode " \
	"ref pointer drops             \n"
#define UDP6_HEADER                                                                                        \
	"  sl  local_address                         remote_address                        st tx_queue "   \
	"rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"

static const char udp4[] = UDP4_HEADER
	"  257: 00000000:CA6C 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 "
	"4997481 2 0000000000000000 0        \n"
	"  300: 0100007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 "
	"123 2 0000000000000000 0        \n"
	" 1023: 0200000A:CA6C 0300000A:CA6C 01 00000000:00000000 00:00000000 00000000   101        0 "
	"77 2 0000000000000000 0        \n";

static const char udp6[] = UDP6_HEADER
	"  257: 00000000000000000000000000000000:CA6C 00000000000000000000000000000000:0000 07 "
	"00000000:00000000 00:00000000 00000000     0        0 4997480 2 0000000000000000 0\n";

START_TEST(test_wgbind_table_ipv4)
{
	unsigned long ino[4] = { 0 };

	/* 0xCA6C = 51820: the unconnected socket and a connected one. */
	ck_assert_int_eq(wgbind_table_inodes(udp4, 51820, ino, 4), 2);
	ck_assert_uint_eq(ino[0], 4997481);
	ck_assert_uint_eq(ino[1], 77);
	ck_assert_int_eq(wgbind_table_inodes(udp4, 53, ino, 4), 1);
	ck_assert_uint_eq(ino[0], 123);
	/* The remote port is not the local one. */
	ck_assert_int_eq(wgbind_table_inodes(udp4, 0, ino, 4), 0);
	ck_assert_int_eq(wgbind_table_inodes(udp4, 51821, ino, 4), 0);
}
END_TEST

START_TEST(test_wgbind_table_ipv6)
{
	unsigned long ino[1] = { 0 };

	ck_assert_int_eq(wgbind_table_inodes(udp6, 51820, ino, 1), 1);
	ck_assert_uint_eq(ino[0], 4997480);
}
END_TEST

/* More matches than room: the count is still right, the array not
 * overrun. */
START_TEST(test_wgbind_table_full)
{
	unsigned long ino[2] = { 0, 0 };

	ck_assert_int_eq(wgbind_table_inodes(udp4, 51820, ino, 1), 2);
	ck_assert_uint_eq(ino[0], 4997481);
	ck_assert_uint_eq(ino[1], 0);
}
END_TEST

static const struct {
	const char *text;
	int want;
} table_cases[] = {
	{ "", 0 },
	{ UDP4_HEADER, 0 },
	{ UDP4_HEADER "\n   \n", 0 },
	{ "no newline at all", -EPROTO },
	{ UDP4_HEADER "  1: 00000000:CA6C\n", -EPROTO },
	{ UDP4_HEADER "  1: 00000000-CA6C 00000000:0000 07 00000000:00000000 00:00000000 00000000 0 0 9 2 0 0\n",
	  -EPROTO },
	{ UDP4_HEADER "  1: 00000000:XYZ 00000000:0000 07 00000000:00000000 00:00000000 00000000 0 0 9 2 0 0\n",
	  -EPROTO },
	{ UDP4_HEADER "  1: 00000000:1CA6C 00000000:0000 07 00000000:00000000 00:00000000 00000000 0 0 9 2 0 0\n",
	  -EPROTO },
	{ UDP4_HEADER "  1: 00000000: 00000000:0000 07 00000000:00000000 00:00000000 00000000 0 0 9 2 0 0\n",
	  -EPROTO },
};

START_TEST(test_wgbind_table_malformed)
{
	unsigned long ino[2];

	ck_assert_int_eq(wgbind_table_inodes(table_cases[_i].text, 51820, ino, 2), table_cases[_i].want);
}
END_TEST

/* wireguard-go 0.0.20220316's lines, as its log fd gets them. */
static const char log_text[] =
	"DEBUG: (wg1) 2026/12/04 20:48:14 UAPI: Updating listen port\n"
	"ERROR: (wg0) 2026/12/04 20:48:14 Unable to update bind: listen udp4 :51820: bind: permission denied\n"
	"ERROR: (wg1) 2026/12/04 20:48:19 Failed to load updated MTU of device: no such device\n"
	"ERROR: (wg1) 2026/12/04 20:48:20 Unable to update bind: listen udp6 :51820: bind: address already in use\r\n"
	"ERROR: (wg1) 2026/12/04 20:48:21 Unable to update bind: cannot assign requested address\n";

START_TEST(test_wgbind_log_failure_first_of_its_interface)
{
	char line[128];

	ck_assert_int_eq(wgbind_log_failure(log_text, sizeof(log_text) - 1, "wg1", line, sizeof(line)),
			 -EADDRINUSE);
	ck_assert_str_eq(line, "Unable to update bind: listen udp6 :51820: bind: address already in use");
	ck_assert_int_eq(wgbind_log_failure(log_text, sizeof(log_text) - 1, "wg0", line, sizeof(line)), -EACCES);
	ck_assert_str_eq(line, "Unable to update bind: listen udp4 :51820: bind: permission denied");
}
END_TEST

static const struct {
	const char *text;
	const char *ifname;
	int want;
} log_cases[] = {
	{ "", "wg0", 0 },
	/* Another interface's, a debug line, a hook's echo: not ours. */
	{ "ERROR: (wg10) 2026/12/04 20:48:20 Unable to update bind: address already in use\n", "wg1", 0 },
	{ "DEBUG: (wg1) 2026/12/04 20:48:20 Unable to update bind: address already in use\n", "wg1", 0 },
	{ "echo Unable to update bind: address already in use\n", "wg1", 0 },
	{ "ERROR: (wg1) 2026/12/04 20:48:20 Failed to bind\n", "wg1", 0 },
	/* The errno its end names, Go's lower case or not; none: EIO. */
	{ "ERROR: (wg1) 2026/12/04 20:48:20 Unable to update bind: cannot assign requested address\n", "wg1",
	  -EADDRNOTAVAIL },
	{ "ERROR: (wg1) 2026/12/04 20:48:20 Unable to update bind: Address family not supported by protocol", "wg1",
	  -EAFNOSUPPORT },
	{ "ERROR: (wg1) 2026/12/04 20:48:20 Unable to update bind: something odd\n", "wg1", -EIO },
};

START_TEST(test_wgbind_log_failure_cases)
{
	char line[128] = "";

	ck_assert_int_eq(wgbind_log_failure(log_cases[_i].text, strlen(log_cases[_i].text), log_cases[_i].ifname,
					    line, sizeof(line)),
			 log_cases[_i].want);
	if (log_cases[_i].want)
		ck_assert_ptr_nonnull(strstr(line, "Unable to update bind: "));
}
END_TEST

/* The length bounds the search: a line past it is not read. */
START_TEST(test_wgbind_log_failure_length)
{
	static const char text[] = "DEBUG: (wg1) x\nERROR: (wg1) d t Unable to update bind: address already in use\n";
	char line[16];

	ck_assert_int_eq(wgbind_log_failure(text, strlen("DEBUG: (wg1) x\n"), "wg1", line, sizeof(line)), 0);
	ck_assert_int_eq(wgbind_log_failure(text, sizeof(text) - 1, "wg1", line, sizeof(line)), -EADDRINUSE);
	/* Truncated to the room given. */
	ck_assert_str_eq(line, "Unable to updat");
}
END_TEST

Suite *wgbind_suite(void)
{
	Suite *s = suite_create("wgbind");
	TCase *tc;

	tc = tcase_create("wgbind_table_inodes");
	tcase_add_test(tc, test_wgbind_table_ipv4);
	tcase_add_test(tc, test_wgbind_table_ipv6);
	tcase_add_test(tc, test_wgbind_table_full);
	tcase_add_loop_test(tc, test_wgbind_table_malformed, 0, sizeof(table_cases) / sizeof(table_cases[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("wgbind_log_failure");
	tcase_add_test(tc, test_wgbind_log_failure_first_of_its_interface);
	tcase_add_loop_test(tc, test_wgbind_log_failure_cases, 0, sizeof(log_cases) / sizeof(log_cases[0]));
	tcase_add_test(tc, test_wgbind_log_failure_length);
	suite_add_tcase(s, tc);
	return s;
}
