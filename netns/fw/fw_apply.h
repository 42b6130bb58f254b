/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_FW_APPLY_H
#define NETNS_FW_APPLY_H

/* Reading the kernel's answers to a batch (fw_apply.c; fw_apply() itself
 * is in fw.h), kernel-free for the unit tests.  Not part of the API. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netns/fw/fw.h"

struct fw_batch;

/* What the replies to a batch say. */
struct fw_replies {
	bool done;			/* the last message's ACK, or a batch-wide error */
	uint32_t err_seq;		/* first refused message (or seq_begin) */
	int error;			/* its -errno, 0: none */
	char extack[FW_MSG_LEN];
};
/* Processes one receive buffer of replies to b: ACKs, errors, and the
 * echoed NEWRULE messages that carry the new rules' handles. */
int fw_replies_process(struct fw_batch *b, const void *buf, size_t len, uint32_t portid,
		       struct fw_replies *st);

#endif
