// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "netns/addr.h"
#include "netns/link.h"
#include "netns/nl.h"
#include "netns/ns.h"
#include "netns/ifindex.h"
#include "netns/util/number.h"
#include "netns/util/xalloc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

size_t addr_len(int family)
{
	return family == AF_INET6 ? 16 : family == AF_INET ? 4 : 0;
}

int addr_parse(const char *s, unsigned int flags, struct addr *ret)
{
	char buf[INET6_ADDRSTRLEN + 8];
	struct addr a = { 0 };
	const char *slash;

	slash = strchr(s, '/');
	if (slash) {
		if (!(flags & (ADDR_PARSE_PREFIX | ADDR_PARSE_NEED_PREFIX)))
			return -EINVAL;
		if ((size_t)(slash - s) >= sizeof(buf))
			return -EINVAL;
		memcpy(buf, s, slash - s);
		buf[slash - s] = '\0';
	} else {
		if (flags & ADDR_PARSE_NEED_PREFIX)
			return -EINVAL;
		if (strlen(s) >= sizeof(buf))
			return -EINVAL;
		strcpy(buf, s);
	}
	if (inet_pton(AF_INET, buf, &a.v4) == 1)
		a.family = AF_INET;
	else if (inet_pton(AF_INET6, buf, &a.v6) == 1)
		a.family = AF_INET6;
	else
		return -EINVAL;
	a.prefixlen = a.family == AF_INET ? 32 : 128;
	if (slash) {
		const char *why;
		uint64_t len;

		if (number_u64(slash + 1, 0, 0, 255, &len, &why) < 0)
			return -EINVAL;
		if (len > a.prefixlen)
			return -ERANGE;
		a.prefixlen = (uint8_t)len;
	}
	*ret = a;
	return 0;
}

const char *addr_format(const struct addr *a, bool with_prefix, char *buf, size_t len)
{
	char tmp[INET6_ADDRSTRLEN];

	if (!inet_ntop(a->family, a->bytes, tmp, sizeof(tmp)))
		snprintf(tmp, sizeof(tmp), "?");
	if (with_prefix)
		snprintf(buf, len, "%s/%u", tmp, a->prefixlen);
	else
		snprintf(buf, len, "%s", tmp);
	return buf;
}

bool addr_equal(const struct addr *a, const struct addr *b)
{
	return a->family == b->family && !memcmp(a->bytes, b->bytes, addr_len(a->family));
}

void addr_network(const struct addr *a, struct addr *ret)
{
	size_t i, n = addr_len(a->family);
	unsigned int bits = a->prefixlen;

	*ret = *a;
	for (i = 0; i < n; i++) {
		if (bits >= 8) {
			bits -= 8;
			continue;
		}
		ret->bytes[i] &= (uint8_t)(0xff << (8 - bits));
		bits = 0;
	}
}

bool addr_contains(const struct addr *a, const struct addr *b)
{
	struct addr na, nb;

	if (a->family != b->family)
		return false;
	addr_network(a, &na);
	nb = *b;
	nb.prefixlen = a->prefixlen;
	addr_network(&nb, &nb);
	return !memcmp(na.bytes, nb.bytes, addr_len(a->family));
}

bool addr_is_any(const struct addr *a)
{
	static const uint8_t zero[16];

	return !memcmp(a->bytes, zero, addr_len(a->family));
}

struct nlmsghdr *addr_build(void *buf, size_t size, uint16_t type, uint16_t flags,
			    const struct addr *a, int ifindex)
{
	size_t alen = addr_len(a->family);
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;

	if (!alen) {
		errno = EAFNOSUPPORT;
		return NULL;
	}
	if (size < MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(*ifa))) {
		errno = EMSGSIZE;
		return NULL;
	}
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)a->family;
	ifa->ifa_prefixlen = a->prefixlen;
	ifa->ifa_index = (uint32_t)ifindex;
	/* As ip(8): loopback addresses are host scope, all others global. */
	if (a->family == AF_INET && a->bytes[0] == IN_LOOPBACKNET)
		ifa->ifa_scope = RT_SCOPE_HOST;
	if (!mnl_attr_put_check(nlh, size, IFA_LOCAL, alen, a->bytes) ||
	    !mnl_attr_put_check(nlh, size, IFA_ADDRESS, alen, a->bytes))
		goto full;
	if (a->family == AF_INET6) {
		/* Usable at once: no tentative state waiting on DAD, which
		 * would also hold back routes through the address. */
		ifa->ifa_flags = IFA_F_NODAD;
		if (!mnl_attr_put_u32_check(nlh, size, IFA_FLAGS, IFA_F_NODAD))
			goto full;
	}
	return nlh;
full:
	errno = EMSGSIZE;
	return NULL;
}

static int addr_talk(struct netns *ns, uint16_t type, uint16_t flags, const char *ifname,
		     const struct addr *a)
{
	struct nl *nl = netns_rtnl(ns);
	struct nlmsghdr *nlh;
	int index, last = 0, ret, tries;

	for (tries = 0; tries < 2; tries++) {
		index = link_index(ns, ifname);
		if (index < 0)
			return index;
		/* Looked up afresh and still gone. */
		if (index == last)
			return -ENODEV;
		nlh = addr_build(nl_reqbuf(nl), nl_bufsize(nl), type, flags, a, index);
		if (!nlh)
			return -errno;
		nlh->nlmsg_seq = nl_seq_next(nl);
		ret = nl_talk(nl, nlh, NULL, NULL);
		/* A remembered index may belong to a link that was replaced. */
		if (ret != -ENODEV)
			break;
		ifindex_forget(netns_ifindex(ns), ifname);
		last = index;
	}
	return ret;
}

int addr_add(struct netns *ns, const char *ifname, const struct addr *a)
{
	return addr_talk(ns, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, ifname, a);
}

int addr_del(struct netns *ns, const char *ifname, const struct addr *a)
{
	return addr_talk(ns, RTM_DELADDR, 0, ifname, a);
}

struct addr_dump {
	int family;
	int index;
	struct addr *v;
	size_t n;
};

static struct nlmsghdr *addr_dump_build(struct nl *nl, void *data)
{
	struct addr_dump *d = data;
	struct nlmsghdr *nlh = nl_request(nl, RTM_GETADDR, NLM_F_DUMP);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));

	ifa->ifa_family = (unsigned char)d->family;
	/* A dump redone after a change starts over. */
	free(d->v);
	d->v = NULL;
	d->n = 0;
	return nlh;
}

static int addr_dump_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_type_valid(attr, IFA_MAX) < 0)
		return MNL_CB_OK;
	tb[mnl_attr_get_type(attr)] = attr;
	return MNL_CB_OK;
}

static int addr_dump_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[IFA_MAX + 1] = { 0 };
	struct addr_dump *d = data;
	const struct ifaddrmsg *ifa;
	const struct nlattr *a;
	struct addr *v;

	if (nlh->nlmsg_type != RTM_NEWADDR || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifa)))
		return MNL_CB_OK;
	ifa = mnl_nlmsg_get_payload(nlh);
	if ((int)ifa->ifa_index != d->index || ifa->ifa_family != d->family ||
	    mnl_attr_parse(nlh, sizeof(*ifa), addr_dump_attr_cb, tb) != MNL_CB_OK)
		return MNL_CB_OK;
	/* IFA_LOCAL is the address itself (IFA_ADDRESS the peer's on a
	 * point-to-point one), as `ip addr` shows it. */
	a = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (!a || mnl_attr_get_payload_len(a) != addr_len(d->family))
		return MNL_CB_OK;
	d->v = xgrow(d->v, d->n, sizeof(*d->v));
	v = &d->v[d->n++];
	memset(v, 0, sizeof(*v));
	v->family = d->family;
	v->prefixlen = ifa->ifa_prefixlen;
	memcpy(v->bytes, mnl_attr_get_payload(a), addr_len(d->family));
	return MNL_CB_OK;
}

int addr_list(struct netns *ns, const char *ifname, int family, struct addr **ret, size_t *ret_n)
{
	struct addr_dump d = { .family = family };
	int err;

	d.index = link_index(ns, ifname);
	if (d.index < 0)
		return d.index;
	err = nl_dump(netns_rtnl(ns), addr_dump_build, &d, addr_dump_cb, &d);
	if (err < 0) {
		free(d.v);
		return err;
	}
	*ret = d.v;
	*ret_n = d.n;
	return 0;
}
