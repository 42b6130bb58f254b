// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "netns/rule.h"
#include "netns/nl.h"
#include "netns/ns.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>

static bool rule_name_ok(const char *name)
{
	size_t len = strnlen(name, IF_NAMESIZE);

	return len > 0 && len < IF_NAMESIZE;
}

struct nlmsghdr *rule_build(void *buf, size_t size, uint16_t type, uint16_t flags,
			    const struct rule *r)
{
	size_t alen = addr_len(r->family);
	bool del = type == RTM_DELRULE;
	uint32_t table = r->flags & RULE_HAS_TABLE ? r->table : del ? RT_TABLE_UNSPEC : RT_TABLE_MAIN;
	struct fib_rule_hdr *frh;
	struct nlmsghdr *nlh;

	if (!alen || ((r->flags & RULE_HAS_SRC) && r->src.family != r->family) ||
	    ((r->flags & RULE_HAS_DST) && r->dst.family != r->family) ||
	    ((r->flags & RULE_HAS_IIF) && !rule_name_ok(r->iif)) ||
	    ((r->flags & RULE_HAS_OIF) && !rule_name_ok(r->oif))) {
		errno = EINVAL;
		return NULL;
	}
	if (size < MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(*frh))) {
		errno = EMSGSIZE;
		return NULL;
	}
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	frh = mnl_nlmsg_put_extra_header(nlh, sizeof(*frh));
	frh->family = (uint8_t)r->family;
	/* As ip(8), a delete leaves out what was not given, so that it
	 * matches any value there. */
	frh->action = del ? FR_ACT_UNSPEC : FR_ACT_TO_TBL;
	frh->table = table < 256 ? (uint8_t)table : RT_TABLE_UNSPEC;
	if (r->flags & RULE_INVERT)
		frh->flags |= FIB_RULE_INVERT;
	if (table && !mnl_attr_put_u32_check(nlh, size, FRA_TABLE, table))
		goto full;
	if ((r->flags & RULE_HAS_PRIORITY) && !mnl_attr_put_u32_check(nlh, size, FRA_PRIORITY, r->priority))
		goto full;
	if ((r->flags & RULE_HAS_FWMARK) && !mnl_attr_put_u32_check(nlh, size, FRA_FWMARK, r->fwmark))
		goto full;
	if ((r->flags & RULE_HAS_FWMASK) && !mnl_attr_put_u32_check(nlh, size, FRA_FWMASK, r->fwmask))
		goto full;
	if ((r->flags & RULE_HAS_SUPPRESS_PREFIXLEN) &&
	    !mnl_attr_put_u32_check(nlh, size, FRA_SUPPRESS_PREFIXLEN, r->suppress_prefixlen))
		goto full;
	if (r->flags & RULE_HAS_SRC) {
		frh->src_len = r->src.prefixlen;
		if (!mnl_attr_put_check(nlh, size, FRA_SRC, alen, r->src.bytes))
			goto full;
	}
	if (r->flags & RULE_HAS_DST) {
		frh->dst_len = r->dst.prefixlen;
		if (!mnl_attr_put_check(nlh, size, FRA_DST, alen, r->dst.bytes))
			goto full;
	}
	if ((r->flags & RULE_HAS_IIF) && !mnl_attr_put_strz_check(nlh, size, FRA_IIFNAME, r->iif))
		goto full;
	if ((r->flags & RULE_HAS_OIF) && !mnl_attr_put_strz_check(nlh, size, FRA_OIFNAME, r->oif))
		goto full;
	return nlh;
full:
	errno = EMSGSIZE;
	return NULL;
}

static int rule_talk(struct netns *ns, uint16_t type, uint16_t flags, const struct rule *r)
{
	struct nl *nl = netns_rtnl(ns);
	struct nlmsghdr *nlh;

	nlh = rule_build(nl_reqbuf(nl), nl_bufsize(nl), type, flags, r);
	if (!nlh)
		return -errno;
	nlh->nlmsg_seq = nl_seq_next(nl);
	return nl_talk(nl, nlh, NULL, NULL);
}

int rule_add(struct netns *ns, const struct rule *r)
{
	return rule_talk(ns, RTM_NEWRULE, NLM_F_CREATE | NLM_F_EXCL, r);
}

int rule_del(struct netns *ns, const struct rule *r)
{
	return rule_talk(ns, RTM_DELRULE, 0, r);
}
