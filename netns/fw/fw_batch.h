/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_FW_BATCH_H
#define NETNS_FW_BATCH_H

/*
 * An nftables transaction as bytes (fw_batch.c): BEGIN, the messages, END,
 * each with its own seq, in one contiguous buffer, and which op each
 * message came from.  fw_nft.c and fw_expr.c write the messages, fw_apply.c
 * maps the kernel's answers back to the ops.  Not part of the API.
 */
#include <stddef.h>
#include <stdint.h>

#include "netns/fw/fw_model.h"

struct fw_batch_msg {
	uint32_t seq;
	uint16_t type;			/* NFT_MSG_* */
	struct fw_op *op;
	unsigned int krule;		/* which kernel rule of op->rule */
};

struct fw_batch {
	char *buf;
	size_t len, cap;
	uint32_t seq_begin, seq_end;	/* the BEGIN and END messages */
	struct fw_batch_msg *msgs;	/* between BEGIN and END, in order */
	size_t nmsgs;
};

struct nlmsghdr;

/* A batch being built: messages are written one at a time into scratch
 * (2x the largest message allowed) and appended to b. */
struct fw_build {
	struct fw_batch *b;
	char *scratch;
	uint32_t seq;
	uint32_t set_id;
};

/* Appends the message nlh (in fb->scratch) to the batch; op (NULL for
 * BEGIN and END) and krule say where it came from.  0 or -EMSGSIZE. */
int fw_batch_append(struct fw_build *fb, struct nlmsghdr *nlh, struct fw_op *op,
		    unsigned int krule);
/* Starts a message in fb->scratch with the next seq and NLM_F_ACK. */
struct nlmsghdr *fw_msg_hdr(struct fw_build *fb, uint16_t type, int family, uint16_t flags);
/* The nftables name of t: FW_TABLE_PREFIX and the iptables name. */
void fw_table_name(const struct fw_table *t, char *buf, size_t len);
void fw_batch_free(struct fw_batch *b);
const struct fw_batch_msg *fw_batch_lookup(const struct fw_batch *b, uint32_t seq);
/* Fills ret for a refusal of message seq (kernel errno and extack). */
void fw_batch_error(const struct fw_batch *b, uint32_t seq, int error, const char *extack,
		    struct fw_error *ret);

#endif
