// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* iptables' tables and built-in chains, and their nftables hooks. */
#include "netns/fw/fw_hooks.h"

#include <string.h>
#include <linux/netfilter.h>
/* The NF_IP_PRI_* values, the same for IPv6 (NF_IP6_PRI_*). */
#include <linux/netfilter_ipv4.h>

const char *const fw_table_names[FW_TABLE_MAX] = {
	[FW_TABLE_FILTER] = "filter",
	[FW_TABLE_NAT] = "nat",
	[FW_TABLE_MANGLE] = "mangle",
	[FW_TABLE_RAW] = "raw",
};

const char *const fw_hook_names[FW_HOOK_MAX] = {
	[FW_HOOK_PREROUTING] = "PREROUTING",
	[FW_HOOK_INPUT] = "INPUT",
	[FW_HOOK_FORWARD] = "FORWARD",
	[FW_HOOK_OUTPUT] = "OUTPUT",
	[FW_HOOK_POSTROUTING] = "POSTROUTING",
};

/* Which built-in chains each iptables table has. */
static const unsigned int fw_table_hooks[FW_TABLE_MAX] = {
	[FW_TABLE_FILTER] = 1U << FW_HOOK_INPUT | 1U << FW_HOOK_FORWARD | 1U << FW_HOOK_OUTPUT,
	[FW_TABLE_NAT] = 1U << FW_HOOK_PREROUTING | 1U << FW_HOOK_INPUT | 1U << FW_HOOK_OUTPUT |
			 1U << FW_HOOK_POSTROUTING,
	[FW_TABLE_MANGLE] = (1U << FW_HOOK_MAX) - 1,
	[FW_TABLE_RAW] = 1U << FW_HOOK_PREROUTING | 1U << FW_HOOK_OUTPUT,
};

static const unsigned int fw_hooknums[FW_HOOK_MAX] = {
	[FW_HOOK_PREROUTING] = NF_INET_PRE_ROUTING,
	[FW_HOOK_INPUT] = NF_INET_LOCAL_IN,
	[FW_HOOK_FORWARD] = NF_INET_FORWARD,
	[FW_HOOK_OUTPUT] = NF_INET_LOCAL_OUT,
	[FW_HOOK_POSTROUTING] = NF_INET_POST_ROUTING,
};

int fw_table_parse(const char *name)
{
	int i;

	for (i = 0; i < FW_TABLE_MAX; i++)
		if (!strcmp(name, fw_table_names[i]))
			return i;
	return -1;
}

int fw_hook_parse(const char *name)
{
	int i;

	for (i = 0; i < FW_HOOK_MAX; i++)
		if (!strcmp(name, fw_hook_names[i]))
			return i;
	return FW_HOOK_USER;
}

bool fw_hook_valid(enum fw_table_kind t, int hook)
{
	return hook >= 0 && hook < FW_HOOK_MAX && (fw_table_hooks[t] & (1U << hook));
}

void fw_hook_info(enum fw_table_kind t, int hook, unsigned int *hooknum, int *prio,
		  const char **type)
{
	*hooknum = fw_hooknums[hook];
	*type = "filter";
	switch (t) {
	case FW_TABLE_FILTER:
		*prio = NF_IP_PRI_FILTER;
		break;
	case FW_TABLE_NAT:
		/* iptables: dstnat (-100) before routing and for local
		 * output, srcnat (100) after. */
		*type = "nat";
		*prio = hook == FW_HOOK_PREROUTING || hook == FW_HOOK_OUTPUT ? NF_IP_PRI_NAT_DST :
									       NF_IP_PRI_NAT_SRC;
		break;
	case FW_TABLE_MANGLE:
		/* A route chain re-routes locally generated packets whose mark
		 * or addresses a rule changed, as iptables' mangle OUTPUT. */
		if (hook == FW_HOOK_OUTPUT)
			*type = "route";
		*prio = NF_IP_PRI_MANGLE;
		break;
	case FW_TABLE_RAW:
	case FW_TABLE_MAX:
		*prio = NF_IP_PRI_RAW;
		break;
	}
}
