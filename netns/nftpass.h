/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_NFTPASS_H
#define NETNS_NFTPASS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netns/addr.h"

struct netns;

/*
 * Letting traffic of the lab's own through a namespace's filters for a
 * moment: an accept rule for two addresses at the head of every base chain
 * that local traffic to or from them meets (families ip or ip6 by the
 * addresses', inet and netdev; hooks ingress, prerouting and input match
 * the source, output, postrouting and egress the destination; chain types
 * filter and route), removed afterwards by handle.  An accept ends only
 * its own chain, so every such chain gets one.  Chains of other families
 * (arp, bridge) or of a type that does not filter are left as they are.
 */
#define NFTPASS_NAME 64

struct nftpass_chain {
	char family[8];
	char table[NFTPASS_NAME];
	char chain[NFTPASS_NAME];
	char hook[16];
	char type[8];
	bool match_src;		/* the rule matches the source (inbound hooks) */
	bool in_way;		/* the traffic may meet it */
	bool pass;		/* one of those, to get a rule */
	uint64_t handle;	/* the rule added, 0: none */
	int err;		/* why it could not be added */
};

struct nftpass {
	struct nftpass_chain *v;
	size_t n;
};

/* The base chains of `nft -j list chains` output, each marked whether
 * traffic of family fam is to pass it.  0 or -EINVAL. */
int nftpass_parse(const char *json, int fam, struct nftpass *ret);

/* The JSON command inserting the accept rule into c, for addrs. */
char *nftpass_insert_cmd(const struct nftpass_chain *c, const struct addr addrs[2]);

/* Adds the rules in ns; a chain that refuses keeps its error in ->err.
 * 0, or -errno when the chains could not be listed.  *ret is filled
 * either way: nftpass_close() it. */
int nftpass_open(struct netns *ns, const struct addr addrs[2], struct nftpass *ret);

/* Removes the rules added and frees p. */
void nftpass_close(struct netns *ns, struct nftpass *p);

/* "ip filter INPUT, ip filter OUTPUT": the chains that got a rule (added),
 * or those in the traffic's way that did not (a refusal, another family
 * such as arp or bridge).  "" when none. */
const char *nftpass_describe(const struct nftpass *p, bool added, char *buf, size_t len);

#endif
