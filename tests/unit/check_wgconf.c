// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "netns/wg/wgconf.h"
#include "netns/wg/wgconf_parse.h"
#include "tests/unit/testlib.h"

extern Suite *wgconf_suite(void);

static void setup(void)
{
	ck_assert_int_ge(sodium_init(), 0);
}

static char *read_fixture(const char *name)
{
	FILE *f = fopen(tl_fixture_path(name), "r");
	char *buf;
	size_t n;

	ck_assert_msg(f != NULL, "cannot open %s", tl_fixture_path(name));
	buf = calloc(1, 65536);
	n = fread(buf, 1, 65535, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static size_t count_ips(const struct wgconf_ip *ip)
{
	size_t n = 0;

	for (; ip; ip = ip->next)
		n++;
	return n;
}

static size_t count_peers(const struct wgconf_device *dev)
{
	const struct wgconf_peer *p;
	size_t n = 0;

	for (p = dev->first_peer; p; p = p->next)
		n++;
	return n;
}

static size_t count_strs(const struct wgconf_str *s)
{
	size_t n = 0;

	for (; s; s = s->next)
		n++;
	return n;
}

/* The seeds' wg-quick configurations (tests/unit/fixtures/wgquick/). */
static const struct {
	const char *file;
	size_t addresses, peers, allowedips_first, post_up;
	int listen_port;		/* -1: unset */
	const char *private_ref;	/* NULL: none */
	const char *first_peer_ref;
	const char *endpoint_host;	/* of the first peer, NULL: none */
	int endpoint_resolved;
	int keepalive;			/* -1: unset */
	int save_config;		/* -1: unset */
} seeds[] = {
	{ "000-server.conf", 1, 1, 1, 0, 51820, "@generate", "@remote:wg0", NULL, 0, -1, 1 },
	{ "000-client.conf", 1, 1, 1, 0, -1, "@generate", "@server:wg0", "198.51.100.1", 1, 25, -1 },
	{ "000-client-full.conf", 1, 1, 1, 0, -1, "@generate", "@server:wg0", "198.51.100.1", 1, 25, -1 },
	{ "001-vpn-router.conf", 1, 1, 1, 0, 51913, "@generate", "@home-host:wg0", NULL, 0, -1, -1 },
	{ "001-home-host.conf", 1, 1, 1, 0, -1, "@generate", "@vpn-router:wg0", "93.184.216.34", 1, 25, -1 },
	{ "002-server.conf", 2, 2, 2, 1, 51820, "@generate", "@client1:wg0", NULL, 0, -1, -1 },
	{ "002-client.conf", 2, 1, 2, 0, -1, "@generate", "@server:wg0", "my-server.example.com", 0, -1, -1 },
	{ "003-router-wg0.conf", 1, 1, 1, 0, 51000, "@generate", "@laptop:home0", NULL, 0, -1, -1 },
	{ "003-laptop-home0.conf", 1, 1, 2, 0, 51000, "@generate", "@router:wg0", "203.0.113.7", 1, -1, -1 },
	{ "003-internal.conf", 1, 1, 1, 0, 51000, "@generate", "@laptop:home_internal", NULL, 0, -1, -1 },
	{ "003-laptop-home_internal.conf", 1, 1, 1, 0, 51000, "@generate", "@internal:wg0", "203.0.113.7", 1, -1, -1 },
	{ "003-alpha-wgA.conf", 1, 1, 2, 1, 51000, NULL, "@beta:wgB", "198.51.100.2", 1, -1, -1 },
	{ "003-beta-wgB.conf", 1, 1, 2, 1, 51000, NULL, "@alpha:wgA", "198.51.100.1", 1, -1, -1 },
	{ "003-client-wg0.conf", 1, 1, 1, 1, 51000, NULL, "@gateway:gateway0", "198.51.100.20", 1, -1, -1 },
	{ "003-gateway0.conf", 1, 1, 1, 1, 51000, NULL, "@client:wg0", NULL, 0, -1, -1 },
};

START_TEST(test_wgconf_parses_seed)
{
	char name[128], *text;
	struct wgconf_device *dev = NULL;
	struct wgconf_error err = { 0 };
	const struct wgconf_peer *peer;
	int ret;

	snprintf(name, sizeof(name), "wgquick/%s", seeds[_i].file);
	text = read_fixture(name);
	ret = wgconf_parse_text(text, &dev, &err);
	ck_assert_msg(ret == 0, "%s:%u:%u: %s", seeds[_i].file, err.line, err.column, err.message);
	ck_assert_uint_eq(count_ips(dev->first_address), seeds[_i].addresses);
	ck_assert_uint_eq(count_peers(dev), seeds[_i].peers);
	ck_assert_uint_eq(count_strs(dev->first_hook[WGCONF_POST_UP]), seeds[_i].post_up);
	if (seeds[_i].listen_port < 0) {
		ck_assert(!(dev->flags & WGCONF_DEV_HAS_LISTEN_PORT));
	} else {
		ck_assert(dev->flags & WGCONF_DEV_HAS_LISTEN_PORT);
		ck_assert_int_eq(dev->listen_port, seeds[_i].listen_port);
	}
	if (seeds[_i].private_ref)
		ck_assert_str_eq(dev->private_key_ref, seeds[_i].private_ref);
	else
		ck_assert_ptr_null(dev->private_key_ref);
	ck_assert(!(dev->flags & WGCONF_DEV_HAS_PRIVATE_KEY));
	peer = dev->first_peer;
	ck_assert_str_eq(peer->public_key_ref, seeds[_i].first_peer_ref);
	ck_assert(peer->flags & WGCONF_PEER_REPLACE_ALLOWEDIPS);
	ck_assert_uint_eq(wgconf_peer_count_allowedips(peer), seeds[_i].allowedips_first);
	if (seeds[_i].endpoint_host) {
		ck_assert_str_eq(peer->endpoint_host, seeds[_i].endpoint_host);
		ck_assert_int_eq(!!(peer->flags & WGCONF_PEER_HAS_ENDPOINT), seeds[_i].endpoint_resolved);
	} else {
		ck_assert_ptr_null(peer->endpoint_host);
	}
	if (seeds[_i].keepalive >= 0) {
		ck_assert(peer->flags & WGCONF_PEER_HAS_KEEPALIVE);
		ck_assert_int_eq(peer->persistent_keepalive, seeds[_i].keepalive);
	}
	if (seeds[_i].save_config >= 0) {
		ck_assert(dev->flags & WGCONF_DEV_HAS_SAVE_CONFIG);
		ck_assert_int_eq(dev->save_config, seeds[_i].save_config);
	}
	wgconf_device_free(dev);
	free(text);
}
END_TEST

START_TEST(test_wgconf_values_of_a_full_config)
{
	static const char text[] =
		"# comment line\n"
		"[interface]\n"
		"  privatekey= yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk= # the key\n"
		"Address = 10.0.0.1/24, fd00::1/64 10.0.1.1\n"
		"ADDRESS = 192.168.7.7\n"
		"ListenPort = 51820\n"
		"FwMark = 0x1234\n"
		"MTU = 1380\n"
		"Table = 1234\n"
		"DNS = 10.0.0.53, example.com\n"
		"SaveConfig = False\n"
		"PreUp = echo pre %i # kept\n"
		"PostUp = echo one\n"
		"PostUp = echo two\n"
		"PreDown = echo down\n"
		"PostDown = echo after\n"
		"\n"
		"[Peer]\n"
		"PublicKey = HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=\n"
		"PresharedKey = @generate\n"
		"AllowedIPs = 10.0.0.2/32, fd00::2 , 0.0.0.0/0\n"
		"Endpoint = [fd00::99]:51820\n"
		"PersistentKeepalive = off\n"
		"[Peer]\n"
		"Public Key = @other:wg1\n"
		"AllowedIPs = -10.9.0.0/16\n"
		"Endpoint = 192.0.2.1 : 1\r\n"
		"PersistentKeepalive = 7\n";
	struct wgconf_device *dev = NULL;
	struct wgconf_error err = { 0 };
	const struct wgconf_peer *p;
	const struct wgconf_ip *ip;
	char buf[ADDR_STRLEN];
	uint8_t pub[WGKEY_LEN];

	ck_assert_msg(wgconf_parse_text(text, &dev, &err) == 0, "%u:%u: %s", err.line, err.column,
		      err.message);
	ck_assert(dev->flags & WGCONF_DEV_HAS_PRIVATE_KEY);
	ck_assert(dev->flags & WGCONF_DEV_HAS_PUBLIC_KEY);
	ck_assert_int_eq(wgkey_from_base64(pub, "HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw="), 0);
	ck_assert_mem_eq(dev->public_key, pub, WGKEY_LEN);
	ck_assert_uint_eq(count_ips(dev->first_address), 4);
	ip = dev->first_address;
	ck_assert_str_eq(addr_format(&ip->addr, true, buf, sizeof(buf)), "10.0.0.1/24");
	ip = ip->next;
	ck_assert_str_eq(addr_format(&ip->addr, true, buf, sizeof(buf)), "fd00::1/64");
	ip = ip->next;
	ck_assert_str_eq(addr_format(&ip->addr, true, buf, sizeof(buf)), "10.0.1.1/32");
	ck_assert_int_eq(dev->listen_port, 51820);
	ck_assert(dev->flags & WGCONF_DEV_HAS_FWMARK);
	ck_assert_uint_eq(dev->fwmark, 0x1234);
	ck_assert(dev->flags & WGCONF_DEV_HAS_MTU);
	ck_assert_uint_eq(dev->mtu, 1380);
	ck_assert_int_eq(dev->table_mode, WGCONF_TABLE_ID);
	ck_assert_uint_eq(dev->table, 1234);
	ck_assert_str_eq(dev->first_dns->s, "10.0.0.53");
	ck_assert_str_eq(dev->first_dns->next->s, "example.com");
	ck_assert(dev->flags & WGCONF_DEV_HAS_SAVE_CONFIG);
	ck_assert(!dev->save_config);
	ck_assert_str_eq(dev->first_hook[WGCONF_PRE_UP]->s, "echo pre %i # kept");
	ck_assert_str_eq(dev->first_hook[WGCONF_POST_UP]->s, "echo one");
	ck_assert_str_eq(dev->first_hook[WGCONF_POST_UP]->next->s, "echo two");
	ck_assert_str_eq(dev->first_hook[WGCONF_PRE_DOWN]->s, "echo down");
	ck_assert_str_eq(dev->first_hook[WGCONF_POST_DOWN]->s, "echo after");

	p = dev->first_peer;
	ck_assert(p->flags & WGCONF_PEER_HAS_PUBLIC_KEY);
	ck_assert_mem_eq(p->public_key, pub, WGKEY_LEN);
	ck_assert(!(p->flags & WGCONF_PEER_HAS_PRESHARED_KEY));
	ck_assert_str_eq(p->preshared_key_ref, "@generate");
	ck_assert_uint_eq(wgconf_peer_count_allowedips(p), 3);
	ck_assert_str_eq(addr_format(&p->first_allowedip->next->addr, true, buf, sizeof(buf)), "fd00::2/128");
	ck_assert_uint_eq(p->last_allowedip->addr.prefixlen, 0);
	ck_assert(p->flags & WGCONF_PEER_HAS_ENDPOINT);
	ck_assert_int_eq(p->endpoint.sa.sa_family, AF_INET6);
	ck_assert_int_eq(ntohs(p->endpoint.in6.sin6_port), 51820);
	ck_assert_str_eq(p->endpoint_host, "fd00::99");
	ck_assert(p->flags & WGCONF_PEER_HAS_KEEPALIVE);
	ck_assert_int_eq(p->persistent_keepalive, 0);
	ck_assert(p->flags & WGCONF_PEER_REPLACE_ALLOWEDIPS);

	/* wg removes every blank: "Public Key" is PublicKey. */
	p = p->next;
	ck_assert_str_eq(p->public_key_ref, "@other:wg1");
	ck_assert(!(p->flags & WGCONF_PEER_REPLACE_ALLOWEDIPS));
	ck_assert_uint_eq(p->first_allowedip->flags, WGCONF_IP_REMOVE);
	ck_assert_int_eq(p->endpoint.sa.sa_family, AF_INET);
	ck_assert_int_eq(ntohs(p->endpoint.in.sin_port), 1);
	ck_assert_int_eq(p->persistent_keepalive, 7);
	ck_assert_uint_eq(p->line, 24);
	wgconf_device_free(dev);
}
END_TEST

/* Bad configurations: the error's line and column (1-based) and a part of
 * its message. */
static const struct {
	const char *text;
	unsigned int line, column;
	const char *message;
} bad[] = {
	{ "[Interface]\nFoo = bar\n", 2, 1, "unknown key 'Foo'" },
	{ "[Interface]\n  ListenPort = 70000\n", 2, 16, "port" },
	{ "[Interface]\nPrivateKey = abc\n", 2, 14, "key is not" },
	{ "[Interface]\nPrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmj=\n", 2, 14, "key is not" },
	{ "ListenPort = 1\n", 1, 1, "outside" },
	{ "[Interface]\n[Peers]\n", 2, 1, "unknown section" },
	{ "[Interface]\nAddress = 10.0.0.1/24, 10.0.0.300\n", 2, 24, "address" },
	{ "[Interface]\nMTU = big\n", 2, 7, "MTU" },
	{ "[Interface]\nTable = Off\n", 2, 9, "table" },
	{ "[Interface]\nFwMark = 0xfffffffff\n", 2, 10, "fwmark" },
	{ "[Interface]\nSaveConfig = yes\n", 2, 14, "neither true nor false" },
	{ "[Interface]\nListenPort =\n", 2, 12, "no value" },
	{ "[Interface]\njust words\n", 2, 1, "unrecognized" },
	{ "[Interface]\n[Peer]\nAddress = 10.0.0.1\n", 3, 1, "unknown key 'Address' in [Peer]" },
	/* wg-quick's `[[ $key == "[Interface]" ]]`: blanks inside the
	 * brackets end its section; wg takes the line, not its keys. */
	{ "[ Interface ]\nPrivateKey = @x\n  Address = 10.0.0.1/24\n", 3, 3,
	  "'Address' is wg-quick's only after a line that is exactly [Interface], not '[ Interface ]': wg gets it (Line unrecognized: `Address=10.0.0.1/24')" },
	{ "[Interface ]\nPostUp = echo %i\n", 2, 1, "'PostUp' is wg-quick's only" },
	{ "[Interface]\n[ Interface]\nMTU =\n", 3, 1, "'MTU' is wg-quick's only" },
	{ "[Peer]\nAllowedIPs = 10.0.0.0/24\n", 1, 1, "missing a public key" },
	{ "[Peer]\nPublicKey = @x\nAllowedIPs = 10.0.0.0/24, 10.1.0.0/33\n", 3, 27, "AllowedIP" },
	{ "[Peer]\nPublicKey = @x\nAllowedIPs = 10.0.0.0/24,\n", 3, 26, "empty item" },
	{ "[Peer]\nPublicKey = @x\nEndpoint = 10.0.0.1\n", 3, 20, "port" },
	{ "[Peer]\nPublicKey = @x\nEndpoint = [fd00::1:51820\n", 3, 12, "brace" },
	{ "[Peer]\nPublicKey = @x\nEndpoint = 10.0.0.1:x\n", 3, 21, "port" },
	{ "[Peer]\nPublicKey = @x\nPersistentKeepalive = 65536\n", 3, 23, "keepalive" },
	{ "[Peer]\nPublicKey = @\n", 2, 13, "reference" },
};

START_TEST(test_wgconf_error_position)
{
	struct wgconf_device *dev = NULL;
	struct wgconf_error err = { 0 };

	ck_assert_int_eq(wgconf_parse_text(bad[_i].text, &dev, &err), -EINVAL);
	ck_assert_ptr_null(dev);
	ck_assert_msg(strcasestr(err.message, bad[_i].message) != NULL, "message '%s'", err.message);
	ck_assert_uint_eq(err.line, bad[_i].line);
	ck_assert_uint_eq(err.column, bad[_i].column);
}
END_TEST

START_TEST(test_wgconf_reports_every_error)
{
	struct wgconf_parser *p = wgconf_parser_new();
	struct wgconf_device *dev = NULL;

	ck_assert_int_eq(wgconf_parser_line(p, "[Interface]\n"), 0);
	ck_assert_int_eq(wgconf_parser_line(p, "Bogus = 1\n"), -EINVAL);
	ck_assert_int_eq(wgconf_parser_line(p, "ListenPort = 1\n"), 0);
	ck_assert_int_eq(wgconf_parser_line(p, "MTU = 1\n"), -EINVAL);
	ck_assert_int_eq(wgconf_parser_finish(p, &dev), -EINVAL);
	ck_assert_ptr_null(dev);
	ck_assert_uint_eq(wgconf_parser_nerrors(p), 2);
	ck_assert_uint_eq(wgconf_parser_error(p, 0)->line, 2);
	ck_assert_uint_eq(wgconf_parser_error(p, 1)->line, 4);
	ck_assert_ptr_null(wgconf_parser_error(p, 2));
	wgconf_parser_free(p);
}
END_TEST

START_TEST(test_wgconf_value_parsers)
{
	struct wgconf_peer peer = { 0 };
	struct wgconf_error err;
	enum wgconf_table mode;
	uint32_t u32, table;
	uint16_t u16;

	ck_assert_int_eq(wgconf_parse_fwmark("off", &u32, &err), 0);
	ck_assert_uint_eq(u32, 0);
	ck_assert_int_eq(wgconf_parse_fwmark("51820", &u32, &err), 0);
	ck_assert_uint_eq(u32, 51820);
	ck_assert_int_eq(wgconf_parse_fwmark("0xca6c", &u32, &err), 0);
	ck_assert_uint_eq(u32, 0xca6c);
	ck_assert_int_eq(wgconf_parse_fwmark("-1", &u32, &err), -EINVAL);
	ck_assert_int_eq(wgconf_parse_keepalive("25", &u16, &err), 0);
	ck_assert_uint_eq(u16, 25);
	ck_assert_int_eq(wgconf_parse_table("main", &mode, &table, &err), 0);
	ck_assert_uint_eq(table, 254);
	ck_assert_int_eq(wgconf_parse_table("auto", &mode, &table, &err), 0);
	ck_assert_int_eq(mode, WGCONF_TABLE_AUTO);
	ck_assert_int_eq(wgconf_parse_table("off", &mode, &table, &err), 0);
	ck_assert_int_eq(mode, WGCONF_TABLE_OFF);
	ck_assert_int_eq(wgconf_parse_table("0", &mode, &table, &err), -EINVAL);

	ck_assert_int_eq(wgconf_parse_endpoint(&peer, "vpn.example:51820", &err), 0);
	ck_assert_str_eq(peer.endpoint_host, "vpn.example");
	ck_assert(!(peer.flags & WGCONF_PEER_HAS_ENDPOINT));
	ck_assert_int_eq(wgconf_parse_endpoint(&peer, "fd00::1:51820", &err), 0);
	ck_assert(peer.flags & WGCONF_PEER_HAS_ENDPOINT);
	ck_assert_int_eq(peer.endpoint.sa.sa_family, AF_INET6);
	ck_assert_int_eq(wgconf_parse_allowedips(&peer, "10.0.0.0/8,+fd00::/8", &err), 0);
	ck_assert(!(peer.flags & WGCONF_PEER_REPLACE_ALLOWEDIPS));
	ck_assert_uint_eq(wgconf_peer_count_allowedips(&peer), 2);
	wgconf_peer_clear_allowedips(&peer);
	ck_assert_uint_eq(wgconf_peer_count_allowedips(&peer), 0);
	free(peer.endpoint_host);
}
END_TEST

START_TEST(test_wgconf_dup_and_peers)
{
	struct wgconf_device *dev = NULL, *copy;
	struct wgconf_peer *p;
	uint8_t key[WGKEY_LEN];

	ck_assert_int_eq(wgconf_parse_text("[Interface]\nAddress = 10.0.0.1/24\nPostUp = x\n"
					   "[Peer]\nPublicKey = @a\nAllowedIPs = 10.0.0.2\n"
					   "[Peer]\nPublicKey = @b\nEndpoint = h:1\n", &dev, NULL), 0);
	copy = wgconf_device_dup(dev);
	ck_assert_ptr_nonnull(copy);
	wgconf_device_free(dev);
	ck_assert_str_eq(copy->first_hook[WGCONF_POST_UP]->s, "x");
	ck_assert_str_eq(copy->first_peer->public_key_ref, "@a");
	ck_assert_str_eq(copy->last_peer->endpoint_host, "h");
	wgkey_generate_private(key);
	wgconf_peer_set_public_key(copy->first_peer, key);
	ck_assert_ptr_null(copy->first_peer->public_key_ref);
	ck_assert_ptr_eq(wgconf_device_find_peer(copy, key), copy->first_peer);
	p = copy->first_peer;
	wgconf_device_remove_peer(copy, p);
	ck_assert_ptr_eq(copy->first_peer, copy->last_peer);
	wgconf_device_remove_peer(copy, copy->last_peer);
	ck_assert_ptr_null(copy->first_peer);
	ck_assert_ptr_null(copy->last_peer);
	ck_assert_ptr_null(wgconf_device_find_peer(copy, key));
	wgconf_device_free(copy);
	wgconf_device_free(NULL);
}
END_TEST

/* What wg-quick accepts with blanks in a section line: the keys wg reads
 * (wg squeezes them out), and its own after a later exact [interface]
 * (nocasematch). */
START_TEST(test_wgconf_blank_section_keeps_wg_keys)
{
	struct wgconf_device *dev = NULL;

	ck_assert_int_eq(wgconf_parse_text("[ Interface ]\nListenPort = 51820\n"
					   "[ Peer ]\nPublicKey = @a\nAllowedIPs = 10.0.0.2\n"
					   "  [interface]  # again\nAddress = 10.0.0.1/24\n", &dev, NULL), 0);
	ck_assert_uint_eq(dev->listen_port, 51820);
	ck_assert_str_eq(dev->first_peer->public_key_ref, "@a");
	ck_assert_ptr_nonnull(dev->first_address);
	wgconf_device_free(dev);
}
END_TEST

Suite *wgconf_suite(void)
{
	Suite *s = suite_create("wgconf");
	TCase *tc;

	tc = tcase_create("wgconf_parse");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, test_wgconf_parses_seed, 0, sizeof(seeds) / sizeof(seeds[0]));
	tcase_add_test(tc, test_wgconf_values_of_a_full_config);
	tcase_add_test(tc, test_wgconf_value_parsers);
	tcase_add_test(tc, test_wgconf_dup_and_peers);
	tcase_add_test(tc, test_wgconf_blank_section_keeps_wg_keys);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, test_wgconf_error_position, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, test_wgconf_reports_every_error);
	suite_add_tcase(s, tc);
	return s;
}
