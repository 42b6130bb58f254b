// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* Shaping messages built without a kernel and parsed back. */
#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include "netns/qdisc.h"

extern Suite *qdisc_suite(void);

static char buf[4096];

/* The attribute of type t right under TCA_OPTIONS of a tbf message. */
static const struct nlattr *tbf_attr(const struct nlmsghdr *nlh, uint16_t t)
{
	const struct nlattr *a, *n;

	mnl_attr_for_each(a, nlh, sizeof(struct tcmsg))
		if (mnl_attr_get_type(a) == TCA_OPTIONS)
			mnl_attr_for_each_nested(n, a)
				if (mnl_attr_get_type(n) == t)
					return n;
	return NULL;
}

static const struct {
	uint64_t rate;
	unsigned int mtu;
	uint32_t burst, limit;
} tbf_params[] = {
	/* 1 mbit: the floor of 16 KiB; queue 50 ms = 6250 bytes past it */
	{ 1000000, 1500, 16384, 16384 + 6250 },
	/* 50 mbit: 4 ms = 25000 bytes; 50 ms = 312500 */
	{ 50000000, 1500, 25000, 25000 + 312500 },
	/* 10 gbit: 5 MB bucket */
	{ 10000000000ULL, 1500, 5000000, 5000000 + 62500000 },
	/* jumbo frames: two frames at least */
	{ 1000000, 9000, 2 * 9014, 2 * 9014 + 6250 },
	/* 1 tbit: the bucket is capped, the queue saturates */
	{ 1000000000000ULL, 1500, 64U * 1024 * 1024, UINT32_MAX },
};

START_TEST(test_qdisc_tbf_params)
{
	uint32_t burst, limit;

	qdisc_tbf_params(tbf_params[_i].rate, tbf_params[_i].mtu, &burst, &limit);
	ck_assert_uint_eq(burst, tbf_params[_i].burst);
	ck_assert_uint_eq(limit, tbf_params[_i].limit);
}
END_TEST

START_TEST(test_qdisc_build_tbf)
{
	struct qdisc_shape s = { .flags = QDISC_HAS_RATE, .rate_bps = 50000000 };
	struct nlmsghdr *nlh = qdisc_build(buf, sizeof(buf), NLM_F_CREATE | NLM_F_REPLACE, 7, 1500, &s);
	const struct tcmsg *tc;
	const struct tc_tbf_qopt *q;
	struct qdisc_info info;

	ck_assert_ptr_nonnull(nlh);
	ck_assert_uint_eq(nlh->nlmsg_type, RTM_NEWQDISC);
	ck_assert_uint_eq(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE);
	tc = mnl_nlmsg_get_payload(nlh);
	ck_assert_int_eq(tc->tcm_ifindex, 7);
	ck_assert_uint_eq(tc->tcm_parent, TC_H_ROOT);
	ck_assert_uint_eq(tc->tcm_handle, 0x10000);
	/* The fixed part as tc fills it: bytes/s, ethernet, a byte limit,
	 * the bucket in 64 ns ticks (25000 bytes at 6.25 MB/s = 4 ms). */
	ck_assert_ptr_nonnull(tbf_attr(nlh, TCA_TBF_PARMS));
	q = mnl_attr_get_payload(tbf_attr(nlh, TCA_TBF_PARMS));
	ck_assert_uint_eq(q->rate.rate, 6250000);
	ck_assert_uint_eq(q->rate.linklayer, TC_LINKLAYER_ETHERNET);
	ck_assert_uint_eq(q->limit, 337500);
	ck_assert_uint_eq(q->buffer, 4000000 / 64);
	ck_assert_ptr_null(tbf_attr(nlh, TCA_TBF_RATE64));
	ck_assert_uint_eq(mnl_attr_get_u32(tbf_attr(nlh, TCA_TBF_BURST)), 25000);

	ck_assert_int_eq(qdisc_parse(nlh, &info), 0);
	ck_assert_str_eq(info.kind, "tbf");
	ck_assert_int_eq(info.ifindex, 7);
	ck_assert_uint_eq(info.shape.flags, QDISC_HAS_RATE);
	ck_assert_uint_eq(info.shape.rate_bps, 50000000);
	ck_assert_uint_eq(info.burst, 25000);
	ck_assert_uint_eq(info.limit, 337500);
}
END_TEST

START_TEST(test_qdisc_build_tbf_rate64)
{
	struct qdisc_shape s = { .flags = QDISC_HAS_RATE, .rate_bps = 40000000000ULL };
	struct nlmsghdr *nlh = qdisc_build(buf, sizeof(buf), 0, 3, 1500, &s);
	const struct tc_tbf_qopt *q;
	struct qdisc_info info;

	ck_assert_ptr_nonnull(nlh);
	q = mnl_attr_get_payload(tbf_attr(nlh, TCA_TBF_PARMS));
	ck_assert_uint_eq(q->rate.rate, UINT32_MAX);
	ck_assert_ptr_nonnull(tbf_attr(nlh, TCA_TBF_RATE64));
	ck_assert_uint_eq(mnl_attr_get_u64(tbf_attr(nlh, TCA_TBF_RATE64)), 5000000000ULL);
	ck_assert_int_eq(qdisc_parse(nlh, &info), 0);
	ck_assert_uint_eq(info.shape.rate_bps, 40000000000ULL);
}
END_TEST

/* What the kernel dumps has no TCA_TBF_BURST: the bucket comes back as
 * time at the rate. */
START_TEST(test_qdisc_parse_kernel_tbf)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct tc_tbf_qopt q = { 0 };
	struct qdisc_info info;
	struct tcmsg *tc;
	struct nlattr *o;

	nlh->nlmsg_type = RTM_NEWQDISC;
	tc = mnl_nlmsg_put_extra_header(nlh, sizeof(*tc));
	tc->tcm_ifindex = 2;
	tc->tcm_parent = TC_H_ROOT;
	mnl_attr_put_strz(nlh, TCA_KIND, "tbf");
	q.rate.rate = 12500000;			/* 100 mbit */
	q.buffer = 5000000 / 64;		/* 5 ms in 64 ns ticks */
	q.limit = 100000;
	o = mnl_attr_nest_start(nlh, TCA_OPTIONS);
	mnl_attr_put(nlh, TCA_TBF_PARMS, sizeof(q), &q);
	mnl_attr_nest_end(nlh, o);
	ck_assert_int_eq(qdisc_parse(nlh, &info), 0);
	ck_assert_uint_eq(info.shape.rate_bps, 100000000);
	ck_assert_uint_eq(info.burst, 62500);	/* 5 ms at 12.5 MB/s */
	ck_assert_uint_eq(info.limit, 100000);
}
END_TEST

START_TEST(test_qdisc_build_netem)
{
	struct qdisc_shape s = {
		.flags = QDISC_HAS_DELAY | QDISC_HAS_LOSS | QDISC_HAS_RATE,
		.delay_us = 10000, .jitter_us = 2000, .loss_ppm = 10000, .rate_bps = 20000000,
	};
	struct nlmsghdr *nlh = qdisc_build(buf, sizeof(buf), NLM_F_CREATE | NLM_F_REPLACE, 4, 1500, &s);
	const struct tc_netem_qopt *q = NULL;
	const struct nlattr *a;
	struct qdisc_info info;

	ck_assert_ptr_nonnull(nlh);
	mnl_attr_for_each(a, nlh, sizeof(struct tcmsg))
		if (mnl_attr_get_type(a) == TCA_OPTIONS)
			q = mnl_attr_get_payload(a);
	ck_assert_ptr_nonnull(q);
	/* The fixed struct first, in ticks and a 32-bit probability. */
	ck_assert_uint_eq(q->latency, 10000000 / 64);
	ck_assert_uint_eq(q->jitter, 2000000 / 64);
	ck_assert_uint_eq(q->limit, QDISC_NETEM_LIMIT);
	ck_assert_uint_eq(q->loss, (uint32_t)(UINT32_MAX / 100));
	ck_assert_int_eq(qdisc_parse(nlh, &info), 0);
	ck_assert_str_eq(info.kind, "netem");
	ck_assert_uint_eq(info.shape.flags, QDISC_HAS_DELAY | QDISC_HAS_LOSS | QDISC_HAS_RATE);
	ck_assert_uint_eq(info.shape.delay_us, 10000);
	ck_assert_uint_eq(info.shape.jitter_us, 2000);
	ck_assert_uint_eq(info.shape.loss_ppm, 10000);
	ck_assert_uint_eq(info.shape.rate_bps, 20000000);
	ck_assert_uint_eq(info.limit, QDISC_NETEM_LIMIT);
}
END_TEST

START_TEST(test_qdisc_build_netem_loss_only)
{
	struct qdisc_shape s = { .flags = QDISC_HAS_LOSS, .loss_ppm = 1000000 };
	struct nlmsghdr *nlh = qdisc_build(buf, sizeof(buf), 0, 4, 1500, &s);
	struct qdisc_info info;

	ck_assert_ptr_nonnull(nlh);
	ck_assert_int_eq(qdisc_parse(nlh, &info), 0);
	ck_assert_str_eq(info.kind, "netem");
	ck_assert_uint_eq(info.shape.flags, QDISC_HAS_LOSS);
	ck_assert_uint_eq(info.shape.loss_ppm, 1000000);
}
END_TEST

START_TEST(test_qdisc_build_delete)
{
	struct nlmsghdr *nlh = qdisc_build(buf, sizeof(buf), 0, 9, 0, NULL);
	const struct tcmsg *tc;
	const struct nlattr *a;
	int n = 0;

	ck_assert_ptr_nonnull(nlh);
	ck_assert_uint_eq(nlh->nlmsg_type, RTM_DELQDISC);
	tc = mnl_nlmsg_get_payload(nlh);
	ck_assert_int_eq(tc->tcm_ifindex, 9);
	ck_assert_uint_eq(tc->tcm_parent, TC_H_ROOT);
	mnl_attr_for_each(a, nlh, sizeof(*tc))
		n++;
	ck_assert_int_eq(n, 0);
}
END_TEST

START_TEST(test_qdisc_build_refuses)
{
	struct qdisc_shape empty = { 0 }, zero_rate = { .flags = QDISC_HAS_RATE };

	errno = 0;
	ck_assert_ptr_null(qdisc_build(buf, sizeof(buf), 0, 1, 1500, &empty));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(qdisc_build(buf, sizeof(buf), 0, 1, 1500, &zero_rate));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(qdisc_build(buf, 64, 0, 1, 1500, NULL));
	ck_assert_int_eq(errno, EMSGSIZE);
}
END_TEST

Suite *qdisc_suite(void)
{
	Suite *s = suite_create("qdisc");
	TCase *tc = tcase_create("qdisc_tbf_params");

	tcase_add_loop_test(tc, test_qdisc_tbf_params, 0, sizeof(tbf_params) / sizeof(tbf_params[0]));
	suite_add_tcase(s, tc);
	tc = tcase_create("qdisc_build");
	tcase_add_test(tc, test_qdisc_build_tbf);
	tcase_add_test(tc, test_qdisc_build_tbf_rate64);
	tcase_add_test(tc, test_qdisc_build_netem);
	tcase_add_test(tc, test_qdisc_build_netem_loss_only);
	tcase_add_test(tc, test_qdisc_build_delete);
	tcase_add_test(tc, test_qdisc_build_refuses);
	suite_add_tcase(s, tc);
	tc = tcase_create("qdisc_parse");
	tcase_add_test(tc, test_qdisc_parse_kernel_tbf);
	suite_add_tcase(s, tc);
	return s;
}
