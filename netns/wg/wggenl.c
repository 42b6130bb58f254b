// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "netns/wg/wggenl.h"
#include "netns/link.h"
#include "netns/nl.h"
#include "netns/ns.h"
#include "netns/wg/wgconf.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/wireguard.h>
#include <net/if.h>

/* Added to the kernel in 2025; older headers lack them. */
#define WGGENL_ALLOWEDIP_A_FLAGS 4
#define WGGENL_ALLOWEDIP_F_REMOVE_ME 1U

size_t wggenl_bufsize(void)
{
	long page = sysconf(_SC_PAGESIZE);

	return page > 0 && page < 8192 ? (size_t)page : 8192;
}

static struct nlmsghdr *wggenl_header(void *buf, uint16_t family, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = WG_GENL_VERSION;
	return nlh;
}

static bool wggenl_put_device(struct nlmsghdr *nlh, size_t size, const struct wgconf_device *dev)
{
	uint32_t flags = 0;

	if ((dev->flags & WGCONF_DEV_HAS_PRIVATE_KEY) &&
	    !mnl_attr_put_check(nlh, size, WGDEVICE_A_PRIVATE_KEY, WGKEY_LEN, dev->private_key))
		return false;
	if ((dev->flags & WGCONF_DEV_HAS_LISTEN_PORT) &&
	    !mnl_attr_put_u16_check(nlh, size, WGDEVICE_A_LISTEN_PORT, dev->listen_port))
		return false;
	if ((dev->flags & WGCONF_DEV_HAS_FWMARK) &&
	    !mnl_attr_put_u32_check(nlh, size, WGDEVICE_A_FWMARK, dev->fwmark))
		return false;
	if (dev->flags & WGCONF_DEV_REPLACE_PEERS)
		flags |= WGDEVICE_F_REPLACE_PEERS;
	if (flags && !mnl_attr_put_u32_check(nlh, size, WGDEVICE_A_FLAGS, flags))
		return false;
	return true;
}

/* The attributes of a peer's first fragment. */
static bool wggenl_put_peer(struct nlmsghdr *nlh, size_t size, const struct wgconf_peer *peer)
{
	uint32_t flags = 0;

	if (peer->flags & WGCONF_PEER_REMOVE)
		flags |= WGPEER_F_REMOVE_ME;
	if (peer->flags & WGCONF_PEER_REPLACE_ALLOWEDIPS)
		flags |= WGPEER_F_REPLACE_ALLOWEDIPS;
	if (peer->flags & WGCONF_PEER_UPDATE_ONLY)
		flags |= WGPEER_F_UPDATE_ONLY;
	if (flags && !mnl_attr_put_u32_check(nlh, size, WGPEER_A_FLAGS, flags))
		return false;
	if (peer->flags & WGCONF_PEER_REMOVE)
		return true;
	if ((peer->flags & WGCONF_PEER_HAS_PRESHARED_KEY) &&
	    !mnl_attr_put_check(nlh, size, WGPEER_A_PRESHARED_KEY, WGKEY_LEN, peer->preshared_key))
		return false;
	if (peer->flags & WGCONF_PEER_HAS_ENDPOINT) {
		size_t len = peer->endpoint.sa.sa_family == AF_INET ? sizeof(peer->endpoint.in) :
								       sizeof(peer->endpoint.in6);

		if (!mnl_attr_put_check(nlh, size, WGPEER_A_ENDPOINT, len, &peer->endpoint))
			return false;
	}
	if ((peer->flags & WGCONF_PEER_HAS_KEEPALIVE) &&
	    !mnl_attr_put_u16_check(nlh, size, WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL,
				    peer->persistent_keepalive))
		return false;
	return true;
}

static bool wggenl_put_allowedip(struct nlmsghdr *nlh, size_t size, const struct wgconf_ip *ip)
{
	struct nlattr *nest = mnl_attr_nest_start_check(nlh, size, 0);

	if (!nest)
		return false;
	if (!mnl_attr_put_u16_check(nlh, size, WGALLOWEDIP_A_FAMILY, (uint16_t)ip->addr.family) ||
	    !mnl_attr_put_check(nlh, size, WGALLOWEDIP_A_IPADDR, addr_len(ip->addr.family), ip->addr.bytes) ||
	    !mnl_attr_put_u8_check(nlh, size, WGALLOWEDIP_A_CIDR_MASK, ip->addr.prefixlen) ||
	    ((ip->flags & WGCONF_IP_REMOVE) &&
	     !mnl_attr_put_u32_check(nlh, size, WGGENL_ALLOWEDIP_A_FLAGS, WGGENL_ALLOWEDIP_F_REMOVE_ME))) {
		mnl_attr_nest_cancel(nlh, nest);
		return false;
	}
	mnl_attr_nest_end(nlh, nest);
	return true;
}

int wggenl_build_set(void *buf, size_t bufsize, uint16_t family, const char *ifname,
		     const struct wgconf_device *dev,
		     int (*emit)(struct nlmsghdr *nlh, void *data), void *data)
{
	const struct wgconf_peer *peer = dev->first_peer;
	const struct wgconf_ip *ip = NULL;
	bool first = true;
	int ret;

	for (peer = dev->first_peer; peer; peer = peer->next) {
		if (!(peer->flags & WGCONF_PEER_HAS_PUBLIC_KEY))
			return -ENOKEY;
		if (peer->endpoint_host && !(peer->flags & WGCONF_PEER_HAS_ENDPOINT))
			return -EDESTADDRREQ;
	}
	peer = dev->first_peer;
	do {
		const struct wgconf_peer *start_peer = peer;
		const struct wgconf_ip *start_ip = ip;
		struct nlattr *peers = NULL, *pnest, *aips;
		struct nlmsghdr *nlh;

		memset(buf, 0, bufsize);
		nlh = wggenl_header(buf, family, WG_CMD_SET_DEVICE, 0);
		if (!mnl_attr_put_strz_check(nlh, bufsize, WGDEVICE_A_IFNAME, ifname))
			return -EMSGSIZE;
		if (first && !wggenl_put_device(nlh, bufsize, dev))
			return -EMSGSIZE;
		if (peer)
			peers = mnl_attr_nest_start_check(nlh, bufsize, WGDEVICE_A_PEERS);
		for (; peer && peers; peer = peer->next, ip = NULL) {
			pnest = mnl_attr_nest_start_check(nlh, bufsize, 0);
			if (!pnest)
				break;
			if (!mnl_attr_put_check(nlh, bufsize, WGPEER_A_PUBLIC_KEY, WGKEY_LEN, peer->public_key) ||
			    (!ip && !wggenl_put_peer(nlh, bufsize, peer))) {
				mnl_attr_nest_cancel(nlh, pnest);
				break;
			}
			if (!(peer->flags & WGCONF_PEER_REMOVE) && peer->first_allowedip) {
				aips = mnl_attr_nest_start_check(nlh, bufsize, WGPEER_A_ALLOWEDIPS);
				if (!aips) {
					mnl_attr_nest_cancel(nlh, pnest);
					break;
				}
				for (ip = ip ? ip : peer->first_allowedip; ip; ip = ip->next)
					if (!wggenl_put_allowedip(nlh, bufsize, ip))
						break;
				mnl_attr_nest_end(nlh, aips);
				if (ip) {
					/* The rest of this peer's prefixes go in
					 * the next message. */
					mnl_attr_nest_end(nlh, pnest);
					break;
				}
			}
			mnl_attr_nest_end(nlh, pnest);
		}
		if (peers)
			mnl_attr_nest_end(nlh, peers);
		if (!first && peer == start_peer && ip == start_ip)
			return -EMSGSIZE;	/* no progress: one item is too big */
		first = false;
		ret = emit(nlh, data);
		if (ret < 0)
			return ret;
	} while (peer);
	return 0;
}

/* Parsing. */

struct wggenl_tb {
	const struct nlattr **tb;
	int max;
};

static int wggenl_attr_cb(const struct nlattr *attr, void *data)
{
	struct wggenl_tb *t = data;
	int type = mnl_attr_get_type(attr);

	if (mnl_attr_type_valid(attr, (uint16_t)t->max) < 0)
		return MNL_CB_OK;	/* newer attributes are skipped */
	t->tb[type] = attr;
	return MNL_CB_OK;
}

static int wggenl_parse_nested(const struct nlattr *nest, const struct nlattr **tb, int max)
{
	struct wggenl_tb t = { tb, max };

	memset(tb, 0, sizeof(*tb) * (size_t)(max + 1));
	return mnl_attr_parse_nested(nest, wggenl_attr_cb, &t) < 0 ? -EPROTO : 0;
}

static bool wggenl_is(const struct nlattr *a, enum mnl_attr_data_type type)
{
	return a && mnl_attr_validate(a, type) >= 0;
}

static bool wggenl_is_key(const struct nlattr *a)
{
	return a && mnl_attr_get_payload_len(a) == WGKEY_LEN;
}

static int wggenl_parse_allowedips(const struct nlattr *nest, struct wgconf_peer *peer)
{
	const struct nlattr *tb[WGGENL_ALLOWEDIP_A_FLAGS + 1];
	const struct nlattr *a;
	int ret;

	mnl_attr_for_each_nested(a, nest) {
		struct addr ip = { 0 };
		unsigned int flags = 0;

		ret = wggenl_parse_nested(a, tb, WGGENL_ALLOWEDIP_A_FLAGS);
		if (ret < 0)
			return ret;
		if (!wggenl_is(tb[WGALLOWEDIP_A_FAMILY], MNL_TYPE_U16) || !tb[WGALLOWEDIP_A_IPADDR] ||
		    !wggenl_is(tb[WGALLOWEDIP_A_CIDR_MASK], MNL_TYPE_U8))
			return -EPROTO;
		ip.family = mnl_attr_get_u16(tb[WGALLOWEDIP_A_FAMILY]);
		if (!addr_len(ip.family) ||
		    mnl_attr_get_payload_len(tb[WGALLOWEDIP_A_IPADDR]) != addr_len(ip.family))
			return -EPROTO;
		memcpy(ip.bytes, mnl_attr_get_payload(tb[WGALLOWEDIP_A_IPADDR]), addr_len(ip.family));
		ip.prefixlen = mnl_attr_get_u8(tb[WGALLOWEDIP_A_CIDR_MASK]);
		if (ip.prefixlen > addr_len(ip.family) * 8)
			return -EPROTO;
		if (wggenl_is(tb[WGGENL_ALLOWEDIP_A_FLAGS], MNL_TYPE_U32) &&
		    (mnl_attr_get_u32(tb[WGGENL_ALLOWEDIP_A_FLAGS]) & WGGENL_ALLOWEDIP_F_REMOVE_ME))
			flags |= WGCONF_IP_REMOVE;
		wgconf_peer_add_allowedip(peer, &ip, flags);
	}
	return 0;
}

static int wggenl_parse_peer(const struct nlattr *nest, struct wgconf_device *dev)
{
	const struct nlattr *tb[WGPEER_A_MAX + 1];
	struct wgconf_peer *peer;
	const void *key;
	uint32_t flags;
	int ret;

	ret = wggenl_parse_nested(nest, tb, WGPEER_A_MAX);
	if (ret < 0)
		return ret;
	if (!wggenl_is_key(tb[WGPEER_A_PUBLIC_KEY]))
		return -EPROTO;
	key = mnl_attr_get_payload(tb[WGPEER_A_PUBLIC_KEY]);
	peer = dev->last_peer;
	/* A continuation of the previous message's last peer. */
	if (!peer || !(peer->flags & WGCONF_PEER_HAS_PUBLIC_KEY) || !wgkey_equal(peer->public_key, key)) {
		peer = wgconf_device_add_peer(dev);
		wgconf_peer_set_public_key(peer, key);
	}
	if (wggenl_is_key(tb[WGPEER_A_PRESHARED_KEY])) {
		memcpy(peer->preshared_key, mnl_attr_get_payload(tb[WGPEER_A_PRESHARED_KEY]), WGKEY_LEN);
		if (!wgkey_is_zero(peer->preshared_key))
			peer->flags |= WGCONF_PEER_HAS_PRESHARED_KEY;
	}
	if (tb[WGPEER_A_ENDPOINT]) {
		uint16_t len = mnl_attr_get_payload_len(tb[WGPEER_A_ENDPOINT]);
		const struct sockaddr *sa = mnl_attr_get_payload(tb[WGPEER_A_ENDPOINT]);

		if (len < sizeof(sa_family_t))
			return -EPROTO;
		if ((sa->sa_family == AF_INET && len == sizeof(struct sockaddr_in)) ||
		    (sa->sa_family == AF_INET6 && len == sizeof(struct sockaddr_in6)))
			wgconf_peer_set_endpoint(peer, sa, len);
	}
	if (wggenl_is(tb[WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL], MNL_TYPE_U16)) {
		peer->persistent_keepalive = mnl_attr_get_u16(tb[WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL]);
		peer->flags |= WGCONF_PEER_HAS_KEEPALIVE;
	}
	if (tb[WGPEER_A_LAST_HANDSHAKE_TIME] &&
	    mnl_attr_get_payload_len(tb[WGPEER_A_LAST_HANDSHAKE_TIME]) == 2 * sizeof(int64_t)) {
		const int64_t *ts = mnl_attr_get_payload(tb[WGPEER_A_LAST_HANDSHAKE_TIME]);

		peer->last_handshake_sec = ts[0];
		peer->last_handshake_nsec = ts[1];
		if (ts[0] || ts[1])
			peer->flags |= WGCONF_PEER_HAS_HANDSHAKE;
	}
	if (wggenl_is(tb[WGPEER_A_RX_BYTES], MNL_TYPE_U64) && wggenl_is(tb[WGPEER_A_TX_BYTES], MNL_TYPE_U64)) {
		peer->rx_bytes = mnl_attr_get_u64(tb[WGPEER_A_RX_BYTES]);
		peer->tx_bytes = mnl_attr_get_u64(tb[WGPEER_A_TX_BYTES]);
		peer->flags |= WGCONF_PEER_HAS_STATS;
	}
	if (wggenl_is(tb[WGPEER_A_PROTOCOL_VERSION], MNL_TYPE_U32)) {
		peer->protocol_version = mnl_attr_get_u32(tb[WGPEER_A_PROTOCOL_VERSION]);
		peer->flags |= WGCONF_PEER_HAS_PROTOCOL;
	}
	if (wggenl_is(tb[WGPEER_A_FLAGS], MNL_TYPE_U32)) {
		flags = mnl_attr_get_u32(tb[WGPEER_A_FLAGS]);
		if (flags & WGPEER_F_REMOVE_ME)
			peer->flags |= WGCONF_PEER_REMOVE;
		if (flags & WGPEER_F_REPLACE_ALLOWEDIPS)
			peer->flags |= WGCONF_PEER_REPLACE_ALLOWEDIPS;
		if (flags & WGPEER_F_UPDATE_ONLY)
			peer->flags |= WGCONF_PEER_UPDATE_ONLY;
	}
	if (tb[WGPEER_A_ALLOWEDIPS])
		return wggenl_parse_allowedips(tb[WGPEER_A_ALLOWEDIPS], peer);
	return 0;
}

int wggenl_parse(const struct nlmsghdr *nlh, struct wgconf_device *dev)
{
	const struct nlattr *tb[WGDEVICE_A_MAX + 1] = { 0 };
	struct wggenl_tb t = { tb, WGDEVICE_A_MAX };
	const struct nlattr *a;
	int ret;

	if (mnl_attr_parse(nlh, sizeof(struct genlmsghdr), wggenl_attr_cb, &t) < 0)
		return -EPROTO;
	if (wggenl_is(tb[WGDEVICE_A_IFNAME], MNL_TYPE_NUL_STRING))
		snprintf(dev->ifname, sizeof(dev->ifname), "%s", mnl_attr_get_str(tb[WGDEVICE_A_IFNAME]));
	if (wggenl_is_key(tb[WGDEVICE_A_PRIVATE_KEY])) {
		memcpy(dev->private_key, mnl_attr_get_payload(tb[WGDEVICE_A_PRIVATE_KEY]), WGKEY_LEN);
		dev->flags |= WGCONF_DEV_HAS_PRIVATE_KEY;
	}
	if (wggenl_is_key(tb[WGDEVICE_A_PUBLIC_KEY])) {
		memcpy(dev->public_key, mnl_attr_get_payload(tb[WGDEVICE_A_PUBLIC_KEY]), WGKEY_LEN);
		dev->flags |= WGCONF_DEV_HAS_PUBLIC_KEY;
	}
	if (wggenl_is(tb[WGDEVICE_A_LISTEN_PORT], MNL_TYPE_U16)) {
		dev->listen_port = mnl_attr_get_u16(tb[WGDEVICE_A_LISTEN_PORT]);
		dev->flags |= WGCONF_DEV_HAS_LISTEN_PORT;
	}
	if (wggenl_is(tb[WGDEVICE_A_FWMARK], MNL_TYPE_U32)) {
		dev->fwmark = mnl_attr_get_u32(tb[WGDEVICE_A_FWMARK]);
		dev->flags |= WGCONF_DEV_HAS_FWMARK;
	}
	if (wggenl_is(tb[WGDEVICE_A_FLAGS], MNL_TYPE_U32) &&
	    (mnl_attr_get_u32(tb[WGDEVICE_A_FLAGS]) & WGDEVICE_F_REPLACE_PEERS))
		dev->flags |= WGCONF_DEV_REPLACE_PEERS;
	if (!tb[WGDEVICE_A_PEERS])
		return 0;
	mnl_attr_for_each_nested(a, tb[WGDEVICE_A_PEERS]) {
		ret = wggenl_parse_peer(a, dev);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* Kernel I/O. */

static int wggenl_family_attr_cb(const struct nlattr *attr, void *data)
{
	uint16_t *id = data;

	if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID && mnl_attr_validate(attr, MNL_TYPE_U16) >= 0)
		*id = mnl_attr_get_u16(attr);
	return MNL_CB_OK;
}

static int wggenl_family_cb(const struct nlmsghdr *nlh, void *data)
{
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), wggenl_family_attr_cb, data);
	return MNL_CB_OK;
}

static int wggenl_resolve(struct nl *nl, uint16_t *ret)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;
	uint16_t id = 0;
	int r;

	nlh = nl_request(nl, GENL_ID_CTRL, 0);
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = CTRL_CMD_GETFAMILY;
	genl->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, WG_GENL_NAME);
	r = nl_talk(nl, nlh, wggenl_family_cb, &id);
	/* No such family: this kernel has no WireGuard. */
	if (r == -ENOENT)
		return -EPROTONOSUPPORT;
	if (r < 0)
		return r;
	if (!id)
		return -EPROTO;
	*ret = id;
	return 0;
}

int wggenl_family(struct netns *ns, uint16_t *ret)
{
	struct nl *nl = netns_nl_open(ns, NETLINK_GENERIC);
	int r;

	if (!nl)
		return -errno;
	r = wggenl_resolve(nl, ret);
	nl_free(nl);
	return r;
}

int wggenl_link_add(struct netns *ns, const char *ifname)
{
	struct nl *nl = netns_rtnl(ns);
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;
	struct nlattr *info;

	if (strlen(ifname) >= IF_NAMESIZE)
		return -EINVAL;
	nlh = nl_request(nl, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "wireguard");
	mnl_attr_nest_end(nlh, info);
	return nl_talk(nl, nlh, NULL, NULL);
}

int wggenl_link_del(struct netns *ns, const char *ifname)
{
	/* link.c keeps an index cache of the links it knows. */
	return link_del(ns, ifname);
}

struct wggenl_send {
	struct nl *nl;
};

static int wggenl_send_cb(struct nlmsghdr *nlh, void *data)
{
	struct wggenl_send *s = data;

	/* Each fragment is acknowledged before the next one goes. */
	nlh->nlmsg_seq = nl_seq_next(s->nl);
	return nl_talk(s->nl, nlh, NULL, NULL);
}

int wggenl_set(struct netns *ns, const char *ifname, const struct wgconf_device *dev)
{
	struct wggenl_send s = { 0 };
	size_t size = wggenl_bufsize();
	uint16_t family;
	void *buf = NULL;
	int r;

	s.nl = netns_nl_open(ns, NETLINK_GENERIC);
	if (!s.nl)
		return -errno;
	r = wggenl_resolve(s.nl, &family);
	if (r < 0)
		goto cleanup;
	buf = xmalloc(size);
	r = wggenl_build_set(buf, size, family, ifname, dev, wggenl_send_cb, &s);
cleanup:
	if (buf)
		sodium_memzero(buf, size);
	free(buf);
	nl_free(s.nl);
	return r;
}

struct wggenl_dump {
	uint16_t family;
	const char *ifname;
	struct wgconf_device *dev;
	bool intr;
	int err;
};

static struct nlmsghdr *wggenl_dump_build(struct nl *nl, void *data)
{
	struct wggenl_dump *d = data;
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	/* A redo after NLM_F_DUMP_INTR starts from an empty device. */
	wgconf_device_free(d->dev);
	d->dev = wgconf_device_new();
	d->intr = false;
	nlh = nl_request(nl, d->family, NLM_F_DUMP);
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = WG_CMD_GET_DEVICE;
	genl->version = WG_GENL_VERSION;
	mnl_attr_put_strz(nlh, WGDEVICE_A_IFNAME, d->ifname);
	return nlh;
}

static int wggenl_dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct wggenl_dump *d = data;
	int r;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		d->intr = true;
	if (d->err)
		return MNL_CB_OK;
	r = wggenl_parse(nlh, d->dev);
	if (r < 0)
		d->err = r;
	return MNL_CB_OK;
}

int wggenl_get(struct netns *ns, const char *ifname, struct wgconf_device **ret)
{
	struct wggenl_dump d = { .ifname = ifname };
	struct nl *nl;
	int r, tries = 0;

	nl = netns_nl_open(ns, NETLINK_GENERIC);
	if (!nl)
		return -errno;
	r = wggenl_resolve(nl, &d.family);
	if (r < 0)
		goto cleanup;
	do {
		d.err = 0;
		r = nl_dump(nl, wggenl_dump_build, &d, wggenl_dump_cb, &d);
		/* nl_talk sees the flag on the first message of a read only. */
		if (!r && d.intr)
			r = -EINTR;
	} while (r == -EINTR && ++tries < 16);
	if (!r)
		r = d.err;
	if (!r) {
		snprintf(d.dev->ifname, sizeof(d.dev->ifname), "%s", ifname);
		*ret = d.dev;
		d.dev = NULL;
	}
cleanup:
	wgconf_device_free(d.dev);
	nl_free(nl);
	return r;
}
