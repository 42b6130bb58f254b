// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * conntrack: parsing a ctnetlink message, formatting like conntrack -L,
 * endpoint parsing and pattern matching.  No kernel.
 */
#include <check.h>
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_conntrack_tcp.h>
#include <libmnl/libmnl.h>

#include "netns/conntrack.h"

extern Suite *conntrack_suite(void);

static void put_tuple(struct nlmsghdr *nlh, uint16_t type, const char *src, const char *dst,
		      uint8_t proto, uint16_t sport, uint16_t dport)
{
	struct nlattr *t = mnl_attr_nest_start(nlh, type), *n;
	struct in_addr a;

	n = mnl_attr_nest_start(nlh, CTA_TUPLE_IP);
	inet_pton(AF_INET, src, &a);
	mnl_attr_put_u32(nlh, CTA_IP_V4_SRC, a.s_addr);
	inet_pton(AF_INET, dst, &a);
	mnl_attr_put_u32(nlh, CTA_IP_V4_DST, a.s_addr);
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, CTA_TUPLE_PROTO);
	mnl_attr_put_u8(nlh, CTA_PROTO_NUM, proto);
	mnl_attr_put_u16(nlh, CTA_PROTO_SRC_PORT, htons(sport));
	mnl_attr_put_u16(nlh, CTA_PROTO_DST_PORT, htons(dport));
	mnl_attr_nest_end(nlh, n);
	mnl_attr_nest_end(nlh, t);
}

/* The port-forwarding guide's flow on the VPN router: DNAT to the host,
 * SNAT to the router's VPN address. */
static void guide_entry(struct ct_entry *e)
{
	char buf[4096];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *nfg;
	struct nlattr *n, *tcp;

	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_NEW;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = AF_INET;
	put_tuple(nlh, CTA_TUPLE_ORIG, "54.147.66.132", "93.184.216.34", IPPROTO_TCP, 38308, 8000);
	put_tuple(nlh, CTA_TUPLE_REPLY, "10.172.16.2", "10.172.16.1", IPPROTO_TCP, 8000, 38308);
	mnl_attr_put_u32(nlh, CTA_STATUS, htonl(IPS_ASSURED | IPS_SEEN_REPLY | IPS_CONFIRMED |
						IPS_SRC_NAT_DONE | IPS_DST_NAT_DONE |
						IPS_SRC_NAT | IPS_DST_NAT));
	mnl_attr_put_u32(nlh, CTA_TIMEOUT, htonl(431999));
	mnl_attr_put_u32(nlh, CTA_MARK, htonl(0));
	mnl_attr_put_u32(nlh, CTA_USE, htonl(1));
	mnl_attr_put_u32(nlh, CTA_ID, htonl(12345));
	n = mnl_attr_nest_start(nlh, CTA_PROTOINFO);
	tcp = mnl_attr_nest_start(nlh, CTA_PROTOINFO_TCP);
	mnl_attr_put_u8(nlh, CTA_PROTOINFO_TCP_STATE, TCP_CONNTRACK_ESTABLISHED);
	mnl_attr_nest_end(nlh, tcp);
	mnl_attr_nest_end(nlh, n);
	ck_assert_int_eq(conntrack_parse(nlh, e), 0);
}

START_TEST(test_conntrack_parse_and_format)
{
	struct ct_entry e;
	char buf[512];

	guide_entry(&e);
	ck_assert_int_eq(e.family, AF_INET);
	ck_assert_uint_eq(e.proto, IPPROTO_TCP);
	ck_assert_uint_eq(e.orig.sport, 38308);
	ck_assert_uint_eq(e.reply.sport, 8000);
	ck_assert_uint_eq(e.flags, CT_ASSURED | CT_REPLIED | CT_SNAT | CT_DNAT | CT_CONFIRMED);
	ck_assert_uint_eq(e.timeout, 431999);
	ck_assert_uint_eq(e.id, 12345);
	ck_assert_uint_eq(e.tcp_state, TCP_CONNTRACK_ESTABLISHED);
	ck_assert_str_eq(conntrack_format(&e, buf, sizeof(buf)),
			 "tcp      6 431999 ESTABLISHED src=54.147.66.132 dst=93.184.216.34 "
			 "sport=38308 dport=8000 src=10.172.16.2 dst=10.172.16.1 sport=8000 "
			 "dport=38308 [ASSURED] mark=0 use=1");
	/* The research's stale entry. */
	memset(&e, 0, sizeof(e));
	e.family = AF_INET;
	e.proto = IPPROTO_UDP;
	e.timeout = 26;
	addr_parse("198.51.100.1", 0, &e.orig.src);
	addr_parse("203.0.113.1", 0, &e.orig.dst);
	e.orig.sport = e.orig.dport = 51820;
	e.reply.src = e.orig.dst;
	e.reply.dst = e.orig.src;
	e.reply.sport = e.reply.dport = 51820;
	e.use = 1;
	ck_assert_str_eq(conntrack_format(&e, buf, sizeof(buf)),
			 "udp      17 26 src=198.51.100.1 dst=203.0.113.1 sport=51820 dport=51820 "
			 "[UNREPLIED] src=203.0.113.1 dst=198.51.100.1 sport=51820 dport=51820 "
			 "mark=0 use=1");
	/* A short buffer is cut, never overrun. */
	ck_assert_str_eq(conntrack_format(&e, buf, 9), "udp     ");
}
END_TEST

static const struct {
	const char *in;
	int ret;
	unsigned int flags;
	uint16_t port;
} endpoints[] = {
	{ "10.0.0.1:80", 0, CT_EP_ADDR | CT_EP_PORT, 80 },
	{ "10.0.0.1:*", 0, CT_EP_ADDR, 0 },
	{ "10.0.0.1", 0, CT_EP_ADDR, 0 },
	{ "*:53", 0, CT_EP_PORT, 53 },
	{ "*", 0, 0, 0 },
	{ "*:*", 0, 0, 0 },
	{ "10.0.0.0/8:*", 0, CT_EP_ADDR, 0 },
	{ "[fd00::1]:51820", 0, CT_EP_ADDR | CT_EP_PORT, 51820 },
	{ "[fd00::1]", 0, CT_EP_ADDR, 0 },
	{ "fd00::1", 0, CT_EP_ADDR, 0 },
	{ "10.0.0.1:70000", -EINVAL, 0, 0 },
	{ "10.0.0.1:", -EINVAL, 0, 0 },
	{ "10.0.0.1:x", -EINVAL, 0, 0 },
	{ "host:80", -EINVAL, 0, 0 },
	{ "[fd00::1", -EINVAL, 0, 0 },
	{ "", -EINVAL, 0, 0 },
};

START_TEST(test_conntrack_endpoint_parse)
{
	struct ct_endpoint ep;
	int ret = conntrack_endpoint_parse(endpoints[_i].in, &ep);

	ck_assert_msg(ret == endpoints[_i].ret, "'%s': %d", endpoints[_i].in, ret);
	if (ret)
		return;
	ck_assert_uint_eq(ep.flags, endpoints[_i].flags);
	ck_assert_uint_eq(ep.port, endpoints[_i].port);
}
END_TEST

static const struct {
	uint8_t proto;
	const char *osrc, *odst, *nsrc, *ndst;	/* nsrc NULL: no rewrite part */
	bool match;
} patterns[] = {
	{ IPPROTO_TCP, "*", "93.184.216.34:8000", "10.172.16.1:*", "10.172.16.2:8000", true },
	{ 0, "54.147.66.132:*", "93.184.216.34:8000", NULL, NULL, true },
	{ 0, "54.147.66.0/24:38308", "*:*", NULL, NULL, true },
	{ IPPROTO_UDP, "*", "93.184.216.34:8000", NULL, NULL, false },
	{ IPPROTO_TCP, "*", "93.184.216.34:80", NULL, NULL, false },
	{ IPPROTO_TCP, "1.2.3.4:*", "*", NULL, NULL, false },
	/* The rewrite must be the one the kernel did. */
	{ IPPROTO_TCP, "*", "93.184.216.34:8000", "10.172.16.1:*", "10.172.16.2:80", false },
	{ IPPROTO_TCP, "*", "93.184.216.34:8000", "93.184.216.34:*", "10.172.16.2:8000", false },
	{ IPPROTO_TCP, "*", "*", "*:38308", "10.172.16.2", true },
	/* Reversed: the reply tuple is not the rewritten packet. */
	{ IPPROTO_TCP, "*", "*", "10.172.16.2:8000", "10.172.16.1:*", false },
};

START_TEST(test_conntrack_match)
{
	struct ct_pattern p = { .proto = patterns[_i].proto };
	struct ct_entry e;

	guide_entry(&e);
	ck_assert_int_eq(conntrack_endpoint_parse(patterns[_i].osrc, &p.orig_src), 0);
	ck_assert_int_eq(conntrack_endpoint_parse(patterns[_i].odst, &p.orig_dst), 0);
	if (patterns[_i].nsrc) {
		p.has_new = true;
		ck_assert_int_eq(conntrack_endpoint_parse(patterns[_i].nsrc, &p.new_src), 0);
		ck_assert_int_eq(conntrack_endpoint_parse(patterns[_i].ndst, &p.new_dst), 0);
	}
	ck_assert_int_eq(conntrack_match(&e, &p), patterns[_i].match);
}
END_TEST

Suite *conntrack_suite(void)
{
	Suite *s = suite_create("conntrack");
	TCase *tc = tcase_create("conntrack");

	tcase_add_test(tc, test_conntrack_parse_and_format);
	tcase_add_loop_test(tc, test_conntrack_endpoint_parse, 0,
			    sizeof(endpoints) / sizeof(endpoints[0]));
	tcase_add_loop_test(tc, test_conntrack_match, 0, sizeof(patterns) / sizeof(patterns[0]));
	suite_add_tcase(s, tc);
	return s;
}
