/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_FW_H
#define NETNS_FW_H

#include <stdint.h>

struct addr;
struct netns;

/*
 * iptables rules, compiled to nftables the way iptables-nft does it.
 *
 * Each iptables table becomes one nftables table per address family, named
 * FW_TABLE_PREFIX + the iptables name ("wglab-ipt-filter", "wglab-ipt-nat",
 * "wglab-ipt-mangle", "wglab-ipt-raw") in family ip (iptables) or ip6
 * (ip6tables).  The "wglab-" prefix is reserved for the lab: wg-quick's
 * tables are "wg-quick-IF" and a user's nft statement has no reason to use
 * it.  Built-in chains are base chains with iptables' hooks and priorities
 * (raw -300, mangle -150, nat dstnat -100 / srcnat 100, filter 0; mangle
 * OUTPUT is a route chain); user chains are regular chains.  Every rule
 * gets a counter, so `nft list ruleset` shows what matched.
 *
 * A ruleset lives as long as its node: lines are parsed into it, then
 * fw_apply() sends what the new lines changed (and only that) as one
 * nftables transaction.  Tables and chains that already exist are never
 * recreated; -P only changes a policy; -D removes the matching rule by its
 * kernel handle.
 */
struct fw_ruleset;

#define FW_TABLE_PREFIX "wglab-ipt-"
#define FW_MSG_LEN 256

struct fw_error {
	unsigned int line;	/* src_line of the faulty line or rule, 0: none */
	unsigned int column;	/* 1-based column into that line, 0: the whole line */
	int err;		/* -errno */
	int arg;		/* nat_parse(): index of the faulty argument, -1: none */
	char msg[FW_MSG_LEN];	/* "unsupported option '--foo'"; the kernel's
				 * reason for a refused rule */
};

struct fw_ruleset *fw_ruleset_new(void);
/* NULL-safe.  Does not touch the kernel: the namespace keeps its rules. */
void fw_ruleset_free(struct fw_ruleset *rs);

/*
 * Parses one line: iptables-save text (`*table`, `:CHAIN POLICY [p:b]`,
 * `COMMIT`), or one rule command (-A, -I [n], -D, -P, -N, with -t), with an
 * optional leading `iptables` / `ip6tables` word; `#` comments and blank
 * lines are ignored.  family (AF_INET or AF_INET6) is used unless the line
 * starts with iptables/ip6tables.  `*table` sections do not flush anything
 * (iptables-restore --noflush): rules accumulate.  On error the line changes
 * nothing and err has its column.  0 or -errno (-EINVAL, -EOPNOTSUPP).
 */
int fw_parse_line(struct fw_ruleset *rs, int family, const char *line, unsigned int src_line,
		  struct fw_error *err);
/* Ends a block of lines: fails on a `*table` without COMMIT. */
int fw_parse_finish(struct fw_ruleset *rs, struct fw_error *err);

/*
 * Sends the changes parsed since the last fw_apply() to ns as one
 * transaction.  On success they become part of the ruleset's known state.
 * On failure the kernel applied nothing, the pending changes are dropped
 * (the ruleset is as before them) and err names the first refused rule's
 * src_line with the kernel's reason.  0 when nothing is pending.
 */
int fw_apply(struct netns *ns, struct fw_ruleset *rs, struct fw_error *err);
/* Drops the changes parsed since the last fw_apply(). */
void fw_discard(struct fw_ruleset *rs);
/* How many changes fw_apply() would send. */
unsigned int fw_pending(const struct fw_ruleset *rs);

/*
 * Whether a DNAT rule of rs (in the kernel, pending, or taken out by a
 * pending -D) may rewrite a packet of proto (IPPROTO_TCP, IPPROTO_UDP) to
 * dst:port: only its protocol, destination and destination port matches
 * are read, every other match (-i, -s, state, mark...) may hold for some
 * packet.  The first such rule's src_line, or 0: none.
 */
int fw_dnat_line(const struct fw_ruleset *rs, uint8_t proto, const struct addr *dst, uint16_t port);

#endif
