// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * What a failing expectation's evidence says of the kernel counters that
 * moved while it ran (kcount_describe): each kind of loss, nothing when
 * nothing moved, and a bounded list.  Live reading: check_netns.c.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "netns/kcount.h"

extern Suite *kcount_suite(void);

static struct kcount_ns ns_of(const char *name, uint64_t rcv, uint64_t snd, uint64_t in)
{
	struct kcount_ns n = { .udp_rcvbuf = rcv, .udp_sndbuf = snd, .udp_in_errors = in };

	snprintf(n.name, sizeof(n.name), "%s", name);
	return n;
}

START_TEST(test_kcount_nothing_moved)
{
	struct kcount_ns a[] = { ns_of("p1", 5, 1, 7) };
	struct kcount_if ia[] = { { "p1:eth0", 3, 4 } };
	struct kcount k = { .neigh4_full = 2, .softnet_drop = 9, .nss = a, .n_nss = 1, .ifs = ia, .n_ifs = 1 };
	char buf[512] = "x";

	kcount_describe(&k, &k, buf, sizeof(buf));
	ck_assert_str_eq(buf, "");
}
END_TEST

START_TEST(test_kcount_udp_receive_buffer)
{
	struct kcount_ns a[] = { ns_of("p1", 0, 0, 0), ns_of("p11", 10, 0, 10) };
	struct kcount_ns b[] = { ns_of("p1", 0, 0, 0), ns_of("p11", 13, 0, 13) };
	struct kcount before = { .nss = a, .n_nss = 2 }, after = { .nss = b, .n_nss = 2 };
	char buf[512];

	kcount_describe(&before, &after, buf, sizeof(buf));
	/* InErrors counts the buffer drops too: not said twice. */
	ck_assert_str_eq(buf, "p11 dropped 3 UDP datagrams at a full socket receive buffer");
}
END_TEST

START_TEST(test_kcount_udp_send_and_errors)
{
	struct kcount_ns a[] = { ns_of("a", 0, 0, 0) };
	struct kcount_ns b[] = { ns_of("a", 1, 2, 5) };
	struct kcount before = { .nss = a, .n_nss = 1 }, after = { .nss = b, .n_nss = 1 };
	char buf[512];

	kcount_describe(&before, &after, buf, sizeof(buf));
	ck_assert_str_eq(buf, "a dropped 1 UDP datagrams at a full socket receive buffer; "
			      "a failed 2 UDP sends at a full socket send buffer; "
			      "a dropped 4 UDP datagrams it received as erroneous");
}
END_TEST

START_TEST(test_kcount_host_and_interfaces)
{
	struct kcount_if ia[] = { { "r:e1", 0, 0 }, { "r:e2", 1, 1 } };
	struct kcount_if ib[] = { { "r:e1", 4, 0 }, { "r:e2", 2, 3 } };
	struct kcount before = { .neigh4_full = 1, .softnet_drop = 0, .ct_drop = 1, .ifs = ia, .n_ifs = 2 };
	struct kcount after = { .neigh4_full = 524, .softnet_drop = 2, .ct_insert_failed = 1, .ct_drop = 2,
				.ifs = ib, .n_ifs = 2 };
	char buf[1024];

	kcount_describe(&before, &after, buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "the host's IPv4 neighbour table was full 523 times "
					  "(net.ipv4.neigh.default.gc_thresh3 = "));
	ck_assert_ptr_nonnull(strstr(buf, "; the host's input backlog dropped 2 packets"));
	ck_assert_ptr_nonnull(strstr(buf, "; conntrack failed to insert 1 entries and dropped 1 packets"));
	ck_assert_ptr_nonnull(strstr(buf, "; r:e1 dropped 4 packets it received; "
					  "r:e2 dropped 1 packets it received and 2 it sent"));
}
END_TEST

START_TEST(test_kcount_bounded)
{
	struct kcount_ns a[5], b[5];
	struct kcount before = { .nss = a, .n_nss = 5 }, after = { .nss = b, .n_nss = 5 };
	char buf[1024], name[8];

	for (int i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "n%d", i);
		a[i] = ns_of(name, 0, 0, 0);
		b[i] = ns_of(name, 1, 0, 1);
	}
	kcount_describe(&before, &after, buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "n2 dropped 1 UDP"));
	ck_assert_ptr_null(strstr(buf, "n3 dropped"));
	ck_assert_ptr_nonnull(strstr(buf, "; and 2 more nodes or interfaces dropped packets"));
	/* A namespace read only after (a mismatch) is not compared. */
	after.n_nss = 1;
	before.nss = b;
	before.n_nss = 1;
	after.nss = a + 1;
	kcount_describe(&before, &after, buf, sizeof(buf));
	ck_assert_str_eq(buf, "");
}
END_TEST

Suite *kcount_suite(void)
{
	Suite *s = suite_create("kcount");
	TCase *tc = tcase_create("kcount_describe");

	tcase_add_test(tc, test_kcount_nothing_moved);
	tcase_add_test(tc, test_kcount_udp_receive_buffer);
	tcase_add_test(tc, test_kcount_udp_send_and_errors);
	tcase_add_test(tc, test_kcount_host_and_interfaces);
	tcase_add_test(tc, test_kcount_bounded);
	suite_add_tcase(s, tc);
	return s;
}
