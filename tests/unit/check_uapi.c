// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "netns/wg/uapi.h"
#include "netns/wg/wgconf.h"
#include "netns/wg/wgconf_parse.h"

extern Suite *uapi_suite(void);

static void setup(void)
{
	ck_assert_int_ge(sodium_init(), 0);
}

/* yAnz5TF+... (wg-quick(8)'s example key) and its public key, in hex. */
#define PRIV_HEX "c809f3e5317e9575c9b5ed78b638b7ce530dabe85ddab614220241801ddf0669"
#define PUB_HEX "1c8828f7137324c58b2804928624ea2326f1674537c062e251e2753ca7fcca4c"
#define PEER2_HEX "e3b2fbfc3f4ae5a1d0a3ca3e0b1ff0e5a7c4b4d9a4e5f5e7b4c0f4a1c2d3e4f5"

static void set_key_hex(uint8_t key[static WGKEY_LEN], const char *hex)
{
	ck_assert_int_eq(wgkey_from_hex(key, hex), 0);
}

START_TEST(test_uapi_encode_full_set)
{
	struct wgconf_device *dev = NULL;
	struct wgconf_error err;
	struct wgconf_peer *p;
	uint8_t key[WGKEY_LEN];
	char *out = NULL;
	size_t len = 0;

	ck_assert_int_eq(wgconf_parse_text(
		"[Interface]\n"
		"PrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n"
		"ListenPort = 51820\n"
		"FwMark = 0x10\n"
		"[Peer]\n"
		"PublicKey = HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=\n"
		"Endpoint = [fd00::2]:51821\n"
		"PersistentKeepalive = 25\n"
		"AllowedIPs = 10.0.0.2/32, fd00:1::/64\n"
		"[Peer]\n"
		"PublicKey = @peer2\n"
		"Endpoint = 192.0.2.2:1\n"
		"AllowedIPs = -10.9.0.0/16\n", &dev, &err), 0);
	dev->flags |= WGCONF_DEV_REPLACE_PEERS;
	/* The second peer's key is a reference: it cannot be sent yet. */
	ck_assert_int_eq(uapi_encode_set(dev, &out, &len), -ENOKEY);
	set_key_hex(key, PEER2_HEX);
	wgconf_peer_set_public_key(dev->last_peer, key);
	wgkey_generate_psk(key);
	memset(key, 0x11, sizeof(key));
	wgconf_peer_set_preshared_key(dev->last_peer, key);
	ck_assert_int_eq(uapi_encode_set(dev, &out, &len), 0);
	ck_assert_uint_eq(len, strlen(out));
	ck_assert_str_eq(out,
		"set=1\n"
		"private_key=" PRIV_HEX "\n"
		"listen_port=51820\n"
		"fwmark=16\n"
		"replace_peers=true\n"
		"public_key=" PUB_HEX "\n"
		"endpoint=[fd00::2]:51821\n"
		"persistent_keepalive_interval=25\n"
		"replace_allowed_ips=true\n"
		"allowed_ip=10.0.0.2/32\n"
		"allowed_ip=fd00:1::/64\n"
		"public_key=" PEER2_HEX "\n"
		"preshared_key=1111111111111111111111111111111111111111111111111111111111111111\n"
		"endpoint=192.0.2.2:1\n"
		"allowed_ip=-10.9.0.0/16\n"
		"\n");
	free(out);

	/* Removal, update-only, and an unresolved endpoint name. */
	p = dev->first_peer;
	p->flags |= WGCONF_PEER_REMOVE;
	dev->last_peer->flags |= WGCONF_PEER_UPDATE_ONLY;
	dev->flags = WGCONF_DEV_HAS_LISTEN_PORT;
	dev->listen_port = 0;
	dev->last_peer->flags &= ~(WGCONF_PEER_HAS_PRESHARED_KEY | WGCONF_PEER_HAS_ENDPOINT);
	free(dev->last_peer->endpoint_host);
	dev->last_peer->endpoint_host = NULL;
	ck_assert_int_eq(uapi_encode_set(dev, &out, &len), 0);
	ck_assert_str_eq(out,
		"set=1\n"
		"listen_port=0\n"
		"public_key=" PUB_HEX "\n"
		"remove=true\n"
		"public_key=" PEER2_HEX "\n"
		"update_only=true\n"
		"allowed_ip=-10.9.0.0/16\n"
		"\n");
	free(out);
	ck_assert_int_eq(wgconf_parse_endpoint(dev->last_peer, "vpn.example:51820", &err), 0);
	ck_assert_int_eq(uapi_encode_set(dev, &out, &len), -EDESTADDRREQ);
	wgconf_device_free(dev);
}
END_TEST

/* A wireguard-go answer with two peers (one on IPv6), as its
 * IpcGetOperation writes it. */
static const char get_answer[] =
	"private_key=" PRIV_HEX "\n"
	"listen_port=51820\n"
	"fwmark=51820\n"
	"public_key=" PEER2_HEX "\n"
	"preshared_key=0000000000000000000000000000000000000000000000000000000000000000\n"
	"protocol_version=1\n"
	"endpoint=192.0.2.2:51821\n"
	"last_handshake_time_sec=1700000000\n"
	"last_handshake_time_nsec=123456789\n"
	"tx_bytes=1184\n"
	"rx_bytes=92\n"
	"persistent_keepalive_interval=0\n"
	"allowed_ip=10.0.0.2/32\n"
	"allowed_ip=0.0.0.0/0\n"
	"public_key=" PUB_HEX "\n"
	"preshared_key=1111111111111111111111111111111111111111111111111111111111111111\n"
	"protocol_version=1\n"
	"endpoint=[fd00::2]:1\n"
	"last_handshake_time_sec=0\n"
	"last_handshake_time_nsec=0\n"
	"tx_bytes=0\n"
	"rx_bytes=0\n"
	"persistent_keepalive_interval=25\n"
	"allowed_ip=fd00::/64\n"
	"errno=0\n"
	"\n";

START_TEST(test_uapi_parse_get)
{
	struct wgconf_device *dev = NULL;
	const struct wgconf_peer *p;
	uint8_t pub[WGKEY_LEN];
	char buf[INET6_ADDRSTRLEN];

	ck_assert_int_eq(uapi_parse_get(get_answer, strlen(get_answer), &dev), 0);
	ck_assert(dev->flags & WGCONF_DEV_HAS_PRIVATE_KEY);
	set_key_hex(pub, PUB_HEX);
	ck_assert_mem_eq(dev->public_key, pub, WGKEY_LEN);
	ck_assert_int_eq(dev->listen_port, 51820);
	ck_assert_uint_eq(dev->fwmark, 51820);
	p = dev->first_peer;
	ck_assert(!(p->flags & WGCONF_PEER_HAS_PRESHARED_KEY));
	ck_assert(p->flags & WGCONF_PEER_HAS_HANDSHAKE);
	ck_assert_int_eq(p->last_handshake_sec, 1700000000);
	ck_assert_int_eq(p->last_handshake_nsec, 123456789);
	ck_assert_uint_eq(p->tx_bytes, 1184);
	ck_assert_uint_eq(p->rx_bytes, 92);
	ck_assert_uint_eq(p->protocol_version, 1);
	ck_assert_int_eq(p->endpoint.sa.sa_family, AF_INET);
	ck_assert_str_eq(inet_ntop(AF_INET, &p->endpoint.in.sin_addr, buf, sizeof(buf)), "192.0.2.2");
	ck_assert_int_eq(ntohs(p->endpoint.in.sin_port), 51821);
	ck_assert_uint_eq(wgconf_peer_count_allowedips(p), 2);
	ck_assert_uint_eq(p->last_allowedip->addr.prefixlen, 0);
	p = p->next;
	ck_assert_mem_eq(p->public_key, pub, WGKEY_LEN);
	ck_assert(p->flags & WGCONF_PEER_HAS_PRESHARED_KEY);
	ck_assert_int_eq(p->endpoint.sa.sa_family, AF_INET6);
	ck_assert_str_eq(inet_ntop(AF_INET6, &p->endpoint.in6.sin6_addr, buf, sizeof(buf)), "fd00::2");
	ck_assert_int_eq(ntohs(p->endpoint.in6.sin6_port), 1);
	ck_assert_int_eq(p->persistent_keepalive, 25);
	/* last_handshake_time_sec=0: never, so no handshake */
	ck_assert(!(p->flags & WGCONF_PEER_HAS_HANDSHAKE));
	ck_assert_ptr_null(p->next);
	wgconf_device_free(dev);
}
END_TEST

static const struct {
	const char *text;
	int ret;
} status_cases[] = {
	{ "errno=0\n\n", 0 },
	{ "errno=-22\n\n", -EINVAL },		/* wireguard-go: IpcErrorInvalid */
	{ "errno=-98\n\n", -EADDRINUSE },	/* IpcErrorPortInUse */
	{ "errno=-71\n\n", -EPROTO },
	{ "errno=22\n\n", -EINVAL },		/* C servers */
	{ "errno=-55\n\n", -55 },		/* IpcErrorUnknown */
	{ "errno=0\n", -EPROTO },		/* no blank line */
	{ "\n", -EPROTO },			/* no errno */
	{ "errno=x\n\n", -EPROTO },
	{ "errno=0\nlisten_port=1\n\n", -EPROTO },
	{ "", -EPROTO },
};

START_TEST(test_uapi_parse_errno)
{
	ck_assert_int_eq(uapi_parse_errno(status_cases[_i].text, strlen(status_cases[_i].text)),
			 status_cases[_i].ret);
}
END_TEST

START_TEST(test_uapi_parse_get_errors)
{
	struct wgconf_device *dev = NULL;
	static const char *const answers[] = {
		"errno=-22\n\n",
		"listen_port=70000\nerrno=0\n\n",
		"public_key=abc\nerrno=0\n\n",
		"public_key=" PUB_HEX "\nendpoint=nope\nerrno=0\n\n",
		"public_key=" PUB_HEX "\nallowed_ip=10.0.0.1\nerrno=0\n\n",
		"listen_port\nerrno=0\n\n",
	};
	static const int rets[] = { -EINVAL, -EPROTO, -EPROTO, -EPROTO, -EPROTO, -EPROTO };
	size_t i;

	for (i = 0; i < sizeof(rets) / sizeof(rets[0]); i++) {
		ck_assert_int_eq(uapi_parse_get(answers[i], strlen(answers[i]), &dev), rets[i]);
		ck_assert_ptr_null(dev);
	}
	/* Unknown keys from other servers are skipped. */
	ck_assert_int_eq(uapi_parse_get("jc=4\nlisten_port=5\nerrno=0\n\n", 28, &dev), 0);
	ck_assert_int_eq(dev->listen_port, 5);
	wgconf_device_free(dev);
}
END_TEST

/* What we encode, a server that stored it would give back: the set
 * encoding parsed as a get answer yields the same configuration. */
START_TEST(test_uapi_round_trip)
{
	struct wgconf_device *dev = wgconf_device_new(), *back = NULL;
	struct wgconf_peer *p;
	uint8_t key[WGKEY_LEN];
	struct addr a;
	char *out = NULL, *ans;
	size_t len = 0;
	int i;

	wgkey_generate_private(key);
	wgconf_device_set_private_key(dev, key);
	for (i = 0; i < 20; i++) {
		char ip[32];

		p = wgconf_device_add_peer(dev);
		wgkey_generate_private(key);
		wgconf_peer_set_public_key(p, key);
		snprintf(ip, sizeof(ip), "10.%d.0.0/16", i);
		ck_assert_int_eq(addr_parse(ip, ADDR_PARSE_PREFIX, &a), 0);
		wgconf_peer_add_allowedip(p, &a, 0);
	}
	ck_assert_int_eq(uapi_encode_set(dev, &out, &len), 0);
	/* Drop "set=1\n" and the final blank line, end like a get answer. */
	ans = malloc(len + 16);
	snprintf(ans, len + 16, "%.*serrno=0\n\n", (int)(len - 7), out + 6);
	ck_assert_int_eq(uapi_parse_get(ans, strlen(ans), &back), 0);
	ck_assert_mem_eq(back->private_key, dev->private_key, WGKEY_LEN);
	for (p = dev->first_peer; p; p = p->next) {
		struct wgconf_peer *q = wgconf_device_find_peer(back, p->public_key);

		ck_assert_ptr_nonnull(q);
		ck_assert(addr_equal(&q->first_allowedip->addr, &p->first_allowedip->addr));
		ck_assert_uint_eq(q->first_allowedip->addr.prefixlen, 16);
	}
	free(ans);
	free(out);
	wgconf_device_free(back);
	wgconf_device_free(dev);
}
END_TEST

Suite *uapi_suite(void)
{
	Suite *s = suite_create("uapi");
	TCase *tc;

	tc = tcase_create("uapi_encode_set");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_uapi_encode_full_set);
	tcase_add_test(tc, test_uapi_round_trip);
	suite_add_tcase(s, tc);

	tc = tcase_create("uapi_parse_get");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_uapi_parse_get);
	tcase_add_test(tc, test_uapi_parse_get_errors);
	tcase_add_loop_test(tc, test_uapi_parse_errno, 0, sizeof(status_cases) / sizeof(status_cases[0]));
	suite_add_tcase(s, tc);
	return s;
}
