// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * The rtnetlink messages of netns/ built into a buffer without a kernel and
 * read back with libmnl: header, fixed part and every attribute, and
 * nothing more than what was asked for.
 */
#include <check.h>
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/fib_rules.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

#include "netns/addr.h"
#include "netns/link.h"
#include "netns/route.h"
#include "netns/rule.h"

#define BUFSZ 4096
#define MAXATTR 64

enum { A_U8 = 1, A_U32, A_STR, A_ADDR, A_NEST };

/* One expected attribute; a list ends with type 0. */
struct want {
	uint16_t type;
	int kind;
	uint32_t u32;
	const char *str;	/* A_STR: the string; A_ADDR: the address */
};

#define W_U32(t, v) ((struct want){ .type = (t), .kind = A_U32, .u32 = (v) })
#define W_STR(t, s) ((struct want){ .type = (t), .kind = A_STR, .str = (s) })
#define W_ADDR(t, s) ((struct want){ .type = (t), .kind = A_ADDR, .str = (s) })
#define W_NEST(t) ((struct want){ .type = (t), .kind = A_NEST })
#define W_END ((struct want){ .type = 0 })

struct attrs {
	const struct nlattr *tb[MAXATTR];
	int count;
};

static int collect_cb(const struct nlattr *attr, void *data)
{
	struct attrs *a = data;
	uint16_t type = mnl_attr_get_type(attr);

	ck_assert_int_lt(type, MAXATTR);
	/* Every attribute at most once. */
	ck_assert_ptr_null(a->tb[type]);
	a->tb[type] = attr;
	a->count++;
	return MNL_CB_OK;
}

static void check_want(const struct attrs *a, const struct want *w)
{
	int n = 0;

	for (; w->type; w++, n++) {
		const struct nlattr *attr = a->tb[w->type];
		uint8_t bytes[16];
		int family;

		ck_assert_msg(attr, "attribute %u missing", w->type);
		switch (w->kind) {
		case A_U8:
			ck_assert_int_ge(mnl_attr_validate(attr, MNL_TYPE_U8), 0);
			ck_assert_uint_eq(mnl_attr_get_u8(attr), w->u32);
			break;
		case A_U32:
			ck_assert_int_ge(mnl_attr_validate(attr, MNL_TYPE_U32), 0);
			ck_assert_uint_eq(mnl_attr_get_u32(attr), w->u32);
			break;
		case A_STR:
			ck_assert_int_ge(mnl_attr_validate(attr, MNL_TYPE_NUL_STRING), 0);
			ck_assert_str_eq(mnl_attr_get_str(attr), w->str);
			break;
		case A_ADDR:
			family = strchr(w->str, ':') ? AF_INET6 : AF_INET;
			ck_assert_int_eq(inet_pton(family, w->str, bytes), 1);
			ck_assert_uint_eq(mnl_attr_get_payload_len(attr), family == AF_INET ? 4 : 16);
			ck_assert_mem_eq(mnl_attr_get_payload(attr), bytes, family == AF_INET ? 4 : 16);
			break;
		case A_NEST:
			ck_assert_int_ge(mnl_attr_validate(attr, MNL_TYPE_NESTED), 0);
			break;
		}
	}
	ck_assert_int_eq(a->count, n);
}

static void parse_msg(const struct nlmsghdr *nlh, size_t hdrlen, struct attrs *a)
{
	memset(a, 0, sizeof(*a));
	ck_assert_int_ge(mnl_attr_parse(nlh, (unsigned int)hdrlen, collect_cb, a), 0);
}

static void parse_nest(const struct nlattr *nest, struct attrs *a)
{
	memset(a, 0, sizeof(*a));
	ck_assert_int_ge(mnl_attr_parse_nested(nest, collect_cb, a), 0);
}

static void check_header(const struct nlmsghdr *nlh, uint16_t type, uint16_t flags)
{
	ck_assert_ptr_nonnull(nlh);
	ck_assert_uint_eq(nlh->nlmsg_type, type);
	ck_assert_uint_eq(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK | flags);
	ck_assert_uint_eq(nlh->nlmsg_seq, 0);
	ck_assert_uint_le(nlh->nlmsg_len, BUFSZ);
}

/* Every buffer shorter than the message fails with EMSGSIZE and writes
 * nothing past its end. */
typedef struct nlmsghdr *(*build_fn)(void *buf, size_t size, const void *arg);

static void check_too_small(build_fn build, const void *arg)
{
	static uint8_t buf[BUFSZ + 64];
	struct nlmsghdr *nlh;
	size_t full, size;

	nlh = build(buf, BUFSZ, arg);
	ck_assert_ptr_nonnull(nlh);
	full = nlh->nlmsg_len;
	for (size = 0; size < full; size++) {
		memset(buf, 0xa5, sizeof(buf));
		errno = 0;
		ck_assert_ptr_null(build(buf, size, arg));
		ck_assert_int_eq(errno, EMSGSIZE);
		ck_assert_uint_eq(buf[size], 0xa5);
	}
}

/* link: veth and bridge */

struct veth_case {
	const char *ifa, *ifb;
	int fd;
	unsigned int mtu;
	int ia, ib;
};

static struct nlmsghdr *build_veth(void *buf, size_t size, const void *arg)
{
	const struct veth_case *c = arg;

	return link_build_veth(buf, size, NLM_F_CREATE | NLM_F_EXCL, c->ifa, c->ia, c->ifb, c->ib, c->fd,
			       c->mtu);
}

static const struct veth_case veth_cases[] = {
	{ "v7", "eth0", 42, 0, 9, 2 },
	{ "hub-n1", "eth1", 3, 1420, 0, 0 },
	{ "a", "b", -1, 0, 5, 6 },
	{ "a", "b", -1, 9000, 0, 0 },
};

START_TEST(test_link_build_veth)
{
	const struct veth_case *c = &veth_cases[_i];
	uint8_t buf[BUFSZ];
	struct nlmsghdr *nlh = build_veth(buf, sizeof(buf), c);
	struct want top[4] = { W_STR(IFLA_IFNAME, c->ifa), W_NEST(IFLA_LINKINFO) };
	struct want peer[4] = { W_STR(IFLA_IFNAME, c->ifb) };
	const struct want info[] = { W_STR(IFLA_INFO_KIND, "veth"), W_NEST(IFLA_INFO_DATA), W_END };
	const struct want data[] = { W_NEST(VETH_INFO_PEER), W_END };
	const struct ifinfomsg *ifm, *pifm;
	struct attrs a, li, d, p;
	const struct nlattr *pn;
	int np = 1;

	if (c->mtu) {
		top[2] = W_U32(IFLA_MTU, c->mtu);
		peer[np++] = W_U32(IFLA_MTU, c->mtu);
	}
	if (c->fd >= 0)
		peer[np++] = W_U32(IFLA_NET_NS_FD, (uint32_t)c->fd);
	check_header(nlh, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	ifm = mnl_nlmsg_get_payload(nlh);
	ck_assert_uint_eq(ifm->ifi_family, AF_UNSPEC);
	ck_assert_int_eq(ifm->ifi_index, c->ia);
	parse_msg(nlh, sizeof(*ifm), &a);
	check_want(&a, top);
	parse_nest(a.tb[IFLA_LINKINFO], &li);
	check_want(&li, info);
	parse_nest(li.tb[IFLA_INFO_DATA], &d);
	check_want(&d, data);
	/* The peer nest starts with an ifinfomsg of its own. */
	pn = d.tb[VETH_INFO_PEER];
	ck_assert_uint_ge(mnl_attr_get_payload_len(pn), MNL_ALIGN(sizeof(*pifm)));
	pifm = mnl_attr_get_payload(pn);
	ck_assert_uint_eq(pifm->ifi_family, AF_UNSPEC);
	ck_assert_int_eq(pifm->ifi_index, c->ib);
	memset(&p, 0, sizeof(p));
	ck_assert_int_ge(mnl_attr_parse_payload((const char *)pifm + MNL_ALIGN(sizeof(*pifm)),
						mnl_attr_get_payload_len(pn) - MNL_ALIGN(sizeof(*pifm)),
						collect_cb, &p), 0);
	check_want(&p, peer);
	check_too_small(build_veth, c);
}
END_TEST

START_TEST(test_link_build_veth_bad_name)
{
	uint8_t buf[BUFSZ];

	errno = 0;
	ck_assert_ptr_null(link_build_veth(buf, sizeof(buf), 0, "0123456789abcdef", 0, "b", 0, -1, 0));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(link_build_veth(buf, sizeof(buf), 0, "a", 0, "", 0, -1, 0));
	ck_assert_int_eq(errno, EINVAL);
	/* 15 bytes is the longest name. */
	ck_assert_ptr_nonnull(link_build_veth(buf, sizeof(buf), 0, "0123456789abcde", 0, "b", 0, -1, 0));
}
END_TEST

static struct nlmsghdr *build_bridge(void *buf, size_t size, const void *arg)
{
	return link_build_bridge(buf, size, NLM_F_CREATE | NLM_F_EXCL, arg, 1001);
}

START_TEST(test_link_build_bridge)
{
	uint8_t buf[BUFSZ];
	struct nlmsghdr *nlh = build_bridge(buf, sizeof(buf), "br0");
	const struct want top[] = { W_STR(IFLA_IFNAME, "br0"), W_NEST(IFLA_LINKINFO), W_END };
	const struct want info[] = { W_STR(IFLA_INFO_KIND, "bridge"), W_NEST(IFLA_INFO_DATA), W_END };
	const struct want data[] = {
		W_U32(IFLA_BR_STP_STATE, 0),
		W_U32(IFLA_BR_FORWARD_DELAY, 0),
		W_END,
	};
	struct attrs a, li, d;

	check_header(nlh, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	ck_assert_int_eq(((struct ifinfomsg *)mnl_nlmsg_get_payload(nlh))->ifi_index, 1001);
	parse_msg(nlh, sizeof(struct ifinfomsg), &a);
	check_want(&a, top);
	parse_nest(a.tb[IFLA_LINKINFO], &li);
	check_want(&li, info);
	parse_nest(li.tb[IFLA_INFO_DATA], &d);
	check_want(&d, data);
	check_too_small(build_bridge, "br0");
}
END_TEST

/* addresses */

static const struct addr_case {
	uint16_t type;
	const char *addr;
	int index;
	uint8_t scope;
	bool nodad;
} addr_cases[] = {
	{ RTM_NEWADDR, "10.0.1.2/24", 2, RT_SCOPE_UNIVERSE, false },
	{ RTM_NEWADDR, "192.168.1.1/32", 7, RT_SCOPE_UNIVERSE, false },
	{ RTM_NEWADDR, "127.0.0.2/8", 1, RT_SCOPE_HOST, false },
	{ RTM_NEWADDR, "fd00:1::2/64", 3, RT_SCOPE_UNIVERSE, true },
	{ RTM_NEWADDR, "2001:db8::1/128", 300, RT_SCOPE_UNIVERSE, true },
	{ RTM_DELADDR, "10.0.1.2/24", 2, RT_SCOPE_UNIVERSE, false },
	{ RTM_DELADDR, "fd00:1::2/64", 3, RT_SCOPE_UNIVERSE, true },
};

static struct nlmsghdr *build_addr(void *buf, size_t size, const void *arg)
{
	const struct addr_case *c = arg;
	struct addr a;

	ck_assert_int_eq(addr_parse(c->addr, ADDR_PARSE_PREFIX, &a), 0);
	return addr_build(buf, size, c->type, c->type == RTM_NEWADDR ? NLM_F_CREATE | NLM_F_EXCL : 0,
			  &a, c->index);
}

START_TEST(test_addr_build)
{
	const struct addr_case *c = &addr_cases[_i];
	uint8_t buf[BUFSZ];
	struct nlmsghdr *nlh = build_addr(buf, sizeof(buf), c);
	char host[64];
	struct want w[4] = { W_ADDR(IFA_LOCAL, host), W_ADDR(IFA_ADDRESS, host) };
	const struct ifaddrmsg *ifa;
	struct addr a;
	struct attrs at;

	ck_assert_int_eq(addr_parse(c->addr, ADDR_PARSE_PREFIX, &a), 0);
	addr_format(&a, false, host, sizeof(host));
	if (c->nodad)
		w[2] = W_U32(IFA_FLAGS, IFA_F_NODAD);
	check_header(nlh, c->type, c->type == RTM_NEWADDR ? NLM_F_CREATE | NLM_F_EXCL : 0);
	ifa = mnl_nlmsg_get_payload(nlh);
	ck_assert_uint_eq(ifa->ifa_family, a.family);
	ck_assert_uint_eq(ifa->ifa_prefixlen, a.prefixlen);
	ck_assert_uint_eq(ifa->ifa_index, (unsigned int)c->index);
	ck_assert_uint_eq(ifa->ifa_scope, c->scope);
	ck_assert_uint_eq(ifa->ifa_flags, c->nodad ? IFA_F_NODAD : 0);
	parse_msg(nlh, sizeof(*ifa), &at);
	check_want(&at, w);
	check_too_small(build_addr, c);
}
END_TEST

/* routes */

struct route_case {
	uint16_t type;
	const char *dst, *gw, *src;
	int oif;
	unsigned int flags;	/* ROUTE_HAS_TABLE, _METRIC, _MTU, _TYPE */
	uint32_t table, metric, mtu;
	uint8_t rtype;
	/* expected */
	uint8_t rtm_table, scope, protocol, want_type;
};

static const struct route_case route_cases[] = {
	/* ip route add default via 10.0.1.1 dev eth0 */
	{ RTM_NEWROUTE, "0.0.0.0/0", "10.0.1.1", NULL, 2, 0, 0, 0, 0, 0,
	  RT_TABLE_MAIN, RT_SCOPE_UNIVERSE, RTPROT_BOOT, RTN_UNICAST },
	/* ip route add 10.9.0.0/16 dev eth0 */
	{ RTM_NEWROUTE, "10.9.0.0/16", NULL, NULL, 2, 0, 0, 0, 0, 0,
	  RT_TABLE_MAIN, RT_SCOPE_LINK, RTPROT_BOOT, RTN_UNICAST },
	/* ip route add default dev wg0 table 51820 */
	{ RTM_NEWROUTE, "0.0.0.0/0", NULL, NULL, 5, ROUTE_HAS_TABLE, 51820, 0, 0, 0,
	  RT_TABLE_UNSPEC, RT_SCOPE_LINK, RTPROT_BOOT, RTN_UNICAST },
	/* ip route add 10.2.0.0/24 via 10.0.1.1 table 100 metric 50 mtu 1400 src 10.0.1.2 */
	{ RTM_NEWROUTE, "10.2.0.0/24", "10.0.1.1", "10.0.1.2", 0,
	  ROUTE_HAS_TABLE | ROUTE_HAS_METRIC | ROUTE_HAS_MTU, 100, 50, 1400, 0,
	  100, RT_SCOPE_UNIVERSE, RTPROT_BOOT, RTN_UNICAST },
	/* ip -6 route add fd00:2::/64 via fd00:1::1 dev eth0 metric 1024 */
	{ RTM_NEWROUTE, "fd00:2::/64", "fd00:1::1", NULL, 2, ROUTE_HAS_METRIC, 0, 1024, 0, 0,
	  RT_TABLE_MAIN, RT_SCOPE_UNIVERSE, RTPROT_BOOT, RTN_UNICAST },
	/* ip -6 route add ::/0 dev wg0 table 300 mtu 1280 */
	{ RTM_NEWROUTE, "::/0", NULL, NULL, 9, ROUTE_HAS_TABLE | ROUTE_HAS_MTU, 300, 0, 1280, 0,
	  RT_TABLE_UNSPEC, RT_SCOPE_LINK, RTPROT_BOOT, RTN_UNICAST },
	{ RTM_NEWROUTE, "10.66.0.0/16", NULL, NULL, 0, ROUTE_HAS_TYPE, 0, 0, 0, RTN_BLACKHOLE,
	  RT_TABLE_MAIN, RT_SCOPE_UNIVERSE, RTPROT_BOOT, RTN_BLACKHOLE },
	{ RTM_NEWROUTE, "10.67.0.0/16", NULL, NULL, 0, ROUTE_HAS_TYPE, 0, 0, 0, RTN_UNREACHABLE,
	  RT_TABLE_MAIN, RT_SCOPE_UNIVERSE, RTPROT_BOOT, RTN_UNREACHABLE },
	{ RTM_NEWROUTE, "fd66::/48", NULL, NULL, 0, ROUTE_HAS_TYPE | ROUTE_HAS_TABLE, 7, 0, 0,
	  RTN_PROHIBIT, 7, RT_SCOPE_UNIVERSE, RTPROT_BOOT, RTN_PROHIBIT },
	/* ip route del 10.9.0.0/16: any scope, protocol and type */
	{ RTM_DELROUTE, "10.9.0.0/16", NULL, NULL, 2, 0, 0, 0, 0, 0,
	  RT_TABLE_MAIN, RT_SCOPE_NOWHERE, 0, RTN_UNSPEC },
	{ RTM_DELROUTE, "10.66.0.0/16", NULL, NULL, 0, ROUTE_HAS_TYPE, 0, 0, 0, RTN_BLACKHOLE,
	  RT_TABLE_MAIN, RT_SCOPE_NOWHERE, 0, RTN_BLACKHOLE },
};

static void route_from_case(const struct route_case *c, struct route *r)
{
	memset(r, 0, sizeof(*r));
	ck_assert_int_eq(addr_parse(c->dst, ADDR_PARSE_PREFIX, &r->dst), 0);
	if (c->gw) {
		ck_assert_int_eq(addr_parse(c->gw, 0, &r->gw), 0);
		r->flags |= ROUTE_HAS_GW;
	}
	if (c->src) {
		ck_assert_int_eq(addr_parse(c->src, 0, &r->src), 0);
		r->flags |= ROUTE_HAS_SRC;
	}
	r->flags |= c->flags;
	r->table = c->table;
	r->metric = c->metric;
	r->mtu = c->mtu;
	r->type = c->rtype;
}

static struct nlmsghdr *build_route(void *buf, size_t size, const void *arg)
{
	const struct route_case *c = arg;
	struct route r;

	route_from_case(c, &r);
	return route_build(buf, size, c->type, c->type == RTM_NEWROUTE ? NLM_F_CREATE | NLM_F_EXCL : 0,
			   &r, c->oif);
}

START_TEST(test_route_build)
{
	const struct route_case *c = &route_cases[_i];
	uint8_t buf[BUFSZ];
	struct nlmsghdr *nlh = build_route(buf, sizeof(buf), c);
	struct want w[10] = { 0 }, metrics[] = { W_U32(RTAX_MTU, c->mtu), W_END };
	char dst[64];
	const struct rtmsg *rtm;
	struct attrs a, m;
	struct route r;
	int n = 0;

	route_from_case(c, &r);
	addr_format(&r.dst, false, dst, sizeof(dst));
	w[n++] = W_U32(RTA_TABLE, c->flags & ROUTE_HAS_TABLE ? c->table : RT_TABLE_MAIN);
	if (r.dst.prefixlen)
		w[n++] = W_ADDR(RTA_DST, dst);
	if (c->gw)
		w[n++] = W_ADDR(RTA_GATEWAY, c->gw);
	if (c->src)
		w[n++] = W_ADDR(RTA_PREFSRC, c->src);
	if (c->oif)
		w[n++] = W_U32(RTA_OIF, (uint32_t)c->oif);
	if (c->flags & ROUTE_HAS_METRIC)
		w[n++] = W_U32(RTA_PRIORITY, c->metric);
	if (c->flags & ROUTE_HAS_MTU)
		w[n++] = W_NEST(RTA_METRICS);

	check_header(nlh, c->type, c->type == RTM_NEWROUTE ? NLM_F_CREATE | NLM_F_EXCL : 0);
	rtm = mnl_nlmsg_get_payload(nlh);
	ck_assert_uint_eq(rtm->rtm_family, r.dst.family);
	ck_assert_uint_eq(rtm->rtm_dst_len, r.dst.prefixlen);
	ck_assert_uint_eq(rtm->rtm_src_len, 0);
	ck_assert_uint_eq(rtm->rtm_table, c->rtm_table);
	ck_assert_uint_eq(rtm->rtm_scope, c->scope);
	ck_assert_uint_eq(rtm->rtm_protocol, c->protocol);
	ck_assert_uint_eq(rtm->rtm_type, c->want_type);
	ck_assert_uint_eq(rtm->rtm_flags, 0);
	parse_msg(nlh, sizeof(*rtm), &a);
	check_want(&a, w);
	if (c->flags & ROUTE_HAS_MTU) {
		parse_nest(a.tb[RTA_METRICS], &m);
		check_want(&m, metrics);
	}
	check_too_small(build_route, c);
}
END_TEST

START_TEST(test_route_build_family_mismatch)
{
	uint8_t buf[BUFSZ];
	struct route r = { .flags = ROUTE_HAS_GW };

	ck_assert_int_eq(addr_parse("10.0.0.0/8", ADDR_PARSE_PREFIX, &r.dst), 0);
	ck_assert_int_eq(addr_parse("fd00::1", 0, &r.gw), 0);
	errno = 0;
	ck_assert_ptr_null(route_build(buf, sizeof(buf), RTM_NEWROUTE, 0, &r, 0));
	ck_assert_int_eq(errno, EINVAL);
	r.flags = 0;
	r.dst.family = 0;
	ck_assert_ptr_null(route_build(buf, sizeof(buf), RTM_NEWROUTE, 0, &r, 0));
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

static const struct route_get_case {
	const char *dst, *src;
	bool mark;
	uint32_t fwmark;
} route_get_cases[] = {
	{ "10.0.2.2", NULL, false, 0 },
	{ "10.0.2.2", NULL, true, 51820 },
	{ "10.0.2.2", "10.0.1.2", true, 1 },
	{ "fd00:2::2", "fd00:1::2", false, 0 },
};

static struct nlmsghdr *build_route_get(void *buf, size_t size, const void *arg)
{
	const struct route_get_case *c = arg;
	struct route q = { 0 };

	ck_assert_int_eq(addr_parse(c->dst, 0, &q.dst), 0);
	if (c->src) {
		ck_assert_int_eq(addr_parse(c->src, 0, &q.src), 0);
		q.flags |= ROUTE_HAS_SRC;
	}
	if (c->mark) {
		q.mark = c->fwmark;
		q.flags |= ROUTE_HAS_MARK;
	}
	return route_build_get(buf, size, &q);
}

START_TEST(test_route_build_get)
{
	const struct route_get_case *c = &route_get_cases[_i];
	uint8_t buf[BUFSZ];
	struct nlmsghdr *nlh = build_route_get(buf, sizeof(buf), c);
	struct want w[4] = { W_ADDR(RTA_DST, c->dst) };
	unsigned int bits = strchr(c->dst, ':') ? 128 : 32;
	const struct rtmsg *rtm;
	struct attrs a;
	int n = 1;

	if (c->src)
		w[n++] = W_ADDR(RTA_SRC, c->src);
	if (c->mark)
		w[n++] = W_U32(RTA_MARK, c->fwmark);
	check_header(nlh, RTM_GETROUTE, 0);
	rtm = mnl_nlmsg_get_payload(nlh);
	ck_assert_uint_eq(rtm->rtm_family, bits == 32 ? AF_INET : AF_INET6);
	ck_assert_uint_eq(rtm->rtm_dst_len, bits);
	ck_assert_uint_eq(rtm->rtm_src_len, c->src ? bits : 0);
	ck_assert_uint_eq(rtm->rtm_flags, RTM_F_LOOKUP_TABLE);
	parse_msg(nlh, sizeof(*rtm), &a);
	check_want(&a, w);
	check_too_small(build_route_get, c);
}
END_TEST

/* rules */

struct rule_case {
	uint16_t type;
	int family;
	unsigned int flags;
	uint32_t fwmark, fwmask, table, suppress, priority;
	const char *src, *dst, *iif, *oif;
	/* expected */
	uint8_t frh_table, action;
};

static const struct rule_case rule_cases[] = {
	/* ip rule add not fwmark 51820 table 51820 */
	{ RTM_NEWRULE, AF_INET, RULE_INVERT | RULE_HAS_FWMARK | RULE_HAS_TABLE, 51820, 0, 51820, 0, 0,
	  NULL, NULL, NULL, NULL, RT_TABLE_UNSPEC, FR_ACT_TO_TBL },
	/* ip rule add table main suppress_prefixlength 0 */
	{ RTM_NEWRULE, AF_INET, RULE_HAS_TABLE | RULE_HAS_SUPPRESS_PREFIXLEN, 0, 0, RT_TABLE_MAIN, 0, 0,
	  NULL, NULL, NULL, NULL, RT_TABLE_MAIN, FR_ACT_TO_TBL },
	/* ip -6 rule add fwmark 0x1/0xff priority 100 table 200 */
	{ RTM_NEWRULE, AF_INET6, RULE_HAS_FWMARK | RULE_HAS_FWMASK | RULE_HAS_PRIORITY | RULE_HAS_TABLE,
	  1, 0xff, 200, 0, 100, NULL, NULL, NULL, NULL, 200, FR_ACT_TO_TBL },
	/* ip rule add from 10.0.1.0/24 to 10.2.0.0/16 iif eth0 oif wg0 (table main) */
	{ RTM_NEWRULE, AF_INET, RULE_HAS_SRC | RULE_HAS_DST | RULE_HAS_IIF | RULE_HAS_OIF, 0, 0, 0, 0, 0,
	  "10.0.1.0/24", "10.2.0.0/16", "eth0", "wg0", RT_TABLE_MAIN, FR_ACT_TO_TBL },
	{ RTM_NEWRULE, AF_INET6, RULE_HAS_SRC | RULE_HAS_TABLE, 0, 0, 1000, 0, 0,
	  "fd00:1::/64", NULL, NULL, NULL, RT_TABLE_UNSPEC, FR_ACT_TO_TBL },
	/* ip rule del not fwmark 51820 table 51820 */
	{ RTM_DELRULE, AF_INET, RULE_INVERT | RULE_HAS_FWMARK | RULE_HAS_TABLE, 51820, 0, 51820, 0, 0,
	  NULL, NULL, NULL, NULL, RT_TABLE_UNSPEC, FR_ACT_UNSPEC },
	/* ip rule del priority 100: any table */
	{ RTM_DELRULE, AF_INET, RULE_HAS_PRIORITY, 0, 0, 0, 0, 100,
	  NULL, NULL, NULL, NULL, RT_TABLE_UNSPEC, FR_ACT_UNSPEC },
};

static void rule_from_case(const struct rule_case *c, struct rule *r)
{
	memset(r, 0, sizeof(*r));
	r->flags = c->flags;
	r->family = c->family;
	r->fwmark = c->fwmark;
	r->fwmask = c->fwmask;
	r->table = c->table;
	r->suppress_prefixlen = c->suppress;
	r->priority = c->priority;
	if (c->src)
		ck_assert_int_eq(addr_parse(c->src, ADDR_PARSE_PREFIX, &r->src), 0);
	if (c->dst)
		ck_assert_int_eq(addr_parse(c->dst, ADDR_PARSE_PREFIX, &r->dst), 0);
	if (c->iif)
		strcpy(r->iif, c->iif);
	if (c->oif)
		strcpy(r->oif, c->oif);
}

static struct nlmsghdr *build_rule(void *buf, size_t size, const void *arg)
{
	const struct rule_case *c = arg;
	struct rule r;

	rule_from_case(c, &r);
	return rule_build(buf, size, c->type, c->type == RTM_NEWRULE ? NLM_F_CREATE | NLM_F_EXCL : 0, &r);
}

START_TEST(test_rule_build)
{
	const struct rule_case *c = &rule_cases[_i];
	uint8_t buf[BUFSZ];
	struct nlmsghdr *nlh = build_rule(buf, sizeof(buf), c);
	char src[64], dst[64];
	const struct fib_rule_hdr *frh;
	struct want w[12] = { 0 };
	struct attrs a;
	struct rule r;
	int n = 0;

	rule_from_case(c, &r);
	if (c->flags & RULE_HAS_TABLE)
		w[n++] = W_U32(FRA_TABLE, c->table);
	else if (c->type == RTM_NEWRULE)
		w[n++] = W_U32(FRA_TABLE, RT_TABLE_MAIN);
	if (c->flags & RULE_HAS_FWMARK)
		w[n++] = W_U32(FRA_FWMARK, c->fwmark);
	if (c->flags & RULE_HAS_FWMASK)
		w[n++] = W_U32(FRA_FWMASK, c->fwmask);
	if (c->flags & RULE_HAS_SUPPRESS_PREFIXLEN)
		w[n++] = W_U32(FRA_SUPPRESS_PREFIXLEN, c->suppress);
	if (c->flags & RULE_HAS_PRIORITY)
		w[n++] = W_U32(FRA_PRIORITY, c->priority);
	if (c->src)
		w[n++] = W_ADDR(FRA_SRC, addr_format(&r.src, false, src, sizeof(src)));
	if (c->dst)
		w[n++] = W_ADDR(FRA_DST, addr_format(&r.dst, false, dst, sizeof(dst)));
	if (c->iif)
		w[n++] = W_STR(FRA_IIFNAME, c->iif);
	if (c->oif)
		w[n++] = W_STR(FRA_OIFNAME, c->oif);

	check_header(nlh, c->type, c->type == RTM_NEWRULE ? NLM_F_CREATE | NLM_F_EXCL : 0);
	frh = mnl_nlmsg_get_payload(nlh);
	ck_assert_uint_eq(frh->family, c->family);
	ck_assert_uint_eq(frh->src_len, c->src ? r.src.prefixlen : 0);
	ck_assert_uint_eq(frh->dst_len, c->dst ? r.dst.prefixlen : 0);
	ck_assert_uint_eq(frh->tos, 0);
	ck_assert_uint_eq(frh->table, c->frh_table);
	ck_assert_uint_eq(frh->action, c->action);
	ck_assert_uint_eq(frh->flags, c->flags & RULE_INVERT ? FIB_RULE_INVERT : 0);
	parse_msg(nlh, sizeof(*frh), &a);
	check_want(&a, w);
	check_too_small(build_rule, c);
}
END_TEST

START_TEST(test_rule_build_invalid)
{
	uint8_t buf[BUFSZ];
	struct rule r = { .family = AF_INET, .flags = RULE_HAS_SRC };

	ck_assert_int_eq(addr_parse("fd00::/64", ADDR_PARSE_PREFIX, &r.src), 0);
	errno = 0;
	ck_assert_ptr_null(rule_build(buf, sizeof(buf), RTM_NEWRULE, 0, &r));
	ck_assert_int_eq(errno, EINVAL);
	r.flags = RULE_HAS_IIF;
	ck_assert_ptr_null(rule_build(buf, sizeof(buf), RTM_NEWRULE, 0, &r));
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

#define N(a) (int)(sizeof(a) / sizeof((a)[0]))

extern Suite *nlmsg_suite(void);

Suite *nlmsg_suite(void)
{
	Suite *s = suite_create("nlmsg");
	TCase *tc;

	tc = tcase_create("link_build");
	tcase_add_loop_test(tc, test_link_build_veth, 0, N(veth_cases));
	tcase_add_test(tc, test_link_build_veth_bad_name);
	tcase_add_test(tc, test_link_build_bridge);
	suite_add_tcase(s, tc);

	tc = tcase_create("addr_build");
	tcase_add_loop_test(tc, test_addr_build, 0, N(addr_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("route_build");
	tcase_add_loop_test(tc, test_route_build, 0, N(route_cases));
	tcase_add_test(tc, test_route_build_family_mismatch);
	tcase_add_loop_test(tc, test_route_build_get, 0, N(route_get_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("rule_build");
	tcase_add_loop_test(tc, test_rule_build, 0, N(rule_cases));
	tcase_add_test(tc, test_rule_build_invalid);
	suite_add_tcase(s, tc);
	return s;
}
