// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* Policy rules as the kernel has them (RTM_GETRULE dump). */
#include "netns/rule_list.h"
#include "netns/nl.h"
#include "netns/ns.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>

struct rule_list_ctx {
	int family;
	struct rule *v;
	size_t n;
};

static int rule_list_attr(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);

	if (mnl_attr_type_valid(a, FRA_MAX) < 0)
		return MNL_CB_OK;
	tb[type] = a;
	return MNL_CB_OK;
}

static int rule_list_cb(const struct nlmsghdr *nlh, void *data)
{
	struct rule_list_ctx *ctx = data;
	const struct nlattr *tb[FRA_MAX + 1] = { 0 };
	const struct fib_rule_hdr *frh = mnl_nlmsg_get_payload(nlh);
	size_t alen = ctx->family == AF_INET ? 4 : 16;
	struct rule r = { 0 };

	if (nlh->nlmsg_type != RTM_NEWRULE || frh->family != ctx->family)
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*frh), rule_list_attr, tb);
	r.family = frh->family;
	r.table = tb[FRA_TABLE] ? mnl_attr_get_u32(tb[FRA_TABLE]) : frh->table;
	if (frh->action == FR_ACT_TO_TBL)
		r.flags |= RULE_HAS_TABLE;
	if (frh->flags & FIB_RULE_INVERT)
		r.flags |= RULE_INVERT;
	if (tb[FRA_PRIORITY]) {
		r.priority = mnl_attr_get_u32(tb[FRA_PRIORITY]);
		r.flags |= RULE_HAS_PRIORITY;
	}
	if (tb[FRA_FWMARK]) {
		r.fwmark = mnl_attr_get_u32(tb[FRA_FWMARK]);
		r.flags |= RULE_HAS_FWMARK;
	}
	r.fwmask = tb[FRA_FWMASK] ? mnl_attr_get_u32(tb[FRA_FWMASK]) : 0xffffffff;
	if (tb[FRA_FWMASK])
		r.flags |= RULE_HAS_FWMASK;
	if (tb[FRA_SUPPRESS_PREFIXLEN] && mnl_attr_get_u32(tb[FRA_SUPPRESS_PREFIXLEN]) != UINT32_MAX) {
		r.suppress_prefixlen = mnl_attr_get_u32(tb[FRA_SUPPRESS_PREFIXLEN]);
		r.flags |= RULE_HAS_SUPPRESS_PREFIXLEN;
	}
	if (tb[FRA_SRC] && mnl_attr_get_payload_len(tb[FRA_SRC]) == alen) {
		r.src.family = r.family;
		r.src.prefixlen = frh->src_len;
		memcpy(r.src.bytes, mnl_attr_get_payload(tb[FRA_SRC]), alen);
		r.flags |= RULE_HAS_SRC;
	}
	if (tb[FRA_DST] && mnl_attr_get_payload_len(tb[FRA_DST]) == alen) {
		r.dst.family = r.family;
		r.dst.prefixlen = frh->dst_len;
		memcpy(r.dst.bytes, mnl_attr_get_payload(tb[FRA_DST]), alen);
		r.flags |= RULE_HAS_DST;
	}
	if (tb[FRA_IIFNAME]) {
		snprintf(r.iif, sizeof(r.iif), "%s", mnl_attr_get_str(tb[FRA_IIFNAME]));
		r.flags |= RULE_HAS_IIF;
	}
	if (tb[FRA_OIFNAME]) {
		snprintf(r.oif, sizeof(r.oif), "%s", mnl_attr_get_str(tb[FRA_OIFNAME]));
		r.flags |= RULE_HAS_OIF;
	}
	ctx->v = xgrow(ctx->v, ctx->n, sizeof(*ctx->v));
	ctx->v[ctx->n++] = r;
	return MNL_CB_OK;
}

static struct nlmsghdr *rule_list_build(struct nl *nl, void *data)
{
	struct rule_list_ctx *ctx = data;
	struct fib_rule_hdr *frh;
	struct nlmsghdr *nlh = nl_request(nl, RTM_GETRULE, NLM_F_DUMP);

	free(ctx->v);
	ctx->v = NULL;
	ctx->n = 0;
	frh = mnl_nlmsg_put_extra_header(nlh, sizeof(*frh));
	memset(frh, 0, sizeof(*frh));
	frh->family = (uint8_t)ctx->family;
	return nlh;
}

int rule_list(struct netns *ns, int family, struct rule **ret, size_t *ret_n)
{
	struct rule_list_ctx ctx = { .family = family };
	int err;

	if (family != AF_INET && family != AF_INET6)
		return -EAFNOSUPPORT;
	err = nl_dump(netns_rtnl(ns), rule_list_build, &ctx, rule_list_cb, &ctx);
	if (err < 0) {
		free(ctx.v);
		return err;
	}
	*ret = ctx.v;
	*ret_n = ctx.n;
	return 0;
}

bool rule_matches(const struct rule *have, const struct rule *want)
{
	unsigned int f = want->flags;

	if (have->family != want->family || !!(have->flags & RULE_INVERT) != !!(f & RULE_INVERT))
		return false;
	if ((f & RULE_HAS_TABLE) && (!(have->flags & RULE_HAS_TABLE) || have->table != want->table))
		return false;
	if ((f & RULE_HAS_PRIORITY) && have->priority != want->priority)
		return false;
	if ((f & RULE_HAS_FWMARK) && (!(have->flags & RULE_HAS_FWMARK) || have->fwmark != want->fwmark))
		return false;
	if ((f & RULE_HAS_FWMASK) && have->fwmask != want->fwmask)
		return false;
	if ((f & RULE_HAS_SUPPRESS_PREFIXLEN) &&
	    (!(have->flags & RULE_HAS_SUPPRESS_PREFIXLEN) || have->suppress_prefixlen != want->suppress_prefixlen))
		return false;
	if ((f & RULE_HAS_SRC) && (!(have->flags & RULE_HAS_SRC) || !addr_equal(&have->src, &want->src) ||
				   have->src.prefixlen != want->src.prefixlen))
		return false;
	if ((f & RULE_HAS_DST) && (!(have->flags & RULE_HAS_DST) || !addr_equal(&have->dst, &want->dst) ||
				   have->dst.prefixlen != want->dst.prefixlen))
		return false;
	if ((f & RULE_HAS_IIF) && (!(have->flags & RULE_HAS_IIF) || strcmp(have->iif, want->iif)))
		return false;
	if ((f & RULE_HAS_OIF) && (!(have->flags & RULE_HAS_OIF) || strcmp(have->oif, want->oif)))
		return false;
	return true;
}
