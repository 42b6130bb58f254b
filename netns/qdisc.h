/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_QDISC_H
#define NETNS_QDISC_H

#include <stddef.h>
#include <stdint.h>

struct netns;
struct nlmsghdr;

/*
 * Link shaping: the root qdisc on the egress of one interface, over
 * rtnetlink (what `tc qdisc replace dev IF root ...` sends).  A rate alone
 * is tbf; delay, jitter or loss is netem (carrying the rate too, when
 * given).  Shape both ends of a link to shape it each way.
 */

enum {
	QDISC_HAS_RATE = 1U << 0,
	QDISC_HAS_DELAY = 1U << 1,	/* delay and jitter */
	QDISC_HAS_LOSS = 1U << 2,
};

struct qdisc_shape {
	unsigned int flags;		/* QDISC_HAS_* */
	uint64_t rate_bps;
	uint32_t delay_us, jitter_us;
	uint32_t loss_ppm;		/* 1% = 10000 */
};

#define QDISC_TBF_LATENCY_US 50000	/* queue a tbf holds, as time at the rate */
#define QDISC_NETEM_LIMIT 1000		/* packets, netem's default */

/* Replaces the root qdisc of ifname in ns.  0 or -errno; -EOPNOTSUPP when
 * the kernel does not know the qdisc kind (it answered ENOENT, "Specified
 * qdisc kind is unknown": e.g. no sch_netem); netns_extack() keeps the
 * kernel's words.  -EINVAL for an empty shape. */
int qdisc_shape(struct netns *ns, const char *ifname, const struct qdisc_shape *s);
/* Back to the device's default root qdisc.  0 also when there was none. */
int qdisc_clear(struct netns *ns, const char *ifname);

struct qdisc_info {
	char kind[16];			/* "tbf", "netem", "noqueue", "pfifo_fast"... */
	int ifindex;
	uint32_t handle, parent;
	struct qdisc_shape shape;	/* what tbf or netem does (flags say what) */
	uint32_t burst;			/* tbf: bytes */
	uint32_t limit;			/* tbf: bytes; netem: packets */
};

/* The root qdisc of ifname.  -ENOENT when the kernel lists none. */
int qdisc_get_root(struct netns *ns, const char *ifname, struct qdisc_info *ret);

/*
 * Pure parts, for the unit tests.
 */
/* tbf's bucket and queue for a rate on a device of mtu bytes: the burst
 * is one timer tick (4 ms at HZ=250) of traffic, at least two full frames
 * and 16 KiB; the queue holds QDISC_TBF_LATENCY_US of traffic past the
 * burst. */
void qdisc_tbf_params(uint64_t rate_bps, unsigned int mtu, uint32_t *ret_burst, uint32_t *ret_limit);
/* RTM_NEWQDISC (replace; flags are added to NLM_F_REQUEST|NLM_F_ACK) of the
 * root qdisc for s on ifindex, or RTM_DELQDISC of the root when s is NULL.
 * mtu as for qdisc_tbf_params().  NULL with errno EMSGSIZE or EINVAL. */
struct nlmsghdr *qdisc_build(void *buf, size_t size, uint16_t flags, int ifindex, unsigned int mtu,
			     const struct qdisc_shape *s);
/* Parses an RTM_NEWQDISC (a request or the kernel's dump).  0 or -EBADMSG. */
int qdisc_parse(const struct nlmsghdr *nlh, struct qdisc_info *ret);

#endif
