// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * netns/util/number.h: the one reader of numbers, durations, rates and
 * sizes.  What it accepts, with the value; what it refuses, and why.
 */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "netns/util/number.h"

Suite *number_suite(void);

static const struct {
	const char *s;
	unsigned int flags;
	int ret;
	uint64_t v;
} ints[] = {
	{ "0", 0, 0, 0 },
	{ "1500", 0, 0, 1500 },
	{ "4294967295", 0, 0, 4294967295ULL },
	{ "01500", 0, -EINVAL, 0 },
	{ "00", 0, -EINVAL, 0 },
	{ "0x500", 0, -EINVAL, 0 },
	{ "0x500", NUMBER_HEX, 0, 0x500 },
	{ "0XfF", NUMBER_HEX, 0, 0xff },
	{ "0x", NUMBER_HEX, -EINVAL, 0 },
	{ "0xg", NUMBER_HEX, -EINVAL, 0 },
	{ "010", NUMBER_HEX, -EINVAL, 0 },
	{ "-1", 0, -EINVAL, 0 },
	{ "+1", 0, -EINVAL, 0 },
	{ " 1", 0, -EINVAL, 0 },
	{ "1 ", 0, -EINVAL, 0 },
	{ "", 0, -EINVAL, 0 },
	{ "1e3", 0, -EINVAL, 0 },
	{ "99999999999999999999999", 0, -ERANGE, 0 },
};

START_TEST(test_number_u64)
{
	const char *why = NULL;
	uint64_t v = 12345;
	int r = number_u64(ints[_i].s, ints[_i].flags, 0, UINT64_MAX, &v, &why);

	ck_assert_msg(r == ints[_i].ret, "'%s': %d, expected %d", ints[_i].s, r, ints[_i].ret);
	if (!r)
		ck_assert_uint_eq(v, ints[_i].v);
	else
		ck_assert_ptr_nonnull(why);
}
END_TEST

START_TEST(test_number_range)
{
	const char *why = NULL;
	uint32_t v;

	ck_assert_int_eq(number_u32("67", 0, 68, 65535, &v, &why), -ERANGE);
	ck_assert_int_eq(number_u32("65536", 0, 68, 65535, &v, &why), -ERANGE);
	ck_assert_int_eq(number_u32("68", 0, 68, 65535, &v, &why), 0);
	ck_assert_uint_eq(v, 68);
}
END_TEST

static const struct {
	const char *s;
	int ret;
	uint64_t ms;
} durations[] = {
	{ "2s", 0, 2000 }, { "500ms", 0, 500 }, { "1.5s", 0, 1500 }, { "1m", 0, 60000 },
	{ "2min", 0, 120000 }, { "0s", 0, 0 }, { "0.25s", 0, 250 }, { "24h", -EINVAL, 0 },
	{ "5", -EINVAL, 0 }, { "300", -EINVAL, 0 }, { "05s", -EINVAL, 0 }, { "1.s", -EINVAL, 0 },
	{ ".5s", -EINVAL, 0 }, { "-1s", -EINVAL, 0 }, { "1e3s", -EINVAL, 0 }, { "inf", -EINVAL, 0 },
	{ "0x10s", -EINVAL, 0 }, { "1441m", -ERANGE, 0 }, { "1440m", 0, 86400000 },
};

START_TEST(test_number_duration)
{
	const char *why = NULL;
	uint64_t ms = 7;
	int r = number_duration_ms(durations[_i].s, &ms, &why);

	ck_assert_msg(r == durations[_i].ret, "'%s': %d, expected %d", durations[_i].s, r,
		      durations[_i].ret);
	if (!r)
		ck_assert_uint_eq(ms, durations[_i].ms);
}
END_TEST

START_TEST(test_number_no_unit)
{
	const char *why = NULL;
	uint64_t v;

	ck_assert_int_eq(number_duration_ms("5", &v, &why), -EINVAL);
	ck_assert_ptr_eq(why, number_no_unit);
	ck_assert_int_eq(number_rate_bps("100", &v, &why), -EINVAL);
	ck_assert_ptr_eq(why, number_no_unit);
	ck_assert_int_eq(number_u64("0100", 0, 0, 1000, &v, &why), -EINVAL);
	ck_assert_ptr_eq(why, number_leading_zero);
}
END_TEST

static const struct {
	const char *s;
	int ret;
	uint64_t bps;
} rates[] = {
	{ "100mbit", 0, 100000000 }, { "1gbit", 0, 1000000000 }, { "1.5Gbit", 0, 1500000000 },
	{ "56kbit", 0, 56000 }, { "10Mbit/s", 0, 10000000 }, { "1mbps", 0, 8000000 },
	{ "100", -EINVAL, 0 }, { "0mbit", -ERANGE, 0 }, { "10furlongs", -EINVAL, 0 },
	{ "0100mbit", -EINVAL, 0 },
};

START_TEST(test_number_rate)
{
	const char *why = NULL;
	uint64_t v = 7;
	int r = number_rate_bps(rates[_i].s, &v, &why);

	ck_assert_msg(r == rates[_i].ret, "'%s': %d, expected %d", rates[_i].s, r, rates[_i].ret);
	if (!r)
		ck_assert_uint_eq(v, rates[_i].bps);
}
END_TEST

static const struct {
	const char *s;
	int ret;
	uint64_t v;
} sizes[] = {
	{ "1000", 0, 1000 }, { "64K", 0, 65536 }, { "2MiB", 0, 2097152 }, { "1MB", 0, 1000000 },
	{ "1G", 0, 1073741824 }, { "010K", -EINVAL, 0 }, { "1T", -EINVAL, 0 }, { "K", -EINVAL, 0 },
};

START_TEST(test_number_size)
{
	const char *why = NULL;
	uint64_t v = 7;
	int r = number_size(sizes[_i].s, &v, &why);

	ck_assert_msg(r == sizes[_i].ret, "'%s': %d, expected %d", sizes[_i].s, r, sizes[_i].ret);
	if (!r)
		ck_assert_uint_eq(v, sizes[_i].v);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *number_suite(void)
{
	Suite *s = suite_create("number");
	TCase *tc = tcase_create("number");

	tcase_add_loop_test(tc, test_number_u64, 0, N(ints));
	tcase_add_test(tc, test_number_range);
	tcase_add_loop_test(tc, test_number_duration, 0, N(durations));
	tcase_add_test(tc, test_number_no_unit);
	tcase_add_loop_test(tc, test_number_rate, 0, N(rates));
	tcase_add_loop_test(tc, test_number_size, 0, N(sizes));
	suite_add_tcase(s, tc);
	return s;
}
