// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * The pure part of waiting for wireguard-go's UDP socket: wireguard-go's
 * log line for a bind it could not make.  Live (the sockets, through
 * sock_diag): tests/integration/check_wg.c, check_netns.c.
 */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "netns/wg/wgbind.h"

extern Suite *wgbind_suite(void);

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

	tc = tcase_create("wgbind_log_failure");
	tcase_add_test(tc, test_wgbind_log_failure_first_of_its_interface);
	tcase_add_loop_test(tc, test_wgbind_log_failure_cases, 0, sizeof(log_cases) / sizeof(log_cases[0]));
	tcase_add_test(tc, test_wgbind_log_failure_length);
	suite_add_tcase(s, tc);
	return s;
}
