// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/wireguard.h>

#include "netns/wg/wgconf.h"
#include "netns/wg/wgconf_parse.h"
#include "netns/wg/wggenl.h"

extern Suite *wggenl_suite(void);

#define FAMILY 0x1b

struct msgs {
	size_t n;
	void *m[256];
};

static int collect(struct nlmsghdr *nlh, void *data)
{
	struct msgs *ms = data;

	ck_assert_uint_lt(ms->n, 256);
	ms->m[ms->n] = malloc(nlh->nlmsg_len);
	memcpy(ms->m[ms->n++], nlh, nlh->nlmsg_len);
	return 0;
}

static void msgs_free(struct msgs *ms)
{
	while (ms->n)
		free(ms->m[--ms->n]);
}

static void setup(void)
{
	ck_assert_int_ge(sodium_init(), 0);
}

/* 1 peer with 1000 allowed IPs (v4 and v6), then 100 peers with two each,
 * a PSK, an endpoint and a keepalive. */
static struct wgconf_device *big_config(void)
{
	struct wgconf_device *dev = wgconf_device_new();
	struct wgconf_peer *p;
	uint8_t key[WGKEY_LEN];
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons(51820) };
	struct addr a;
	char buf[64];
	int i, j;

	wgkey_generate_private(key);
	wgconf_device_set_private_key(dev, key);
	dev->listen_port = 51820;
	dev->fwmark = 0xca6c;
	dev->flags |= WGCONF_DEV_HAS_LISTEN_PORT | WGCONF_DEV_HAS_FWMARK | WGCONF_DEV_REPLACE_PEERS;
	p = wgconf_device_add_peer(dev);
	wgkey_generate_private(key);
	wgconf_peer_set_public_key(p, key);
	p->flags |= WGCONF_PEER_REPLACE_ALLOWEDIPS;
	for (i = 0; i < 1000; i++) {
		if (i % 2)
			snprintf(buf, sizeof(buf), "fd00:%x::/64", i);
		else
			snprintf(buf, sizeof(buf), "10.%d.%d.0/24", i / 256, i % 256);
		ck_assert_int_eq(addr_parse(buf, ADDR_PARSE_PREFIX, &a), 0);
		wgconf_peer_add_allowedip(p, &a, 0);
	}
	for (i = 0; i < 100; i++) {
		p = wgconf_device_add_peer(dev);
		wgkey_generate_private(key);
		wgconf_peer_set_public_key(p, key);
		wgkey_generate_psk(key);
		wgconf_peer_set_preshared_key(p, key);
		in.sin_addr.s_addr = htonl(0xc0000200 + (uint32_t)i);
		wgconf_peer_set_endpoint(p, (struct sockaddr *)&in, sizeof(in));
		p->persistent_keepalive = (uint16_t)i;
		p->flags |= WGCONF_PEER_HAS_KEEPALIVE | WGCONF_PEER_REPLACE_ALLOWEDIPS;
		for (j = 0; j < 2; j++) {
			snprintf(buf, sizeof(buf), "172.16.%d.%d/32", i, j);
			ck_assert_int_eq(addr_parse(buf, ADDR_PARSE_PREFIX, &a), 0);
			wgconf_peer_add_allowedip(p, &a, 0);
		}
	}
	return dev;
}

static void assert_same(const struct wgconf_device *a, const struct wgconf_device *b)
{
	const struct wgconf_peer *p, *q;
	const struct wgconf_ip *x, *y;

	ck_assert_uint_eq(a->flags & ~WGCONF_DEV_HAS_PUBLIC_KEY, b->flags & ~WGCONF_DEV_HAS_PUBLIC_KEY);
	ck_assert_mem_eq(a->private_key, b->private_key, WGKEY_LEN);
	ck_assert_int_eq(a->listen_port, b->listen_port);
	ck_assert_uint_eq(a->fwmark, b->fwmark);
	for (p = a->first_peer, q = b->first_peer; p && q; p = p->next, q = q->next) {
		ck_assert_mem_eq(p->public_key, q->public_key, WGKEY_LEN);
		ck_assert_uint_eq(p->flags, q->flags);
		if (p->flags & WGCONF_PEER_HAS_PRESHARED_KEY)
			ck_assert_mem_eq(p->preshared_key, q->preshared_key, WGKEY_LEN);
		if (p->flags & WGCONF_PEER_HAS_ENDPOINT)
			ck_assert_mem_eq(&p->endpoint.in, &q->endpoint.in, sizeof(p->endpoint.in));
		ck_assert_int_eq(p->persistent_keepalive, q->persistent_keepalive);
		for (x = p->first_allowedip, y = q->first_allowedip; x && y; x = x->next, y = y->next) {
			ck_assert(addr_equal(&x->addr, &y->addr));
			ck_assert_uint_eq(x->addr.prefixlen, y->addr.prefixlen);
			ck_assert_uint_eq(x->flags, y->flags);
		}
		ck_assert_ptr_eq(x, y);
	}
	ck_assert_ptr_eq(p, q);
}

struct attrs_seen {
	int device_attrs;	/* private key, port, fwmark or flags */
	int peers;
};

static int top_cb(const struct nlattr *attr, void *data)
{
	struct attrs_seen *s = data;

	switch (mnl_attr_get_type(attr)) {
	case WGDEVICE_A_PRIVATE_KEY:
	case WGDEVICE_A_LISTEN_PORT:
	case WGDEVICE_A_FWMARK:
	case WGDEVICE_A_FLAGS:
		s->device_attrs++;
		break;
	case WGDEVICE_A_PEERS:
		s->peers++;
		break;
	}
	return MNL_CB_OK;
}

START_TEST(test_wggenl_split_parses_back)
{
	struct wgconf_device *dev = big_config(), *back = wgconf_device_new();
	size_t size = wggenl_bufsize();
	void *buf = malloc(size);
	struct msgs ms = { 0 };
	size_t i;

	ck_assert_int_eq(wggenl_build_set(buf, size, FAMILY, "wg0", dev, collect, &ms), 0);
	/* 1000 prefixes of 24-36 bytes cannot fit one 4096-byte message. */
	ck_assert_uint_gt(ms.n, 5);
	for (i = 0; i < ms.n; i++) {
		struct nlmsghdr *nlh = ms.m[i];
		struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
		struct attrs_seen seen = { 0 };

		ck_assert_uint_le(nlh->nlmsg_len, size);
		ck_assert_uint_eq(nlh->nlmsg_type, FAMILY);
		ck_assert_uint_eq(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
		ck_assert_uint_eq(genl->cmd, WG_CMD_SET_DEVICE);
		ck_assert_uint_eq(genl->version, WG_GENL_VERSION);
		ck_assert_int_ge(mnl_attr_parse(nlh, sizeof(*genl), top_cb, &seen), 0);
		/* Device attributes and REPLACE_PEERS in the first message only. */
		ck_assert_int_eq(seen.device_attrs, i == 0 ? 4 : 0);
		ck_assert_int_eq(seen.peers, 1);
		ck_assert_int_eq(wggenl_parse(nlh, back), 0);
	}
	assert_same(dev, back);
	ck_assert_uint_eq(wgconf_peer_count_allowedips(back->first_peer), 1000);
	msgs_free(&ms);
	wgconf_device_free(back);
	wgconf_device_free(dev);
	free(buf);
}
END_TEST

/* A continued peer carries only its public key and allowed IPs: no flags
 * (REPLACE_ALLOWEDIPS would drop the prefixes of the first part). */
START_TEST(test_wggenl_continuation_has_no_flags)
{
	struct wgconf_device *dev = big_config();
	size_t size = wggenl_bufsize();
	void *buf = malloc(size);
	struct msgs ms = { 0 };
	size_t i;

	ck_assert_int_eq(wggenl_build_set(buf, size, FAMILY, "wg0", dev, collect, &ms), 0);
	for (i = 1; i < ms.n; i++) {
		struct wgconf_device *part = wgconf_device_new();

		ck_assert_int_eq(wggenl_parse(ms.m[i], part), 0);
		ck_assert_ptr_nonnull(part->first_peer);
		if (wgkey_equal(part->first_peer->public_key, dev->first_peer->public_key))
			ck_assert_uint_eq(part->first_peer->flags, WGCONF_PEER_HAS_PUBLIC_KEY);
		ck_assert(!(part->flags & WGCONF_DEV_REPLACE_PEERS));
		wgconf_device_free(part);
	}
	msgs_free(&ms);
	wgconf_device_free(dev);
	free(buf);
}
END_TEST

/* The kernel answers a peer that never made a handshake with a time of
 * zero: that is no handshake (WGCONF_PEER_HAS_HANDSHAKE unset). */
START_TEST(test_wggenl_zero_handshake_time_is_none)
{
	struct wgconf_device *back = wgconf_device_new();
	char buf[1024];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	const int64_t never[2] = { 0, 0 }, at[2] = { 1700000000, 5 };
	uint8_t key[WGKEY_LEN];
	struct nlattr *peers, *peer;

	nlh->nlmsg_type = FAMILY;
	genl->cmd = WG_CMD_GET_DEVICE;
	genl->version = WG_GENL_VERSION;
	mnl_attr_put_strz(nlh, WGDEVICE_A_IFNAME, "wg0");
	peers = mnl_attr_nest_start(nlh, WGDEVICE_A_PEERS);
	for (int i = 0; i < 2; i++) {
		peer = mnl_attr_nest_start(nlh, 0);
		wgkey_generate_private(key);
		mnl_attr_put(nlh, WGPEER_A_PUBLIC_KEY, WGKEY_LEN, key);
		mnl_attr_put(nlh, WGPEER_A_LAST_HANDSHAKE_TIME, sizeof(never), i ? at : never);
		mnl_attr_nest_end(nlh, peer);
	}
	mnl_attr_nest_end(nlh, peers);
	ck_assert_int_eq(wggenl_parse(nlh, back), 0);
	ck_assert(!(back->first_peer->flags & WGCONF_PEER_HAS_HANDSHAKE));
	ck_assert(back->last_peer->flags & WGCONF_PEER_HAS_HANDSHAKE);
	ck_assert_int_eq(back->last_peer->last_handshake_sec, 1700000000);
	ck_assert_int_eq(back->last_peer->last_handshake_nsec, 5);
	wgconf_device_free(back);
}
END_TEST

START_TEST(test_wggenl_small_and_errors)
{
	struct wgconf_device *dev = NULL, *back = wgconf_device_new();
	size_t size = wggenl_bufsize();
	void *buf = malloc(size);
	struct msgs ms = { 0 };
	uint8_t key[WGKEY_LEN];

	ck_assert_int_eq(wgconf_parse_text("[Interface]\nListenPort = 1\n"
					   "[Peer]\nPublicKey = HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=\n"
					   "Endpoint = [fd00::1]:7\nAllowedIPs = fd00::/64, -10.1.0.0/16\n"
					   "[Peer]\nPublicKey = @ref\n", &dev, NULL), 0);
	ck_assert_int_eq(wggenl_build_set(buf, size, FAMILY, "wg0", dev, collect, &ms), -ENOKEY);
	ck_assert_uint_eq(ms.n, 0);
	wgkey_generate_private(key);
	wgconf_peer_set_public_key(dev->last_peer, key);
	dev->last_peer->flags |= WGCONF_PEER_REMOVE;
	ck_assert_int_eq(wggenl_build_set(buf, size, FAMILY, "wg0", dev, collect, &ms), 0);
	ck_assert_uint_eq(ms.n, 1);
	ck_assert_int_eq(wggenl_parse(ms.m[0], back), 0);
	ck_assert_str_eq(back->ifname, "wg0");
	ck_assert_int_eq(back->first_peer->endpoint.sa.sa_family, AF_INET6);
	ck_assert_uint_eq(back->first_peer->last_allowedip->flags, WGCONF_IP_REMOVE);
	ck_assert(back->last_peer->flags & WGCONF_PEER_REMOVE);
	assert_same(dev, back);
	msgs_free(&ms);
	/* A buffer too small for anything. */
	ck_assert_int_eq(wggenl_build_set(buf, 64, FAMILY, "wg0", dev, collect, &ms), -EMSGSIZE);
	msgs_free(&ms);
	wgconf_device_free(back);
	wgconf_device_free(dev);
	free(buf);
}
END_TEST

Suite *wggenl_suite(void)
{
	Suite *s = suite_create("wggenl");
	TCase *tc = tcase_create("wggenl_build_set");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_wggenl_split_parses_back);
	tcase_add_test(tc, test_wggenl_continuation_has_no_flags);
	tcase_add_test(tc, test_wggenl_small_and_errors);
	tcase_add_test(tc, test_wggenl_zero_handshake_time_is_none);
	suite_add_tcase(s, tc);
	return s;
}
