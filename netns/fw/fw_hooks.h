/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_FW_HOOKS_H
#define NETNS_FW_HOOKS_H

/*
 * iptables' tables and built-in chains, and the nftables hooks, priorities
 * and chain types iptables-nft gives them.  Not part of the API.
 */
#include <stdbool.h>

enum fw_table_kind { FW_TABLE_FILTER, FW_TABLE_NAT, FW_TABLE_MANGLE, FW_TABLE_RAW, FW_TABLE_MAX };
enum fw_hook { FW_HOOK_PREROUTING, FW_HOOK_INPUT, FW_HOOK_FORWARD, FW_HOOK_OUTPUT,
	       FW_HOOK_POSTROUTING, FW_HOOK_MAX, FW_HOOK_USER = -1 };

extern const char *const fw_table_names[FW_TABLE_MAX];
extern const char *const fw_hook_names[FW_HOOK_MAX];
/* The table's kind, or -1. */
int fw_table_parse(const char *name);
/* The built-in chain's hook, or FW_HOOK_USER. */
int fw_hook_parse(const char *name);
/* Whether table t has the built-in chain hook. */
bool fw_hook_valid(enum fw_table_kind t, int hook);
/* nftables hook number, priority and chain type of a built-in chain. */
void fw_hook_info(enum fw_table_kind t, int hook, unsigned int *hooknum, int *prio,
		  const char **type);

#endif
