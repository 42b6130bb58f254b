/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_FW_NFT_H
#define NETNS_FW_NFT_H

/* The pending ops as one nftables transaction (fw_nft.c).  Not part of the
 * API. */
#include <stdint.h>

struct fw_batch;
struct fw_ruleset;

/* Builds BEGIN, one or more messages per pending op, END; seqs start at
 * seq.  0 or -errno. */
int fw_batch_build(struct fw_ruleset *rs, uint32_t seq, struct fw_batch **ret);

#endif
