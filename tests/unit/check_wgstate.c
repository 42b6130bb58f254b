// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * When a peer's received bytes are handshake initiations and nothing else
 * (wgstate_initiations_only), which the evidence of a missing handshake
 * names.  Through a run: tests/selftest/wg-state.lab @lost, @lostreach.
 */
#include <check.h>

#include "assertions/wgstate.h"

extern Suite *wgstate_suite(void);

START_TEST(test_wgstate_initiations_only)
{
	/* 12 initiations, and the CI run's 13 of 2026-12-05. */
	ck_assert_uint_eq(wgstate_initiations_only(false, 1776), 12);
	ck_assert_uint_eq(wgstate_initiations_only(false, 1924), 13);
	ck_assert_uint_eq(wgstate_initiations_only(false, 148), 1);
	/* Nothing received: nothing to say. */
	ck_assert_uint_eq(wgstate_initiations_only(false, 0), 0);
	/* An answer (92 B), a cookie (64 B) or data beside them: not only
	 * initiations. */
	ck_assert_uint_eq(wgstate_initiations_only(false, 148 + 92), 0);
	ck_assert_uint_eq(wgstate_initiations_only(false, 148 + 64), 0);
	ck_assert_uint_eq(wgstate_initiations_only(false, 32), 0);
	/* After a handshake the bytes are whatever the tunnel carried. */
	ck_assert_uint_eq(wgstate_initiations_only(true, 1776), 0);
}
END_TEST

Suite *wgstate_suite(void)
{
	Suite *s = suite_create("wgstate");
	TCase *tc = tcase_create("initiations_only");

	tcase_add_test(tc, test_wgstate_initiations_only);
	suite_add_tcase(s, tc);
	return s;
}
