// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * The conntrack table of a namespace over ctnetlink (NETLINK_NETFILTER,
 * subsystem CTNETLINK): dump, delete, flush; and the pure parts used by
 * expectations (matching, formatting).
 */
#include "netns/conntrack.h"
#include "netns/nl.h"
#include "netns/ns.h"
#include "netns/util/number.h"
#include "netns/util/strbuf.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_conntrack_tcp.h>
#include <libmnl/libmnl.h>

struct ct_list {
	struct ct_entry *e;
	size_t n;
};

static int ct_attr_cb(const struct nlattr *attr, void *data, int max, const uint8_t *types)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (mnl_attr_type_valid(attr, (uint16_t)max) < 0)
		return MNL_CB_OK;
	if (types[type] && mnl_attr_validate(attr, (enum mnl_attr_data_type)types[type]) < 0)
		return MNL_CB_ERROR;
	tb[type] = attr;
	return MNL_CB_OK;
}

static const uint8_t ct_types[CTA_MAX + 1] = {
	[CTA_TUPLE_ORIG] = MNL_TYPE_NESTED, [CTA_TUPLE_REPLY] = MNL_TYPE_NESTED,
	[CTA_STATUS] = MNL_TYPE_U32, [CTA_TIMEOUT] = MNL_TYPE_U32, [CTA_MARK] = MNL_TYPE_U32,
	[CTA_USE] = MNL_TYPE_U32, [CTA_ID] = MNL_TYPE_U32, [CTA_PROTOINFO] = MNL_TYPE_NESTED,
};

static int ct_top_cb(const struct nlattr *a, void *data)
{
	return ct_attr_cb(a, data, CTA_MAX, ct_types);
}

static const uint8_t tuple_types[CTA_TUPLE_MAX + 1] = {
	[CTA_TUPLE_IP] = MNL_TYPE_NESTED, [CTA_TUPLE_PROTO] = MNL_TYPE_NESTED,
};

static int ct_tuple_cb(const struct nlattr *a, void *data)
{
	return ct_attr_cb(a, data, CTA_TUPLE_MAX, tuple_types);
}

static const uint8_t ip_types[CTA_IP_MAX + 1] = {
	[CTA_IP_V4_SRC] = MNL_TYPE_U32, [CTA_IP_V4_DST] = MNL_TYPE_U32,
};

static int ct_ip_cb(const struct nlattr *a, void *data)
{
	return ct_attr_cb(a, data, CTA_IP_MAX, ip_types);
}

static const uint8_t proto_types[CTA_PROTO_MAX + 1] = {
	[CTA_PROTO_NUM] = MNL_TYPE_U8, [CTA_PROTO_SRC_PORT] = MNL_TYPE_U16,
	[CTA_PROTO_DST_PORT] = MNL_TYPE_U16, [CTA_PROTO_ICMP_ID] = MNL_TYPE_U16,
	[CTA_PROTO_ICMP_TYPE] = MNL_TYPE_U8, [CTA_PROTO_ICMP_CODE] = MNL_TYPE_U8,
	[CTA_PROTO_ICMPV6_ID] = MNL_TYPE_U16, [CTA_PROTO_ICMPV6_TYPE] = MNL_TYPE_U8,
	[CTA_PROTO_ICMPV6_CODE] = MNL_TYPE_U8,
};

static int ct_proto_cb(const struct nlattr *a, void *data)
{
	return ct_attr_cb(a, data, CTA_PROTO_MAX, proto_types);
}

static int ct_protoinfo_cb(const struct nlattr *a, void *data)
{
	static const uint8_t types[CTA_PROTOINFO_MAX + 1] = {
		[CTA_PROTOINFO_TCP] = MNL_TYPE_NESTED,
	};

	return ct_attr_cb(a, data, CTA_PROTOINFO_MAX, types);
}

static int ct_tcpinfo_cb(const struct nlattr *a, void *data)
{
	static const uint8_t types[CTA_PROTOINFO_TCP_MAX + 1] = {
		[CTA_PROTOINFO_TCP_STATE] = MNL_TYPE_U8,
	};

	return ct_attr_cb(a, data, CTA_PROTOINFO_TCP_MAX, types);
}

static int ct_parse_addr(const struct nlattr *a, int family, struct addr *ret)
{
	size_t len = family == AF_INET ? 4 : 16;

	if (!a || mnl_attr_get_payload_len(a) != len)
		return -EBADMSG;
	memset(ret, 0, sizeof(*ret));
	ret->family = family;
	ret->prefixlen = (uint8_t)(len * 8);
	memcpy(ret->bytes, mnl_attr_get_payload(a), len);
	return 0;
}

static int ct_parse_tuple(const struct nlattr *nest, int family, uint8_t *proto,
			  struct ct_tuple *ret)
{
	const struct nlattr *tb[CTA_TUPLE_MAX + 1] = { 0 };
	const struct nlattr *ip[CTA_IP_MAX + 1] = { 0 };
	const struct nlattr *pr[CTA_PROTO_MAX + 1] = { 0 };
	bool v4 = family == AF_INET;

	if (!nest || mnl_attr_parse_nested(nest, ct_tuple_cb, tb) < 0 || !tb[CTA_TUPLE_IP] ||
	    !tb[CTA_TUPLE_PROTO])
		return -EBADMSG;
	if (mnl_attr_parse_nested(tb[CTA_TUPLE_IP], ct_ip_cb, ip) < 0 ||
	    mnl_attr_parse_nested(tb[CTA_TUPLE_PROTO], ct_proto_cb, pr) < 0 || !pr[CTA_PROTO_NUM])
		return -EBADMSG;
	memset(ret, 0, sizeof(*ret));
	if (ct_parse_addr(ip[v4 ? CTA_IP_V4_SRC : CTA_IP_V6_SRC], family, &ret->src) ||
	    ct_parse_addr(ip[v4 ? CTA_IP_V4_DST : CTA_IP_V6_DST], family, &ret->dst))
		return -EBADMSG;
	*proto = mnl_attr_get_u8(pr[CTA_PROTO_NUM]);
	if (pr[CTA_PROTO_SRC_PORT])
		ret->sport = ntohs(mnl_attr_get_u16(pr[CTA_PROTO_SRC_PORT]));
	if (pr[CTA_PROTO_DST_PORT])
		ret->dport = ntohs(mnl_attr_get_u16(pr[CTA_PROTO_DST_PORT]));
	if (pr[v4 ? CTA_PROTO_ICMP_ID : CTA_PROTO_ICMPV6_ID])
		ret->icmp_id = ntohs(mnl_attr_get_u16(pr[v4 ? CTA_PROTO_ICMP_ID : CTA_PROTO_ICMPV6_ID]));
	if (pr[v4 ? CTA_PROTO_ICMP_TYPE : CTA_PROTO_ICMPV6_TYPE])
		ret->icmp_type = mnl_attr_get_u8(pr[v4 ? CTA_PROTO_ICMP_TYPE : CTA_PROTO_ICMPV6_TYPE]);
	if (pr[v4 ? CTA_PROTO_ICMP_CODE : CTA_PROTO_ICMPV6_CODE])
		ret->icmp_code = mnl_attr_get_u8(pr[v4 ? CTA_PROTO_ICMP_CODE : CTA_PROTO_ICMPV6_CODE]);
	return 0;
}

int conntrack_parse(const struct nlmsghdr *nlh, struct ct_entry *ret)
{
	const struct nlattr *tb[CTA_MAX + 1] = { 0 };
	const struct nfgenmsg *nfg = mnl_nlmsg_get_payload(nlh);
	struct ct_entry e = { 0 };
	uint8_t rproto;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*nfg))
		return -EBADMSG;
	e.family = nfg->nfgen_family;
	if (e.family != AF_INET && e.family != AF_INET6)
		return -EAFNOSUPPORT;
	if (mnl_attr_parse(nlh, sizeof(*nfg), ct_top_cb, tb) < 0)
		return -EBADMSG;
	if (ct_parse_tuple(tb[CTA_TUPLE_ORIG], e.family, &e.proto, &e.orig) ||
	    ct_parse_tuple(tb[CTA_TUPLE_REPLY], e.family, &rproto, &e.reply))
		return -EBADMSG;
	if (tb[CTA_STATUS])
		e.status = ntohl(mnl_attr_get_u32(tb[CTA_STATUS]));
	if (tb[CTA_TIMEOUT])
		e.timeout = ntohl(mnl_attr_get_u32(tb[CTA_TIMEOUT]));
	if (tb[CTA_MARK])
		e.mark = ntohl(mnl_attr_get_u32(tb[CTA_MARK]));
	if (tb[CTA_USE])
		e.use = ntohl(mnl_attr_get_u32(tb[CTA_USE]));
	if (tb[CTA_ID])
		e.id = ntohl(mnl_attr_get_u32(tb[CTA_ID]));
	if (tb[CTA_PROTOINFO]) {
		const struct nlattr *pi[CTA_PROTOINFO_MAX + 1] = { 0 };
		const struct nlattr *tcp[CTA_PROTOINFO_TCP_MAX + 1] = { 0 };

		if (mnl_attr_parse_nested(tb[CTA_PROTOINFO], ct_protoinfo_cb, pi) >= 0 &&
		    pi[CTA_PROTOINFO_TCP] &&
		    mnl_attr_parse_nested(pi[CTA_PROTOINFO_TCP], ct_tcpinfo_cb, tcp) >= 0 &&
		    tcp[CTA_PROTOINFO_TCP_STATE])
			e.tcp_state = mnl_attr_get_u8(tcp[CTA_PROTOINFO_TCP_STATE]);
	}
	e.flags = (e.status & IPS_ASSURED ? CT_ASSURED : 0) |
		  (e.status & IPS_SEEN_REPLY ? CT_REPLIED : 0) |
		  (e.status & IPS_SRC_NAT_DONE ? CT_SNAT : 0) |
		  (e.status & IPS_DST_NAT_DONE ? CT_DNAT : 0) |
		  (e.status & IPS_CONFIRMED ? CT_CONFIRMED : 0);
	*ret = e;
	return 0;
}

static int ct_list_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ct_list *l = data;
	struct ct_entry e;

	if (NFNL_MSG_TYPE(nlh->nlmsg_type) != IPCTNL_MSG_CT_NEW)
		return MNL_CB_OK;
	/* Families we do not model (ARP, bridge) are skipped. */
	if (conntrack_parse(nlh, &e))
		return MNL_CB_OK;
	l->e = xgrow(l->e, l->n, sizeof(*l->e));
	l->e[l->n++] = e;
	return MNL_CB_OK;
}

static struct nlmsghdr *ct_request(struct nl *nl, uint8_t msg, uint16_t flags, int family)
{
	struct nlmsghdr *nlh = nl_request(nl, (NFNL_SUBSYS_CTNETLINK << 8) | msg, flags);
	struct nfgenmsg *nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));

	nfg->nfgen_family = (uint8_t)family;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = 0;
	return nlh;
}

static struct nlmsghdr *ct_build_dump(struct nl *nl, void *data)
{
	struct ct_list *l = data;

	/* A redone dump starts over. */
	l->n = 0;
	return ct_request(nl, IPCTNL_MSG_CT_GET, NLM_F_DUMP, AF_UNSPEC);
}

int conntrack_list(struct netns *ns, struct ct_entry **ret, size_t *n)
{
	struct ct_list l = { 0 };
	struct nl *nl;
	int err;

	nl = netns_nl_open(ns, NETLINK_NETFILTER);
	if (!nl)
		return -errno;
	err = nl_dump(nl, ct_build_dump, &l, ct_list_cb, &l);
	nl_free(nl);
	if (err) {
		free(l.e);
		return err;
	}
	*ret = l.e;
	*n = l.n;
	return 0;
}

int conntrack_flush(struct netns *ns)
{
	struct nl *nl;
	int err;

	nl = netns_nl_open(ns, NETLINK_NETFILTER);
	if (!nl)
		return -errno;
	err = nl_talk(nl, ct_request(nl, IPCTNL_MSG_CT_DELETE, 0, AF_UNSPEC), NULL, NULL);
	nl_free(nl);
	return err;
}

static void ct_put_tuple(struct nlmsghdr *nlh, uint16_t type, int family, uint8_t proto,
			 const struct ct_tuple *t)
{
	struct nlattr *tuple = mnl_attr_nest_start(nlh, type), *n;
	bool v4 = family == AF_INET;

	n = mnl_attr_nest_start(nlh, CTA_TUPLE_IP);
	mnl_attr_put(nlh, v4 ? CTA_IP_V4_SRC : CTA_IP_V6_SRC, v4 ? 4 : 16, t->src.bytes);
	mnl_attr_put(nlh, v4 ? CTA_IP_V4_DST : CTA_IP_V6_DST, v4 ? 4 : 16, t->dst.bytes);
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, CTA_TUPLE_PROTO);
	mnl_attr_put_u8(nlh, CTA_PROTO_NUM, proto);
	if (proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6) {
		mnl_attr_put_u16(nlh, v4 ? CTA_PROTO_ICMP_ID : CTA_PROTO_ICMPV6_ID, htons(t->icmp_id));
		mnl_attr_put_u8(nlh, v4 ? CTA_PROTO_ICMP_TYPE : CTA_PROTO_ICMPV6_TYPE, t->icmp_type);
		mnl_attr_put_u8(nlh, v4 ? CTA_PROTO_ICMP_CODE : CTA_PROTO_ICMPV6_CODE, t->icmp_code);
	} else {
		mnl_attr_put_u16(nlh, CTA_PROTO_SRC_PORT, htons(t->sport));
		mnl_attr_put_u16(nlh, CTA_PROTO_DST_PORT, htons(t->dport));
	}
	mnl_attr_nest_end(nlh, n);
	mnl_attr_nest_end(nlh, tuple);
}

int conntrack_delete(struct netns *ns, const struct ct_entry *e)
{
	struct nlmsghdr *nlh;
	struct nl *nl;
	int err;

	nl = netns_nl_open(ns, NETLINK_NETFILTER);
	if (!nl)
		return -errno;
	nlh = ct_request(nl, IPCTNL_MSG_CT_DELETE, 0, e->family);
	ct_put_tuple(nlh, CTA_TUPLE_ORIG, e->family, e->proto, &e->orig);
	if (e->id)
		mnl_attr_put_u32(nlh, CTA_ID, htonl(e->id));
	err = nl_talk(nl, nlh, NULL, NULL);
	nl_free(nl);
	return err;
}

static bool ct_ep_match(const struct ct_endpoint *ep, const struct addr *a, uint16_t port)
{
	if ((ep->flags & CT_EP_ADDR) && !addr_contains(&ep->addr, a))
		return false;
	return !(ep->flags & CT_EP_PORT) || ep->port == port;
}

bool conntrack_match(const struct ct_entry *e, const struct ct_pattern *p)
{
	if (p->proto && p->proto != e->proto)
		return false;
	if (!ct_ep_match(&p->orig_src, &e->orig.src, e->orig.sport) ||
	    !ct_ep_match(&p->orig_dst, &e->orig.dst, e->orig.dport))
		return false;
	if (!p->has_new)
		return true;
	/* The forward packet after NAT is the reply tuple turned around. */
	return ct_ep_match(&p->new_src, &e->reply.dst, e->reply.dport) &&
	       ct_ep_match(&p->new_dst, &e->reply.src, e->reply.sport);
}

int conntrack_endpoint_parse(const char *s, struct ct_endpoint *ret)
{
	char buf[INET6_ADDRSTRLEN + 16], *port = NULL, *a = buf;
	struct ct_endpoint ep = { 0 };

	if (!*s || strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	if (buf[0] == '[') {
		a = buf + 1;
		port = strchr(a, ']');
		if (!port || (port[1] && port[1] != ':'))
			return -EINVAL;
		*port = '\0';
		port = port[1] ? port + 2 : NULL;
	} else if (strchr(buf, ':') == strrchr(buf, ':') && strchr(buf, ':')) {
		port = strchr(buf, ':');
		*port++ = '\0';
	}
	if (strcmp(a, "*")) {
		if (addr_parse(a, ADDR_PARSE_PREFIX, &ep.addr))
			return -EINVAL;
		ep.flags |= CT_EP_ADDR;
	}
	if (port && strcmp(port, "*")) {
		const char *why;
		uint32_t v;

		if (number_u32(port, 0, 0, UINT16_MAX, &v, &why) < 0)
			return -EINVAL;
		ep.port = (uint16_t)v;
		ep.flags |= CT_EP_PORT;
	}
	*ret = ep;
	return 0;
}

static const char *ct_proto_name(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return "tcp";
	case IPPROTO_UDP:
		return "udp";
	case IPPROTO_ICMP:
		return "icmp";
	case IPPROTO_ICMPV6:
		return "icmpv6";
	case IPPROTO_SCTP:
		return "sctp";
	default:
		return "unknown";
	}
}

static const char *const ct_tcp_states[] = {
	"NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT", "CLOSE_WAIT", "LAST_ACK",
	"TIME_WAIT", "CLOSE", "SYN_SENT2",
};

static void ct_tuple_text(char *buf, size_t len, size_t *off, const struct ct_entry *e,
			  const struct ct_tuple *t)
{
	char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];

	addr_format(&t->src, false, s, sizeof(s));
	addr_format(&t->dst, false, d, sizeof(d));
	strbuf_appendf(buf, len, off, "src=%s dst=%s ", s, d);
	if (e->proto == IPPROTO_ICMP || e->proto == IPPROTO_ICMPV6)
		strbuf_appendf(buf, len, off, "type=%u code=%u id=%u ", t->icmp_type, t->icmp_code,
			       t->icmp_id);
	else if (e->proto == IPPROTO_TCP || e->proto == IPPROTO_UDP || e->proto == IPPROTO_SCTP)
		strbuf_appendf(buf, len, off, "sport=%u dport=%u ", t->sport, t->dport);
}

const char *conntrack_format(const struct ct_entry *e, char *buf, size_t len)
{
	size_t off = 0;

	if (!len)
		return buf;
	buf[0] = '\0';
	strbuf_appendf(buf, len, &off, "%-8s %u %u ", ct_proto_name(e->proto), e->proto, e->timeout);
	if (e->proto == IPPROTO_TCP &&
	    e->tcp_state < sizeof(ct_tcp_states) / sizeof(ct_tcp_states[0]))
		strbuf_appendf(buf, len, &off, "%s ", ct_tcp_states[e->tcp_state]);
	ct_tuple_text(buf, len, &off, e, &e->orig);
	if (!(e->flags & CT_REPLIED))
		strbuf_appendf(buf, len, &off, "[UNREPLIED] ");
	ct_tuple_text(buf, len, &off, e, &e->reply);
	if (e->flags & CT_ASSURED)
		strbuf_appendf(buf, len, &off, "[ASSURED] ");
	strbuf_appendf(buf, len, &off, "mark=%u use=%u", e->mark, e->use);
	return buf;
}
