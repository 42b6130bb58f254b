// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* netns/util/strmap: every key found again after the table grows, one slot
 * per key, keys copied, an empty map after strmap_free(). */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "netns/util/strmap.h"

extern Suite *strmap_suite(void);

START_TEST(test_strmap_grows)
{
	struct strmap m = { 0 };
	char key[32];

	ck_assert_ptr_null(strmap_get(&m, "p1"));
	/* Far past the first table (64 slots, doubled when half full). */
	for (uintptr_t i = 1; i <= 5000; i++) {
		snprintf(key, sizeof(key), "p%lu", (unsigned long)i);
		ck_assert_ptr_eq(*strmap_put(&m, key, (void *)i), (void *)i);
	}
	ck_assert_uint_eq(m.n, 5000);
	ck_assert_uint_ge(m.cap, 2 * m.n);
	for (uintptr_t i = 1; i <= 5000; i++) {
		void **slot;

		snprintf(key, sizeof(key), "p%lu", (unsigned long)i);
		slot = strmap_get(&m, key);
		ck_assert_ptr_nonnull(slot);
		ck_assert_ptr_eq(*slot, (void *)i);
	}
	ck_assert_ptr_null(strmap_get(&m, "p0"));
	ck_assert_ptr_null(strmap_get(&m, "p5001"));
	ck_assert_ptr_null(strmap_get(&m, ""));
	strmap_free(&m, NULL);
	ck_assert_uint_eq(m.n, 0);
	ck_assert_ptr_null(strmap_get(&m, "p1"));
}
END_TEST

START_TEST(test_strmap_put_keeps)
{
	struct strmap m = { 0 };
	char key[] = "core:e1";
	void **slot = strmap_put(&m, key, (void *)1);

	/* A second put of the key gives its slot, value unchanged. */
	ck_assert_ptr_eq(strmap_put(&m, "core:e1", (void *)2), slot);
	ck_assert_ptr_eq(*slot, (void *)1);
	*slot = (void *)3;
	ck_assert_ptr_eq(*strmap_get(&m, "core:e1"), (void *)3);
	/* The key is a copy. */
	key[0] = 'x';
	ck_assert_ptr_nonnull(strmap_get(&m, "core:e1"));
	ck_assert_ptr_null(strmap_get(&m, key));
	ck_assert_uint_eq(m.n, 1);
	strmap_free(&m, NULL);
}
END_TEST

static size_t freed;

static void count_free(void *v)
{
	freed += (uintptr_t)v;
}

/* Each value goes to free_val once, none after the map is empty. */
START_TEST(test_strmap_free_values)
{
	struct strmap m = { 0 };
	char key[16];

	freed = 0;
	for (uintptr_t i = 1; i <= 100; i++) {
		snprintf(key, sizeof(key), "k%lu", (unsigned long)i);
		strmap_put(&m, key, (void *)i);
	}
	strmap_free(&m, count_free);
	ck_assert_uint_eq(freed, 5050);
	strmap_free(&m, count_free);
	ck_assert_uint_eq(freed, 5050);
}
END_TEST

Suite *strmap_suite(void)
{
	Suite *s = suite_create("strmap");
	TCase *tc = tcase_create("strmap");

	tcase_add_test(tc, test_strmap_grows);
	tcase_add_test(tc, test_strmap_put_keeps);
	tcase_add_test(tc, test_strmap_free_values);
	suite_add_tcase(s, tc);
	return s;
}
