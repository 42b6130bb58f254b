// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "netns/qdisc.h"
#include "netns/link.h"
#include "netns/nl.h"
#include "netns/ns.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/if_ether.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#ifndef MNL_SOCKET_DUMP_SIZE
#define MNL_SOCKET_DUMP_SIZE 32768
#endif

/* The kernel's packet scheduler clock: a tick is 64 ns (PSCHED_SHIFT 6). */
#define PSCHED_SHIFT 6
#define QDISC_TICK_US 4000		/* one jiffy at HZ=250 */
#define QDISC_BURST_MIN (16 * 1024)
#define QDISC_BURST_MAX (64U * 1024 * 1024)
#define QDISC_ROOT_HANDLE 0x10000U	/* 1: */

static uint32_t ticks_of_ns(uint64_t ns)
{
	uint64_t t = ns >> PSCHED_SHIFT;

	return t > UINT32_MAX ? UINT32_MAX : (uint32_t)t;
}

void qdisc_tbf_params(uint64_t rate_bps, unsigned int mtu, uint32_t *ret_burst, uint32_t *ret_limit)
{
	uint64_t bytes_s = rate_bps / 8, burst, limit, frame = (uint64_t)(mtu ? mtu : ETH_DATA_LEN) + ETH_HLEN;

	burst = bytes_s * QDISC_TICK_US / 1000000;
	if (burst < 2 * frame)
		burst = 2 * frame;
	if (burst < QDISC_BURST_MIN)
		burst = QDISC_BURST_MIN;
	if (burst > QDISC_BURST_MAX)
		burst = QDISC_BURST_MAX;
	limit = burst + bytes_s * QDISC_TBF_LATENCY_US / 1000000;
	if (limit > UINT32_MAX)
		limit = UINT32_MAX;
	*ret_burst = (uint32_t)burst;
	*ret_limit = (uint32_t)limit;
}

static void put_tbf(struct nlmsghdr *nlh, unsigned int mtu, const struct qdisc_shape *s)
{
	struct tc_tbf_qopt q;
	uint64_t bytes_s = s->rate_bps / 8;
	uint32_t burst, limit;
	struct nlattr *opts;

	qdisc_tbf_params(s->rate_bps, mtu, &burst, &limit);
	memset(&q, 0, sizeof(q));
	/* Rates from 4 GB/s on travel in TCA_TBF_RATE64; the 32-bit field
	 * then says "see there" with its maximum. */
	q.rate.rate = bytes_s > UINT32_MAX ? UINT32_MAX : (uint32_t)bytes_s;
	q.rate.linklayer = TC_LINKLAYER_ETHERNET;
	q.limit = limit;
	/* The bucket as time at the rate; TCA_TBF_BURST below says it in
	 * bytes, which the kernel prefers. */
	q.buffer = bytes_s ? ticks_of_ns((uint64_t)burst * 1000000000ULL / bytes_s) : 0;
	opts = mnl_attr_nest_start(nlh, TCA_OPTIONS);
	mnl_attr_put(nlh, TCA_TBF_PARMS, sizeof(q), &q);
	if (bytes_s > UINT32_MAX)
		mnl_attr_put_u64(nlh, TCA_TBF_RATE64, bytes_s);
	mnl_attr_put_u32(nlh, TCA_TBF_BURST, burst);
	mnl_attr_nest_end(nlh, opts);
}

static void put_netem(struct nlmsghdr *nlh, const struct qdisc_shape *s)
{
	struct tc_netem_qopt q;
	struct nlattr *opts;
	void *head;

	memset(&q, 0, sizeof(q));
	q.limit = QDISC_NETEM_LIMIT;
	if (s->flags & QDISC_HAS_DELAY) {
		q.latency = ticks_of_ns((uint64_t)s->delay_us * 1000);
		q.jitter = ticks_of_ns((uint64_t)s->jitter_us * 1000);
	}
	if (s->flags & QDISC_HAS_LOSS)
		q.loss = s->loss_ppm >= 1000000 ? UINT32_MAX :
			 (uint32_t)((uint64_t)s->loss_ppm * UINT32_MAX / 1000000);
	/* netem's TCA_OPTIONS is not a plain nest: the fixed struct comes
	 * first, its attributes after it (nla_parse_nested_compat). */
	opts = mnl_attr_nest_start(nlh, TCA_OPTIONS);
	head = mnl_nlmsg_put_extra_header(nlh, MNL_ALIGN(sizeof(q)));
	memcpy(head, &q, sizeof(q));
	if (s->flags & QDISC_HAS_DELAY) {
		mnl_attr_put_u64(nlh, TCA_NETEM_LATENCY64, (uint64_t)s->delay_us * 1000);
		mnl_attr_put_u64(nlh, TCA_NETEM_JITTER64, (uint64_t)s->jitter_us * 1000);
	}
	if (s->flags & QDISC_HAS_RATE) {
		struct tc_netem_rate r;
		uint64_t bytes_s = s->rate_bps / 8;

		memset(&r, 0, sizeof(r));
		r.rate = bytes_s > UINT32_MAX ? UINT32_MAX : (uint32_t)bytes_s;
		mnl_attr_put(nlh, TCA_NETEM_RATE, sizeof(r), &r);
		if (bytes_s > UINT32_MAX)
			mnl_attr_put_u64(nlh, TCA_NETEM_RATE64, bytes_s);
	}
	mnl_attr_nest_end(nlh, opts);
}

struct nlmsghdr *qdisc_build(void *buf, size_t size, uint16_t flags, int ifindex, unsigned int mtu,
			     const struct qdisc_shape *s)
{
	struct nlmsghdr *nlh;
	struct tcmsg *tc;
	bool netem = s && (s->flags & (QDISC_HAS_DELAY | QDISC_HAS_LOSS));

	/* The message is at most a few hundred bytes. */
	if (size < 512) {
		errno = EMSGSIZE;
		return NULL;
	}
	if (s && (!s->flags || ((s->flags & QDISC_HAS_RATE) && !s->rate_bps && !netem))) {
		errno = EINVAL;
		return NULL;
	}
	memset(buf, 0, 512);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = s ? RTM_NEWQDISC : RTM_DELQDISC;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	tc = mnl_nlmsg_put_extra_header(nlh, sizeof(*tc));
	tc->tcm_family = AF_UNSPEC;
	tc->tcm_ifindex = ifindex;
	tc->tcm_parent = TC_H_ROOT;
	if (!s)
		return nlh;
	tc->tcm_handle = QDISC_ROOT_HANDLE;
	mnl_attr_put_strz(nlh, TCA_KIND, netem ? "netem" : "tbf");
	if (netem)
		put_netem(nlh, s);
	else
		put_tbf(nlh, mtu, s);
	return nlh;
}

static int parse_tbf(const struct nlattr *opts, struct qdisc_info *q)
{
	const struct nlattr *a;
	const struct tc_tbf_qopt *p = NULL;
	uint64_t rate64 = 0;
	uint32_t burst = 0;
	bool has_burst = false;

	mnl_attr_for_each_nested(a, opts) {
		switch (mnl_attr_get_type(a)) {
		case TCA_TBF_PARMS:
			if (mnl_attr_get_payload_len(a) < sizeof(*p))
				return -EBADMSG;
			p = mnl_attr_get_payload(a);
			break;
		case TCA_TBF_RATE64:
			if (mnl_attr_validate(a, MNL_TYPE_U64) < 0)
				return -EBADMSG;
			rate64 = mnl_attr_get_u64(a);
			break;
		case TCA_TBF_BURST:
			if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
				return -EBADMSG;
			burst = mnl_attr_get_u32(a);
			has_burst = true;
			break;
		}
	}
	if (!p)
		return -EBADMSG;
	q->shape.flags |= QDISC_HAS_RATE;
	q->shape.rate_bps = (rate64 ? rate64 : p->rate.rate) * 8;
	q->limit = p->limit;
	/* The kernel reports the bucket as time at the rate. */
	q->burst = has_burst ? burst :
		   (uint32_t)(((uint64_t)p->buffer << PSCHED_SHIFT) * (q->shape.rate_bps / 8) / 1000000000ULL);
	return 0;
}

static int parse_netem(const struct nlattr *opts, struct qdisc_info *q)
{
	const struct tc_netem_qopt *p = mnl_attr_get_payload(opts);
	size_t len = mnl_attr_get_payload_len(opts), off = MNL_ALIGN(sizeof(*p));
	uint64_t latency, jitter, rate = 0;

	if (len < sizeof(*p))
		return -EBADMSG;
	latency = (uint64_t)p->latency << PSCHED_SHIFT;
	jitter = (uint64_t)p->jitter << PSCHED_SHIFT;
	q->limit = p->limit;
	while (off + sizeof(struct nlattr) <= len) {
		const struct nlattr *a = (const struct nlattr *)((const char *)p + off);

		if (a->nla_len < sizeof(*a) || off + a->nla_len > len)
			return -EBADMSG;
		switch (mnl_attr_get_type(a)) {
		case TCA_NETEM_LATENCY64:
			if (mnl_attr_validate(a, MNL_TYPE_U64) < 0)
				return -EBADMSG;
			latency = mnl_attr_get_u64(a);
			break;
		case TCA_NETEM_JITTER64:
			if (mnl_attr_validate(a, MNL_TYPE_U64) < 0)
				return -EBADMSG;
			jitter = mnl_attr_get_u64(a);
			break;
		case TCA_NETEM_RATE:
			if (mnl_attr_get_payload_len(a) < sizeof(struct tc_netem_rate))
				return -EBADMSG;
			if (!rate)
				rate = ((const struct tc_netem_rate *)mnl_attr_get_payload(a))->rate;
			break;
		case TCA_NETEM_RATE64:
			if (mnl_attr_validate(a, MNL_TYPE_U64) < 0)
				return -EBADMSG;
			rate = mnl_attr_get_u64(a);
			break;
		}
		off += MNL_ALIGN(a->nla_len);
	}
	if (latency || jitter) {
		q->shape.flags |= QDISC_HAS_DELAY;
		q->shape.delay_us = (uint32_t)(latency / 1000);
		q->shape.jitter_us = (uint32_t)(jitter / 1000);
	}
	if (p->loss) {
		q->shape.flags |= QDISC_HAS_LOSS;
		q->shape.loss_ppm = (uint32_t)(((uint64_t)p->loss * 1000000 + UINT32_MAX / 2) / UINT32_MAX);
	}
	if (rate) {
		q->shape.flags |= QDISC_HAS_RATE;
		q->shape.rate_bps = rate * 8;
	}
	return 0;
}

int qdisc_parse(const struct nlmsghdr *nlh, struct qdisc_info *ret)
{
	const struct tcmsg *tc;
	const struct nlattr *a, *opts = NULL;
	struct qdisc_info q;
	int err = 0;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*tc)))
		return -EBADMSG;
	memset(&q, 0, sizeof(q));
	tc = mnl_nlmsg_get_payload(nlh);
	q.ifindex = tc->tcm_ifindex;
	q.handle = tc->tcm_handle;
	q.parent = tc->tcm_parent;
	mnl_attr_for_each(a, nlh, sizeof(*tc)) {
		switch (mnl_attr_get_type(a)) {
		case TCA_KIND:
			if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
				return -EBADMSG;
			strncpy(q.kind, mnl_attr_get_str(a), sizeof(q.kind) - 1);
			break;
		case TCA_OPTIONS:
			opts = a;
			break;
		}
	}
	if (!q.kind[0])
		return -EBADMSG;
	if (opts && !strcmp(q.kind, "tbf"))
		err = parse_tbf(opts, &q);
	else if (opts && !strcmp(q.kind, "netem"))
		err = parse_netem(opts, &q);
	if (err < 0)
		return err;
	*ret = q;
	return 0;
}

int qdisc_shape(struct netns *ns, const char *ifname, const struct qdisc_shape *s)
{
	struct nl *nl = netns_rtnl(ns);
	struct link_info li;
	struct nlmsghdr *nlh;
	int ret;

	ret = link_get(ns, ifname, &li);
	if (ret < 0)
		return ret;
	nlh = qdisc_build(nl_reqbuf(nl), nl_bufsize(nl), NLM_F_CREATE | NLM_F_REPLACE, li.index, li.mtu, s);
	if (!nlh)
		return -errno;
	nlh->nlmsg_seq = nl_seq_next(nl);
	ret = nl_talk(nl, nlh, NULL, NULL);
	/* An unknown kind is ENOENT ("Specified qdisc kind is unknown."):
	 * the scheduler is not built into this kernel. */
	return ret == -ENOENT ? -EOPNOTSUPP : ret;
}

int qdisc_clear(struct netns *ns, const char *ifname)
{
	struct nl *nl = netns_rtnl(ns);
	struct nlmsghdr *nlh;
	int index = link_index(ns, ifname), ret;

	if (index < 0)
		return index;
	nlh = qdisc_build(nl_reqbuf(nl), nl_bufsize(nl), 0, index, 0, NULL);
	if (!nlh)
		return -errno;
	nlh->nlmsg_seq = nl_seq_next(nl);
	ret = nl_talk(nl, nlh, NULL, NULL);
	/* Nothing to delete: the default root has no handle to remove. */
	return ret == -ENOENT || ret == -EINVAL ? 0 : ret;
}

struct qdisc_dump {
	int ifindex;
	struct qdisc_info *ret;
	bool found;
	int err;
};

static int qdisc_dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct qdisc_dump *d = data;
	struct qdisc_info q;

	if (nlh->nlmsg_type != RTM_NEWQDISC || qdisc_parse(nlh, &q) < 0)
		return MNL_CB_OK;
	if (q.ifindex != d->ifindex || q.parent != TC_H_ROOT || d->found)
		return MNL_CB_OK;
	*d->ret = q;
	d->found = true;
	return MNL_CB_OK;
}

static struct nlmsghdr *qdisc_dump_build(struct nl *nl, void *data)
{
	struct qdisc_dump *d = data;
	struct nlmsghdr *nlh = nl_request(nl, RTM_GETQDISC, NLM_F_DUMP);
	struct tcmsg *tc;

	if (!nlh)
		return NULL;
	d->found = false;
	tc = mnl_nlmsg_put_extra_header(nlh, sizeof(*tc));
	tc->tcm_family = AF_UNSPEC;
	tc->tcm_ifindex = d->ifindex;
	return nlh;
}

int qdisc_get_root(struct netns *ns, const char *ifname, struct qdisc_info *ret)
{
	struct qdisc_info q;
	struct qdisc_dump d = { .ret = &q };
	int err;

	d.ifindex = link_index(ns, ifname);
	if (d.ifindex < 0)
		return d.ifindex;
	err = nl_dump(netns_rtnl(ns), qdisc_dump_build, &d, qdisc_dump_cb, &d);
	if (err < 0)
		return err;
	if (!d.found)
		return -ENOENT;
	*ret = q;
	return 0;
}
