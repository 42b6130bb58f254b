/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef TRAFFIC_CAPTURE_DECODE_H
#define TRAFFIC_CAPTURE_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netns/addr.h"

/*
 * What a captured frame decodes to, and whether two packets are one packet
 * seen on both sides of a rewrite.  Pure: for captures (traffic/capture.h),
 * for packets read back from a file, and for the unit tests.
 */

enum {
	CAPTURE_PKT_IP = 1U << 0,	/* family, src, dst, proto, ttl, ip_id decoded */
	CAPTURE_PKT_PORTS = 1U << 1,	/* TCP or UDP: sport, dport */
	CAPTURE_PKT_TCP = 1U << 2,	/* tcp_seq, tcp_ack, tcp_flags */
	CAPTURE_PKT_ICMP = 1U << 3,	/* icmp_type, icmp_code (+ id, seq for echo) */
	CAPTURE_PKT_FRAGMENT = 1U << 4,	/* a non-first fragment: no transport header */
	CAPTURE_PKT_OUTGOING = 1U << 5,	/* the link layer says so (cooked captures) */
	CAPTURE_PKT_INCOMING = 1U << 6,
	CAPTURE_PKT_ARP = 1U << 7,
};

/* TCP flags as on the wire. */
enum {
	CAPTURE_TCP_FIN = 0x01,
	CAPTURE_TCP_SYN = 0x02,
	CAPTURE_TCP_RST = 0x04,
	CAPTURE_TCP_PSH = 0x08,
	CAPTURE_TCP_ACK = 0x10,
	CAPTURE_TCP_URG = 0x20,
	CAPTURE_TCP_ECE = 0x40,
	CAPTURE_TCP_CWR = 0x80,
};

/* Payload bytes that identify a packet across a rewrite: link header (at
 * most 20), IP (60), transport (60) and these fit CAPTURE_HEADERS. */
#define CAPTURE_HASH_BYTES 64
#define CAPTURE_HEADERS 256

/* One packet and what was decoded from it. */
struct capture_pkt {
	uint64_t ts_us;			/* wall clock, microseconds since the epoch */
	uint32_t caplen, len;
	int linktype;			/* DLT_* of the capture */
	const uint8_t *data;		/* caplen bytes from the link header on */
	unsigned int flags;		/* CAPTURE_PKT_* */
	uint16_t ethertype;		/* 0 for raw IP */
	int family;			/* AF_INET, AF_INET6, 0 */
	struct addr src, dst;
	uint8_t proto;			/* IPPROTO_* of the transport */
	uint8_t ttl;			/* TTL or hop limit */
	uint32_t ip_id;			/* IPv4 id; IPv6 fragment id (0 without) */
	uint16_t sport, dport;
	uint32_t tcp_seq, tcp_ack;
	uint8_t tcp_flags;
	uint8_t icmp_type, icmp_code;
	uint16_t icmp_id, icmp_seq;	/* echo request / reply */
	uint16_t udp_len;		/* the UDP header's length field */
	uint32_t payload_len;		/* transport payload, from the IP lengths */
	uint64_t payload_hash;		/* FNV-1a over the first CAPTURE_HASH_BYTES
					 * of the captured transport payload */
};

/* Decodes one frame of the given DLT: Ethernet (with VLAN tags), raw IP
 * (TUN, wireguard-go), Linux cooked v1/v2 ("any").  Always fills ret;
 * returns 0 when an IP header was decoded, -EPROTONOSUPPORT otherwise. */
int capture_decode(int linktype, const uint8_t *data, uint32_t caplen, uint32_t len,
		   uint64_t ts_us, struct capture_pkt *ret);
/* tcpdump-style line: "12:00:01.000002 IP 10.0.0.1.40000 > 10.0.0.2.80:
 * Flags [S], seq 1000, length 0" (UTC). */
const char *capture_format(const struct capture_pkt *p, char *buf, size_t len);

/* The same packet on two interfaces, rewritten (NAT). */

enum {
	CAPTURE_EP_ADDR = 1U << 0,	/* match addr (a prefix: any address in it) */
	CAPTURE_EP_PORT = 1U << 1,	/* match port */
};

struct capture_endpoint {
	unsigned int flags;		/* CAPTURE_EP_*; 0 is a wildcard */
	struct addr addr;
	uint16_t port;
};

/* How long after it came in a forwarded packet may go out, queues aside:
 * the kernel forwards in microseconds, the rest is the margin of a loaded
 * machine.  Beyond it a packet leaving is another one, however alike. */
#define CAPTURE_FORWARD_US 100000

struct rewrite_pattern {
	uint8_t proto;			/* IPPROTO_TCP, _UDP, _ICMP, _ICMPV6; 0: any */
	struct capture_endpoint orig_src, orig_dst;	/* entering */
	struct capture_endpoint new_src, new_dst;	/* leaving */
	uint64_t queue_us;		/* a queue on the way out (netem delay, tbf) may
					 * hold a packet this long more */
};

struct rewrite_match {
	const struct capture_pkt *in, *out;	/* the pair found (NULL: none) */
	unsigned int in_candidates;	/* packets entering that match orig_* */
	unsigned int out_candidates;	/* packets leaving that match new_* */
	const struct capture_pkt *ambiguous;	/* the first packet entering as the
						 * original whose forwarding is not
						 * known (NULL: none) */
	unsigned int ambiguous_outs;	/* > 1: packets leaving that could be its copy */
	unsigned int ambiguous_ins;	/* > 1: packets entering its one copy could be of */
	const struct capture_pkt *other_in, *other_out;	/* the first packet entering
							 * as the original whose one
							 * copy left otherwise */
};

bool capture_endpoint_match(const struct capture_endpoint *ep, const struct addr *a,
			    uint16_t port);
/* Whether b is a (possibly rewritten) forwarding of a: TCP by sequence
 * number, flags and acknowledgement, others by IPv4 id and payload (hash
 * and length); the TTL (hop limit) one less; never earlier, and at most
 * CAPTURE_FORWARD_US later; not a leaving, b not an entering, when the
 * link layer says (cooked captures). */
bool capture_pkt_same(const struct capture_pkt *a, const struct capture_pkt *b);
/* Finds a packet of in[in_from..nin) matching orig_* whose copy in
 * out[out_from..nout) matches new_*.  The pair counts only when it is
 * the one way to pair them: the in packet has exactly one copy in out (as
 * rewritten or not), within CAPTURE_FORWARD_US + queue_us, and that copy
 * could be of no other packet of in (over the whole arrays, windows
 * aside); else the packet is ambiguous and does not count.  0 when found,
 * -ENOENT otherwise; ret is filled either way (candidates and the first
 * ambiguous packet, for the evidence). */
int capture_match_rewrite(const struct capture_pkt *const *in, size_t nin, size_t in_from,
			  const struct capture_pkt *const *out, size_t nout, size_t out_from,
			  const struct rewrite_pattern *p, struct rewrite_match *ret);

#endif
