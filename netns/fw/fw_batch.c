// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * A transaction as bytes: the messages appended one by one into one
 * contiguous buffer, with the op each one came from, so that the kernel's
 * answer to a seq maps back to a rule.
 */
#include "netns/fw/fw_batch.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <libmnl/libmnl.h>
#include <libnftnl/common.h>

int fw_batch_append(struct fw_build *fb, struct nlmsghdr *nlh, struct fw_op *op,
			   unsigned int krule)
{
	struct fw_batch *b = fb->b;
	struct fw_batch_msg *m;

	if (nlh->nlmsg_len > MNL_SOCKET_BUFFER_SIZE)
		return -EMSGSIZE;
	if (b->len + nlh->nlmsg_len > b->cap) {
		size_t cap = (b->cap ? b->cap : MNL_SOCKET_BUFFER_SIZE) * 2;

		while (cap < b->len + nlh->nlmsg_len)
			cap *= 2;
		b->buf = xrealloc(b->buf, cap);
		b->cap = cap;
	}
	if (op) {
		b->msgs = xgrow(b->msgs, b->nmsgs, sizeof(*b->msgs));
		m = &b->msgs[b->nmsgs++];
		m->seq = nlh->nlmsg_seq;
		m->type = NFNL_MSG_TYPE(nlh->nlmsg_type);
		m->op = op;
		m->krule = krule;
	}
	memcpy(b->buf + b->len, nlh, nlh->nlmsg_len);
	b->len += nlh->nlmsg_len;
	return 0;
}

struct nlmsghdr *fw_msg_hdr(struct fw_build *fb, uint16_t type, int family, uint16_t flags)
{
	memset(fb->scratch, 0, MNL_SOCKET_BUFFER_SIZE);
	return nftnl_nlmsg_build_hdr(fb->scratch, type, family == AF_INET6 ? NFPROTO_IPV6 :
				     NFPROTO_IPV4, flags | NLM_F_ACK, ++fb->seq);
}

void fw_table_name(const struct fw_table *t, char *buf, size_t len)
{
	snprintf(buf, len, FW_TABLE_PREFIX "%s", fw_table_names[t->kind]);
}

void fw_batch_free(struct fw_batch *b)
{
	if (!b)
		return;
	free(b->buf);
	free(b->msgs);
	free(b);
}

const struct fw_batch_msg *fw_batch_lookup(const struct fw_batch *b, uint32_t seq)
{
	size_t i;

	for (i = 0; i < b->nmsgs; i++)
		if (b->msgs[i].seq == seq)
			return &b->msgs[i];
	return NULL;
}

void fw_batch_error(const struct fw_batch *b, uint32_t seq, int error, const char *extack,
		    struct fw_error *ret)
{
	const struct fw_batch_msg *m = fw_batch_lookup(b, seq);
	const char *what = "";

	memset(ret, 0, sizeof(*ret));
	ret->err = error;
	ret->arg = -1;
	if (m) {
		ret->line = m->op->src_line;
		ret->column = m->op->column;
		switch (m->type) {
		case NFT_MSG_NEWTABLE:
			what = "cannot create the table: ";
			break;
		case NFT_MSG_NEWCHAIN:
			what = m->op->kind == FW_OP_POLICY ? "cannot set the policy: " :
							     "cannot create the chain: ";
			break;
		case NFT_MSG_DELRULE:
			what = "cannot delete the rule: ";
			break;
		case NFT_MSG_NEWSET:
		case NFT_MSG_NEWSETELEM:
			what = "cannot create the port set: ";
			break;
		default:
			what = "kernel refused the rule: ";
			break;
		}
	} else {
		what = "kernel refused the transaction: ";
	}
	snprintf(ret->msg, sizeof(ret->msg), "%s%s", what,
		 extack && *extack ? extack : strerror(error < 0 ? -error : error));
}
