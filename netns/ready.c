// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "netns/link.h"
#include "netns/nl.h"
#include "netns/ns.h"
#include "netns/ready.h"

#include "netns/util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

struct snap_link {
	char name[IF_NAMESIZE];
	int index;
	unsigned int flags;
};

/* An IPv6 address, or a solicited-node group joined (ff02::1:ffXX:XXXX):
 * its interface and last 24 bits, which name the group. */
struct snap_addr {
	int index;
	uint8_t tail[3];
	bool tentative, link_local;
};

struct ready_snap {
	struct snap_link *links;	/* sorted by name */
	size_t n_links;
	bool ipv6;			/* the kernel answered for IPv6 */
	struct snap_addr *addrs, *groups;	/* sorted by index, then tail */
	size_t n_addrs, n_groups;
};

static int snap_link_cb(const struct link_info *li, void *data)
{
	struct ready_snap *s = data;

	s->links = xgrow(s->links, s->n_links, sizeof(*s->links));
	snprintf(s->links[s->n_links].name, IF_NAMESIZE, "%s", li->name);
	s->links[s->n_links].index = li->index;
	s->links[s->n_links].flags = li->flags;
	s->n_links++;
	return 0;
}

static int snap_name_cmp(const void *a, const void *b)
{
	return strcmp(a, b);		/* name is the first member */
}

static int snap_addr_cmp(const void *a, const void *b)
{
	const struct snap_addr *x = a, *y = b;

	if (x->index != y->index)
		return x->index < y->index ? -1 : 1;
	return memcmp(x->tail, y->tail, sizeof(x->tail));
}

struct snap_dump {
	struct ready_snap *s;
	uint16_t type;			/* RTM_GETADDR or RTM_GETMULTICAST */
};

static struct nlmsghdr *snap_build(struct nl *nl, void *data)
{
	struct snap_dump *d = data;
	struct nlmsghdr *nlh = nl_request(nl, d->type, NLM_F_DUMP);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));

	ifa->ifa_family = AF_INET6;
	/* A dump redone after a change starts over. */
	if (d->type == RTM_GETADDR)
		d->s->n_addrs = 0;
	else
		d->s->n_groups = 0;
	return nlh;
}

static int snap_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (mnl_attr_type_valid(attr, IFA_MAX) < 0)
		return MNL_CB_OK;
	if ((type == IFA_ADDRESS || type == IFA_MULTICAST) &&
	    mnl_attr_validate2(attr, MNL_TYPE_BINARY, sizeof(struct in6_addr)) < 0)
		return MNL_CB_OK;
	if (type == IFA_FLAGS && mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
		return MNL_CB_OK;
	tb[type] = attr;
	return MNL_CB_OK;
}

static int snap_addr_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[IFA_MAX + 1] = { 0 };
	struct snap_dump *d = data;
	const struct ifaddrmsg *ifa;
	const struct nlattr *a;
	struct snap_addr *v;
	const uint8_t *ip;
	uint32_t flags;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifa)))
		return MNL_CB_OK;
	ifa = mnl_nlmsg_get_payload(nlh);
	if (ifa->ifa_family != AF_INET6 ||
	    mnl_attr_parse(nlh, sizeof(*ifa), snap_attr_cb, tb) != MNL_CB_OK)
		return MNL_CB_OK;
	a = tb[d->type == RTM_GETADDR ? IFA_ADDRESS : IFA_MULTICAST];
	if (!a)
		return MNL_CB_OK;
	ip = mnl_attr_get_payload(a);
	if (d->type == RTM_GETADDR) {
		d->s->addrs = xgrow(d->s->addrs, d->s->n_addrs, sizeof(*d->s->addrs));
		v = &d->s->addrs[d->s->n_addrs++];
		flags = tb[IFA_FLAGS] ? mnl_attr_get_u32(tb[IFA_FLAGS]) : ifa->ifa_flags;
		v->tentative = flags & IFA_F_TENTATIVE;
		v->link_local = ifa->ifa_scope == RT_SCOPE_LINK;
	} else {
		static const uint8_t solicited[13] = { 0xff, 0x02, [11] = 0x01, [12] = 0xff };

		if (memcmp(ip, solicited, sizeof(solicited)))
			return MNL_CB_OK;
		d->s->groups = xgrow(d->s->groups, d->s->n_groups, sizeof(*d->s->groups));
		v = &d->s->groups[d->s->n_groups++];
		v->tentative = v->link_local = false;
	}
	v->index = (int)ifa->ifa_index;
	memcpy(v->tail, ip + 13, sizeof(v->tail));
	return MNL_CB_OK;
}

/* The namespace's IPv6 addresses and solicited-node groups, through its
 * rtnetlink socket (no /proc file, no namespace switch). */
static void snap_read_ipv6(struct ready_snap *s, struct netns *ns)
{
	struct snap_dump addrs = { .s = s, .type = RTM_GETADDR }, groups = { .s = s, .type = RTM_GETMULTICAST };
	struct nl *nl = netns_rtnl(ns);

	if (nl_dump(nl, snap_build, &addrs, snap_addr_cb, &addrs) < 0 ||
	    nl_dump(nl, snap_build, &groups, snap_addr_cb, &groups) < 0)
		return;		/* no IPv6 */
	s->ipv6 = true;
	qsort(s->addrs, s->n_addrs, sizeof(*s->addrs), snap_addr_cmp);
	qsort(s->groups, s->n_groups, sizeof(*s->groups), snap_addr_cmp);
}

int ready_snap_take(struct netns *ns, struct ready_snap **ret)
{
	struct ready_snap *s = xcalloc(1, sizeof(*s));
	int err = link_walk(ns, snap_link_cb, s);

	if (err < 0) {
		ready_snap_free(s);
		return err;
	}
	qsort(s->links, s->n_links, sizeof(*s->links), snap_name_cmp);
	if (netns_has_ipv6(ns))
		snap_read_ipv6(s, ns);
	*ret = s;
	return 0;
}

int ready_snap_if(const struct ready_snap *s, const char *ifname, bool *ret)
{
	char key[IF_NAMESIZE] = { 0 };
	const struct snap_link *l;
	bool noarp, link_local = false, ready = true;
	size_t lo = 0, hi = s->n_addrs;

	snprintf(key, sizeof(key), "%s", ifname);
	l = bsearch(key, s->links, s->n_links, sizeof(*s->links), snap_name_cmp);
	if (!l)
		return -ENODEV;
	*ret = false;
	if (!(l->flags & IFF_RUNNING))
		return 0;
	if (!s->ipv6) {
		*ret = true;
		return 0;
	}
	noarp = l->flags & IFF_NOARP;
	/* The first address of the interface. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->addrs[mid].index < l->index)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; ready && i < s->n_addrs && s->addrs[i].index == l->index; i++) {
		const struct snap_addr *a = &s->addrs[i];

		link_local |= a->link_local;
		ready = !a->tentative &&
			(noarp || bsearch(a, s->groups, s->n_groups, sizeof(*s->groups), snap_addr_cmp));
	}
	*ret = (link_local || noarp) && ready;
	return 0;
}

int link_ready(struct netns *ns, const char *ifname, bool *ret)
{
	struct ready_snap *s;
	int err = ready_snap_take(ns, &s);

	if (err < 0)
		return err;
	err = ready_snap_if(s, ifname, ret);
	ready_snap_free(s);
	return err;
}

void ready_snap_free(struct ready_snap *s)
{
	if (!s)
		return;
	free(s->links);
	free(s->addrs);
	free(s->groups);
	free(s);
}
