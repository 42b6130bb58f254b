// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * The kernel WireGuard backend (netns/wg/wggenl.c through netns/wg/wgdev.c) on a
 * kernel that has WireGuard: `make check-kernel` runs this suite in a qemu
 * guest.  On a kernel without it no case is registered (a note says so);
 * test_wg_probe_kernel in check_wg.c checks the refusal there instead.
 *
 * This file: configuration set and read back over generic netlink and, as
 * an independent witness, with wg(8) (`wg show IF dump`) through nsenter.
 * wgkernel_path.c: the data path.  Topology in wgktest.h.
 */
#include <check.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>

#include "netns/link.h"
#include "netns/ns.h"
#include "netns/util/now.h"
#include "netns/wg/wgconf.h"
#include "netns/wg/wgchange.h"
#include "netns/wg/wgdev.h"
#include "netns/wg/wggenl.h"
#include "wgktest.h"

extern Suite *wgkernel_suite(void);

/* True when every prefix of want is in got and they have as many. */
static bool same_allowedips(const struct wgconf_peer *want, const struct wgconf_peer *got)
{
	const struct wgconf_ip *w, *g;

	if (wgconf_peer_count_allowedips(want) != wgconf_peer_count_allowedips(got))
		return false;
	for (w = want->first_allowedip; w; w = w->next) {
		for (g = got->first_allowedip; g; g = g->next)
			if (addr_equal(&w->addr, &g->addr) && w->addr.prefixlen == g->addr.prefixlen)
				break;
		if (!g)
			return false;
	}
	return true;
}

/* got holds exactly want's peers, each with want's allowed IPs. */
static void assert_same_peers(const struct wgconf_device *want, const struct wgconf_device *got)
{
	const struct wgconf_peer *w, *g;
	size_t nw = 0, ng = 0;

	for (w = want->first_peer; w; w = w->next, nw++) {
		g = wgconf_device_find_peer(got, w->public_key);
		ck_assert_msg(g != NULL, "peer %zu missing", nw);
		ck_assert_msg(same_allowedips(w, g), "peer %zu: allowed IPs differ (%zu set, %zu read)", nw,
			      wgconf_peer_count_allowedips(w), wgconf_peer_count_allowedips(g));
	}
	for (g = got->first_peer; g; g = g->next)
		ng++;
	ck_assert_uint_eq(ng, nw);
}

/* `wg show IF dump` in ns: the number of lines (1 + peers) and of allowed
 * IPs, as wg(8) sees them. */
static void wg_dump_counts(struct netns *ns, const char *ifname, size_t *lines, size_t *ips)
{
	const char *args[] = { "wg", "show", ifname, "dump", NULL };
	static char out[1 << 20];
	char *line, *save = NULL;

	ck_assert_int_eq(wgk_run_in(ns, args, out, sizeof(out)), 0);
	*lines = *ips = 0;
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f = line;

		if ((*lines)++ == 0)
			continue;
		/* public-key psk endpoint allowed-ips ... */
		for (int i = 0; i < 3 && f; i++) {
			f = strchr(f, '\t');
			if (f)
				f++;
		}
		ck_assert_ptr_nonnull(f);
		if (strncmp(f, "(none)", 6)) {
			(*ips)++;
			for (; *f && *f != '\t'; f++)
				*ips += *f == ',';
		}
	}
}

START_TEST(test_wgkernel_probe_and_family)
{
	uint16_t family = 0;
	struct link_info li;

	ck_assert_int_eq(wgdev_probe_kernel(NULL), 1);
	ck_assert_int_eq(wggenl_family(A.ns, &family), 0);
	ck_assert_uint_gt(family, 0);
	wgk_create(&A, &wgk_kernel);
	ck_assert_int_eq(wgdev_kind(A.dev), WGDEV_KERNEL);
	ck_assert_int_eq(link_get(A.ns, A.ifname, &li), 0);
	ck_assert_str_eq(li.kind, "wireguard");
	/* Exclusive create: a second one under the same name is refused. */
	ck_assert_int_eq(wggenl_link_add(A.ns, A.ifname), -EEXIST);
}
END_TEST

/* Every device and peer attribute goes in and comes back the same; wg(8)
 * agrees. */
START_TEST(test_wgkernel_set_get_roundtrip)
{
	struct wgconf_device *c = wgconf_device_new(), *st;
	struct wgconf_peer *p[3];
	const struct wgconf_peer *g;
	uint8_t keys[3][WGKEY_LEN], psk[WGKEY_LEN], priv[WGKEY_LEN];
	const char *args[] = { "wg", "show", A.ifname, "dump", NULL };
	char out[4096], b64[WGKEY_LEN_BASE64], first[256];

	wgk_create(&A, &wgk_kernel);
	wgconf_device_set_private_key(c, A.priv);
	c->listen_port = 40000;
	c->fwmark = 0x1234;
	c->flags |= WGCONF_DEV_HAS_LISTEN_PORT | WGCONF_DEV_HAS_FWMARK | WGCONF_DEV_REPLACE_PEERS;
	wgkey_generate_psk(psk);
	for (int i = 0; i < 3; i++) {
		wgkey_generate_private(priv);
		wgkey_public(keys[i], priv);
		p[i] = wgconf_device_add_peer(c);
		wgconf_peer_set_public_key(p[i], keys[i]);
	}
	wgconf_peer_set_preshared_key(p[0], psk);
	wgk_set_endpoint(p[0], "10.99.0.2:51821");
	p[0]->persistent_keepalive = 25;
	p[0]->flags |= WGCONF_PEER_HAS_KEEPALIVE;
	wgk_add_ip(p[0], "10.100.0.2/32");
	wgk_add_ip(p[0], "fd10::2/128");
	wgk_set_endpoint(p[1], "[fd99::2]:51822");
	wgk_add_ip(p[1], "192.168.0.0/16");
	wgk_add_ip(p[1], "0.0.0.0/0");
	ck_assert_int_eq(wgdev_set(A.dev, c), 0);

	st = wgk_get(&A);
	ck_assert(st->flags & WGCONF_DEV_HAS_PRIVATE_KEY);
	ck_assert_mem_eq(st->private_key, A.priv, WGKEY_LEN);
	ck_assert(st->flags & WGCONF_DEV_HAS_PUBLIC_KEY);
	ck_assert_mem_eq(st->public_key, A.pub, WGKEY_LEN);
	ck_assert_uint_eq(st->listen_port, 40000);
	ck_assert_uint_eq(st->fwmark, 0x1234);
	assert_same_peers(c, st);
	g = wgconf_device_find_peer(st, keys[0]);
	ck_assert(g->flags & WGCONF_PEER_HAS_PRESHARED_KEY);
	ck_assert_mem_eq(g->preshared_key, psk, WGKEY_LEN);
	ck_assert_uint_eq(g->persistent_keepalive, 25);
	ck_assert_int_eq(g->endpoint.sa.sa_family, AF_INET);
	ck_assert_uint_eq(ntohs(g->endpoint.in.sin_port), 51821);
	ck_assert_uint_eq(g->endpoint.in.sin_addr.s_addr, htonl(0x0a630002));
	ck_assert(!(g->flags & WGCONF_PEER_HAS_HANDSHAKE) || g->last_handshake_sec == 0);
	g = wgconf_device_find_peer(st, keys[1]);
	ck_assert(!(g->flags & WGCONF_PEER_HAS_PRESHARED_KEY));
	ck_assert_int_eq(g->endpoint.sa.sa_family, AF_INET6);
	ck_assert_uint_eq(ntohs(g->endpoint.in6.sin6_port), 51822);
	g = wgconf_device_find_peer(st, keys[2]);
	ck_assert(!(g->flags & WGCONF_PEER_HAS_ENDPOINT));
	ck_assert_uint_eq(wgconf_peer_count_allowedips(g), 0);
	wgconf_device_free(st);

	/* wg(8): "private public port fwmark" then one line per peer. */
	ck_assert_int_eq(wgk_run_in(A.ns, args, out, sizeof(out)), 0);
	wgkey_to_base64(b64, A.pub);
	snprintf(first, sizeof(first), "\t%s\t40000\t0x1234\n", b64);
	ck_assert_msg(strstr(out, first), "wg show dump: %s", out);
	wgkey_to_base64(b64, keys[0]);
	ck_assert_ptr_nonnull(strstr(out, b64));
	ck_assert_ptr_nonnull(strstr(out, "10.99.0.2:51821"));
	ck_assert_ptr_nonnull(strstr(out, "[fd99::2]:51822"));
	wgconf_device_free(c);
}
END_TEST

struct count {
	size_t messages;
};

static int count_emit(struct nlmsghdr *nlh, void *data)
{
	struct count *n = data;

	(void)nlh;
	n->messages++;
	return 0;
}

/* One peer with 1000 allowed IPs and 99 more with two each: SET is split
 * over several messages (a peer continued across them) and the GET dump
 * comes in several too; both sides must put the pieces together. */
START_TEST(test_wgkernel_split_config)
{
	struct wgconf_device *c = wgconf_device_new(), *st, *change;
	struct wgconf_peer *p;
	struct count n = { 0 };
	uint8_t priv[WGKEY_LEN];
	char prefix[64];
	size_t lines, ips;
	void *buf;

	wgk_create(&A, &wgk_kernel);
	wgconf_device_set_private_key(c, A.priv);
	c->flags |= WGCONF_DEV_REPLACE_PEERS;
	for (int i = 0; i < 100; i++) {
		p = wgconf_device_add_peer(c);
		wgkey_generate_private(priv);
		wgkey_public(p->public_key, priv);
		p->flags |= WGCONF_PEER_HAS_PUBLIC_KEY;
		if (!i) {
			for (int j = 0; j < 1000; j++) {
				snprintf(prefix, sizeof(prefix), "10.%d.%d.0/24", 100 + j / 256, j % 256);
				wgk_add_ip(p, prefix);
			}
			continue;
		}
		snprintf(prefix, sizeof(prefix), "172.16.%d.0/24", i);
		wgk_add_ip(p, prefix);
		snprintf(prefix, sizeof(prefix), "fd00:%x::/64", i);
		wgk_add_ip(p, prefix);
	}
	buf = malloc(wggenl_bufsize());
	ck_assert_int_eq(wggenl_build_set(buf, wggenl_bufsize(), 1, A.ifname, c, count_emit, &n), 0);
	free(buf);
	ck_assert_uint_gt(n.messages, 4);

	ck_assert_int_eq(wgdev_set(A.dev, c), 0);
	st = wgk_get(&A);
	assert_same_peers(c, st);
	ck_assert_uint_eq(wgconf_peer_count_allowedips(st->first_peer), 1000);
	wgconf_device_free(st);
	wg_dump_counts(A.ns, A.ifname, &lines, &ips);
	ck_assert_uint_eq(lines, 101);
	ck_assert_uint_eq(ips, 1000 + 99 * 2);

	/* Incremental: the last 50 peers go, the first gets one prefix more
	 * (no replace), and nothing else changes. */
	change = wgconf_device_new();
	p = wgconf_device_add_peer(change);
	wgconf_peer_set_public_key(p, c->first_peer->public_key);
	wgk_add_ip(p, "10.200.0.0/16");
	wgk_add_ip(c->first_peer, "10.200.0.0/16");
	for (int i = 0; i < 50; i++) {
		struct wgconf_peer *last = c->last_peer;

		p = wgconf_device_add_peer(change);
		wgconf_peer_set_public_key(p, last->public_key);
		p->flags |= WGCONF_PEER_REMOVE;
		wgconf_device_remove_peer(c, last);
	}
	ck_assert_int_eq(wgdev_set(A.dev, change), 0);
	st = wgk_get(&A);
	assert_same_peers(c, st);
	wgconf_device_free(st);
	wg_dump_counts(A.ns, A.ifname, &lines, &ips);
	ck_assert_uint_eq(lines, 51);
	ck_assert_uint_eq(ips, 1001 + 49 * 2);

	/* Replace with no peers at all. */
	wgconf_device_free(change);
	change = wgconf_device_new();
	change->flags |= WGCONF_DEV_REPLACE_PEERS;
	ck_assert_int_eq(wgdev_set(A.dev, change), 0);
	st = wgk_get(&A);
	ck_assert_ptr_null(st->first_peer);
	wgconf_device_free(st);
	wgconf_device_free(change);
	wgconf_device_free(c);
}
END_TEST

/* The one-operation changes; UPDATE_ONLY does not make a peer. */
START_TEST(test_wgkernel_small_changes)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(7777) };
	uint8_t priv[WGKEY_LEN], pub[WGKEY_LEN], stranger[WGKEY_LEN];
	struct wgconf_device *st;
	struct wgdev *other = NULL;

	wgk_create(&A, &wgk_kernel);
	wgk_create(&B, &wgk_kernel);
	wgk_configure(&A, &B, wgk_outer[0], "10.100.0.2/32");
	ck_assert_int_eq(wgchange_listen_port(A.dev, 41000), 0);
	ck_assert_int_eq(wgchange_fwmark(A.dev, 77), 0);
	wgkey_generate_private(priv);
	wgkey_public(pub, priv);
	ck_assert_int_eq(wgchange_private_key(A.dev, priv), 0);
	inet_pton(AF_INET, "10.99.0.9", &sin.sin_addr);
	ck_assert_int_eq(wgchange_peer_endpoint(A.dev, B.pub, (struct sockaddr *)&sin, sizeof(sin)), 0);
	wgkey_public(stranger, A.priv);
	ck_assert_int_eq(wgchange_peer_endpoint(A.dev, stranger, (struct sockaddr *)&sin, sizeof(sin)), 0);
	st = wgk_get(&A);
	ck_assert_uint_eq(st->listen_port, 41000);
	ck_assert_uint_eq(st->fwmark, 77);
	ck_assert_mem_eq(st->public_key, pub, WGKEY_LEN);
	ck_assert_ptr_nonnull(st->first_peer);
	ck_assert_ptr_null(st->first_peer->next);
	ck_assert_uint_eq(st->first_peer->endpoint.in.sin_addr.s_addr, sin.sin_addr.s_addr);
	ck_assert_uint_eq(st->first_peer->endpoint.in.sin_port, htons(7777));
	ck_assert_uint_eq(wgconf_peer_count_allowedips(st->first_peer), 1);
	wgconf_device_free(st);
	ck_assert_int_eq(wgchange_fwmark(A.dev, 0), 0);
	ck_assert_int_eq(wgchange_remove_peer(A.dev, B.pub), 0);
	st = wgk_get(&A);
	ck_assert_uint_eq(st->fwmark, 0);
	ck_assert_ptr_null(st->first_peer);
	wgconf_device_free(st);
	/* The port is bound once the device is up: then another device of
	 * the same namespace cannot take it. */
	ck_assert_int_eq(link_set_up(A.ns, A.ifname, true), 0);
	ck_assert_int_eq(wgdev_create(&other, A.ns, "wgA2", &wgk_kernel, NULL, 0), 0);
	ck_assert_int_eq(link_set_up(A.ns, "wgA2", true), 0);
	ck_assert_int_eq(wgchange_listen_port(other, 41000), -EADDRINUSE);
	ck_assert_int_eq(wgchange_listen_port(other, 41001), 0);
	wgdev_free(other);
}
END_TEST

/* Deleting takes the link away; the state can no longer be read. */
START_TEST(test_wgkernel_delete)
{
	struct wgconf_device *st = NULL;
	struct link_info li;

	wgk_create(&A, &wgk_kernel);
	ck_assert_int_eq(wgdev_delete(A.dev), 0);
	ck_assert_int_eq(link_get(A.ns, A.ifname, &li), -ENODEV);
	ck_assert_int_eq(wgdev_get(A.dev, &st), -ENODEV);
	ck_assert_ptr_null(st);
	ck_assert_int_eq(wgdev_delete(A.dev), 0);
}
END_TEST

/* Left to its namespace's end: freeing it keeps the link, the end of the
 * namespace takes it. */
START_TEST(test_wgkernel_leave)
{
	struct link_info li;
	uint64_t end;

	wgk_create(&A, &wgk_kernel);
	wgk_create(&B, &wgk_kernel);
	wgdev_leave(A.dev);
	wgdev_free(A.dev);
	A.dev = NULL;
	ck_assert_int_eq(link_get(A.ns, A.ifname, &li), 0);
	ck_assert_str_eq(li.kind, "wireguard");
	netns_free(A.ns);
	A.ns = NULL;
	/* B's end of the veth goes when A's namespace has ended. */
	end = now_ms() + 10000;
	while (link_get(B.ns, "vb", &li) == 0 && now_ms() < end)
		poll(NULL, 0, 10);
	ck_assert_int_eq(link_get(B.ns, "vb", &li), -ENODEV);
	ck_assert_uint_eq(if_nametoindex(A.ifname), 0);
}
END_TEST

Suite *wgkernel_suite(void)
{
	Suite *s = suite_create("wgkernel");
	TCase *tc;
	int probe = wgdev_probe_kernel(NULL);

	if (probe != 1) {
		fprintf(stderr, "note: wgkernel: %s; its cases run under `make check-kernel`\n",
			probe ? "the kernel WireGuard probe failed" : "this kernel has no WireGuard");
		return s;
	}
	tc = tcase_create("config");
	tcase_add_checked_fixture(tc, wgk_setup, wgk_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_wgkernel_probe_and_family);
	tcase_add_test(tc, test_wgkernel_set_get_roundtrip);
	tcase_add_test(tc, test_wgkernel_split_config);
	tcase_add_test(tc, test_wgkernel_small_changes);
	tcase_add_test(tc, test_wgkernel_delete);
	tcase_add_test(tc, test_wgkernel_leave);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, wgkernel_path_tcase());
	return s;
}
