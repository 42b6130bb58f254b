// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "netns/route.h"
#include "netns/link.h"
#include "netns/nl.h"
#include "netns/ns.h"
#include "netns/ifindex.h"
#include "netns/sysctl.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>

static struct nlmsghdr *route_start(void *buf, size_t size, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh;

	if (size < MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct rtmsg))) {
		errno = EMSGSIZE;
		return NULL;
	}
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct rtmsg));
	return nlh;
}

struct nlmsghdr *route_build(void *buf, size_t size, uint16_t type, uint16_t flags,
			     const struct route *r, int oif_index)
{
	uint32_t table = r->flags & ROUTE_HAS_TABLE ? r->table : RT_TABLE_MAIN;
	size_t alen = addr_len(r->dst.family);
	struct nlmsghdr *nlh;
	struct nlattr *metrics;
	struct rtmsg *rtm;

	if (!alen || ((r->flags & ROUTE_HAS_GW) && r->gw.family != r->dst.family) ||
	    ((r->flags & ROUTE_HAS_SRC) && r->src.family != r->dst.family)) {
		errno = EINVAL;
		return NULL;
	}
	nlh = route_start(buf, size, type, flags);
	if (!nlh)
		return NULL;
	rtm = mnl_nlmsg_get_payload(nlh);
	rtm->rtm_family = (uint8_t)r->dst.family;
	rtm->rtm_dst_len = r->dst.prefixlen;
	rtm->rtm_table = table < 256 ? (uint8_t)table : RT_TABLE_UNSPEC;
	if (type == RTM_DELROUTE) {
		/* Match whatever scope, protocol and type the route has,
		 * unless the type was given. */
		rtm->rtm_scope = RT_SCOPE_NOWHERE;
		rtm->rtm_type = r->flags & ROUTE_HAS_TYPE ? r->type : RTN_UNSPEC;
	} else {
		rtm->rtm_protocol = RTPROT_BOOT;
		rtm->rtm_type = r->flags & ROUTE_HAS_TYPE ? r->type : RTN_UNICAST;
		if (rtm->rtm_type == RTN_UNICAST && !(r->flags & ROUTE_HAS_GW))
			rtm->rtm_scope = RT_SCOPE_LINK;
		else
			rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	}
	if (!mnl_attr_put_u32_check(nlh, size, RTA_TABLE, table))
		goto full;
	if (r->dst.prefixlen && !mnl_attr_put_check(nlh, size, RTA_DST, alen, r->dst.bytes))
		goto full;
	if ((r->flags & ROUTE_HAS_GW) && !mnl_attr_put_check(nlh, size, RTA_GATEWAY, alen, r->gw.bytes))
		goto full;
	if (oif_index > 0 && !mnl_attr_put_u32_check(nlh, size, RTA_OIF, (uint32_t)oif_index))
		goto full;
	if ((r->flags & ROUTE_HAS_METRIC) && !mnl_attr_put_u32_check(nlh, size, RTA_PRIORITY, r->metric))
		goto full;
	if ((r->flags & ROUTE_HAS_SRC) && !mnl_attr_put_check(nlh, size, RTA_PREFSRC, alen, r->src.bytes))
		goto full;
	if (r->flags & ROUTE_HAS_MTU) {
		metrics = mnl_attr_nest_start_check(nlh, size, RTA_METRICS);
		if (!metrics || !mnl_attr_put_u32_check(nlh, size, RTAX_MTU, r->mtu))
			goto full;
		mnl_attr_nest_end(nlh, metrics);
	}
	return nlh;
full:
	errno = EMSGSIZE;
	return NULL;
}

struct nlmsghdr *route_build_get(void *buf, size_t size, const struct route *q)
{
	size_t alen = addr_len(q->dst.family);
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;

	if (!alen || ((q->flags & ROUTE_HAS_SRC) && q->src.family != q->dst.family)) {
		errno = EINVAL;
		return NULL;
	}
	nlh = route_start(buf, size, RTM_GETROUTE, 0);
	if (!nlh)
		return NULL;
	rtm = mnl_nlmsg_get_payload(nlh);
	rtm->rtm_family = (uint8_t)q->dst.family;
	rtm->rtm_dst_len = (uint8_t)(alen * 8);
	rtm->rtm_flags = RTM_F_LOOKUP_TABLE;
	if (!mnl_attr_put_check(nlh, size, RTA_DST, alen, q->dst.bytes))
		goto full;
	if (q->flags & ROUTE_HAS_SRC) {
		rtm->rtm_src_len = (uint8_t)(alen * 8);
		if (!mnl_attr_put_check(nlh, size, RTA_SRC, alen, q->src.bytes))
			goto full;
	}
	if ((q->flags & ROUTE_HAS_MARK) && !mnl_attr_put_u32_check(nlh, size, RTA_MARK, q->mark))
		goto full;
	return nlh;
full:
	errno = EMSGSIZE;
	return NULL;
}

static int route_talk(struct netns *ns, uint16_t type, uint16_t flags, const struct route *r)
{
	struct nl *nl = netns_rtnl(ns);
	struct nlmsghdr *nlh;
	int index = 0, last = 0, ret, tries;

	for (tries = 0; tries < 2; tries++) {
		if (r->flags & ROUTE_HAS_DEV) {
			index = link_index(ns, r->dev);
			if (index < 0)
				return index;
			if (index == last)
				return -ENODEV;
		}
		nlh = route_build(nl_reqbuf(nl), nl_bufsize(nl), type, flags, r, index);
		if (!nlh)
			return -errno;
		nlh->nlmsg_seq = nl_seq_next(nl);
		ret = nl_talk(nl, nlh, NULL, NULL);
		/* A remembered index may belong to a link that was replaced. */
		if (ret != -ENODEV || !index)
			break;
		ifindex_forget(netns_ifindex(ns), r->dev);
		last = index;
	}
	return ret;
}

int route_add(struct netns *ns, const struct route *r)
{
	return route_talk(ns, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, r);
}

int route_del(struct netns *ns, const struct route *r)
{
	return route_talk(ns, RTM_DELROUTE, 0, r);
}

struct route_reply {
	struct route r;
	int oif;
	bool seen;
};

static int route_attr_cb(const struct nlattr *attr, void *data)
{
	struct route_reply *rep = data;
	struct route *r = &rep->r;
	size_t alen = addr_len(r->dst.family);

	if (mnl_attr_type_valid(attr, RTA_MAX) < 0)
		return MNL_CB_OK;
	switch (mnl_attr_get_type(attr)) {
	case RTA_OIF:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) >= 0)
			rep->oif = (int)mnl_attr_get_u32(attr);
		break;
	case RTA_GATEWAY:
		if (mnl_attr_get_payload_len(attr) != alen)
			break;
		r->gw.family = r->dst.family;
		r->gw.prefixlen = (uint8_t)(alen * 8);
		memcpy(r->gw.bytes, mnl_attr_get_payload(attr), alen);
		r->flags |= ROUTE_HAS_GW;
		break;
	case RTA_PREFSRC:
		if (mnl_attr_get_payload_len(attr) != alen)
			break;
		r->src.family = r->dst.family;
		r->src.prefixlen = (uint8_t)(alen * 8);
		memcpy(r->src.bytes, mnl_attr_get_payload(attr), alen);
		r->flags |= ROUTE_HAS_SRC;
		break;
	case RTA_TABLE:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) >= 0) {
			r->table = mnl_attr_get_u32(attr);
			r->flags |= ROUTE_HAS_TABLE;
		}
		break;
	case RTA_PRIORITY:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) >= 0) {
			r->metric = mnl_attr_get_u32(attr);
			r->flags |= ROUTE_HAS_METRIC;
		}
		break;
	case RTA_MARK:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) >= 0) {
			r->mark = mnl_attr_get_u32(attr);
			r->flags |= ROUTE_HAS_MARK;
		}
		break;
	}
	return MNL_CB_OK;
}

static int route_get_cb(const struct nlmsghdr *nlh, void *data)
{
	struct route_reply *rep = data;
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_type != RTM_NEWROUTE || mnl_nlmsg_get_payload_len(nlh) < sizeof(*rtm) ||
	    rtm->rtm_family != rep->r.dst.family)
		return MNL_CB_OK;
	rep->r.type = rtm->rtm_type;
	rep->r.flags |= ROUTE_HAS_TYPE;
	if (rtm->rtm_table) {
		rep->r.table = rtm->rtm_table;
		rep->r.flags |= ROUTE_HAS_TABLE;
	}
	rep->seen = true;
	/* RTA_TABLE, when present, overrides the 8-bit rtm_table. */
	if (mnl_attr_parse(nlh, sizeof(*rtm), route_attr_cb, rep) < 0) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

int route_get(struct netns *ns, const struct route *q, struct route *ret)
{
	struct route_reply rep = { 0 };
	struct nl *nl = netns_rtnl(ns);
	struct link_info li;
	struct nlmsghdr *nlh;
	int err;

	nlh = route_build_get(nl_reqbuf(nl), nl_bufsize(nl), q);
	if (!nlh)
		return -errno;
	nlh->nlmsg_seq = nl_seq_next(nl);
	rep.r.dst = q->dst;
	rep.r.dst.prefixlen = (uint8_t)(addr_len(q->dst.family) * 8);
	err = nl_talk(nl, nlh, route_get_cb, &rep);
	if (err < 0)
		return err;
	if (!rep.seen)
		return -ENOENT;
	if (rep.oif > 0) {
		err = link_get_by_index(ns, rep.oif, &li);
		if (err < 0)
			return err;
		snprintf(rep.r.dev, sizeof(rep.r.dev), "%s", li.name);
		rep.r.flags |= ROUTE_HAS_DEV;
	}
	*ret = rep.r;
	return 0;
}

int route_forget_pmtu(struct netns *ns, const struct addr *dst)
{
	struct route q = { .dst = *dst }, via = { 0 };
	struct nl *nl = netns_rtnl(ns);
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	int ret;

	/* IPv4 keeps a learned MTU in the next hop's exceptions, which a
	 * flush of the namespace's route cache retires (its generation). */
	if (dst->family == AF_INET)
		return netns_sysctl_set(ns, "net.ipv4.route.flush", "1");
	if (dst->family != AF_INET6)
		return -EAFNOSUPPORT;
	/* IPv6 keeps it in a cached route for dst, in the table dst is
	 * looked up in: deleted as `ip -6 route flush cache` does. */
	q.dst.prefixlen = 128;
	ret = route_get(ns, &q, &via);
	if (ret < 0)
		return ret == -ENETUNREACH || ret == -EHOSTUNREACH ? 0 : ret;
	nlh = route_start(nl_reqbuf(nl), nl_bufsize(nl), RTM_DELROUTE, 0);
	if (!nlh)
		return -errno;
	rtm = mnl_nlmsg_get_payload(nlh);
	rtm->rtm_family = AF_INET6;
	rtm->rtm_dst_len = 128;
	rtm->rtm_flags = RTM_F_CLONED;
	rtm->rtm_table = RT_TABLE_UNSPEC;
	if (!mnl_attr_put_check(nlh, nl_bufsize(nl), RTA_DST, 16, dst->bytes) ||
	    !mnl_attr_put_u32_check(nlh, nl_bufsize(nl), RTA_TABLE, via.table ? via.table : RT_TABLE_MAIN))
		return -EMSGSIZE;
	nlh->nlmsg_seq = nl_seq_next(nl);
	ret = nl_talk(nl, nlh, NULL, NULL);
	/* Nothing learned: nothing to forget. */
	return ret == -ESRCH || ret == -ENOENT ? 0 : ret;
}
