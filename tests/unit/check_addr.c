// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include <check.h>
#include <errno.h>
#include <sys/socket.h>

#include "netns/addr.h"

static const struct {
	const char *in;
	unsigned int flags;
	int ret;
	int family;
	unsigned int prefixlen;
	const char *out;
} parse_cases[] = {
	{ "10.0.0.1", 0, 0, AF_INET, 32, "10.0.0.1/32" },
	{ "10.0.0.1/24", ADDR_PARSE_PREFIX, 0, AF_INET, 24, "10.0.0.1/24" },
	{ "10.0.0.1/24", 0, -EINVAL, 0, 0, NULL },
	{ "10.0.0.1", ADDR_PARSE_NEED_PREFIX, -EINVAL, 0, 0, NULL },
	{ "10.0.0.1/33", ADDR_PARSE_PREFIX, -ERANGE, 0, 0, NULL },
	{ "10.0.0.1/", ADDR_PARSE_PREFIX, -EINVAL, 0, 0, NULL },
	{ "10.0.0.1/-1", ADDR_PARSE_PREFIX, -EINVAL, 0, 0, NULL },
	{ "10.0.0.256", 0, -EINVAL, 0, 0, NULL },
	{ "fd00::1/64", ADDR_PARSE_PREFIX, 0, AF_INET6, 64, "fd00::1/64" },
	{ "2001:aaaa:bbbb:1000:cafe::2", 0, 0, AF_INET6, 128, "2001:aaaa:bbbb:1000:cafe::2/128" },
	{ "fd00::1/129", ADDR_PARSE_PREFIX, -ERANGE, 0, 0, NULL },
	{ "", 0, -EINVAL, 0, 0, NULL },
	{ "host", 0, -EINVAL, 0, 0, NULL },
};

START_TEST(test_addr_parse)
{
	struct addr a;
	char buf[ADDR_STRLEN];
	int ret = addr_parse(parse_cases[_i].in, parse_cases[_i].flags, &a);

	ck_assert_int_eq(ret, parse_cases[_i].ret);
	if (ret)
		return;
	ck_assert_int_eq(a.family, parse_cases[_i].family);
	ck_assert_uint_eq(a.prefixlen, parse_cases[_i].prefixlen);
	ck_assert_str_eq(addr_format(&a, true, buf, sizeof(buf)), parse_cases[_i].out);
}
END_TEST

START_TEST(test_addr_contains)
{
	struct addr net, in, out, v6;

	ck_assert_int_eq(addr_parse("192.168.1.0/24", ADDR_PARSE_PREFIX, &net), 0);
	ck_assert_int_eq(addr_parse("192.168.1.77", 0, &in), 0);
	ck_assert_int_eq(addr_parse("192.168.2.1", 0, &out), 0);
	ck_assert_int_eq(addr_parse("::1", 0, &v6), 0);
	ck_assert(addr_contains(&net, &in));
	ck_assert(!addr_contains(&net, &out));
	ck_assert(!addr_contains(&net, &v6));
}
END_TEST

extern Suite *addr_suite(void);
Suite *addr_suite(void)
{
	Suite *s = suite_create("addr");
	TCase *tc = tcase_create("addr_parse");

	tcase_add_loop_test(tc, test_addr_parse, 0, sizeof(parse_cases) / sizeof(parse_cases[0]));
	tcase_add_test(tc, test_addr_contains);
	suite_add_tcase(s, tc);
	return s;
}
