// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * Regressions for what the fuzzers (make fuzz) found in the scenario,
 * wg-quick and iptables parsers: each test is the reduced input of one
 * report.  Leaks are measured with glibc's mallinfo2(): the input is parsed
 * ten times to warm up (glibc's tcache keeps up to 7 freed chunks per size
 * and counts them as in use), then ten times more, and the heap in use must
 * not have grown (under ASan, mallinfo2 says nothing and LeakSanitizer
 * reports instead).
 */
#include <check.h>
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lab/diag.h"
#include "lab/model.h"
#include "lab/scenario.h"
#include "netns/fw.h"
#include "netns/wgconf.h"

extern Suite *hostile_suite(void);

/* Parses and validates text; returns scenario_load_text()'s result and
 * the first error (sorted as the CLI prints them) in first. */
static int load(const char *text, size_t len, char *first, size_t first_len)
{
	struct diags d = { 0 };
	struct lab *lab = NULL;
	int ret;

	ret = scenario_load_text("t.lab", text, len, &lab, &d);
	if (!ret)
		lab_free(lab);
	diag_sort(&d);
	if (first && d.first)
		snprintf(first, first_len, "%s:%u:%u: %s", d.first->file, d.first->line, d.first->col,
			 d.first->msg);
	else if (first)
		first[0] = '\0';
	diag_free(&d);
	return ret;
}

static size_t heap_in_use(void)
{
	return mallinfo2().uordblks;
}

#define WARMUP 10

/* Loads text 2 * WARMUP times; the heap must not grow in the second half. */
static void load_no_leak(const char *text, int want, const char *want_first)
{
	char first[512];
	size_t before;
	int i;

	ck_assert_int_eq(load(text, strlen(text), first, sizeof(first)), want);
	if (want_first)
		ck_assert_str_eq(first, want_first);
	for (i = 1; i < WARMUP; i++)
		load(text, strlen(text), NULL, 0);
	before = heap_in_use();
	for (i = 0; i < WARMUP; i++)
		load(text, strlen(text), NULL, 0);
	ck_assert_uint_eq(heap_in_use(), before);
}

/* "@x <<": the label of a block that opens for no statement leaked. */
START_TEST(test_hostile_label_on_bare_block)
{
	load_no_leak("node a\n@x <<\n>>\n", -EINVAL, "t.lab:2:4: '<<' opens a block for no statement");
}
END_TEST

Suite *hostile_suite(void)
{
	Suite *s = suite_create("hostile");
	TCase *tc = tcase_create("scenario");

	tcase_add_test(tc, test_hostile_label_on_bare_block);
	suite_add_tcase(s, tc);
	return s;
}
