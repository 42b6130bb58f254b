// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * Sends a batch and reads every reply.  How nfnetlink answers a batch
 * (net/netfilter/nfnetlink.c, nfnetlink_rcv_batch):
 *  - every message with NLM_F_ACK gets an NLMSG_ERROR, 0 or -errno; BEGIN
 *    and END get none;
 *  - processing goes on after an error, so later messages are acked too,
 *    and then the whole transaction is aborted: nothing is applied;
 *  - all those ACKs are queued and delivered after the commit, after the
 *    NLM_F_ECHO copies of the new rules (which carry their handles);
 *  - a failure of the batch as a whole (commit error, no permission, out of
 *    memory) is one NLMSG_ERROR with the seq of BEGIN, and for some of
 *    these no per-message ACK follows.
 * So the reply stream ends with the ACK of the last message or with an
 * error on BEGIN's seq; a deadline guards against anything else.
 */
#include "netns/fw/fw_apply.h"
#include "netns/fw/fw_batch.h"
#include "netns/fw/fw_error.h"
#include "netns/fw/fw_model.h"
#include "netns/fw/fw_nft.h"
#include "netns/nl.h"
#include "netns/ns.h"
#include "netns/util/now.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <libmnl/libmnl.h>

#ifndef MNL_SOCKET_DUMP_SIZE
#define MNL_SOCKET_DUMP_SIZE 32768
#endif

#define FW_REPLY_TIMEOUT_MS 10000

static int fw_rule_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_type_valid(attr, NFTA_RULE_MAX) < 0)
		return MNL_CB_OK;
	if (mnl_attr_get_type(attr) == NFTA_RULE_HANDLE &&
	    mnl_attr_validate(attr, MNL_TYPE_U64) < 0)
		return MNL_CB_ERROR;
	tb[mnl_attr_get_type(attr)] = attr;
	return MNL_CB_OK;
}

/* An echoed NEWRULE: the kernel's handle for the rule sent with that seq. */
static void fw_echo_rule(struct fw_batch *b, const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[NFTA_RULE_MAX + 1] = { 0 };
	const struct fw_batch_msg *m = fw_batch_lookup(b, nlh->nlmsg_seq);

	if (!m || m->type != NFT_MSG_NEWRULE)
		return;
	if (mnl_attr_parse(nlh, sizeof(struct nfgenmsg), fw_rule_attr_cb, tb) < 0 ||
	    !tb[NFTA_RULE_HANDLE])
		return;
	m->op->rule->handle[m->krule] = be64toh(mnl_attr_get_u64(tb[NFTA_RULE_HANDLE]));
}

int fw_replies_process(struct fw_batch *b, const void *buf, size_t len, uint32_t portid,
		       struct fw_replies *st)
{
	const struct nlmsghdr *nlh = buf;
	uint32_t last = b->nmsgs ? b->msgs[b->nmsgs - 1].seq : b->seq_begin;
	int left = (int)len;

	for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
		const struct nlmsgerr *e;

		if (nlh->nlmsg_pid != portid || nlh->nlmsg_seq < b->seq_begin ||
		    nlh->nlmsg_seq > b->seq_end)
			continue;
		if (nlh->nlmsg_type == ((NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWRULE)) {
			fw_echo_rule(b, nlh);
			continue;
		}
		if (nlh->nlmsg_type != NLMSG_ERROR)
			continue;
		if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
			return -EBADMSG;
		e = mnl_nlmsg_get_payload(nlh);
		if (e->error && !st->error) {
			st->error = e->error < 0 ? e->error : -e->error;
			st->err_seq = nlh->nlmsg_seq;
			nl_extack_parse(nlh, st->extack, sizeof(st->extack));
		}
		if (nlh->nlmsg_seq == last || (e->error && nlh->nlmsg_seq == b->seq_begin))
			st->done = true;
	}
	return 0;
}

static int fw_remaining_ms(uint64_t deadline)
{
	uint64_t now = now_ms();

	return deadline > now ? (int)(deadline - now) : 0;
}

static int fw_talk(struct nl *nl, struct fw_batch *b, struct fw_replies *st)
{
	struct mnl_socket *sock = nl_socket(nl);
	int fd = mnl_socket_get_fd(sock);
	int sndbuf = (int)b->len + 4096;
	int rcvbuf = (int)(b->nmsgs * 2048) + (1 << 16);
	uint64_t deadline;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char *rbuf = NULL;
	ssize_t n;
	int ret = 0;

	/* A batch is one datagram, and all its ACKs arrive at once: make
	 * room for both (the FORCE variants need CAP_NET_ADMIN, which a lab
	 * has; the plain ones are capped by the sysctl limits). */
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	rbuf = xmalloc(MNL_SOCKET_DUMP_SIZE);
	if (mnl_socket_sendto(sock, b->buf, b->len) < 0) {
		ret = -errno;
		goto cleanup;
	}
	deadline = now_ms() + FW_REPLY_TIMEOUT_MS;
	while (!st->done) {
		ret = poll(&pfd, 1, fw_remaining_ms(deadline));
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret < 0) {
			ret = -errno;
			goto cleanup;
		}
		if (!ret) {
			ret = -ETIMEDOUT;
			goto cleanup;
		}
		n = mnl_socket_recvfrom(sock, rbuf, MNL_SOCKET_DUMP_SIZE);
		if (n < 0) {
			ret = -errno;
			goto cleanup;
		}
		ret = fw_replies_process(b, rbuf, (size_t)n, nl_portid(nl), st);
		if (ret)
			goto cleanup;
	}
	ret = 0;
cleanup:
	free(rbuf);
	return ret;
}

int fw_apply(struct netns *ns, struct fw_ruleset *rs, struct fw_error *err)
{
	struct fw_replies st = { 0 };
	struct fw_error dummy;
	struct fw_batch *b = NULL;
	struct nl *nl = NULL;
	struct fw_op *op;
	unsigned int k;
	int ret;

	if (!err)
		err = &dummy;
	memset(err, 0, sizeof(*err));
	err->arg = -1;
	if (!rs->nops)
		return 0;
	nl = netns_nl_open(ns, NETLINK_NETFILTER);
	if (!nl) {
		ret = -errno;
		fw_err(err, 0, ret, "cannot open a netfilter socket: %s", strerror(-ret));
		goto cleanup;
	}
	/* A fresh socket: any seq works; keep the batch clear of wrapping. */
	ret = fw_batch_build(rs, (nl_seq_next(nl) & 0x3fffffff) + 1, &b);
	if (ret) {
		fw_err(err, 0, ret, "cannot build the transaction: %s", strerror(-ret));
		goto cleanup;
	}
	ret = fw_talk(nl, b, &st);
	/* The namespace's record of its last refusal (netns_extack()). */
	nl_extack_set(nl, st.extack);
	if (ret) {
		fw_err(err, 0, ret, "no answer to the transaction: %s", strerror(-ret));
		goto cleanup;
	}
	if (st.error) {
		fw_batch_error(b, st.err_seq, st.error, st.extack, err);
		ret = st.error;
		goto cleanup;
	}
	for (op = rs->first_op; op; op = op->next) {
		/* A rule deleted in the same transaction needs no handle. */
		if (op->kind != FW_OP_ADD_RULE || op->rule->gone)
			continue;
		for (k = 0; k < op->rule->nkern; k++)
			if (!op->rule->handle[k]) {
				/* Applied, but a later -D could not find it. */
				fw_ops_commit(rs);
				err->line = op->src_line;
				ret = fw_err(err, op->column, -EPROTO,
					     "the kernel did not echo the new rule's handle");
				goto cleanup;
			}
	}
	fw_ops_commit(rs);
cleanup:
	if (ret && rs->nops)
		fw_ops_undo(rs);
	fw_batch_free(b);
	nl_free(nl);
	return ret;
}
