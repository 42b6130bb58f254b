/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef TRAFFIC_CAPTURE_FILTER_H
#define TRAFFIC_CAPTURE_FILTER_H

#include <stddef.h>

struct capture_pkt;

/*
 * tcpdump filters over stored packets, and what a filter needs of a
 * capture: which bytes it reads (the snapshot length that keeps its
 * answers right).  Pure: no capture, no kernel.
 */

/* Packets of one linktype matching a filter (NULL or "": all).  Returns
 * the count, or -EINVAL with pcap's message in err. */
int capture_filter_count(int linktype, const struct capture_pkt *const *pkts, size_t n,
			 const char *filter, char *err, size_t errlen);
/* The same, also giving the index of the first match (n: none). */
int capture_filter_scan(int linktype, const struct capture_pkt *const *pkts, size_t n,
			const char *filter, size_t *first, char *err, size_t errlen);
/* How many bytes of a packet, from its link header on, the filter may
 * read, whatever the link type of the capture (Ethernet, raw IP, Linux
 * cooked v1 and v2): packets cut there match it exactly as whole ones.
 * CAPTURE_FILTER_WHOLE when it reads at offsets known only at run time
 * beyond an IP header's length (protochain and the like).  0, or -EINVAL
 * when no link type takes the filter (pcap's message in err). */
#define CAPTURE_FILTER_WHOLE 0xffffffffU
int capture_filter_bytes(const char *filter, unsigned int *ret, char *err, size_t errlen);

#endif
