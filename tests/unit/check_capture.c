// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include <check.h>
#include <errno.h>
#include <string.h>
#include <netinet/in.h>
#include <pcap/pcap.h>

#include "traffic/capture.h"
#include "traffic/capture_filter.h"
#include "traffic/capture_decode.h"

/* 2023-11-14 22:13:20.123456 UTC */
#define TS 1700000000123456ULL

static size_t put_eth(uint8_t *b, uint16_t ethertype)
{
	static const uint8_t macs[12] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1 };

	memcpy(b, macs, sizeof(macs));
	b[12] = (uint8_t)(ethertype >> 8);
	b[13] = (uint8_t)ethertype;
	return 14;
}

static size_t put_ip4(uint8_t *b, uint8_t proto, const char *src, const char *dst, uint16_t id,
		      size_t l4len)
{
	struct addr s, d;
	size_t total = 20 + l4len;

	ck_assert_int_eq(addr_parse(src, 0, &s), 0);
	ck_assert_int_eq(addr_parse(dst, 0, &d), 0);
	memset(b, 0, 20);
	b[0] = 0x45;
	b[2] = (uint8_t)(total >> 8);
	b[3] = (uint8_t)total;
	b[4] = (uint8_t)(id >> 8);
	b[5] = (uint8_t)id;
	b[6] = 0x40;
	b[8] = 64;
	b[9] = proto;
	memcpy(b + 12, &s.v4, 4);
	memcpy(b + 16, &d.v4, 4);
	return 20;
}

static size_t put_ip6(uint8_t *b, uint8_t next, const char *src, const char *dst, size_t plen)
{
	struct addr s, d;

	ck_assert_int_eq(addr_parse(src, 0, &s), 0);
	ck_assert_int_eq(addr_parse(dst, 0, &d), 0);
	memset(b, 0, 40);
	b[0] = 0x60;
	b[4] = (uint8_t)(plen >> 8);
	b[5] = (uint8_t)plen;
	b[6] = next;
	b[7] = 63;
	memcpy(b + 8, &s.v6, 16);
	memcpy(b + 24, &d.v6, 16);
	return 40;
}

static size_t put_tcp(uint8_t *b, uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack,
		      uint8_t flags)
{
	memset(b, 0, 20);
	b[0] = (uint8_t)(sport >> 8);
	b[1] = (uint8_t)sport;
	b[2] = (uint8_t)(dport >> 8);
	b[3] = (uint8_t)dport;
	b[4] = (uint8_t)(seq >> 24);
	b[5] = (uint8_t)(seq >> 16);
	b[6] = (uint8_t)(seq >> 8);
	b[7] = (uint8_t)seq;
	b[8] = (uint8_t)(ack >> 24);
	b[9] = (uint8_t)(ack >> 16);
	b[10] = (uint8_t)(ack >> 8);
	b[11] = (uint8_t)ack;
	b[12] = 5 << 4;
	b[13] = flags;
	return 20;
}

static size_t put_udp(uint8_t *b, uint16_t sport, uint16_t dport, const char *payload)
{
	size_t n = strlen(payload), len = 8 + n;

	b[0] = (uint8_t)(sport >> 8);
	b[1] = (uint8_t)sport;
	b[2] = (uint8_t)(dport >> 8);
	b[3] = (uint8_t)dport;
	b[4] = (uint8_t)(len >> 8);
	b[5] = (uint8_t)len;
	b[6] = b[7] = 0;
	memcpy(b + 8, payload, n);
	return len;
}

static size_t put_echo(uint8_t *b, uint8_t type, uint16_t id, uint16_t seq, size_t payload)
{
	memset(b, 0, 8 + payload);
	b[0] = type;
	b[4] = (uint8_t)(id >> 8);
	b[5] = (uint8_t)id;
	b[6] = (uint8_t)(seq >> 8);
	b[7] = (uint8_t)seq;
	memset(b + 8, 'x', payload);
	return 8 + payload;
}

static void check_format(int linktype, const uint8_t *b, size_t n, const char *want,
			 struct capture_pkt *p)
{
	char line[256];

	capture_decode(linktype, b, (uint32_t)n, (uint32_t)n, TS, p);
	ck_assert_str_eq(capture_format(p, line, sizeof(line)), want);
}

START_TEST(test_capture_format_eth_ipv4_tcp)
{
	uint8_t b[128];
	struct capture_pkt p;
	size_t n = put_eth(b, 0x0800);

	n += put_ip4(b + n, IPPROTO_TCP, "10.0.1.2", "10.0.2.2", 4242, 20);
	n += put_tcp(b + n, 40000, 80, 1000, 0, 0x02);
	check_format(DLT_EN10MB, b, n,
		     "22:13:20.123456 IP 10.0.1.2.40000 > 10.0.2.2.80: Flags [S], seq 1000, length 0",
		     &p);
	ck_assert_int_eq(capture_decode(DLT_EN10MB, b, (uint32_t)n, (uint32_t)n, TS, &p), 0);
	ck_assert_uint_eq(p.ethertype, 0x0800);
	ck_assert_uint_eq(p.ip_id, 4242);
	ck_assert_uint_eq(p.ttl, 64);
	ck_assert_uint_eq(p.tcp_seq, 1000);
	ck_assert_uint_eq(p.flags & (CAPTURE_PKT_IP | CAPTURE_PKT_PORTS | CAPTURE_PKT_TCP),
			  CAPTURE_PKT_IP | CAPTURE_PKT_PORTS | CAPTURE_PKT_TCP);

	/* SYN-ACK with a payload-free ACK number, behind a VLAN tag. */
	n = put_eth(b, 0x8100);
	b[n++] = 0;
	b[n++] = 7;
	b[n++] = 0x08;
	b[n++] = 0x00;
	n += put_ip4(b + n, IPPROTO_TCP, "10.0.2.2", "10.0.1.2", 1, 20);
	n += put_tcp(b + n, 80, 40000, 7, 1001, 0x12);
	check_format(DLT_EN10MB, b, n,
		     "22:13:20.123456 IP 10.0.2.2.80 > 10.0.1.2.40000: Flags [S.], seq 7, ack 1001, length 0",
		     &p);
}
END_TEST

START_TEST(test_capture_format_raw_ipv6_udp)
{
	uint8_t b[128];
	struct capture_pkt p;
	size_t n = put_ip6(b, IPPROTO_UDP, "fd01::2", "fd02::2", 8 + 5);

	n += put_udp(b + n, 5000, 7, "hello");
	check_format(DLT_RAW, b, n, "22:13:20.123456 IP6 fd01::2.5000 > fd02::2.7: UDP, length 5", &p);
	ck_assert_uint_eq(p.udp_len, 13);
	ck_assert_uint_eq(p.payload_len, 5);
	ck_assert_uint_eq(p.ttl, 63);
	ck_assert_uint_eq(p.ethertype, 0);
	/* The same bytes from a file's LINKTYPE_RAW. */
	check_format(101, b, n, "22:13:20.123456 IP6 fd01::2.5000 > fd02::2.7: UDP, length 5", &p);
}
END_TEST

START_TEST(test_capture_format_icmp_echo)
{
	uint8_t b[128];
	struct capture_pkt p;
	size_t n = put_eth(b, 0x0800);

	n += put_ip4(b + n, IPPROTO_ICMP, "10.0.1.2", "10.0.2.2", 9, 8 + 32);
	n += put_echo(b + n, 8, 77, 3, 32);
	check_format(DLT_EN10MB, b, n,
		     "22:13:20.123456 IP 10.0.1.2 > 10.0.2.2: ICMP echo request, id 77, seq 3, length 40",
		     &p);
	ck_assert_uint_eq(p.icmp_id, 77);

	n = put_ip6(b, IPPROTO_ICMPV6, "fd02::2", "fd01::2", 8 + 32);
	n += put_echo(b + n, 129, 77, 3, 32);
	check_format(DLT_RAW, b, n,
		     "22:13:20.123456 IP6 fd02::2 > fd01::2: ICMP6, echo reply, id 77, seq 3, length 40",
		     &p);
}
END_TEST

START_TEST(test_capture_format_cooked_and_others)
{
	uint8_t b[128] = { 0 };
	struct capture_pkt p;
	size_t n;

	/* SLL2: protocol, reserved, ifindex, hatype, pkttype (4: outgoing). */
	b[0] = 0x08;
	b[10] = 4;
	n = 20 + put_ip4(b + 20, IPPROTO_ICMP, "10.0.2.1", "10.0.1.2", 1, 8 + 28);
	b[n] = 11;
	n += 8 + 28;
	check_format(DLT_LINUX_SLL2, b, n,
		     "22:13:20.123456 Out IP 10.0.2.1 > 10.0.1.2: ICMP time exceeded, code 0, length 36",
		     &p);
	ck_assert(p.flags & CAPTURE_PKT_OUTGOING);

	n = put_eth(b, 0x0806);
	memset(b + n, 0, 28);
	n += 28;
	check_format(DLT_EN10MB, b, n, "22:13:20.123456 ARP, length 42", &p);
	ck_assert_int_eq(capture_decode(DLT_EN10MB, b, (uint32_t)n, (uint32_t)n, TS, &p),
			 -EPROTONOSUPPORT);

	/* A non-first IPv4 fragment has no transport header. */
	n = put_ip4(b, IPPROTO_UDP, "10.0.1.2", "10.0.2.2", 5, 16);
	b[6] = 0x00;
	b[7] = 0xb9;
	memset(b + n, 0, 16);
	n += 16;
	check_format(DLT_RAW, b, n,
		     "22:13:20.123456 IP 10.0.1.2 > 10.0.2.2: fragment, proto 17, id 5", &p);
	ck_assert(!(p.flags & CAPTURE_PKT_PORTS));
}
END_TEST

/* IPv6 extension headers are walked to the transport. */
START_TEST(test_capture_decode_ipv6_fragment_header)
{
	uint8_t b[128] = { 0 };
	struct capture_pkt p;
	size_t n = put_ip6(b, 44, "fd01::2", "fd02::2", 8 + 8 + 4);

	b[n] = IPPROTO_UDP;	/* first fragment (offset 0, M set) */
	b[n + 3] = 1;
	b[n + 7] = 0x99;
	n += 8;
	n += put_udp(b + n, 1, 2, "abcd");
	ck_assert_int_eq(capture_decode(DLT_RAW, b, (uint32_t)n, (uint32_t)n, TS, &p), 0);
	ck_assert_uint_eq(p.proto, IPPROTO_UDP);
	ck_assert_uint_eq(p.ip_id, 0x99);
	ck_assert_uint_eq(p.sport, 1);
	ck_assert_uint_eq(p.payload_len, 4);
}
END_TEST

struct pktset {
	uint8_t buf[8][128];
	struct capture_pkt pkt[8];
	const struct capture_pkt *ptr[8];
	size_t n;
	uint8_t ttl;			/* 0: 64 (a set leaving a router: 63) */
	uint64_t ts;			/* UDP: 0 is TS */
};

static void pktset_add_tcp(struct pktset *s, const char *src, uint16_t sport, const char *dst,
			   uint16_t dport, uint32_t seq, uint64_t ts)
{
	uint8_t *b = s->buf[s->n];
	size_t n = put_eth(b, 0x0800);

	n += put_ip4(b + n, IPPROTO_TCP, src, dst, 1, 20);
	if (s->ttl)
		b[14 + 8] = s->ttl;
	n += put_tcp(b + n, sport, dport, seq, 0, 0x02);
	capture_decode(DLT_EN10MB, b, (uint32_t)n, (uint32_t)n, ts, &s->pkt[s->n]);
	s->ptr[s->n] = &s->pkt[s->n];
	s->n++;
}

static void pktset_add_udp(struct pktset *s, const char *src, uint16_t sport, const char *dst,
			   uint16_t dport, uint16_t id, const char *payload)
{
	uint8_t *b = s->buf[s->n];
	size_t n = put_eth(b, 0x0800);

	n += put_ip4(b + n, IPPROTO_UDP, src, dst, id, 8 + strlen(payload));
	if (s->ttl)
		b[14 + 8] = s->ttl;
	n += put_udp(b + n, sport, dport, payload);
	capture_decode(DLT_EN10MB, b, (uint32_t)n, (uint32_t)n, s->ts ? s->ts : TS, &s->pkt[s->n]);
	s->ptr[s->n] = &s->pkt[s->n];
	s->n++;
}

/* IPv6 (no IP id): raw IP, as on a WireGuard interface. */
static void pktset_add_udp6(struct pktset *s, const char *src, uint16_t sport, const char *dst,
			    uint16_t dport, const char *payload, uint64_t ts)
{
	uint8_t *b = s->buf[s->n];
	size_t n = put_ip6(b, IPPROTO_UDP, src, dst, 8 + strlen(payload));

	b[7] = s->ttl ? s->ttl : 64;
	n += put_udp(b + n, sport, dport, payload);
	capture_decode(DLT_RAW, b, (uint32_t)n, (uint32_t)n, ts, &s->pkt[s->n]);
	s->ptr[s->n] = &s->pkt[s->n];
	s->n++;
}

START_TEST(test_capture_filter_count)
{
	static struct pktset s;
	char err[256] = "";

	s.n = 0;
	pktset_add_tcp(&s, "10.0.1.2", 40000, "10.0.2.2", 80, 1, TS);
	pktset_add_udp(&s, "10.0.1.2", 5000, "10.0.2.2", 53, 1, "q");
	pktset_add_udp(&s, "10.0.2.2", 53, "10.0.1.2", 5000, 2, "answer");
	ck_assert_int_eq(capture_filter_count(DLT_EN10MB, s.ptr, s.n, NULL, err, sizeof(err)), 3);
	ck_assert_int_eq(capture_filter_count(DLT_EN10MB, s.ptr, s.n, "udp", err, sizeof(err)), 2);
	ck_assert_int_eq(capture_filter_count(DLT_EN10MB, s.ptr, s.n,
					      "tcp dst port 80 and src host 10.0.1.2", err,
					      sizeof(err)), 1);
	ck_assert_int_eq(capture_filter_count(DLT_EN10MB, s.ptr, s.n, "udp src port 53", err,
					      sizeof(err)), 1);
	ck_assert_int_eq(capture_filter_count(DLT_EN10MB, s.ptr, s.n, "tcp port", err,
					      sizeof(err)), -EINVAL);
	ck_assert_msg(strstr(err, "syntax error"), "%s", err);
}
END_TEST

static struct capture_endpoint ep(const char *addr, uint16_t port)
{
	struct capture_endpoint e = { 0 };

	if (addr) {
		e.flags |= CAPTURE_EP_ADDR;
		ck_assert_int_eq(addr_parse(addr, ADDR_PARSE_PREFIX, &e.addr), 0);
	}
	if (port) {
		e.flags |= CAPTURE_EP_PORT;
		e.port = port;
	}
	return e;
}

/* DNAT + SNAT of the port-forwarding seed: 198.51.100.10:* > 93.184.216.34:8000
 * becomes 10.172.16.1:* > 10.172.16.2:8000. */
START_TEST(test_capture_match_rewrite_tcp)
{
	static struct pktset in, out;
	struct rewrite_pattern p = {
		.proto = IPPROTO_TCP,
	};
	struct rewrite_match m;

	in.n = out.n = 0;
	in.ttl = 64;
	out.ttl = 63;
	p.orig_src = ep("198.51.100.10", 0);
	p.orig_dst = ep("93.184.216.34", 8000);
	p.new_src = ep("10.172.16.1", 0);
	p.new_dst = ep("10.172.16.2", 8000);
	pktset_add_tcp(&in, "198.51.100.10", 41000, "93.184.216.34", 8000, 555, TS);
	pktset_add_tcp(&in, "198.51.100.10", 41001, "93.184.216.34", 8000, 777, TS + 10000);
	pktset_add_tcp(&out, "10.172.16.1", 41000, "10.172.16.2", 8000, 556, TS + 5);
	/* Same sequence number, but the copy would predate the original by
	 * more than the 1 ms the two clocks may disagree. */
	pktset_add_tcp(&out, "10.172.16.1", 41000, "10.172.16.2", 8000, 777, TS);
	ck_assert_int_eq(capture_match_rewrite(in.ptr, in.n, 0, out.ptr, out.n, 0, &p, &m), -ENOENT);
	ck_assert_uint_eq(m.in_candidates, 2);
	ck_assert_uint_eq(m.out_candidates, 2);

	pktset_add_tcp(&out, "10.172.16.1", 50123, "10.172.16.2", 8000, 777, TS + 10200);
	ck_assert_int_eq(capture_match_rewrite(in.ptr, in.n, 0, out.ptr, out.n, 0, &p, &m), 0);
	ck_assert_ptr_eq(m.in, in.ptr[1]);
	ck_assert_ptr_eq(m.out, out.ptr[2]);

	/* A prefix and a wildcard port on the new side. */
	p.new_src = ep("10.172.16.0/24", 0);
	ck_assert_int_eq(capture_match_rewrite(in.ptr, in.n, 0, out.ptr, out.n, 0, &p, &m), 0);
	/* Another destination port: not this rewrite. */
	p.new_dst = ep("10.172.16.2", 8001);
	ck_assert_int_eq(capture_match_rewrite(in.ptr, in.n, 0, out.ptr, out.n, 0, &p, &m), -ENOENT);
	ck_assert_uint_eq(m.out_candidates, 0);
}
END_TEST

START_TEST(test_capture_match_rewrite_udp)
{
	static struct pktset in, out;
	struct rewrite_pattern p = { .proto = IPPROTO_UDP };
	struct rewrite_match m;

	in.n = out.n = 0;
	in.ttl = 64;
	out.ttl = 63;
	in.ts = out.ts = 0;
	p.orig_src = ep("192.168.1.10", 51820);
	p.new_src = ep("54.147.66.132", 0);
	pktset_add_udp(&in, "192.168.1.10", 51820, "93.184.216.34", 51820, 0, "handshake-1");
	pktset_add_udp(&out, "54.147.66.132", 1024, "93.184.216.34", 51820, 0, "handshake-2");
	ck_assert_int_eq(capture_match_rewrite(in.ptr, in.n, 0, out.ptr, out.n, 0, &p, &m), -ENOENT);
	pktset_add_udp(&out, "54.147.66.132", 1025, "93.184.216.34", 51820, 0, "handshake-1");
	ck_assert_int_eq(capture_match_rewrite(in.ptr, in.n, 0, out.ptr, out.n, 0, &p, &m), 0);
	ck_assert_uint_eq(m.out->sport, 1025);
	ck_assert(capture_pkt_same(in.ptr[0], out.ptr[1]));
	ck_assert(!capture_pkt_same(in.ptr[0], out.ptr[0]));
	ck_assert(capture_endpoint_match(&p.orig_src, &in.ptr[0]->src, 51820));
	ck_assert(!capture_endpoint_match(&p.orig_src, &in.ptr[0]->src, 51821));
}
END_TEST

/* A copy leaves within CAPTURE_FORWARD_US (more with a queue on the way)
 * with the TTL one less: later, or as alike but coming back (an echo,
 * the same TTL), it is another packet. */
START_TEST(test_capture_pkt_same_bounds)
{
	static struct pktset in, out;

	in.n = out.n = 0;
	in.ttl = 64;
	out.ttl = 63;
	in.ts = TS;
	pktset_add_udp(&in, "192.168.2.2", 5000, "203.0.113.1", 7000, 9, "probe");
	out.ts = TS + CAPTURE_FORWARD_US - 1;
	pktset_add_udp(&out, "203.0.113.2", 5000, "203.0.113.1", 7000, 9, "probe");
	out.ts = TS + CAPTURE_FORWARD_US + 1;
	pktset_add_udp(&out, "203.0.113.2", 5000, "203.0.113.1", 7000, 9, "probe");
	out.ts = TS + 500;
	out.ttl = 64;
	pktset_add_udp(&out, "203.0.113.1", 7000, "203.0.113.2", 5000, 9, "probe");
	ck_assert(capture_pkt_same(in.ptr[0], out.ptr[0]));
	ck_assert(!capture_pkt_same(in.ptr[0], out.ptr[1]));
	ck_assert(!capture_pkt_same(in.ptr[0], out.ptr[2]));
}
END_TEST

/* Two hosts behind a NAT66 send the same datagram from port 5000 (no IP
 * id): h1 at 0, h2 at 200 ms (moved to 31821), h1 again at 238 ms.  h2's
 * datagram has two packets leaving that could be its copy: not proven
 * (it was: the pairing with h1's passed).  With h1's second far enough,
 * h2's one copy is the moved one; with h2's copy not captured, h1's
 * could be of two packets entering. */
START_TEST(test_capture_match_rewrite_colliding)
{
	static struct pktset in, out;
	struct rewrite_pattern p = { .proto = IPPROTO_UDP };
	struct rewrite_match m;

	in.n = out.n = 0;
	in.ttl = 64;
	out.ttl = 63;
	p.orig_src = ep("fd00:2::3", 5000);
	p.orig_dst = ep("2001:db8:1::1", 5000);
	p.new_src = ep("2001:db8:1::2", 5000);
	p.new_dst = ep("2001:db8:1::1", 5000);
	pktset_add_udp6(&in, "fd00:2::2", 5000, "2001:db8:1::1", 5000, "hello", TS);
	pktset_add_udp6(&in, "fd00:2::3", 5000, "2001:db8:1::1", 5000, "hello", TS + 200000);
	pktset_add_udp6(&in, "fd00:2::2", 5000, "2001:db8:1::1", 5000, "hello", TS + 238000);
	pktset_add_udp6(&out, "2001:db8:1::2", 5000, "2001:db8:1::1", 5000, "hello", TS + 30);
	pktset_add_udp6(&out, "2001:db8:1::2", 31821, "2001:db8:1::1", 5000, "hello", TS + 200030);
	pktset_add_udp6(&out, "2001:db8:1::2", 5000, "2001:db8:1::1", 5000, "hello", TS + 238030);
	ck_assert_int_eq(capture_match_rewrite(in.ptr, in.n, 0, out.ptr, out.n, 0, &p, &m), -ENOENT);
	ck_assert_uint_eq(m.in_candidates, 1);
	ck_assert_uint_eq(m.out_candidates, 2);
	ck_assert_ptr_eq(m.ambiguous, in.ptr[1]);
	ck_assert_uint_eq(m.ambiguous_outs, 2);

	/* h1 again at 500 ms: h2's one copy left from 31821. */
	in.pkt[2].ts_us = out.pkt[2].ts_us = TS + 500000;
	ck_assert_int_eq(capture_match_rewrite(in.ptr, in.n, 0, out.ptr, out.n, 0, &p, &m), -ENOENT);
	ck_assert_ptr_null(m.ambiguous);
	ck_assert_ptr_eq(m.other_in, in.ptr[1]);
	ck_assert_ptr_eq(m.other_out, out.ptr[1]);
	p.new_src = ep("2001:db8:1::2", 31821);
	ck_assert_int_eq(capture_match_rewrite(in.ptr, in.n, 0, out.ptr, out.n, 0, &p, &m), 0);
	ck_assert_ptr_eq(m.out, out.ptr[1]);

	/* Without h2's copy in the capture, h1's second, 38 ms after h2's,
	 * could be either's. */
	p.new_src = ep("2001:db8:1::2", 5000);
	in.pkt[2].ts_us = out.pkt[2].ts_us = TS + 238000;
	out.ptr[1] = out.ptr[2];
	ck_assert_int_eq(capture_match_rewrite(in.ptr, in.n, 0, out.ptr, 2, 0, &p, &m), -ENOENT);
	ck_assert_ptr_eq(m.ambiguous, in.ptr[1]);
	ck_assert_uint_eq(m.ambiguous_ins, 2);
}
END_TEST

/* A capture on any of a NAT66 masquerade with an echo server beyond: the
 * request comes in by lan, leaves by wan rewritten, and the answer, the
 * same payload, leaves by lan with the hop limit one less too.  Without
 * an IP id only its going back to where the request came from tells it
 * from a second copy.  Two copies going the request's way still are
 * ambiguous. */
START_TEST(test_capture_match_rewrite_reply)
{
	static struct pktset in, out;
	struct rewrite_pattern p = { .proto = IPPROTO_UDP };
	struct rewrite_match m;

	in.n = out.n = 0;
	in.ttl = 64;
	out.ttl = 63;
	p.orig_src = ep("fd00:1::10", 0);
	p.orig_dst = ep("2001:db8::2", 53);
	p.new_src = ep("2001:db8::1", 0);
	p.new_dst = ep("2001:db8::2", 53);
	pktset_add_udp6(&in, "fd00:1::10", 39966, "2001:db8::2", 53, "query", TS);
	pktset_add_udp6(&out, "2001:db8::1", 39966, "2001:db8::2", 53, "query", TS + 20);
	pktset_add_udp6(&out, "2001:db8::2", 53, "fd00:1::10", 39966, "query", TS + 90);
	ck_assert(!capture_pkt_same(in.ptr[0], out.ptr[1]));
	ck_assert_int_eq(capture_match_rewrite(in.ptr, in.n, 0, out.ptr, out.n, 0, &p, &m), 0);
	ck_assert_ptr_eq(m.out, out.ptr[0]);
	ck_assert_ptr_null(m.ambiguous);

	/* Back to the same address from another port: not the answer. */
	out.pkt[1].sport = 54;
	ck_assert(capture_pkt_same(in.ptr[0], out.ptr[1]));
	ck_assert_int_eq(capture_match_rewrite(in.ptr, in.n, 0, out.ptr, out.n, 0, &p, &m), -ENOENT);
	ck_assert_ptr_eq(m.ambiguous, in.ptr[0]);
	ck_assert_uint_eq(m.ambiguous_outs, 2);
	out.pkt[1].sport = 53;

	/* Two copies the request's way: which one is the NAT's is not known. */
	pktset_add_udp6(&out, "2001:db8::1", 40000, "2001:db8::2", 53, "query", TS + 40);
	ck_assert_int_eq(capture_match_rewrite(in.ptr, in.n, 0, out.ptr, out.n, 0, &p, &m), -ENOENT);
	ck_assert_ptr_eq(m.ambiguous, in.ptr[0]);
	ck_assert_uint_eq(m.ambiguous_outs, 2);
}
END_TEST

/* IPv4 keeps telling two hosts' alike datagrams apart by their IP id; the
 * windows leave out what came before. */
START_TEST(test_capture_match_rewrite_ipv4_window)
{
	static struct pktset in, out;
	struct rewrite_pattern p = { .proto = IPPROTO_UDP };
	struct rewrite_match m;

	in.n = out.n = 0;
	in.ttl = 64;
	out.ttl = 63;
	p.orig_src = ep("192.168.2.3", 5000);
	p.new_src = ep("203.0.113.2", 5000);
	in.ts = out.ts = TS;
	pktset_add_udp(&in, "192.168.2.3", 5000, "203.0.113.1", 5000, 11, "hello");
	pktset_add_udp(&out, "203.0.113.2", 5000, "203.0.113.1", 5000, 11, "hello");
	in.ts = out.ts = TS + 10000;
	pktset_add_udp(&in, "192.168.2.2", 5000, "203.0.113.1", 5000, 12, "hello");
	pktset_add_udp(&out, "203.0.113.2", 40000, "203.0.113.1", 5000, 12, "hello");
	in.ts = out.ts = TS + 20000;
	pktset_add_udp(&in, "192.168.2.3", 5000, "203.0.113.1", 5000, 13, "hello");
	pktset_add_udp(&out, "203.0.113.2", 5000, "203.0.113.1", 5000, 13, "hello");
	ck_assert_int_eq(capture_match_rewrite(in.ptr, in.n, 0, out.ptr, out.n, 0, &p, &m), 0);
	ck_assert_ptr_eq(m.in, in.ptr[0]);
	ck_assert_ptr_eq(m.out, out.ptr[0]);
	ck_assert_int_eq(capture_match_rewrite(in.ptr, in.n, 1, out.ptr, out.n, 1, &p, &m), 0);
	ck_assert_ptr_eq(m.in, in.ptr[2]);
	ck_assert_uint_eq(m.in_candidates, 1);
	ck_assert_int_eq(capture_match_rewrite(in.ptr, in.n, 3, out.ptr, out.n, 3, &p, &m), -ENOENT);
	ck_assert_uint_eq(m.in_candidates, 0);
	/* An in packet in the window whose copy is not. */
	ck_assert_int_eq(capture_match_rewrite(in.ptr, in.n, 2, out.ptr, out.n, 3, &p, &m), -ENOENT);
}
END_TEST

/* The bytes a filter reads decide the snapshot length: headers only for
 * address and port filters, past an offset for a byte test, the whole
 * packet when X comes from anywhere else; a filter that no link type takes
 * is pcap's error. */
START_TEST(test_capture_filter_bytes)
{
	unsigned int n = 0;
	char err[256] = "";

	ck_assert_int_eq(capture_filter_bytes("tcp dst port 80 and src host 10.0.0.1", &n, err, sizeof(err)), 0);
	ck_assert_uint_gt(n, 20);
	ck_assert_uint_le(n, CAPTURE_HEADERS);
	ck_assert_int_eq(capture_filter_bytes("", &n, err, sizeof(err)), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(capture_filter_bytes("ip6 and udp port 51820", &n, err, sizeof(err)), 0);
	ck_assert_uint_le(n, CAPTURE_HEADERS);
	ck_assert_int_eq(capture_filter_bytes("udp[500] = 1", &n, err, sizeof(err)), 0);
	ck_assert_uint_gt(n, 500 + 8 + 20);
	ck_assert_int_eq(capture_filter_bytes("ether host 00:11:22:33:44:55", &n, err, sizeof(err)), 0);
	ck_assert_uint_ge(n, 12);
	ck_assert_int_eq(capture_filter_bytes("ip6 protochain 6", &n, err, sizeof(err)), 0);
	ck_assert_uint_eq(n, CAPTURE_FILTER_WHOLE);
	ck_assert_int_eq(capture_filter_bytes("tcp port", &n, err, sizeof(err)), -EINVAL);
	ck_assert_msg(strstr(err, "syntax error"), "%s", err);
}
END_TEST

extern Suite *capture_suite(void);

Suite *capture_suite(void)
{
	Suite *s = suite_create("capture");
	TCase *tc;

	tc = tcase_create("capture_format");
	tcase_add_test(tc, test_capture_format_eth_ipv4_tcp);
	tcase_add_test(tc, test_capture_format_raw_ipv6_udp);
	tcase_add_test(tc, test_capture_format_icmp_echo);
	tcase_add_test(tc, test_capture_format_cooked_and_others);
	tcase_add_test(tc, test_capture_decode_ipv6_fragment_header);
	suite_add_tcase(s, tc);

	tc = tcase_create("capture_filter_count");
	tcase_add_test(tc, test_capture_filter_count);
	tcase_add_test(tc, test_capture_filter_bytes);
	suite_add_tcase(s, tc);

	tc = tcase_create("capture_match_rewrite");
	tcase_add_test(tc, test_capture_match_rewrite_tcp);
	tcase_add_test(tc, test_capture_match_rewrite_udp);
	tcase_add_test(tc, test_capture_match_rewrite_colliding);
	tcase_add_test(tc, test_capture_match_rewrite_reply);
	tcase_add_test(tc, test_capture_match_rewrite_ipv4_window);
	tcase_add_test(tc, test_capture_pkt_same_bounds);
	suite_add_tcase(s, tc);
	return s;
}
