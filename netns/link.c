// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "netns/link.h"
#include "netns/nl.h"
#include "netns/ns.h"
#include "netns/util/xalloc.h"
#include "netns/ifindex.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

/* Starts an rtnetlink link message: header and ifinfomsg. */
static struct nlmsghdr *link_start(void *buf, size_t size, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;

	if (size < MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(*ifm))) {
		errno = EMSGSIZE;
		return NULL;
	}
	/* libmnl 1.0.4 leaves the padding after an attribute as it was:
	 * start from zeroes, as nl_request() does. */
	memset(buf, 0, size);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	return nlh;
}

static bool link_name_ok(const char *name)
{
	size_t len = name ? strlen(name) : 0;

	return len > 0 && len < IF_NAMESIZE;
}

struct nlmsghdr *link_build_veth(void *buf, size_t size, uint16_t flags, const char *ifa,
				 int index_a, const char *ifb, int index_b, int peer_ns_fd,
				 unsigned int mtu)
{
	struct ifinfomsg *ifm;
	struct nlattr *linkinfo, *data, *peer;
	struct ifinfomsg *pifm;
	struct nlmsghdr *nlh;

	if (!link_name_ok(ifa) || !link_name_ok(ifb)) {
		errno = EINVAL;
		return NULL;
	}
	nlh = link_start(buf, size, RTM_NEWLINK, flags);
	if (!nlh)
		return NULL;
	ifm = mnl_nlmsg_get_payload(nlh);
	ifm->ifi_index = index_a;
	if (!mnl_attr_put_strz_check(nlh, size, IFLA_IFNAME, ifa))
		goto full;
	if (mtu && !mnl_attr_put_u32_check(nlh, size, IFLA_MTU, mtu))
		goto full;
	linkinfo = mnl_attr_nest_start_check(nlh, size, IFLA_LINKINFO);
	if (!linkinfo || !mnl_attr_put_strz_check(nlh, size, IFLA_INFO_KIND, "veth"))
		goto full;
	data = mnl_attr_nest_start_check(nlh, size, IFLA_INFO_DATA);
	if (!data)
		goto full;
	peer = mnl_attr_nest_start_check(nlh, size, VETH_INFO_PEER);
	if (!peer || nlh->nlmsg_len + MNL_ALIGN(sizeof(*pifm)) > size)
		goto full;
	/* The peer's attributes follow an ifinfomsg of their own. */
	pifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*pifm));
	pifm->ifi_family = AF_UNSPEC;
	pifm->ifi_index = index_b;
	if (!mnl_attr_put_strz_check(nlh, size, IFLA_IFNAME, ifb))
		goto full;
	if (mtu && !mnl_attr_put_u32_check(nlh, size, IFLA_MTU, mtu))
		goto full;
	if (peer_ns_fd >= 0 && !mnl_attr_put_u32_check(nlh, size, IFLA_NET_NS_FD, (uint32_t)peer_ns_fd))
		goto full;
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, linkinfo);
	return nlh;
full:
	errno = EMSGSIZE;
	return NULL;
}

struct nlmsghdr *link_build_bridge(void *buf, size_t size, uint16_t flags, const char *name,
				   int index)
{
	struct nlattr *linkinfo, *data;
	struct nlmsghdr *nlh;

	if (!link_name_ok(name)) {
		errno = EINVAL;
		return NULL;
	}
	nlh = link_start(buf, size, RTM_NEWLINK, flags);
	if (!nlh)
		return NULL;
	((struct ifinfomsg *)mnl_nlmsg_get_payload(nlh))->ifi_index = index;
	if (!mnl_attr_put_strz_check(nlh, size, IFLA_IFNAME, name))
		goto full;
	linkinfo = mnl_attr_nest_start_check(nlh, size, IFLA_LINKINFO);
	if (!linkinfo || !mnl_attr_put_strz_check(nlh, size, IFLA_INFO_KIND, "bridge"))
		goto full;
	data = mnl_attr_nest_start_check(nlh, size, IFLA_INFO_DATA);
	if (!data)
		goto full;
	/* Without these a port spends 2 x 15 s in listening and learning
	 * before it forwards. */
	if (!mnl_attr_put_u32_check(nlh, size, IFLA_BR_STP_STATE, 0) ||
	    !mnl_attr_put_u32_check(nlh, size, IFLA_BR_FORWARD_DELAY, 0))
		goto full;
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, linkinfo);
	return nlh;
full:
	errno = EMSGSIZE;
	return NULL;
}

/* A link message parsed into link_info, plus IFLA_LINK (the peer's index
 * for a veth). */
struct link_parsed {
	struct link_info info;
	int iflink;
};

static int link_linkinfo_cb(const struct nlattr *attr, void *data)
{
	struct link_info *info = data;

	if (mnl_attr_get_type(attr) == IFLA_INFO_KIND &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0)
		snprintf(info->kind, sizeof(info->kind), "%s", mnl_attr_get_str(attr));
	return MNL_CB_OK;
}

static int link_attr_cb(const struct nlattr *attr, void *data)
{
	struct link_parsed *p = data;
	struct link_info *info = &p->info;
	struct rtnl_link_stats64 st;

	if (mnl_attr_type_valid(attr, IFLA_MAX) < 0)
		return MNL_CB_OK;
	switch (mnl_attr_get_type(attr)) {
	case IFLA_IFNAME:
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0)
			snprintf(info->name, sizeof(info->name), "%s", mnl_attr_get_str(attr));
		break;
	case IFLA_MTU:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) >= 0)
			info->mtu = mnl_attr_get_u32(attr);
		break;
	case IFLA_CARRIER:
		if (mnl_attr_validate(attr, MNL_TYPE_U8) >= 0)
			info->carrier = mnl_attr_get_u8(attr);
		break;
	case IFLA_OPERSTATE:
		if (mnl_attr_validate(attr, MNL_TYPE_U8) >= 0)
			info->operstate = mnl_attr_get_u8(attr);
		break;
	case IFLA_LINK:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) >= 0)
			p->iflink = (int)mnl_attr_get_u32(attr);
		break;
	case IFLA_LINKINFO:
		if (mnl_attr_validate(attr, MNL_TYPE_NESTED) >= 0)
			mnl_attr_parse_nested(attr, link_linkinfo_cb, info);
		break;
	case IFLA_STATS64:
		if (mnl_attr_validate2(attr, MNL_TYPE_UNSPEC, sizeof(st)) < 0)
			break;
		/* Netlink aligns payloads to 4 bytes only. */
		memcpy(&st, mnl_attr_get_payload(attr), sizeof(st));
		info->rx_bytes = st.rx_bytes;
		info->tx_bytes = st.tx_bytes;
		info->rx_packets = st.rx_packets;
		info->tx_packets = st.tx_packets;
		info->rx_dropped = st.rx_dropped;
		info->tx_dropped = st.tx_dropped;
		break;
	}
	return MNL_CB_OK;
}

static int link_parse(const struct nlmsghdr *nlh, struct link_parsed *p)
{
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);

	memset(p, 0, sizeof(*p));
	if (nlh->nlmsg_type != RTM_NEWLINK || mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifm))
		return -EBADMSG;
	p->info.index = ifm->ifi_index;
	p->info.flags = ifm->ifi_flags;
	if (mnl_attr_parse(nlh, sizeof(*ifm), link_attr_cb, p) < 0)
		return -EBADMSG;
	return 0;
}

/* Collects the reply of a request for one link (or the echo of a create). */
static int link_one_cb(const struct nlmsghdr *nlh, void *data)
{
	struct link_parsed *p = data;

	if (link_parse(nlh, p) < 0) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/* How often a create asks for other indices when the ones it chose are
 * taken (by links made outside the lab) before it lets the kernel pick.  A
 * taken index reads as EEXIST (or EBUSY for a veth peer), like a taken
 * name, so this is also the cost of a name clash. */
#define LINK_INDEX_TRIES 2

static bool link_index_taken(int err)
{
	return err == -EEXIST || err == -EBUSY;
}

int link_add_veth(struct netns *a, const char *ifa, struct netns *b, const char *ifb,
		  unsigned int mtu)
{
	struct nl *nl = netns_rtnl(a);
	struct link_parsed echo;
	struct nlmsghdr *nlh;
	int ia, ib, ret, tries;

	for (tries = 0;; tries++) {
		ia = ifindex_hint(netns_ifindex(a));
		ib = a == b ? ia + 1 : ifindex_hint(netns_ifindex(b));
		if (ia == ib)
			ib++;
		if (!ia || !ifindex_hint(netns_ifindex(b)) || tries == LINK_INDEX_TRIES)
			ia = ib = 0;
		memset(&echo, 0, sizeof(echo));
		/* NLM_F_ECHO returns the new link, whose IFLA_LINK is the
		 * peer's index: both indices as the kernel gave them, without
		 * another round trip. */
		nlh = link_build_veth(nl_reqbuf(nl), nl_bufsize(nl), NLM_F_CREATE | NLM_F_EXCL | NLM_F_ECHO,
				      ifa, ia, ifb, ib, a == b ? -1 : netns_fd(b), mtu);
		if (!nlh)
			return -errno;
		nlh->nlmsg_seq = nl_seq_next(nl);
		ret = nl_talk(nl, nlh, link_one_cb, &echo);
		if (!link_index_taken(ret) || !ia)
			break;
		/* One of the two indices is taken; which one is not said. */
		ifindex_hint_set(netns_ifindex(a), ia + 1);
		ifindex_hint_set(netns_ifindex(b), ib + 1);
	}
	if (ret < 0)
		return ret;
	if (echo.info.index > 0 && !strcmp(echo.info.name, ifa))
		ifindex_remember(netns_ifindex(a), ifa, echo.info.index);
	if (echo.iflink > 0)
		ifindex_remember(netns_ifindex(b), ifb, echo.iflink);
	return 0;
}

int link_add_bridge(struct netns *ns, const char *name)
{
	struct nl *nl = netns_rtnl(ns);
	struct link_parsed echo;
	struct nlmsghdr *nlh;
	int index, ret, tries;

	for (tries = 0;; tries++) {
		index = tries == LINK_INDEX_TRIES ? 0 : ifindex_hint(netns_ifindex(ns));
		memset(&echo, 0, sizeof(echo));
		nlh = link_build_bridge(nl_reqbuf(nl), nl_bufsize(nl),
					NLM_F_CREATE | NLM_F_EXCL | NLM_F_ECHO, name, index);
		if (!nlh)
			return -errno;
		nlh->nlmsg_seq = nl_seq_next(nl);
		ret = nl_talk(nl, nlh, link_one_cb, &echo);
		if (!link_index_taken(ret) || !index)
			break;
		ifindex_hint_set(netns_ifindex(ns), index + 1);
	}
	if (ret < 0)
		return ret;
	if (echo.info.index > 0 && !strcmp(echo.info.name, name))
		ifindex_remember(netns_ifindex(ns), name, echo.info.index);
	return 0;
}

/* A request about the existing link ifname, named by IFLA_IFNAME so that no
 * index lookup is needed. */
static struct nlmsghdr *link_by_name(struct nl *nl, uint16_t type, const char *ifname)
{
	struct nlmsghdr *nlh;

	if (!link_name_ok(ifname)) {
		errno = EINVAL;
		return NULL;
	}
	nlh = link_start(nl_reqbuf(nl), nl_bufsize(nl), type, 0);
	nlh->nlmsg_seq = nl_seq_next(nl);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	return nlh;
}

int link_set_up(struct netns *ns, const char *ifname, bool up)
{
	struct nl *nl = netns_rtnl(ns);
	struct nlmsghdr *nlh = link_by_name(nl, RTM_NEWLINK, ifname);
	struct ifinfomsg *ifm;

	if (!nlh)
		return -errno;
	ifm = mnl_nlmsg_get_payload(nlh);
	ifm->ifi_change = IFF_UP;
	ifm->ifi_flags = up ? IFF_UP : 0;
	return nl_talk(nl, nlh, NULL, NULL);
}

int link_set_mtu(struct netns *ns, const char *ifname, unsigned int mtu)
{
	struct nl *nl = netns_rtnl(ns);
	struct nlmsghdr *nlh = link_by_name(nl, RTM_NEWLINK, ifname);

	if (!nlh)
		return -errno;
	mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	return nl_talk(nl, nlh, NULL, NULL);
}

int link_set_master(struct netns *ns, const char *ifname, const char *master)
{
	struct nl *nl = netns_rtnl(ns);
	struct nlmsghdr *nlh;
	int index = 0, ret, tries;

	for (tries = 0; tries < 2; tries++) {
		if (master && *master) {
			index = link_index(ns, master);
			if (index < 0)
				return index;
		}
		nlh = link_by_name(nl, RTM_NEWLINK, ifname);
		if (!nlh)
			return -errno;
		mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)index);
		ret = nl_talk(nl, nlh, NULL, NULL);
		/* A remembered index of a master that was replaced. */
		if (ret != -ENODEV || !index)
			break;
		ifindex_forget(netns_ifindex(ns), master);
	}
	return ret;
}

int link_del(struct netns *ns, const char *ifname)
{
	struct nl *nl = netns_rtnl(ns);
	struct nlmsghdr *nlh = link_by_name(nl, RTM_DELLINK, ifname);
	int ret;

	if (!nlh)
		return -errno;
	ret = nl_talk(nl, nlh, NULL, NULL);
	if (ret == 0 || ret == -ENODEV)
		ifindex_forget(netns_ifindex(ns), ifname);
	return ret;
}

int link_move(struct netns *ns, const char *ifname, struct netns *to)
{
	struct nl *nl = netns_rtnl(ns);
	struct nlmsghdr *nlh = link_by_name(nl, RTM_NEWLINK, ifname);
	int ret;

	if (!nlh)
		return -errno;
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)netns_fd(to));
	ret = nl_talk(nl, nlh, NULL, NULL);
	if (ret == 0) {
		ifindex_forget(netns_ifindex(ns), ifname);
		/* It may get another index there; ask when needed. */
		ifindex_forget(netns_ifindex(to), ifname);
	}
	return ret;
}

/* RTM_GETLINK for one link, by name or (name NULL) by index. */
static int link_query(struct netns *ns, const char *name, int index, bool stats,
		      struct link_parsed *ret)
{
	struct nl *nl = netns_rtnl(ns);
	struct link_parsed p = { 0 };
	struct ifinfomsg *ifm;
	struct nlmsghdr *nlh;
	int err;

	if (name) {
		nlh = link_by_name(nl, RTM_GETLINK, name);
		if (!nlh)
			return -errno;
	} else {
		if (index <= 0)
			return -ENODEV;
		nlh = link_start(nl_reqbuf(nl), nl_bufsize(nl), RTM_GETLINK, 0);
		nlh->nlmsg_seq = nl_seq_next(nl);
		ifm = mnl_nlmsg_get_payload(nlh);
		ifm->ifi_index = index;
	}
	if (!stats)
		mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	err = nl_talk(nl, nlh, link_one_cb, &p);
	if (err < 0)
		return err;
	if (p.info.index <= 0)
		return -ENODEV;
	ifindex_remember(netns_ifindex(ns), p.info.name, p.info.index);
	*ret = p;
	return 0;
}

int link_index(struct netns *ns, const char *ifname)
{
	struct link_parsed p;
	int index, ret;

	if (!link_name_ok(ifname))
		return -EINVAL;
	index = ifindex_lookup(netns_ifindex(ns), ifname);
	if (index > 0)
		return index;
	ret = link_query(ns, ifname, 0, false, &p);
	return ret < 0 ? ret : p.info.index;
}

int link_get(struct netns *ns, const char *ifname, struct link_info *ret)
{
	struct link_parsed p;
	int err = link_query(ns, ifname, 0, true, &p);

	if (err < 0)
		return err;
	*ret = p.info;
	return 0;
}

int link_get_by_index(struct netns *ns, int index, struct link_info *ret)
{
	struct link_parsed p;
	int err = link_query(ns, NULL, index, true, &p);

	if (err < 0)
		return err;
	*ret = p.info;
	return 0;
}

/* link_walk() collects the whole dump before calling back, so a dump redone
 * after a concurrent change (nl_dump()) shows every link exactly once. */
struct link_walk_ctx {
	struct netns *ns;
	struct link_info *links;
	size_t n;
};

static int link_walk_cb(const struct nlmsghdr *nlh, void *data)
{
	struct link_walk_ctx *ctx = data;
	struct link_parsed p;

	if (link_parse(nlh, &p) < 0)
		return MNL_CB_OK;
	ctx->links = xgrow(ctx->links, ctx->n, sizeof(*ctx->links));
	ctx->links[ctx->n++] = p.info;
	return MNL_CB_OK;
}

static struct nlmsghdr *link_walk_build(struct nl *nl, void *data)
{
	struct link_walk_ctx *ctx = data;
	struct nlmsghdr *nlh;

	ctx->n = 0;
	nlh = link_start(nl_reqbuf(nl), nl_bufsize(nl), RTM_GETLINK, NLM_F_DUMP);
	nlh->nlmsg_seq = nl_seq_next(nl);
	return nlh;
}

int link_walk(struct netns *ns, int (*cb)(const struct link_info *, void *), void *data)
{
	struct link_walk_ctx ctx = { .ns = ns };
	size_t i;
	int ret;

	ret = nl_dump(netns_rtnl(ns), link_walk_build, &ctx, link_walk_cb, &ctx);
	if (ret < 0)
		goto cleanup;
	for (i = 0; i < ctx.n; i++)
		ifindex_remember(netns_ifindex(ns), ctx.links[i].name, ctx.links[i].index);
	for (i = 0; i < ctx.n && !ret; i++)
		ret = cb(&ctx.links[i], data);
cleanup:
	free(ctx.links);
	return ret;
}
