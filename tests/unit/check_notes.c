// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * Notes on valid scenarios (`wglab check`, a run's notes): a `nat` device
 * is IPv4 only, said where its outside interface has an IPv6 address.
 */
#include <check.h>
#include <string.h>

#include "lab/lang/diag.h"
#include "lab/lang/model.h"
#include "lab/lang/notes.h"
#include "lab/lang/scenario.h"

extern Suite *notes_suite(void);

#define TOPO \
	"lab t\nnode a\nnode r router\nnode s\n" \
	"link a:eth0 192.168.1.10/24 fd00:1::10/64 -- r:lan 192.168.1.1/24 fd00:1::1/64\n"

static size_t notes_of(const char *text, struct diags *d)
{
	struct diags err = { 0 };
	struct lab *lab = NULL;
	size_t n;

	ck_assert_msg(scenario_load_text("t.lab", text, strlen(text), &lab, &err) == 0, "%s",
		      err.first ? err.first->msg : "");
	diag_free(&err);
	n = lab_notes(lab, d);
	lab_free(lab);
	return n;
}

START_TEST(test_notes_nat_ipv6)
{
	struct diags d = { 0 };

	/* Dual-stack outside: the note, at the nat statement. */
	ck_assert_uint_eq(notes_of(TOPO "link r:wan 203.0.113.2/24 2001:db8::2/64 -- s:eth0 "
				   "203.0.113.1/24 2001:db8::1/64\nnat r wan preset home\n", &d), 1);
	ck_assert_uint_eq(d.first->line, 7);
	ck_assert_str_eq(d.first->msg,
			 "note: nat r:wan applies to IPv4 only: IPv6 through wan (2001:db8::2) is "
			 "neither translated nor filtered, unsolicited IPv6 included; filter it with "
			 "`firewall r ip6tables` rules");
	diag_free(&d);

	/* IPv4 outside (IPv6 only inside): nothing to say. */
	ck_assert_uint_eq(notes_of(TOPO "link r:wan 203.0.113.2/24 -- s:eth0 203.0.113.1/24\n"
				   "nat r wan preset home\n", &d), 0);
	ck_assert_ptr_null(d.first);

	/* An address given later counts too. */
	ck_assert_uint_eq(notes_of(TOPO "link r:wan 203.0.113.2/24 -- s:eth0 203.0.113.1/24\n"
				   "nat r wan\naddress r:wan 2001:db8::2/64\n", &d), 1);
	diag_free(&d);
}
END_TEST

Suite *notes_suite(void)
{
	Suite *s = suite_create("notes");
	TCase *tc = tcase_create("notes");

	tcase_add_test(tc, test_notes_nat_ipv6);
	suite_add_tcase(s, tc);
	return s;
}
