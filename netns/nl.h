/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_NL_H
#define NETNS_NL_H

#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

/*
 * One netlink socket.  It is bound in the network namespace that is current
 * when nl_open() runs and stays there: open it after netns_enter(), then go
 * back.  Requests are built in the socket's own buffer, one at a time.
 */
struct nl;

struct nl *nl_open(int bus);
void nl_free(struct nl *nl);

/* Starts a request in nl's buffer: header, type, NLM_F_REQUEST|NLM_F_ACK|flags,
 * and a fresh non-zero sequence number. */
struct nlmsghdr *nl_request(struct nl *nl, uint16_t type, uint16_t flags);
size_t nl_bufsize(const struct nl *nl);
/* The request part of nl's buffer (nl_bufsize() bytes), for the modules'
 * message builders, which write a whole message there; the caller then gives
 * it a sequence number (nl_seq_next()) and passes it to nl_talk(). */
void *nl_reqbuf(struct nl *nl);

/* Sends nlh and runs cb on every reply until the ACK (or NLMSG_DONE for a
 * dump).  Returns 0 or -errno; a refusal keeps the kernel's extack message
 * for nl_extack(nl).  A dump interrupted by a change (NLM_F_DUMP_INTR) returns
 * -EINTR: the caller redoes it, see nl_dump().  cb may return MNL_CB_STOP or
 * MNL_CB_ERROR (with errno set) in the middle of a dump: the rest of the dump
 * is read away, so the socket stays usable. */
int nl_talk(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data);

/* nl_talk() for NLM_F_DUMP requests, redone from scratch on -EINTR.  build is
 * called to rebuild the request each time. */
int nl_dump(struct nl *nl, struct nlmsghdr *(*build)(struct nl *, void *),
	    void *build_data, mnl_cb_t cb, void *data);

/* Sequence numbers for batches built outside nl's buffer. */
uint32_t nl_seq_next(struct nl *nl);
uint32_t nl_portid(const struct nl *nl);
struct mnl_socket *nl_socket(struct nl *nl);

/* The kernel's reason (NLMSGERR_ATTR_MSG) for refusing the last request
 * on nl, as the kernel wrote it; "" when it accepted the request or gave no
 * reason. */
#define NL_EXTACK_LEN 256
const char *nl_extack(const struct nl *nl);
/* Also writes every request's reason (or "") into buf, len bytes, which
 * must outlive nl: the namespace's record of its last refusal
 * (netns_extack()).  NULL or 0 stops it. */
void nl_extack_share(struct nl *nl, char *buf, size_t len);
/* Records msg as the reason for the last request on nl, for exchanges that
 * do not go through nl_talk() (nftables batches). */
void nl_extack_set(struct nl *nl, const char *msg);
/* The reason an NLMSG_ERROR carries, into buf ("" if none). */
void nl_extack_parse(const struct nlmsghdr *nlh, char *buf, size_t len);

#endif
