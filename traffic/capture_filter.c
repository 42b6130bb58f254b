// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* tcpdump filters over stored packets, and the bytes a filter reads. */
#include "traffic/capture_decode.h"
#include "traffic/capture_filter.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <pcap/pcap.h>

/* Any capture's snapshot length is at most this. */
#define CAPTURE_FILTER_SNAPLEN 262144
/* The largest value BPF_LDX|BPF_MSH can give: an IPv4 header length. */
#define CAPTURE_FILTER_MSH_MAX 60

static int capture_compile(int linktype, const char *filter, struct bpf_program *prog, char *err,
			   size_t errlen)
{
	/* NULL only when out of memory. */
	pcap_t *dead = xcheck(pcap_open_dead(linktype, CAPTURE_FILTER_SNAPLEN));
	int ret = 0;

	if (pcap_compile(dead, prog, filter ? filter : "", 1, PCAP_NETMASK_UNKNOWN) < 0) {
		if (errlen)
			snprintf(err, errlen, "%s", pcap_geterr(dead));
		ret = -EINVAL;
	}
	pcap_close(dead);
	return ret;
}

static bool capture_prog_match(const struct bpf_program *prog, const struct capture_pkt *p)
{
	struct pcap_pkthdr h = { .caplen = p->caplen, .len = p->len };

	h.ts.tv_sec = (time_t)(p->ts_us / 1000000);
	h.ts.tv_usec = (suseconds_t)(p->ts_us % 1000000);
	return pcap_offline_filter(prog, &h, p->data) != 0;
}

int capture_filter_scan(int linktype, const struct capture_pkt *const *pkts, size_t n,
			const char *filter, size_t *first, char *err, size_t errlen)
{
	struct bpf_program prog;
	size_t i;
	int ret, count = 0;

	ret = capture_compile(linktype, filter, &prog, err, errlen);
	if (ret < 0)
		return ret;
	if (first)
		*first = n;
	for (i = 0; i < n; i++) {
		if (!capture_prog_match(&prog, pkts[i]))
			continue;
		if (!count++ && first)
			*first = i;
	}
	pcap_freecode(&prog);
	return count;
}

int capture_filter_count(int linktype, const struct capture_pkt *const *pkts, size_t n,
			 const char *filter, char *err, size_t errlen)
{
	return capture_filter_scan(linktype, pkts, n, filter, NULL, err, errlen);
}

static unsigned int capture_load_size(unsigned int code)
{
	switch (BPF_SIZE(code)) {
	case BPF_W:
		return 4;
	case BPF_H:
		return 2;
	default:
		return 1;
	}
}

/*
 * The highest byte a program reads: absolute loads say it, indirect ones
 * add X, which is bounded when only BPF_LDX|BPF_MSH (an IPv4 header
 * length, at most 60) and BPF_LDX|BPF_IMM set it.  Anything else that sets
 * X (TAX, a scratch word, the length) or a load of the kernel's ancillary
 * data (negative offsets) leaves it unbounded: CAPTURE_FILTER_WHOLE.
 */
static unsigned int capture_prog_bytes(const struct bpf_program *prog)
{
	unsigned int abs_max = 0, ind_max = 0, x_max = 0;
	bool any_ind = false;

	for (unsigned int i = 0; i < prog->bf_len; i++) {
		const struct bpf_insn *in = &prog->bf_insns[i];
		unsigned int end;

		switch (BPF_CLASS(in->code)) {
		case BPF_LD:
			if (BPF_MODE(in->code) != BPF_ABS && BPF_MODE(in->code) != BPF_IND)
				break;
			if (in->k >= CAPTURE_FILTER_SNAPLEN)
				return CAPTURE_FILTER_WHOLE;
			end = in->k + capture_load_size(in->code);
			if (BPF_MODE(in->code) == BPF_ABS) {
				abs_max = end > abs_max ? end : abs_max;
			} else {
				any_ind = true;
				ind_max = end > ind_max ? end : ind_max;
			}
			break;
		case BPF_LDX:
			if (BPF_MODE(in->code) == BPF_MSH) {
				if (in->k >= CAPTURE_FILTER_SNAPLEN)
					return CAPTURE_FILTER_WHOLE;
				abs_max = in->k + 1 > abs_max ? in->k + 1 : abs_max;
				x_max = x_max > CAPTURE_FILTER_MSH_MAX ? x_max : CAPTURE_FILTER_MSH_MAX;
			} else if (BPF_MODE(in->code) == BPF_IMM) {
				if (in->k >= CAPTURE_FILTER_SNAPLEN)
					return CAPTURE_FILTER_WHOLE;
				x_max = in->k > x_max ? in->k : x_max;
			} else {
				return CAPTURE_FILTER_WHOLE;
			}
			break;
		case BPF_MISC:
			if (BPF_MISCOP(in->code) == BPF_TAX)
				return CAPTURE_FILTER_WHOLE;
			break;
		default:
			break;
		}
	}
	if (any_ind && ind_max + x_max > abs_max)
		return ind_max + x_max;
	return abs_max;
}

int capture_filter_bytes(const char *filter, unsigned int *ret, char *err, size_t errlen)
{
	/* Where a capture's packets may start: the filter's offsets differ. */
	static const int linktypes[] = { DLT_EN10MB, DLT_RAW, DLT_LINUX_SLL, DLT_LINUX_SLL2 };
	unsigned int most = 0;
	bool compiled = false;

	for (size_t i = 0; i < sizeof(linktypes) / sizeof(linktypes[0]); i++) {
		struct bpf_program prog;
		unsigned int n;

		/* A link type a filter cannot apply to ("ether host" on raw
		 * IP) says nothing; the filter is bad only if none takes it,
		 * and then pcap's message is Ethernet's. */
		if (capture_compile(linktypes[i], filter, &prog, err, i ? 0 : errlen) < 0)
			continue;
		compiled = true;
		n = capture_prog_bytes(&prog);
		pcap_freecode(&prog);
		most = n > most ? n : most;
	}
	if (!compiled)
		return -EINVAL;
	*ret = most;
	return 0;
}
