// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * The pending ops as one nftables transaction: BEGIN, one or more messages
 * per op, END, built with libnftnl into a batch (fw_batch.c); fw_expr.c
 * writes the rules' expressions.
 */
#include "netns/fw/fw_nft.h"
#include "netns/fw/fw_batch.h"
#include "netns/fw/fw_expr.h"
#include "netns/fw/fw_model.h"
#include "netns/util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/rule.h>
#include <libnftnl/table.h>
#include <libnftnl/udata.h>

static int fw_put_rule(struct fw_build *fb, struct fw_op *op, unsigned int k)
{
	const struct fw_rule *fr = op->rule;
	struct nftnl_rule *r;
	struct nftnl_udata_buf *ud = NULL;
	const struct fw_rule *after = op->after;
	unsigned int last = after ? after->nkern - 1 : 0;
	struct nlmsghdr *nlh;
	uint16_t flags = NLM_F_CREATE | NLM_F_ECHO;
	char table[64];
	int ret;

	r = xcheck(nftnl_rule_alloc());
	fw_table_name(op->table, table, sizeof(table));
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, table);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, op->chain->name);
	nftnl_rule_set_u32(r, NFTNL_RULE_ID, fr->id[k]);
	/* The second kernel rule of a pair goes right after the first. */
	if (k > 0) {
		flags |= NLM_F_APPEND;
		nftnl_rule_set_u32(r, NFTNL_RULE_POSITION_ID, fr->id[k - 1]);
	} else if (op->append) {
		flags |= NLM_F_APPEND;
	} else if (after) {
		flags |= NLM_F_APPEND;
		if (after->handle[last])
			nftnl_rule_set_u64(r, NFTNL_RULE_POSITION, after->handle[last]);
		else
			nftnl_rule_set_u32(r, NFTNL_RULE_POSITION_ID, after->id[last]);
	}
	if (fr->spec.has & FW_M_COMMENT) {
		/* Room for the longest comment, so the put cannot fail. */
		ud = xcheck(nftnl_udata_buf_alloc(FW_COMMENT_LEN + 16));
		nftnl_udata_put_strz(ud, NFTNL_UDATA_RULE_COMMENT, fr->spec.comment);
		nftnl_rule_set_data(r, NFTNL_RULE_USERDATA, nftnl_udata_buf_data(ud),
				    nftnl_udata_buf_len(ud));
	}
	ret = fw_rule_exprs(fb, r, op, k);
	if (ret)
		goto cleanup;
	nlh = fw_msg_hdr(fb, NFT_MSG_NEWRULE, op->table->family, flags);
	nftnl_rule_nlmsg_build_payload(nlh, r);
	ret = fw_batch_append(fb, nlh, op, k);
cleanup:
	nftnl_udata_buf_free(ud);
	nftnl_rule_free(r);
	return ret;
}

static int fw_put_delrule(struct fw_build *fb, struct fw_op *op, unsigned int k)
{
	struct nftnl_rule *r = xcheck(nftnl_rule_alloc());
	struct nlmsghdr *nlh;
	char table[64];

	fw_table_name(op->table, table, sizeof(table));
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, table);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, op->chain->name);
	if (op->rule->handle[k])
		nftnl_rule_set_u64(r, NFTNL_RULE_HANDLE, op->rule->handle[k]);
	else
		nftnl_rule_set_u32(r, NFTNL_RULE_ID, op->rule->id[k]);
	nlh = fw_msg_hdr(fb, NFT_MSG_DELRULE, op->table->family, 0);
	nftnl_rule_nlmsg_build_payload(nlh, r);
	nftnl_rule_free(r);
	return fw_batch_append(fb, nlh, op, k);
}

static int fw_put_table(struct fw_build *fb, struct fw_op *op)
{
	struct nftnl_table *t = xcheck(nftnl_table_alloc());
	struct nlmsghdr *nlh;
	char table[64];

	fw_table_name(op->table, table, sizeof(table));
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, table);
	nlh = fw_msg_hdr(fb, NFT_MSG_NEWTABLE, op->table->family, NLM_F_CREATE);
	nftnl_table_nlmsg_build_payload(nlh, t);
	nftnl_table_free(t);
	return fw_batch_append(fb, nlh, op, 0);
}

static int fw_put_chain(struct fw_build *fb, struct fw_op *op)
{
	const struct fw_chain *fc = op->chain;
	struct nftnl_chain *c = xcheck(nftnl_chain_alloc());
	struct nlmsghdr *nlh;
	unsigned int hooknum;
	const char *type;
	char table[64];
	int prio;

	fw_table_name(op->table, table, sizeof(table));
	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, table);
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, fc->name);
	if (op->kind == FW_OP_POLICY) {
		nftnl_chain_set_u32(c, NFTNL_CHAIN_POLICY, op->new_policy);
	} else if (fc->hook != FW_HOOK_USER) {
		fw_hook_info(op->table->kind, fc->hook, &hooknum, &prio, &type);
		nftnl_chain_set_u32(c, NFTNL_CHAIN_HOOKNUM, hooknum);
		nftnl_chain_set_s32(c, NFTNL_CHAIN_PRIO, prio);
		nftnl_chain_set_str(c, NFTNL_CHAIN_TYPE, type);
		nftnl_chain_set_u32(c, NFTNL_CHAIN_POLICY, NF_ACCEPT);
	}
	nlh = fw_msg_hdr(fb, NFT_MSG_NEWCHAIN, op->table->family,
		     op->kind == FW_OP_POLICY ? 0 : NLM_F_CREATE);
	nftnl_chain_nlmsg_build_payload(nlh, c);
	nftnl_chain_free(c);
	return fw_batch_append(fb, nlh, op, 0);
}

int fw_batch_build(struct fw_ruleset *rs, uint32_t seq, struct fw_batch **ret)
{
	struct fw_build fb = { .seq = seq };
	struct fw_op *op;
	unsigned int k;
	int err = 0;

	fb.b = xcalloc(1, sizeof(*fb.b));
	fb.scratch = xmalloc(MNL_SOCKET_BUFFER_SIZE * 2);
	fb.b->seq_begin = seq;
	memset(fb.scratch, 0, MNL_SOCKET_BUFFER_SIZE);
	err = fw_batch_append(&fb, nftnl_batch_begin(fb.scratch, seq), NULL, 0);
	for (op = rs->first_op; op && !err; op = op->next) {
		switch (op->kind) {
		case FW_OP_ADD_TABLE:
			err = fw_put_table(&fb, op);
			break;
		case FW_OP_ADD_CHAIN:
		case FW_OP_POLICY:
			err = fw_put_chain(&fb, op);
			break;
		case FW_OP_ADD_RULE:
			for (k = 0; k < op->rule->nkern && !err; k++)
				err = fw_put_rule(&fb, op, k);
			break;
		case FW_OP_DEL_RULE:
			for (k = 0; k < op->rule->nkern && !err; k++)
				err = fw_put_delrule(&fb, op, k);
			break;
		}
	}
	if (err)
		goto cleanup;
	fb.b->seq_end = ++fb.seq;
	memset(fb.scratch, 0, MNL_SOCKET_BUFFER_SIZE);
	err = fw_batch_append(&fb, nftnl_batch_end(fb.scratch, fb.b->seq_end), NULL, 0);
	if (err)
		goto cleanup;
	*ret = fb.b;
	fb.b = NULL;
cleanup:
	free(fb.scratch);
	fw_batch_free(fb.b);
	return err;
}
