// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * Outside text on its way out (issue 15, findings 5 and 6): escapes for
 * control characters and invalid UTF-8, and key-shaped runs hidden.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "lab/run/background.h"
#include "netns/util/esc.h"

#include <sys/mman.h>
#include <unistd.h>

extern Suite *esc_suite(void);

static const struct {
	const char *in, *out;
	unsigned int flags;
} dups[] = {
	{ "plain text", "plain text", 0 },
	{ "a\033[2Jb", "a\\x1b[2Jb", 0 },
	{ "bell\007", "bell\\x07", 0 },
	{ "bad \377\376 utf8", "bad \\xff\\xfe utf8", 0 },
	{ "c1 \302\233 csi", "c1 \\u009b csi", 0 },
	{ "caf\303\251", "caf\303\251", 0 },
	{ "two\nlines\tand tab", "two\\x0alines\\x09and tab", 0 },
	{ "two\nlines\tand tab", "two\nlines\tand tab", ESC_KEEP_LINES },
	{ "overlong \300\257", "overlong \\xc0\\xaf", 0 },
	{ "del \177", "del \\x7f", 0 },
};

START_TEST(test_esc_dup)
{
	char *e = esc_dup(dups[_i].in, dups[_i].flags);

	ck_assert_str_eq(e, dups[_i].out);
	free(e);
}
END_TEST

static const struct {
	const char *in, *out;
} keys[] = {
	{ "key yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk= end", "key (hidden) end" },
	/* About one random key in a hundred holds "//". */
	{ "'gNKBtOgotYB//yLzyGYWOwBZbEOQutkLHi6ASlUfwXc='", "'(hidden)'" },
	{ "x=gNKBtOgotYB//yLzyGYWOwBZbEOQutkLHi6ASlUfwXc=x", "x=(hidden)x" },
	/* Mistyped: one character more or less. */
	{ "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmkx=", "(hidden)" },
	{ "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBm", "(hidden)" },
	{ "c8c1e5b1c0a5e4d2f3a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f901", "(hidden)" },
	/* Not keys. */
	{ "/usr/lib/x86_64-linux-gnu/libnftables.so.1", "/usr/lib/x86_64-linux-gnu/libnftables.so.1" },
	{ "http://example.com//some/long/path/of/lowercase/words/only", "http://example.com//some/long/path/of/lowercase/words/only" },
	{ "a short Base64 word: aGVsbG8=", "a short Base64 word: aGVsbG8=" },
};

START_TEST(test_esc_hide_keys)
{
	char *s = strdup(keys[_i].in);

	ck_assert_ptr_nonnull(s);
	esc_hide_keys(s);
	ck_assert_str_eq(s, keys[_i].out);
	ck_assert(!esc_has_key(s));
	free(s);
}
END_TEST

/* A program's output tail, as evidence shows it, never starts inside a
 * character: a log of 'é' (2 bytes each) cut at an odd offset. */
START_TEST(test_log_tail_utf8)
{
	char buf[512];
	int fd = memfd_create("log", 0);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "x", 1), 1);
	for (int i = 0; i < 600; i++)
		ck_assert_int_eq(write(fd, "\xc3\xa9", 2), 2);
	run_log_tail(fd, buf, sizeof(buf));
	ck_assert_uint_gt(strlen(buf), 400);
	ck_assert_int_eq((unsigned char)buf[0], 0xc3);
	ck_assert_int_eq(strlen(buf) % 2, 0);
	close(fd);
}
END_TEST

Suite *esc_suite(void)
{
	Suite *s = suite_create("esc");
	TCase *tc = tcase_create("esc_dup");

	tcase_add_loop_test(tc, test_esc_dup, 0, sizeof(dups) / sizeof(dups[0]));
	suite_add_tcase(s, tc);
	tc = tcase_create("esc_hide_keys");
	tcase_add_loop_test(tc, test_esc_hide_keys, 0, sizeof(keys) / sizeof(keys[0]));
	suite_add_tcase(s, tc);
	tc = tcase_create("log_tail");
	tcase_add_test(tc, test_log_tail_utf8);
	suite_add_tcase(s, tc);
	return s;
}
