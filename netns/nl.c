// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "netns/nl.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/netlink.h>

#ifndef MNL_SOCKET_DUMP_SIZE
#define MNL_SOCKET_DUMP_SIZE 32768
#endif

struct nl {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;
	size_t size;
	char *buf;
	char extack[NL_EXTACK_LEN];
	char *shared;			/* nl_extack_share(), or NULL */
	size_t shared_len;
};

const char *nl_extack(const struct nl *nl)
{
	return nl->extack;
}

void nl_extack_share(struct nl *nl, char *buf, size_t len)
{
	nl->shared = len ? buf : NULL;
	nl->shared_len = len;
	if (nl->shared)
		snprintf(nl->shared, nl->shared_len, "%s", nl->extack);
}

void nl_extack_set(struct nl *nl, const char *msg)
{
	snprintf(nl->extack, sizeof(nl->extack), "%s", msg);
	if (nl->shared)
		snprintf(nl->shared, nl->shared_len, "%s", msg);
}

struct nl *nl_open(int bus)
{
	struct nl *nl = xcalloc(1, sizeof(*nl));
	int one = 1;

	nl->size = MNL_SOCKET_DUMP_SIZE;
	nl->buf = xmalloc(nl->size);
	nl->sock = mnl_socket_open2(bus, SOCK_CLOEXEC);
	if (!nl->sock)
		goto err;
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0)
		goto err;
	/* Best effort: kernels without extended ACKs still work. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (uint32_t)time(NULL);
	if (!nl->seq)
		nl->seq = 1;
	return nl;
err:
	nl_free(nl);
	return NULL;
}

void nl_free(struct nl *nl)
{
	int saved = errno;

	if (!nl)
		return;
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl->buf);
	free(nl);
	errno = saved;
}

uint32_t nl_seq_next(struct nl *nl)
{
	if (!++nl->seq)
		++nl->seq;
	return nl->seq;
}

uint32_t nl_portid(const struct nl *nl)
{
	return nl->portid;
}

struct mnl_socket *nl_socket(struct nl *nl)
{
	return nl->sock;
}

void *nl_reqbuf(struct nl *nl)
{
	return nl->buf;
}

size_t nl_bufsize(const struct nl *nl)
{
	/* Requests stay well under a page; the rest of the buffer is for
	 * receiving. */
	return nl->size / 2;
}

struct nlmsghdr *nl_request(struct nl *nl, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh;

	memset(nl->buf, 0, nl->size / 2);
	nlh = mnl_nlmsg_put_header(nl->buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = nl_seq_next(nl);
	return nlh;
}

static int nl_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (mnl_attr_type_valid(attr, NLMSGERR_ATTR_MAX) < 0)
		return MNL_CB_OK;
	if (type == NLMSGERR_ATTR_MSG && mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
		return MNL_CB_OK;
	tb[type] = attr;
	return MNL_CB_OK;
}

void nl_extack_parse(const struct nlmsghdr *nlh, char *buf, size_t len)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = { 0 };
	unsigned int off = sizeof(*err);

	buf[0] = '\0';
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += mnl_nlmsg_get_payload_len(&err->msg);
	if (mnl_attr_parse(nlh, off, nl_attr_cb, tb) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(buf, len, "%s", mnl_attr_get_str(tb[NLMSGERR_ATTR_MSG]));
}

static int nl_error_cb(const struct nlmsghdr *nlh, struct nl *nl)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	char msg[NL_EXTACK_LEN];

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*err))) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (!err->error)
		return MNL_CB_STOP;
	nl_extack_parse(nlh, msg, sizeof(msg));
	nl_extack_set(nl, msg);
	errno = err->error < 0 ? -err->error : err->error;
	return MNL_CB_ERROR;
}

static int nl_done_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)data;
	/* NLMSG_DONE may carry an error of the dump. */
	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int)) {
		int err = *(int *)mnl_nlmsg_get_payload(nlh);

		if (err < 0) {
			errno = -err;
			return MNL_CB_ERROR;
		}
	}
	return MNL_CB_STOP;
}

/* What nl_talk() runs on each reply: the caller's callback, plus the state
 * needed to tell a finished exchange from one cut short by an error. */
struct nl_talk_ctx {
	struct nl *nl;
	mnl_cb_t cb;
	void *data;
	bool intr;
};

static int nl_talk_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_talk_ctx *ctx = data;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		ctx->intr = true;
	return ctx->cb ? ctx->cb(nlh, ctx->data) : MNL_CB_OK;
}

static int nl_talk_error_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_talk_ctx *ctx = data;

	return nl_error_cb(nlh, ctx->nl);
}

static int nl_talk_done_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_talk_ctx *ctx = data;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		ctx->intr = true;
	return nl_done_cb(nlh, NULL);
}

static const mnl_cb_t nl_talk_ctl_cb[NLMSG_MIN_TYPE] = {
	[NLMSG_ERROR] = nl_talk_error_cb,
	[NLMSG_DONE] = nl_talk_done_cb,
};

/* True when buf holds the message that ends the exchange seq (its ACK or
 * error, or NLMSG_DONE of a dump). */
static bool nl_ends(const void *buf, size_t len, uint32_t seq, uint32_t portid)
{
	const struct nlmsghdr *nlh = buf;
	int left = (int)len;

	for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left))
		if (nlh->nlmsg_seq == seq && nlh->nlmsg_pid == portid &&
		    (nlh->nlmsg_type == NLMSG_ERROR || nlh->nlmsg_type == NLMSG_DONE))
			return true;
	return false;
}

/* After a callback failed in the middle of a dump, the rest of the dump is
 * still queued; read it away so the next request on this socket does not
 * find stale sequence numbers. */
static void nl_drain(struct nl *nl, uint32_t seq, char *rbuf, size_t rlen)
{
	ssize_t len;

	for (;;) {
		len = mnl_socket_recvfrom(nl->sock, rbuf, rlen);
		if (len < 0 && errno == EINTR)
			continue;
		if (len <= 0 || nl_ends(rbuf, (size_t)len, seq, nl->portid))
			return;
	}
}

int nl_talk(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	struct nl_talk_ctx ctx = { .nl = nl, .cb = cb, .data = data };
	bool dump = (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	uint32_t seq = nlh->nlmsg_seq;
	char *rbuf = nl->buf + nl->size / 2;
	size_t rlen = nl->size / 2;
	ssize_t len;
	int ret;

	nl_extack_set(nl, "");
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		len = mnl_socket_recvfrom(nl->sock, rbuf, rlen);
		if (len < 0 && errno == EINTR)
			continue;
		if (len < 0)
			return -errno;
		ret = mnl_cb_run2(rbuf, len, seq, nl->portid, nl_talk_cb, &ctx,
				  (mnl_cb_t *)nl_talk_ctl_cb, NLMSG_MIN_TYPE);
		if (ret < 0) {
			ret = -errno;
			if (dump && !nl_ends(rbuf, (size_t)len, seq, nl->portid))
				nl_drain(nl, seq, rbuf, rlen);
			return ret;
		}
		if (ret == MNL_CB_STOP) {
			/* A callback may stop a dump early. */
			if (dump && !nl_ends(rbuf, (size_t)len, seq, nl->portid))
				nl_drain(nl, seq, rbuf, rlen);
			break;
		}
	}
	return ctx.intr ? -EINTR : 0;
}

int nl_dump(struct nl *nl, struct nlmsghdr *(*build)(struct nl *, void *),
	    void *build_data, mnl_cb_t cb, void *data)
{
	int ret, tries = 0;

	do
		ret = nl_talk(nl, build(nl, build_data), cb, data);
	while (ret == -EINTR && ++tries < 16);
	return ret;
}

