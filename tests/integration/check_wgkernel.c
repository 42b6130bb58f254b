// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * The kernel WireGuard backend (netns/wggenl.c through netns/wgdev.c) on a
 * kernel that has WireGuard: `make check-kernel` runs this suite in a qemu
 * guest.  On a kernel without it the cases are not registered (a note says
 * so) and test_wg_probe_kernel in check_wg.c checks the refusal instead.
 *
 *   A                                   B
 *   wgA 10.100.0.1/24 fd10::1/64        wgB 10.100.0.2/24 fd10::2/64
 *   va  10.99.0.1/24  fd99::1/64 <----> vb  10.99.0.2/24  fd99::2/64
 *
 * What the kernel holds is read back over generic netlink and, as an
 * independent witness, with wg(8) (`wg show IF dump`) through nsenter.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "netns/addr.h"
#include "netns/link.h"
#include "netns/ns.h"
#include "netns/proc.h"
#include "netns/route.h"
#include "netns/wgconf.h"
#include "netns/wgdev.h"
#include "netns/wggenl.h"
#include "netns/wgquick.h"

extern Suite *wgkernel_suite(void);

struct side {
	struct netns *ns;
	struct wgdev *dev;
	const char *ifname;
	uint8_t priv[WGKEY_LEN], pub[WGKEY_LEN];
};

static struct side A = { .ifname = "wgA" }, B = { .ifname = "wgB" };
static struct netns *C;
static const struct wgdev_backend kernel = { .kind = WGDEV_KERNEL };

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void add_addr(struct netns *ns, const char *ifname, const char *a)
{
	struct addr ad;

	ck_assert_int_eq(addr_parse(a, ADDR_PARSE_PREFIX, &ad), 0);
	ck_assert_int_eq(addr_add(ns, ifname, &ad), 0);
}

static void side_init(struct side *s)
{
	s->ns = netns_new();
	ck_assert_ptr_nonnull(s->ns);
	wgkey_generate_private(s->priv);
	wgkey_public(s->pub, s->priv);
	ck_assert_int_eq(link_set_up(s->ns, "lo", true), 0);
}

static void setup(void)
{
	ck_assert_int_ge(sodium_init(), 0);
	side_init(&A);
	side_init(&B);
	ck_assert_int_eq(link_add_veth(A.ns, "va", B.ns, "vb", 0), 0);
	add_addr(A.ns, "va", "10.99.0.1/24");
	add_addr(A.ns, "va", "fd99::1/64");
	add_addr(B.ns, "vb", "10.99.0.2/24");
	add_addr(B.ns, "vb", "fd99::2/64");
	ck_assert_int_eq(link_set_up(A.ns, "va", true), 0);
	ck_assert_int_eq(link_set_up(B.ns, "vb", true), 0);
}

static void teardown(void)
{
	wgdev_free(A.dev);
	wgdev_free(B.dev);
	netns_free(A.ns);
	netns_free(B.ns);
	netns_free(C);
}

static void create(struct side *s, const struct wgdev_backend *be)
{
	char err[256];
	int ret;

	ret = wgdev_create(&s->dev, s->ns, s->ifname, be, err, sizeof(err));
	ck_assert_msg(ret == 0, "wgdev_create: %s: %s", strerror(-ret), err);
}

/* Runs argv in ns through nsenter; its exit status.  With out, its stdout
 * (NUL-terminated, at most len - 1 bytes). */
static int run_in(struct netns *ns, const char *const *args, char *out, size_t len)
{
	struct proc_opts opts = { .stdin_fd = -1, .stdout_fd = -1, .stderr_fd = -1 };
	struct proc *p = NULL;
	char nsarg[64];
	char *argv[16];
	int i, status = -1, fd = -1;
	ssize_t n;

	snprintf(nsarg, sizeof(nsarg), "--net=/proc/%d/fd/%d", getpid(), netns_fd(ns));
	argv[0] = "nsenter";
	argv[1] = nsarg;
	argv[2] = "--";
	for (i = 0; args[i] && i < 12; i++)
		argv[3 + i] = (char *)args[i];
	argv[3 + i] = NULL;
	if (out) {
		fd = open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
		ck_assert_int_ge(fd, 0);
		opts.stdout_fd = fd;
	}
	ck_assert_int_eq(proc_spawn(&p, argv, &opts), 0);
	ck_assert_int_eq(proc_wait(p, 20000, &status), 0);
	proc_free(p);
	if (out) {
		n = pread(fd, out, len - 1, 0);
		ck_assert_int_ge(n, 0);
		out[n] = '\0';
		close(fd);
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static bool ping_until(struct netns *ns, const char *dst, int deadline_ms)
{
	const char *args[] = { "ping", "-n", "-q", "-c", "1", "-W", "1", dst, NULL };
	int64_t end = now_ms() + deadline_ms;

	do {
		if (!run_in(ns, args, NULL, 0))
			return true;
	} while (now_ms() < end);
	return false;
}

static struct wgconf_device *get(struct side *s)
{
	struct wgconf_device *st = NULL;

	ck_assert_int_eq(wgdev_get(s->dev, &st), 0);
	return st;
}

static void add_ip(struct wgconf_peer *p, const char *prefix)
{
	struct addr a;

	ck_assert_int_eq(addr_parse(prefix, ADDR_PARSE_PREFIX, &a), 0);
	ck_assert_int_eq(wgconf_peer_add_allowedip(p, &a, 0), 0);
}

static void set_endpoint(struct wgconf_peer *p, const char *endpoint)
{
	struct wgconf_error err;

	ck_assert_int_eq(wgconf_parse_endpoint(p, endpoint, &err), 0);
}

/* s's device: its key, port 51820, and peer o at endpoint (may be NULL). */
static void configure(struct side *s, const struct side *o, const char *endpoint, const char *allowed)
{
	struct wgconf_device *c = wgconf_device_new();
	struct wgconf_peer *p;
	struct wgconf_error err;

	ck_assert_ptr_nonnull(c);
	wgconf_device_set_private_key(c, s->priv);
	c->listen_port = s == &A ? 51820 : 51821;
	c->flags |= WGCONF_DEV_HAS_LISTEN_PORT | WGCONF_DEV_REPLACE_PEERS;
	p = wgconf_device_add_peer(c);
	wgconf_peer_set_public_key(p, o->pub);
	if (endpoint)
		set_endpoint(p, endpoint);
	ck_assert_int_eq(wgconf_parse_allowedips(p, allowed, &err), 0);
	ck_assert_int_eq(wgdev_set(s->dev, c), 0);
	wgconf_device_free(c);
}

static void tunnel_up(void)
{
	add_addr(A.ns, A.ifname, "10.100.0.1/24");
	add_addr(A.ns, A.ifname, "fd10::1/64");
	add_addr(B.ns, B.ifname, "10.100.0.2/24");
	add_addr(B.ns, B.ifname, "fd10::2/64");
	ck_assert_int_eq(link_set_up(A.ns, A.ifname, true), 0);
	ck_assert_int_eq(link_set_up(B.ns, B.ifname, true), 0);
}

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

	ck_assert_int_eq(run_in(ns, args, out, sizeof(out)), 0);
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
	create(&A, &kernel);
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

	create(&A, &kernel);
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
	set_endpoint(p[0], "10.99.0.2:51821");
	p[0]->persistent_keepalive = 25;
	p[0]->flags |= WGCONF_PEER_HAS_KEEPALIVE;
	add_ip(p[0], "10.100.0.2/32");
	add_ip(p[0], "fd10::2/128");
	set_endpoint(p[1], "[fd99::2]:51822");
	add_ip(p[1], "192.168.0.0/16");
	add_ip(p[1], "0.0.0.0/0");
	ck_assert_int_eq(wgdev_set(A.dev, c), 0);

	st = get(&A);
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
	ck_assert_int_eq(run_in(A.ns, args, out, sizeof(out)), 0);
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

	create(&A, &kernel);
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
				add_ip(p, prefix);
			}
			continue;
		}
		snprintf(prefix, sizeof(prefix), "172.16.%d.0/24", i);
		add_ip(p, prefix);
		snprintf(prefix, sizeof(prefix), "fd00:%x::/64", i);
		add_ip(p, prefix);
	}
	buf = malloc(wggenl_bufsize());
	ck_assert_int_eq(wggenl_build_set(buf, wggenl_bufsize(), 1, A.ifname, c, count_emit, &n), 0);
	free(buf);
	ck_assert_uint_gt(n.messages, 4);

	ck_assert_int_eq(wgdev_set(A.dev, c), 0);
	st = get(&A);
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
	add_ip(p, "10.200.0.0/16");
	add_ip(c->first_peer, "10.200.0.0/16");
	for (int i = 0; i < 50; i++) {
		struct wgconf_peer *last = c->last_peer;

		p = wgconf_device_add_peer(change);
		wgconf_peer_set_public_key(p, last->public_key);
		p->flags |= WGCONF_PEER_REMOVE;
		wgconf_device_remove_peer(c, last);
	}
	ck_assert_int_eq(wgdev_set(A.dev, change), 0);
	st = get(&A);
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
	st = get(&A);
	ck_assert_ptr_null(st->first_peer);
	wgconf_device_free(st);
	wgconf_device_free(change);
	wgconf_device_free(c);
}
END_TEST

static const char *const outer[] = { "10.99.0.2:51821", "[fd99::2]:51821" };

/* A ping between the namespaces makes a handshake; both sides count bytes
 * and B learns A's endpoint in the outer family. */
START_TEST(test_wgkernel_ping_handshake_stats)
{
	struct wgconf_device *st;
	const struct wgconf_peer *p;

	create(&A, &kernel);
	create(&B, &kernel);
	configure(&A, &B, outer[_i], "10.100.0.2/32,fd10::2/128");
	configure(&B, &A, NULL, "10.100.0.1/32,fd10::1/128");
	tunnel_up();
	st = get(&B);
	ck_assert(!(st->first_peer->flags & WGCONF_PEER_HAS_ENDPOINT));
	ck_assert(!(st->first_peer->flags & WGCONF_PEER_HAS_HANDSHAKE) ||
		  !st->first_peer->last_handshake_sec);
	wgconf_device_free(st);

	ck_assert_msg(ping_until(A.ns, "10.100.0.2", 10000), "no IPv4 ping through the tunnel");
	ck_assert_msg(ping_until(A.ns, "fd10::2", 10000), "no IPv6 ping through the tunnel");
	ck_assert_msg(ping_until(B.ns, "10.100.0.1", 10000), "no ping back");
	for (int k = 0; k < 2; k++) {
		st = get(k ? &B : &A);
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
	int64_t end;
	bool learnt = false;

	create(&A, &kernel);
	create(&B, &kernel);
	configure(&A, &B, outer[0], "10.100.0.2/32");
	configure(&B, &A, NULL, "10.100.0.1/32");
	tunnel_up();
	ck_assert(ping_until(A.ns, "10.100.0.2", 10000));
	st = get(&B);
	ck_assert_str_eq(inet_ntop(AF_INET, &st->first_peer->endpoint.in.sin_addr, buf, sizeof(buf)),
			 "10.99.0.1");
	wgconf_device_free(st);
	ck_assert_int_eq(addr_parse("10.99.0.1/24", ADDR_PARSE_PREFIX, &old), 0);
	ck_assert_int_eq(addr_del(A.ns, "va", &old), 0);
	add_addr(A.ns, "va", "10.99.0.33/24");
	end = now_ms() + 10000;
	while (!learnt && now_ms() < end) {
		ck_assert(ping_until(A.ns, "10.100.0.2", 5000));
		st = get(&B);
		learnt = !strcmp(inet_ntop(AF_INET, &st->first_peer->endpoint.in.sin_addr, buf, sizeof(buf)),
				 "10.99.0.33");
		wgconf_device_free(st);
	}
	ck_assert_msg(learnt, "B did not learn A's new endpoint");
	/* And B answers there: a ping from B. */
	ck_assert(ping_until(B.ns, "10.100.0.1", 5000));
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

	C = netns_new();
	ck_assert_ptr_nonnull(C);
	ck_assert_int_eq(link_set_up(C, "lo", true), 0);
	ck_assert_int_eq(link_del(A.ns, "va"), 0);
	ck_assert_int_eq(link_get(B.ns, "vb", &li), -ENODEV);
	be.birth_ns = C;
	create(&A, &be);
	create(&B, &be);
	ck_assert_int_eq(link_get(A.ns, A.ifname, &li), 0);
	ck_assert_str_eq(li.kind, "wireguard");
	ck_assert_int_eq(link_get(C, A.ifname, &li), -ENODEV);
	ck_assert_int_eq(link_get(C, B.ifname, &li), -ENODEV);
	configure(&A, &B, "127.0.0.1:51821", "10.100.0.2/32,fd10::2/128");
	configure(&B, &A, "127.0.0.1:51820", "10.100.0.1/32,fd10::1/128");
	tunnel_up();
	/* The ports are taken in C, not in A or B. */
	ck_assert_int_eq(bind_udp(C, "127.0.0.1", 51820), -EADDRINUSE);
	ck_assert_int_eq(bind_udp(C, "127.0.0.1", 51821), -EADDRINUSE);
	ck_assert_int_eq(bind_udp(A.ns, "127.0.0.1", 51820), 0);
	ck_assert_int_eq(bind_udp(B.ns, "127.0.0.1", 51821), 0);
	ck_assert_int_eq(link_get(C, "lo", &lo0), 0);
	ck_assert_msg(ping_until(A.ns, "10.100.0.2", 10000), "no ping through C's loopback");
	ck_assert(ping_until(B.ns, "fd10::1", 10000));
	ck_assert_int_eq(link_get(C, "lo", &lo1), 0);
	/* Handshake (148 + 92 bytes) and pings went over C's lo. */
	ck_assert_uint_gt(lo1.rx_bytes, lo0.rx_bytes + 148 + 92);
}
END_TEST

/* The one-operation changes; UPDATE_ONLY does not make a peer. */
START_TEST(test_wgkernel_small_changes)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(7777) };
	uint8_t priv[WGKEY_LEN], pub[WGKEY_LEN], stranger[WGKEY_LEN];
	struct wgconf_device *st;
	struct wgdev *other = NULL;

	create(&A, &kernel);
	create(&B, &kernel);
	configure(&A, &B, outer[0], "10.100.0.2/32");
	ck_assert_int_eq(wgdev_set_listen_port(A.dev, 41000), 0);
	ck_assert_int_eq(wgdev_set_fwmark(A.dev, 77), 0);
	wgkey_generate_private(priv);
	wgkey_public(pub, priv);
	ck_assert_int_eq(wgdev_set_private_key(A.dev, priv), 0);
	inet_pton(AF_INET, "10.99.0.9", &sin.sin_addr);
	ck_assert_int_eq(wgdev_set_peer_endpoint(A.dev, B.pub, (struct sockaddr *)&sin, sizeof(sin)), 0);
	wgkey_public(stranger, A.priv);
	ck_assert_int_eq(wgdev_set_peer_endpoint(A.dev, stranger, (struct sockaddr *)&sin, sizeof(sin)), 0);
	st = get(&A);
	ck_assert_uint_eq(st->listen_port, 41000);
	ck_assert_uint_eq(st->fwmark, 77);
	ck_assert_mem_eq(st->public_key, pub, WGKEY_LEN);
	ck_assert_ptr_nonnull(st->first_peer);
	ck_assert_ptr_null(st->first_peer->next);
	ck_assert_uint_eq(st->first_peer->endpoint.in.sin_addr.s_addr, sin.sin_addr.s_addr);
	ck_assert_uint_eq(st->first_peer->endpoint.in.sin_port, htons(7777));
	ck_assert_uint_eq(wgconf_peer_count_allowedips(st->first_peer), 1);
	wgconf_device_free(st);
	ck_assert_int_eq(wgdev_set_fwmark(A.dev, 0), 0);
	ck_assert_int_eq(wgdev_remove_peer(A.dev, B.pub), 0);
	st = get(&A);
	ck_assert_uint_eq(st->fwmark, 0);
	ck_assert_ptr_null(st->first_peer);
	wgconf_device_free(st);
	/* The port is bound once the device is up: then another device of
	 * the same namespace cannot take it. */
	ck_assert_int_eq(link_set_up(A.ns, A.ifname, true), 0);
	ck_assert_int_eq(wgdev_create(&other, A.ns, "wgA2", &kernel, NULL, 0), 0);
	ck_assert_int_eq(link_set_up(A.ns, "wgA2", true), 0);
	ck_assert_int_eq(wgdev_set_listen_port(other, 41000), -EADDRINUSE);
	ck_assert_int_eq(wgdev_set_listen_port(other, 41001), 0);
	wgdev_free(other);
}
END_TEST

static bool handshake_within(struct side *s, int ms)
{
	int64_t end = now_ms() + ms;
	struct wgconf_device *st;
	bool hs;

	do {
		st = get(s);
		hs = st->first_peer && (st->first_peer->flags & WGCONF_PEER_HAS_HANDSHAKE) &&
		     st->first_peer->last_handshake_sec > 0;
		wgconf_device_free(st);
		if (hs)
			return true;
		poll(NULL, 0, 20);
	} while (now_ms() < end);
	return false;
}

/* A persistent keepalive on a peer with an endpoint starts a handshake
 * with no traffic at all. */
START_TEST(test_wgkernel_keepalive_starts_handshake)
{
	struct wgconf_device *c = wgconf_device_new();
	struct wgconf_peer *p;

	create(&A, &kernel);
	create(&B, &kernel);
	configure(&B, &A, NULL, "10.100.0.1/32");
	tunnel_up();
	configure(&A, &B, outer[0], "10.100.0.2/32");
	/* Without traffic and keepalive, nothing happens. */
	ck_assert(!handshake_within(&B, 300));
	p = wgconf_device_add_peer(c);
	wgconf_peer_set_public_key(p, B.pub);
	p->persistent_keepalive = 1;
	p->flags |= WGCONF_PEER_HAS_KEEPALIVE | WGCONF_PEER_UPDATE_ONLY;
	ck_assert_int_eq(wgdev_set(A.dev, c), 0);
	ck_assert_msg(handshake_within(&B, 5000), "no handshake from the keepalive");
	wgconf_device_free(c);
}
END_TEST

/* A knows B by a wrong key: no handshake either side, nothing gets
 * through; with the right key it works, so the check could see one. */
START_TEST(test_wgkernel_wrong_key_no_handshake)
{
	struct side wrong = { .ifname = "x" };

	wgkey_generate_private(wrong.priv);
	wgkey_public(wrong.pub, wrong.priv);
	create(&A, &kernel);
	create(&B, &kernel);
	configure(&A, &wrong, outer[0], "10.100.0.2/32");
	configure(&B, &A, NULL, "10.100.0.1/32");
	tunnel_up();
	ck_assert(!ping_until(A.ns, "10.100.0.2", 2000));
	ck_assert(!handshake_within(&A, 0));
	ck_assert(!handshake_within(&B, 0));
	configure(&A, &B, outer[0], "10.100.0.2/32");
	ck_assert(ping_until(A.ns, "10.100.0.2", 10000));
	ck_assert(handshake_within(&B, 5000));
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
 * fwmark 51820 goes to the kernel, the tunnel's own packets still leave
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

	create(&A, &kernel);
	create(&B, &kernel);
	configure(&B, &A, NULL, "10.100.0.1/32");
	add_addr(B.ns, B.ifname, "10.100.0.2/24");
	ck_assert_int_eq(link_set_up(B.ns, B.ifname, true), 0);
	add_addr(B.ns, "lo", "198.51.100.1/32");
	ck_assert_int_eq(addr_parse("0.0.0.0/0", ADDR_PARSE_PREFIX, &def.dst), 0);
	ck_assert_int_eq(addr_parse("10.99.0.2", 0, &def.gw), 0);
	ck_assert_int_eq(route_add(A.ns, &def), 0);

	ck_assert_int_eq(wgconf_parse_text(text, &conf, NULL), 0);
	wgconf_device_set_private_key(conf, A.priv);
	wgconf_peer_set_public_key(conf->first_peer, B.pub);
	r = wgquick_up(A.dev, conf, &opts, NULL);
	ck_assert_msg(r == 0, "wgquick_up: %s", err);
	st = get(&A);
	ck_assert_uint_eq(st->fwmark, 51820);
	wgconf_device_free(st);
	route_dev(A.ns, "198.51.100.1", 0, dev);
	ck_assert_str_eq(dev, A.ifname);
	route_dev(A.ns, "10.99.0.2", 51820, dev);
	ck_assert_str_eq(dev, "va");
	ck_assert_msg(ping_until(A.ns, "198.51.100.1", 10000), "no ping through the full tunnel");
	ck_assert(handshake_within(&B, 5000));

	ck_assert_int_eq(wgquick_down(A.dev, conf, &opts, NULL), 0);
	ck_assert_int_eq(link_get(A.ns, A.ifname, &li), -ENODEV);
	route_dev(A.ns, "198.51.100.1", 0, dev);
	ck_assert_str_eq(dev, "va");
	wgconf_device_free(conf);
}
END_TEST

/* Deleting takes the link away; the state can no longer be read. */
START_TEST(test_wgkernel_delete)
{
	struct wgconf_device *st = NULL;
	struct link_info li;

	create(&A, &kernel);
	ck_assert_int_eq(wgdev_delete(A.dev), 0);
	ck_assert_int_eq(link_get(A.ns, A.ifname, &li), -ENODEV);
	ck_assert_int_eq(wgdev_get(A.dev, &st), -ENODEV);
	ck_assert_ptr_null(st);
	ck_assert_int_eq(wgdev_delete(A.dev), 0);
}
END_TEST

Suite *wgkernel_suite(void)
{
	Suite *s = suite_create("wgkernel");
	TCase *tc;
	int probe = wgdev_probe_kernel(NULL);

	tc = tcase_create("kernel");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	if (probe == 1) {
		tcase_add_test(tc, test_wgkernel_probe_and_family);
		tcase_add_test(tc, test_wgkernel_set_get_roundtrip);
		tcase_add_test(tc, test_wgkernel_split_config);
		tcase_add_loop_test(tc, test_wgkernel_ping_handshake_stats, 0, 2);
		tcase_add_test(tc, test_wgkernel_roaming);
		tcase_add_test(tc, test_wgkernel_create_in_birth_ns);
		tcase_add_test(tc, test_wgkernel_small_changes);
		tcase_add_test(tc, test_wgkernel_delete);
		tcase_add_test(tc, test_wgkernel_keepalive_starts_handshake);
		tcase_add_test(tc, test_wgkernel_wrong_key_no_handshake);
		tcase_add_test(tc, test_wgkernel_quick_full_tunnel);
	} else {
		fprintf(stderr, "note: wgkernel: %s; its cases run under `make check-kernel`\n",
			probe ? "the kernel WireGuard probe failed" : "this kernel has no WireGuard");
	}
	suite_add_tcase(s, tc);
	return s;
}
