// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* Every statement keyword and its parser.  `lab`, `include` and `twin` are
 * handled by the scenario parser itself. */
#include "lab/lang/parse_table.h"
#include "lab/lang/parse_expect.h"
#include "lab/lang/parse_fw.h"
#include "lab/lang/parse_steps.h"
#include "lab/lang/parse_topo.h"
#include "lab/lang/parse_wg.h"

#include <string.h>

static const struct stmt_syntax syntax_table[] = {
	{ "node", parse_node, false, "node NAME [router] [ipv6 off] [name HOST]...", DEFINES_NODE },
	{ "link", parse_link, false, "link A:IF ADDR/LEN... -- B:IF ADDR/LEN... [mtu N] [rate R] [delay D] [jitter J] [loss P%]", DEFINES_IFS },
	{ "lan", parse_lan, false, "lan NAME SUBNET... NODE:IF[=.N]...", DEFINES_IFS },
	{ "address", parse_address, false, "address NODE:IF [add|del] ADDR/LEN...", DEFINES_NOTHING },
	{ "route", parse_route, false, "route NODE [add|del|replace] DEST|default [via GW] [dev IF] ...", DEFINES_NOTHING },
	{ "rule", parse_rule, false, "rule NODE [add|del] [not] [fwmark M] table T ...", DEFINES_NOTHING },
	{ "sysctl", parse_sysctl, false, "sysctl NODE KEY=VALUE...", DEFINES_NOTHING },
	{ "run", parse_run, true, "run NODE [timeout D] [exit N] [background|daemon [ready COND] [within D]] -- CMD...", DEFINES_NOTHING },
	{ "serve", parse_serve, false, "serve NODE tcp|udp|http [ADDR:]PORT", DEFINES_NOTHING },
	{ "wait", parse_wait, false, "wait DURATION", DEFINES_NOTHING },
	{ "expect", parse_expect, false, "expect SUBJECT KIND ...", DEFINES_NOTHING },
	{ "wireguard", parse_wireguard, false, "wireguard NODE:IF [address A] [listen-port P] ...", DEFINES_IF },
	{ "peer", parse_peer, false, "peer NODE:IF PEER_NODE:IF [allowed-ips L] [endpoint H:P] ...", DEFINES_NOTHING },
	{ "wg-quick", parse_wgquick, true, "wg-quick NODE:IF << config >>", DEFINES_IF },
	{ "firewall", parse_firewall, true, "firewall NODE RULE | firewall NODE [iptables|ip6tables] << rules >>", DEFINES_NOTHING },
	{ "nft", parse_nft, true, "nft NODE << nftables >>", DEFINES_NOTHING },
	{ "nat", parse_nat, false, "nat NODE OUT_IF [preset NAME] ...", DEFINES_NOTHING },
	{ "conntrack", parse_conntrack, false, "conntrack NODE flush", DEFINES_NOTHING },
	{ "capture", parse_capture, false, "capture NODE:IF [ring SIZE]", DEFINES_NOTHING },
};

const struct stmt_syntax *parse_lookup(const char *keyword)
{
	size_t i;

	for (i = 0; i < sizeof(syntax_table) / sizeof(syntax_table[0]); i++)
		if (!strcmp(syntax_table[i].keyword, keyword))
			return &syntax_table[i];
	return NULL;
}
