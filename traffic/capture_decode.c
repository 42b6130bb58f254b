// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "traffic/capture_decode.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
/* linux/icmp.h, not netinet/ip_icmp.h, whose icmp_id and icmp_seq macros
 * would rename struct capture_pkt's fields. */
#include <linux/icmp.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <pcap/pcap.h>
#include <pcap/sll.h>

#define LINKTYPE_RAW_FILE 101	/* LINKTYPE_RAW as files spell it */
#define DLT_RAW_BSDOS 14	/* DLT_RAW as BSD/OS numbers it (pcap/dlt.h) */
/* The offset field of the IPv6 fragment header, in host order (netinet/ip6.h
 * has IP6F_OFF_MASK in network order). */
#define CAPTURE_IP6F_OFF_MASK 0xfff8

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t capture_hash(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (n--) {
		h ^= *p++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Transport header at p (n captured bytes, l4len from the IP lengths). */
static void capture_decode_l4(struct capture_pkt *r, const uint8_t *p, size_t n, size_t l4len)
{
	size_t hl;

	if (n > l4len)
		n = l4len;
	switch (r->proto) {
	case IPPROTO_TCP:
		if (n < 20)
			return;
		r->flags |= CAPTURE_PKT_PORTS | CAPTURE_PKT_TCP;
		r->sport = get16(p);
		r->dport = get16(p + 2);
		r->tcp_seq = get32(p + 4);
		r->tcp_ack = get32(p + 8);
		r->tcp_flags = p[13];
		hl = (size_t)(p[12] >> 4) * 4;
		break;
	case IPPROTO_UDP:
		if (n < 8)
			return;
		r->flags |= CAPTURE_PKT_PORTS;
		r->sport = get16(p);
		r->dport = get16(p + 2);
		r->udp_len = get16(p + 4);
		hl = 8;
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		if (n < 8)
			return;
		r->flags |= CAPTURE_PKT_ICMP;
		r->icmp_type = p[0];
		r->icmp_code = p[1];
		if ((r->proto == IPPROTO_ICMP && (p[0] == ICMP_ECHO || p[0] == ICMP_ECHOREPLY)) ||
		    (r->proto == IPPROTO_ICMPV6 &&
		     (p[0] == ICMP6_ECHO_REQUEST || p[0] == ICMP6_ECHO_REPLY))) {
			r->icmp_id = get16(p + 4);
			r->icmp_seq = get16(p + 6);
		}
		hl = 8;
		break;
	default:
		hl = 0;
	}
	if (hl > l4len)
		return;
	r->payload_len = (uint32_t)(l4len - hl);
	/* The first bytes only: captures cut packets at their snapshot
	 * length, which leaves different amounts of payload behind link
	 * headers of different sizes. */
	n = n > hl ? n - hl : 0;
	r->payload_hash = capture_hash(p + hl, n < CAPTURE_HASH_BYTES ? n : CAPTURE_HASH_BYTES);
}

static void capture_decode_ip4(struct capture_pkt *r, const uint8_t *p, size_t n)
{
	size_t ihl, total;
	uint16_t frag;

	if (n < 20 || (p[0] >> 4) != 4)
		return;
	ihl = (size_t)(p[0] & 0xf) * 4;
	total = get16(p + 2);
	if (ihl < 20 || total < ihl)
		return;
	r->flags |= CAPTURE_PKT_IP;
	r->family = AF_INET;
	r->ttl = p[8];
	r->proto = p[9];
	r->ip_id = get16(p + 4);
	r->src.family = r->dst.family = AF_INET;
	r->src.prefixlen = r->dst.prefixlen = 32;
	memcpy(&r->src.v4, p + 12, 4);
	memcpy(&r->dst.v4, p + 16, 4);
	frag = get16(p + 6);
	if (frag & IP_OFFMASK) {
		r->flags |= CAPTURE_PKT_FRAGMENT;
		return;
	}
	if (n > ihl)
		capture_decode_l4(r, p + ihl, n - ihl, total - ihl);
}

static void capture_decode_ip6(struct capture_pkt *r, const uint8_t *p, size_t n)
{
	size_t off = 40, l4len;
	uint8_t next;

	if (n < 40 || (p[0] >> 4) != 6)
		return;
	r->flags |= CAPTURE_PKT_IP;
	r->family = AF_INET6;
	r->ttl = p[7];
	r->src.family = r->dst.family = AF_INET6;
	r->src.prefixlen = r->dst.prefixlen = 128;
	memcpy(&r->src.v6, p + 8, 16);
	memcpy(&r->dst.v6, p + 24, 16);
	l4len = get16(p + 4);
	next = p[6];
	/* Walk the extension headers up to the transport. */
	for (;;) {
		size_t hl;

		if (next != IPPROTO_HOPOPTS && next != IPPROTO_ROUTING && next != IPPROTO_FRAGMENT &&
		    next != IPPROTO_DSTOPTS)
			break;
		if (off + 8 > n)
			return;
		if (next == IPPROTO_FRAGMENT) {
			r->ip_id = get32(p + off + 4);
			if (get16(p + off + 2) & CAPTURE_IP6F_OFF_MASK) {
				r->proto = p[off];
				r->flags |= CAPTURE_PKT_FRAGMENT;
				return;
			}
			hl = 8;
		} else {
			hl = ((size_t)p[off + 1] + 1) * 8;
		}
		next = p[off];
		if (hl > l4len)
			return;
		l4len -= hl;
		off += hl;
	}
	r->proto = next;
	if (off <= n)
		capture_decode_l4(r, p + off, n - off, l4len);
}

static void capture_decode_l3(struct capture_pkt *r, uint16_t ethertype, const uint8_t *p,
			      size_t n)
{
	r->ethertype = ethertype;
	if (ethertype == ETH_P_IP)
		capture_decode_ip4(r, p, n);
	else if (ethertype == ETH_P_IPV6)
		capture_decode_ip6(r, p, n);
	else if (ethertype == ETH_P_ARP)
		r->flags |= CAPTURE_PKT_ARP;
}

static void capture_direction(struct capture_pkt *r, unsigned int pkttype)
{
	/* Host, broadcast, multicast and other are in. */
	r->flags |= pkttype == PACKET_OUTGOING ? CAPTURE_PKT_OUTGOING : CAPTURE_PKT_INCOMING;
}

int capture_decode(int linktype, const uint8_t *data, uint32_t caplen, uint32_t len,
		   uint64_t ts_us, struct capture_pkt *ret)
{
	struct capture_pkt r = {
		.ts_us = ts_us,
		.caplen = caplen,
		.len = len,
		.linktype = linktype,
		.data = data,
	};
	const uint8_t *p = data;
	size_t n = caplen;
	uint16_t et;

	switch (linktype) {
	case DLT_EN10MB:
		if (n < ETH_HLEN)
			break;
		et = get16(p + 12);
		p += ETH_HLEN;
		n -= ETH_HLEN;
		while ((et == ETH_P_8021Q || et == ETH_P_8021AD) && n >= 4) {
			et = get16(p + 2);
			p += 4;
			n -= 4;
		}
		capture_decode_l3(&r, et, p, n);
		break;
	case DLT_RAW:
	case DLT_RAW_BSDOS:
	case LINKTYPE_RAW_FILE:
	case DLT_IPV4:
	case DLT_IPV6:
		if (!n)
			break;
		capture_decode_l3(&r, (p[0] >> 4) == 6 ? ETH_P_IPV6 : ETH_P_IP, p, n);
		r.ethertype = 0;
		break;
	case DLT_LINUX_SLL:
		if (n < SLL_HDR_LEN)
			break;
		capture_direction(&r, get16(p));
		capture_decode_l3(&r, get16(p + 14), p + SLL_HDR_LEN, n - SLL_HDR_LEN);
		break;
	case DLT_LINUX_SLL2:
		if (n < SLL2_HDR_LEN)
			break;
		capture_direction(&r, p[10]);
		capture_decode_l3(&r, get16(p), p + SLL2_HDR_LEN, n - SLL2_HDR_LEN);
		break;
	}
	*ret = r;
	return r.flags & CAPTURE_PKT_IP ? 0 : -EPROTONOSUPPORT;
}

static const char *capture_icmp_name(const struct capture_pkt *p)
{
	if (p->proto == IPPROTO_ICMP) {
		switch (p->icmp_type) {
		case ICMP_ECHOREPLY: return "echo reply";
		case ICMP_DEST_UNREACH: return "destination unreachable";
		case ICMP_REDIRECT: return "redirect";
		case ICMP_ECHO: return "echo request";
		case ICMP_TIME_EXCEEDED: return "time exceeded";
		case ICMP_PARAMETERPROB: return "parameter problem";
		}
		return NULL;
	}
	switch (p->icmp_type) {
	case ICMP6_DST_UNREACH: return "destination unreachable";
	case ICMP6_PACKET_TOO_BIG: return "packet too big";
	case ICMP6_TIME_EXCEEDED: return "time exceeded";
	case ICMP6_PARAM_PROB: return "parameter problem";
	case ICMP6_ECHO_REQUEST: return "echo request";
	case ICMP6_ECHO_REPLY: return "echo reply";
	case ND_ROUTER_SOLICIT: return "router solicitation";
	case ND_ROUTER_ADVERT: return "router advertisement";
	case ND_NEIGHBOR_SOLICIT: return "neighbor solicitation";
	case ND_NEIGHBOR_ADVERT: return "neighbor advertisement";
	}
	return NULL;
}

static void capture_tcp_flags(uint8_t f, char *buf)
{
	static const struct {
		uint8_t bit;
		char c;
	} names[] = {
		{ CAPTURE_TCP_FIN, 'F' }, { CAPTURE_TCP_SYN, 'S' }, { CAPTURE_TCP_RST, 'R' },
		{ CAPTURE_TCP_PSH, 'P' }, { CAPTURE_TCP_ACK, '.' }, { CAPTURE_TCP_URG, 'U' },
		{ CAPTURE_TCP_ECE, 'E' }, { CAPTURE_TCP_CWR, 'W' },
	};
	size_t i, n = 0;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (f & names[i].bit)
			buf[n++] = names[i].c;
	buf[n] = '\0';
	if (!n)
		strcpy(buf, "none");
}

const char *capture_format(const struct capture_pkt *p, char *buf, size_t len)
{
	char src[ADDR_STRLEN], dst[ADDR_STRLEN], ts[32], dir[8] = "", l4[96];
	time_t secs = (time_t)(p->ts_us / 1000000);
	const char *name;
	struct tm tm;

	gmtime_r(&secs, &tm);
	snprintf(ts, sizeof(ts), "%02d:%02d:%02d.%06u", tm.tm_hour, tm.tm_min, tm.tm_sec,
		 (unsigned int)(p->ts_us % 1000000));
	if (p->flags & CAPTURE_PKT_OUTGOING)
		snprintf(dir, sizeof(dir), "Out ");
	else if (p->flags & CAPTURE_PKT_INCOMING)
		snprintf(dir, sizeof(dir), "In  ");
	if (!(p->flags & CAPTURE_PKT_IP)) {
		if (p->flags & CAPTURE_PKT_ARP)
			snprintf(buf, len, "%s %sARP, length %u", ts, dir, p->len);
		else
			snprintf(buf, len, "%s %sethertype 0x%04x, length %u", ts, dir, p->ethertype,
				 p->len);
		return buf;
	}
	addr_format(&p->src, false, src, sizeof(src));
	addr_format(&p->dst, false, dst, sizeof(dst));
	if (p->flags & CAPTURE_PKT_TCP) {
		char flags[12];

		capture_tcp_flags(p->tcp_flags, flags);
		if (p->tcp_flags & CAPTURE_TCP_ACK)
			snprintf(l4, sizeof(l4), "Flags [%s], seq %u, ack %u, length %u", flags,
				 p->tcp_seq, p->tcp_ack, p->payload_len);
		else
			snprintf(l4, sizeof(l4), "Flags [%s], seq %u, length %u", flags, p->tcp_seq,
				 p->payload_len);
	} else if (p->flags & CAPTURE_PKT_PORTS) {
		snprintf(l4, sizeof(l4), "UDP, length %u", p->payload_len);
	} else if (p->flags & CAPTURE_PKT_ICMP) {
		const char *icmp = p->proto == IPPROTO_ICMP ? "ICMP" : "ICMP6,";

		name = capture_icmp_name(p);
		if (p->icmp_type == (p->proto == IPPROTO_ICMP ? 8 : 128) ||
		    p->icmp_type == (p->proto == IPPROTO_ICMP ? 0 : 129))
			snprintf(l4, sizeof(l4), "%s %s, id %u, seq %u, length %u", icmp, name,
				 p->icmp_id, p->icmp_seq, p->payload_len + 8);
		else if (name)
			snprintf(l4, sizeof(l4), "%s %s, code %u, length %u", icmp, name,
				 p->icmp_code, p->payload_len + 8);
		else
			snprintf(l4, sizeof(l4), "%s type %u, code %u, length %u", icmp,
				 p->icmp_type, p->icmp_code, p->payload_len + 8);
	} else if (p->flags & CAPTURE_PKT_FRAGMENT) {
		snprintf(l4, sizeof(l4), "fragment, proto %u, id %u", p->proto, p->ip_id);
	} else {
		snprintf(l4, sizeof(l4), "proto %u, length %u", p->proto, p->len);
	}
	if (p->flags & CAPTURE_PKT_PORTS)
		snprintf(buf, len, "%s %s%s %s.%u > %s.%u: %s", ts, dir,
			 p->family == AF_INET6 ? "IP6" : "IP", src, p->sport, dst, p->dport, l4);
	else
		snprintf(buf, len, "%s %s%s %s > %s: %s", ts, dir, p->family == AF_INET6 ? "IP6" : "IP",
			 src, dst, l4);
	return buf;
}

bool capture_endpoint_match(const struct capture_endpoint *ep, const struct addr *a,
			    uint16_t port)
{
	if ((ep->flags & CAPTURE_EP_ADDR) && !addr_contains(&ep->addr, a))
		return false;
	if ((ep->flags & CAPTURE_EP_PORT) && ep->port != port)
		return false;
	return true;
}

/* Whether b is a's forwarding: a copy that left within within_us of a's
 * arrival (the two may disagree by 1 ms the other way: captures read the
 * one clock, but stamp a packet at slightly different points of its way)
 * with the TTL one less.  The TTL, and the direction when the link layer
 * gives it, keep out what came back the other way, an echo of a as
 * alike as its copy; so does b's going back to where a came from: an
 * echo server's answer, forwarded (the TTL one less too) and leaving by
 * the interface a came in on (a capture on any), has a's payload and,
 * without an IP id (IPv6), nothing else to tell it by.  A NAT rewrites
 * one side of a flow, not both into each other. */
static bool capture_pkt_reverse(const struct capture_pkt *a, const struct capture_pkt *b)
{
	if (!addr_equal(&a->src, &b->dst) || !addr_equal(&a->dst, &b->src))
		return false;
	if ((a->flags ^ b->flags) & CAPTURE_PKT_PORTS)
		return false;
	return !(a->flags & CAPTURE_PKT_PORTS) || (a->sport == b->dport && a->dport == b->sport);
}

static bool capture_pkt_copy(const struct capture_pkt *a, const struct capture_pkt *b,
			     uint64_t within_us)
{
	if (!(a->flags & b->flags & CAPTURE_PKT_IP) || a->proto != b->proto ||
	    a->family != b->family || b->ts_us + 1000 < a->ts_us || b->ts_us > a->ts_us + within_us)
		return false;
	if (b->ttl + 1 != a->ttl || (a->flags & CAPTURE_PKT_OUTGOING) ||
	    (b->flags & CAPTURE_PKT_INCOMING))
		return false;
	if (a->payload_len != b->payload_len || a->payload_hash != b->payload_hash ||
	    capture_pkt_reverse(a, b))
		return false;
	if (a->proto == IPPROTO_TCP)
		return (a->flags & b->flags & CAPTURE_PKT_TCP) && a->tcp_seq == b->tcp_seq &&
		       a->tcp_flags == b->tcp_flags &&
		       (!(a->tcp_flags & CAPTURE_TCP_ACK) || a->tcp_ack == b->tcp_ack);
	if (a->proto == IPPROTO_ICMP || a->proto == IPPROTO_ICMPV6) {
		/* NAT rewrites the echo id as if it were a port. */
		if (a->icmp_type != b->icmp_type || a->icmp_seq != b->icmp_seq)
			return false;
	}
	return a->ip_id == b->ip_id;
}

bool capture_pkt_same(const struct capture_pkt *a, const struct capture_pkt *b)
{
	return capture_pkt_copy(a, b, CAPTURE_FORWARD_US);
}

static bool capture_rewrite_side(const struct capture_pkt *p, uint8_t proto,
				 const struct capture_endpoint *src,
				 const struct capture_endpoint *dst)
{
	uint16_t sport = p->flags & CAPTURE_PKT_PORTS ? p->sport : 0;
	uint16_t dport = p->flags & CAPTURE_PKT_PORTS ? p->dport : 0;

	if (!(p->flags & CAPTURE_PKT_IP) || (proto && p->proto != proto))
		return false;
	if (((src->flags | dst->flags) & CAPTURE_EP_PORT) && !(p->flags & CAPTURE_PKT_PORTS))
		return false;
	return capture_endpoint_match(src, &p->src, sport) &&
	       capture_endpoint_match(dst, &p->dst, dport);
}

/* How many packets of set (x aside) could be a copy of x (dir > 0) or what
 * x is a copy of (dir < 0); ret gets the last found. */
static unsigned int capture_copies(const struct capture_pkt *const *set, size_t n,
				   const struct capture_pkt *x, int dir, uint64_t within_us,
				   const struct capture_pkt **ret)
{
	unsigned int found = 0;

	for (size_t k = 0; k < n; k++) {
		if (set[k] == x || (dir > 0 ? !capture_pkt_copy(x, set[k], within_us) :
					      !capture_pkt_copy(set[k], x, within_us)))
			continue;
		found++;
		*ret = set[k];
	}
	return found;
}

int capture_match_rewrite(const struct capture_pkt *const *in, size_t nin, size_t in_from,
			  const struct capture_pkt *const *out, size_t nout, size_t out_from,
			  const struct rewrite_pattern *p, struct rewrite_match *ret)
{
	uint64_t within = CAPTURE_FORWARD_US + p->queue_us;
	struct rewrite_match m = { 0 };
	size_t i, j;

	for (j = out_from; j < nout; j++)
		if (capture_rewrite_side(out[j], p->proto, &p->new_src, &p->new_dst))
			m.out_candidates++;
	for (i = in_from; i < nin; i++) {
		const struct capture_pkt *copy = NULL, *orig = NULL;
		unsigned int outs, ins = 0;

		if (!capture_rewrite_side(in[i], p->proto, &p->orig_src, &p->orig_dst))
			continue;
		m.in_candidates++;
		if (m.in)
			continue;
		/* The one forwarding of in[i], whatever it was rewritten to,
		 * and in[i] the one packet it can be the forwarding of: with
		 * no IP id to tell them apart (IPv6, IPv4 with DF and id 0),
		 * identical datagrams of two hosts are two flows' packets
		 * each side could be, and which the NAT moved is not known.
		 * The whole captures count, before the windows too. */
		outs = capture_copies(out, nout, in[i], 1, within, &copy);
		if (!outs)
			continue;
		if (outs == 1)
			ins = capture_copies(in, nin, copy, -1, within, &orig);
		if (outs > 1 || ins > 1) {
			if (!m.ambiguous) {
				m.ambiguous = in[i];
				m.ambiguous_outs = outs;
				m.ambiguous_ins = outs > 1 ? 0 : ins;
			}
			continue;
		}
		for (j = out_from; j < nout && out[j] != copy; j++)
			;
		if (j == nout || !capture_rewrite_side(copy, p->proto, &p->new_src, &p->new_dst)) {
			if (!m.other_in) {
				m.other_in = in[i];
				m.other_out = copy;
			}
			continue;
		}
		m.in = in[i];
		m.out = copy;
	}
	*ret = m;
	return m.in ? 0 : -ENOENT;
}
