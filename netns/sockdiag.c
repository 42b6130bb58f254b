// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* Listening sockets of a namespace, through NETLINK_SOCK_DIAG. */
#include "netns/sockdiag.h"
#include "netns/nl.h"
#include "netns/ns.h"

#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#define SOCKDIAG_TCP_LISTEN 10	/* TCP_LISTEN of the kernel's tcp_states.h */
#define SOCKDIAG_UDP_CLOSE 7	/* an unconnected UDP socket: TCP_CLOSE */
#define SOCKDIAG_UDP_ESTABLISHED 1

struct sockdiag_req {
	int family;
	int proto;
	uint16_t port;
	struct sockdiag_sock *v;
	size_t max, n;
};

static struct nlmsghdr *sockdiag_build(struct nl *nl, void *data)
{
	struct sockdiag_req *q = data;
	struct inet_diag_req_v2 *req;
	struct nlmsghdr *nlh;

	nlh = nl_request(nl, SOCK_DIAG_BY_FAMILY, NLM_F_DUMP);
	req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
	memset(req, 0, sizeof(*req));
	req->sdiag_family = (uint8_t)q->family;
	req->sdiag_protocol = (uint8_t)q->proto;
	req->idiag_states = q->proto == IPPROTO_TCP ? 1U << SOCKDIAG_TCP_LISTEN :
			    (1U << SOCKDIAG_UDP_CLOSE) | (1U << SOCKDIAG_UDP_ESTABLISHED);
	return nlh;
}

static int sockdiag_cb(const struct nlmsghdr *nlh, void *data)
{
	struct sockdiag_req *q = data;
	const struct inet_diag_msg *m;

	if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*m))
		return MNL_CB_OK;
	m = mnl_nlmsg_get_payload(nlh);
	if (ntohs(m->id.idiag_sport) != q->port)
		return MNL_CB_OK;
	if (q->n < q->max)
		q->v[q->n] = (struct sockdiag_sock){ .family = q->family, .inode = m->idiag_inode };
	q->n++;
	return MNL_CB_OK;
}

int sockdiag_bound(struct netns *ns, int proto, uint16_t port, struct sockdiag_sock *v, size_t max)
{
	static const int families[] = { AF_INET, AF_INET6 };
	struct sockdiag_req q = { .proto = proto, .port = port, .v = v, .max = max };
	struct nl *nl;
	int err = 0;

	nl = netns_nl_open(ns, NETLINK_SOCK_DIAG);
	if (!nl)
		return -errno;
	for (size_t k = 0; k < sizeof(families) / sizeof(families[0]) && !err; k++) {
		q.family = families[k];
		err = nl_dump(nl, sockdiag_build, &q, sockdiag_cb, &q);
	}
	nl_free(nl);
	return err < 0 ? err : (int)q.n;
}

int sockdiag_listening(struct netns *ns, int proto, uint16_t port, bool *ret)
{
	int n = sockdiag_bound(ns, proto, port, NULL, 0);

	if (n < 0)
		return n;
	*ret = n > 0;
	return 0;
}
