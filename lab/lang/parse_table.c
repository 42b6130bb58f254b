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
	{ "node", parse_node, false, "node NAME [router] [ipv6 off]" },
	{ "link", parse_link, false, "link A:IF ADDR/LEN... -- B:IF ADDR/LEN... [mtu N] [rate R] [delay D] [jitter J] [loss P%]" },
	{ "lan", parse_lan, false, "lan NAME SUBNET... NODE:IF[=.N]..." },
	{ "address", parse_address, false, "address NODE:IF [add|del] ADDR/LEN..." },
	{ "route", parse_route, false, "route NODE [add|del|replace] DEST|default [via GW] [dev IF] ..." },
	{ "rule", parse_rule, false, "rule NODE [add|del] [not] [fwmark M] table T ..." },
	{ "sysctl", parse_sysctl, false, "sysctl NODE KEY=VALUE..." },
	{ "run", parse_run, true, "run NODE [timeout D] [exit N] [background|daemon [ready COND] [within D]] -- CMD..." },
	{ "serve", parse_serve, false, "serve NODE tcp|udp|http [ADDR:]PORT" },
	{ "wait", parse_wait, false, "wait DURATION" },
	{ "expect", parse_expect, false, "expect SUBJECT KIND ..." },
	{ "wireguard", parse_wireguard, false, "wireguard NODE:IF [address A] [listen-port P] ..." },
	{ "peer", parse_peer, false, "peer NODE:IF PEER_NODE:IF [allowed-ips L] [endpoint H:P] ..." },
	{ "wg-quick", parse_wgquick, true, "wg-quick NODE:IF << config >>" },
	{ "firewall", parse_firewall, true, "firewall NODE RULE | firewall NODE << rules >>" },
	{ "nft", parse_nft, true, "nft NODE << nftables >>" },
	{ "nat", parse_nat, false, "nat NODE OUT_IF [preset NAME] ..." },
	{ "conntrack", parse_conntrack, false, "conntrack NODE flush" },
	{ "capture", parse_capture, false, "capture NODE:IF [ring SIZE]" },
};

const struct stmt_syntax *parse_lookup(const char *keyword)
{
	size_t i;

	for (i = 0; i < sizeof(syntax_table) / sizeof(syntax_table[0]); i++)
		if (!strcmp(syntax_table[i].keyword, keyword))
			return &syntax_table[i];
	return NULL;
}
