// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * The kernel WireGuard data path (part of the wgkernel suite, see
 * check_wgkernel.c and the topology in wgktest.h): handshakes and counters
 * after pings, roaming, devices born in another namespace, keepalive,
 * wrong keys, and wg-quick's full tunnel on a kernel device.
 */
#include <check.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/socket.h>

#include "netns/addr.h"
#include "netns/link.h"
#include "netns/ns.h"
#include "netns/route.h"
#include "netns/wg/wgconf.h"
#include "netns/wg/wgconf_parse.h"
#include "netns/wg/wgdev.h"
#include "netns/wg/wgquick.h"
#include "wgktest.h"
#include "netns/util/now.h"

/* A ping between the namespaces makes a handshake; both sides count bytes
 * and B learns A's endpoint in the outer family. */
START_TEST(test_wgkernel_ping_handshake_stats)
{
	struct wgconf_device *st;
	const struct wgconf_peer *p;

	wgk_create(&A, &wgk_kernel);
	wgk_create(&B, &wgk_kernel);
	wgk_configure(&A, &B, wgk_outer[_i], "10.100.0.2/32,fd10::2/128");
	wgk_configure(&B, &A, NULL, "10.100.0.1/32,fd10::1/128");
	wgk_tunnel_up();
	st = wgk_get(&B);
	ck_assert(!(st->first_peer->flags & WGCONF_PEER_HAS_ENDPOINT));
	ck_assert(!(st->first_peer->flags & WGCONF_PEER_HAS_HANDSHAKE) ||
		  !st->first_peer->last_handshake_sec);
	wgconf_device_free(st);

	ck_assert_msg(wgk_ping_until(A.ns, "10.100.0.2", 10000), "no IPv4 ping through the tunnel");
	ck_assert_msg(wgk_ping_until(A.ns, "fd10::2", 10000), "no IPv6 ping through the tunnel");
	ck_assert_msg(wgk_ping_until(B.ns, "10.100.0.1", 10000), "no ping back");
	for (int k = 0; k < 2; k++) {
		st = wgk_get(k ? &B : &A);
		p = st->first_peer;
		ck_assert_mem_eq(p->public_key, k ? A.pub : B.pub, WGKEY_LEN);
		ck_assert(p->flags & WGCONF_PEER_HAS_HANDSHAKE);
		ck_assert_int_gt(p->last_handshake_sec, 0);
		ck_assert(p->flags & WGCONF_PEER_HAS_STATS);
		/* Three pings of 84 and 104 bytes each way, plus the handshake. */
		ck_assert_uint_gt(p->rx_bytes, 3 * 84);
		ck_assert_uint_gt(p->tx_bytes, 3 * 84);
		ck_assert(p->flags & WGCONF_PEER_HAS_PROTOCOL);
		ck_assert_uint_eq(p->protocol_version, 1);
		ck_assert(p->flags & WGCONF_PEER_HAS_ENDPOINT);
		ck_assert_int_eq(p->endpoint.sa.sa_family, _i ? AF_INET6 : AF_INET);
		wgconf_device_free(st);
	}
}
END_TEST

/* A's underlay address changes under a live tunnel: the kernel drops its
 * cached source by itself, and B follows A to the new address. */
START_TEST(test_wgkernel_roaming)
{
	struct wgconf_device *st;
	char buf[INET_ADDRSTRLEN];
	struct addr old;
	uint64_t end;
	bool learnt = false;

	wgk_create(&A, &wgk_kernel);
	wgk_create(&B, &wgk_kernel);
	wgk_configure(&A, &B, wgk_outer[0], "10.100.0.2/32");
	wgk_configure(&B, &A, NULL, "10.100.0.1/32");
	wgk_tunnel_up();
	ck_assert(wgk_ping_until(A.ns, "10.100.0.2", 10000));
	st = wgk_get(&B);
	ck_assert_str_eq(inet_ntop(AF_INET, &st->first_peer->endpoint.in.sin_addr, buf, sizeof(buf)),
			 "10.99.0.1");
	wgconf_device_free(st);
	ck_assert_int_eq(addr_parse("10.99.0.1/24", ADDR_PARSE_PREFIX, &old), 0);
	ck_assert_int_eq(addr_del(A.ns, "va", &old), 0);
	wgk_add_addr(A.ns, "va", "10.99.0.33/24");
	end = now_ms() + 10000;
	while (!learnt && now_ms() < end) {
		ck_assert(wgk_ping_until(A.ns, "10.100.0.2", 5000));
		st = wgk_get(&B);
		learnt = !strcmp(inet_ntop(AF_INET, &st->first_peer->endpoint.in.sin_addr, buf, sizeof(buf)),
				 "10.99.0.33");
		wgconf_device_free(st);
	}
	ck_assert_msg(learnt, "B did not learn A's new endpoint");
	/* And B answers there: a ping from B. */
	ck_assert(wgk_ping_until(B.ns, "10.100.0.1", 5000));
}
END_TEST

static int bind_udp(struct netns *ns, const char *addr, uint16_t port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd, ret;

	ck_assert_int_eq(netns_enter(ns), 0);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	netns_leave();
	ck_assert_int_ge(fd, 0);
	inet_pton(AF_INET, addr, &sin.sin_addr);
	ret = bind(fd, (struct sockaddr *)&sin, sizeof(sin)) ? -errno : 0;
	close(fd);
	return ret;
}

/* The kernel selftest's topology: both devices are born in C and moved
 * into A and B, which have no link between them.  Their UDP sockets stay
 * in C, so the tunnel runs over C's loopback. */
START_TEST(test_wgkernel_create_in_birth_ns)
{
	struct wgdev_backend be = { .kind = WGDEV_KERNEL };
	struct link_info li, lo0, lo1;

	C = netns_new(0);
	ck_assert_ptr_nonnull(C);
	ck_assert_int_eq(link_set_up(C, "lo", true), 0);
	ck_assert_int_eq(link_del(A.ns, "va"), 0);
	ck_assert_int_eq(link_get(B.ns, "vb", &li), -ENODEV);
	be.birth_ns = C;
	wgk_create(&A, &be);
	wgk_create(&B, &be);
	ck_assert_int_eq(link_get(A.ns, A.ifname, &li), 0);
	ck_assert_str_eq(li.kind, "wireguard");
	ck_assert_int_eq(link_get(C, A.ifname, &li), -ENODEV);
	ck_assert_int_eq(link_get(C, B.ifname, &li), -ENODEV);
	wgk_configure(&A, &B, "127.0.0.1:51821", "10.100.0.2/32,fd10::2/128");
	wgk_configure(&B, &A, "127.0.0.1:51820", "10.100.0.1/32,fd10::1/128");
	wgk_tunnel_up();
	/* The ports are taken in C, not in A or B. */
	ck_assert_int_eq(bind_udp(C, "127.0.0.1", 51820), -EADDRINUSE);
	ck_assert_int_eq(bind_udp(C, "127.0.0.1", 51821), -EADDRINUSE);
	ck_assert_int_eq(bind_udp(A.ns, "127.0.0.1", 51820), 0);
	ck_assert_int_eq(bind_udp(B.ns, "127.0.0.1", 51821), 0);
	ck_assert_int_eq(link_get(C, "lo", &lo0), 0);
	ck_assert_msg(wgk_ping_until(A.ns, "10.100.0.2", 10000), "no ping through C's loopback");
	ck_assert(wgk_ping_until(B.ns, "fd10::1", 10000));
	ck_assert_int_eq(link_get(C, "lo", &lo1), 0);
	/* Handshake (148 + 92 bytes) and pings went over C's lo. */
	ck_assert_uint_gt(lo1.rx_bytes, lo0.rx_bytes + 148 + 92);
}
END_TEST

/* A persistent keepalive on a peer with an endpoint starts a handshake
 * with no traffic at all. */
START_TEST(test_wgkernel_keepalive_starts_handshake)
{
	struct wgconf_device *c = wgconf_device_new();
	struct wgconf_peer *p;

	wgk_create(&A, &wgk_kernel);
	wgk_create(&B, &wgk_kernel);
	wgk_configure(&B, &A, NULL, "10.100.0.1/32");
	wgk_tunnel_up();
	wgk_configure(&A, &B, wgk_outer[0], "10.100.0.2/32");
	/* Without traffic and keepalive, nothing happens. */
	ck_assert(!wgk_handshake_within(&B, 300));
	p = wgconf_device_add_peer(c);
	wgconf_peer_set_public_key(p, B.pub);
	p->persistent_keepalive = 1;
	p->flags |= WGCONF_PEER_HAS_KEEPALIVE | WGCONF_PEER_UPDATE_ONLY;
	ck_assert_int_eq(wgdev_set(A.dev, c), 0);
	ck_assert_msg(wgk_handshake_within(&B, 5000), "no handshake from the keepalive");
	wgconf_device_free(c);
}
END_TEST

/* A knows B by a wrong key: no handshake either side, nothing gets
 * through; with the right key it works, so the check could see one. */
START_TEST(test_wgkernel_wrong_key_no_handshake)
{
	struct wgk_side wrong = { .ifname = "x" };

	wgkey_generate_private(wrong.priv);
	wgkey_public(wrong.pub, wrong.priv);
	wgk_create(&A, &wgk_kernel);
	wgk_create(&B, &wgk_kernel);
	wgk_configure(&A, &wrong, wgk_outer[0], "10.100.0.2/32");
	wgk_configure(&B, &A, NULL, "10.100.0.1/32");
	wgk_tunnel_up();
	ck_assert(!wgk_ping_until(A.ns, "10.100.0.2", 2000));
	ck_assert(!wgk_handshake_within(&A, 0));
	ck_assert(!wgk_handshake_within(&B, 0));
	wgk_configure(&A, &B, wgk_outer[0], "10.100.0.2/32");
	ck_assert(wgk_ping_until(A.ns, "10.100.0.2", 10000));
	ck_assert(wgk_handshake_within(&B, 5000));
}
END_TEST

static void route_dev(struct netns *ns, const char *dst, uint32_t mark, char *dev)
{
	struct route q = { 0 }, r;

	ck_assert_int_eq(addr_parse(dst, 0, &q.dst), 0);
	if (mark) {
		q.mark = mark;
		q.flags |= ROUTE_HAS_MARK;
	}
	ck_assert_int_eq(route_get(ns, &q, &r), 0);
	strcpy(dev, r.dev);
}

/* wg-quick up and down with AllowedIPs = 0.0.0.0/0 on a kernel device:
 * fwmark 51820 goes to the wgk_kernel, the tunnel's own packets still leave
 * by va, everything else by the tunnel; down takes it all away. */
START_TEST(test_wgkernel_quick_full_tunnel)
{
	static const char text[] =
		"[Interface]\n"
		"Address = 10.100.0.1/24\n"
		"ListenPort = 51820\n"
		"[Peer]\n"
		"PublicKey = @B\n"
		"Endpoint = 10.99.0.2:51821\n"
		"AllowedIPs = 0.0.0.0/0\n";
	char err[256], dev[IF_NAMESIZE];
	struct wgquick_opts opts = { .hook_log_fd = -1, .err = err, .errlen = sizeof(err) };
	struct wgconf_device *conf = NULL, *st;
	struct route def = { .flags = ROUTE_HAS_GW };
	struct link_info li;
	int r;

	wgk_create(&A, &wgk_kernel);
	wgk_create(&B, &wgk_kernel);
	wgk_configure(&B, &A, NULL, "10.100.0.1/32");
	wgk_add_addr(B.ns, B.ifname, "10.100.0.2/24");
	ck_assert_int_eq(link_set_up(B.ns, B.ifname, true), 0);
	wgk_add_addr(B.ns, "lo", "198.51.100.1/32");
	ck_assert_int_eq(addr_parse("0.0.0.0/0", ADDR_PARSE_PREFIX, &def.dst), 0);
	ck_assert_int_eq(addr_parse("10.99.0.2", 0, &def.gw), 0);
	ck_assert_int_eq(route_add(A.ns, &def), 0);

	ck_assert_int_eq(wgconf_parse_text(text, &conf, NULL), 0);
	wgconf_device_set_private_key(conf, A.priv);
	wgconf_peer_set_public_key(conf->first_peer, B.pub);
	r = wgquick_up(A.dev, conf, &opts, NULL);
	ck_assert_msg(r == 0, "wgquick_up: %s", err);
	st = wgk_get(&A);
	ck_assert_uint_eq(st->fwmark, 51820);
	wgconf_device_free(st);
	route_dev(A.ns, "198.51.100.1", 0, dev);
	ck_assert_str_eq(dev, A.ifname);
	route_dev(A.ns, "10.99.0.2", 51820, dev);
	ck_assert_str_eq(dev, "va");
	ck_assert_msg(wgk_ping_until(A.ns, "198.51.100.1", 10000), "no ping through the full tunnel");
	ck_assert(wgk_handshake_within(&B, 5000));

	ck_assert_int_eq(wgquick_down(A.dev, conf, &opts, NULL), 0);
	ck_assert_int_eq(link_get(A.ns, A.ifname, &li), -ENODEV);
	route_dev(A.ns, "198.51.100.1", 0, dev);
	ck_assert_str_eq(dev, "va");
	wgconf_device_free(conf);
}
END_TEST

TCase *wgkernel_path_tcase(void)
{
	TCase *tc = tcase_create("datapath");

	tcase_add_checked_fixture(tc, wgk_setup, wgk_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_wgkernel_ping_handshake_stats, 0, 2);
	tcase_add_test(tc, test_wgkernel_roaming);
	tcase_add_test(tc, test_wgkernel_create_in_birth_ns);
	tcase_add_test(tc, test_wgkernel_keepalive_starts_handshake);
	tcase_add_test(tc, test_wgkernel_wrong_key_no_handshake);
	tcase_add_test(tc, test_wgkernel_quick_full_tunnel);
	return tc;
}
