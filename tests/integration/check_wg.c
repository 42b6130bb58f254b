// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * WireGuard data path with wireguard-go, between two nodes:
 *
 *   A                                   B
 *   wgA 10.100.0.1/24 fd10::1/64        wgB 10.100.0.2/24 fd10::2/64
 *   va  10.99.0.1/24  fd99::1/64 <----> vb  10.99.0.2/24  fd99::2/64
 *
 * Devices are configured over UAPI; pings go through nsenter.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "assertions/wgstate.h"
#include "netns/addr.h"
#include "netns/link.h"
#include "netns/ns.h"
#include "netns/proc.h"
#include "netns/route.h"
#include "netns/wg/uapi.h"
#include "netns/wg/wgbind.h"
#include "netns/wg/wgconf.h"
#include "netns/wg/wgconf_parse.h"
#include "netns/wg/wgchange.h"
#include "netns/wg/wgdev.h"
#include "netns/wg/wgget.h"
#include "netns/wg/wggenl.h"
#include "netns/wg/wgquick.h"
#include "netns/wg/wgtun.h"
#include "netns/util/now.h"
#include "traffic/loop.h"

extern Suite *wg_suite(void);

struct side {
	struct netns *ns;
	struct wgdev *dev;
	char ifname[16];
	uint8_t priv[WGKEY_LEN], pub[WGKEY_LEN];
	int log_fd;
};

static struct side A, B;

static void add_addr(struct netns *ns, const char *ifname, const char *a)
{
	struct addr ad;

	ck_assert_int_eq(addr_parse(a, ADDR_PARSE_PREFIX, &ad), 0);
	ck_assert_int_eq(addr_add(ns, ifname, &ad), 0);
}

static void side_init(struct side *s, const char *ifname)
{
	s->ns = netns_new(0);
	ck_assert_ptr_nonnull(s->ns);
	snprintf(s->ifname, sizeof(s->ifname), "%s", ifname);
	wgkey_generate_private(s->priv);
	wgkey_public(s->pub, s->priv);
	/* An unnamed file: nothing left in /tmp whatever happens. */
	s->log_fd = open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	ck_assert_int_ge(s->log_fd, 0);
	ck_assert_int_eq(link_set_up(s->ns, "lo", true), 0);
}

static void underlay(void)
{
	ck_assert_int_eq(link_add_veth(A.ns, "va", B.ns, "vb", 0), 0);
	add_addr(A.ns, "va", "10.99.0.1/24");
	add_addr(A.ns, "va", "fd99::1/64");
	add_addr(B.ns, "vb", "10.99.0.2/24");
	add_addr(B.ns, "vb", "fd99::2/64");
	ck_assert_int_eq(link_set_up(A.ns, "va", true), 0);
	ck_assert_int_eq(link_set_up(B.ns, "vb", true), 0);
}

static void start_dev(struct side *s)
{
	struct wgdev_backend be = { .kind = WGDEV_USERSPACE, .log_fd = s->log_fd };
	char err[256];
	int ret;

	ret = wgdev_create(&s->dev, s->ns, s->ifname, &be, err, sizeof(err));
	ck_assert_msg(ret == 0, "wgdev_create: %s: %s", strerror(-ret), err);
}

/* Configures s with peer o, endpoint o's underlay address (v4 or v6). */
static void configure(struct side *s, struct side *o, const uint8_t *peer_key, const char *endpoint,
		      const char *allowed, uint16_t port)
{
	struct wgconf_device *c = wgconf_device_new();
	struct wgconf_peer *p;
	struct wgconf_error err;

	wgconf_device_set_private_key(c, s->priv);
	c->listen_port = port;
	c->flags |= WGCONF_DEV_HAS_LISTEN_PORT | WGCONF_DEV_REPLACE_PEERS;
	p = wgconf_device_add_peer(c);
	wgconf_peer_set_public_key(p, peer_key ? peer_key : o->pub);
	if (endpoint)
		ck_assert_int_eq(wgconf_parse_endpoint(p, endpoint, &err), 0);
	ck_assert_int_eq(wgconf_parse_allowedips(p, allowed, &err), 0);
	ck_assert_int_eq(wgdev_set(s->dev, c), 0);
	wgconf_device_free(c);
}

static void tunnel_addresses(void)
{
	add_addr(A.ns, A.ifname, "10.100.0.1/24");
	add_addr(A.ns, A.ifname, "fd10::1/64");
	add_addr(B.ns, B.ifname, "10.100.0.2/24");
	add_addr(B.ns, B.ifname, "fd10::2/64");
	ck_assert_int_eq(link_set_up(A.ns, A.ifname, true), 0);
	ck_assert_int_eq(link_set_up(B.ns, B.ifname, true), 0);
}

static void setup(void)
{
	char a[16], b[16];

	ck_assert_int_ge(sodium_init(), 0);
	/* Unique names, so that a leak into the host's /var/run/wireguard
	 * would be ours and visible. */
	snprintf(a, sizeof(a), "wgA%d", getpid() % 100000);
	snprintf(b, sizeof(b), "wgB%d", getpid() % 100000);
	side_init(&A, a);
	side_init(&B, b);
	underlay();
}

static void teardown(void)
{
	wgdev_free(A.dev);
	wgdev_free(B.dev);
	netns_free(A.ns);
	netns_free(B.ns);
	close(A.log_fd);
	close(B.log_fd);
}

/* Runs argv in ns's namespace through nsenter; its exit status. */
static int run_in(struct netns *ns, const char *const *args)
{
	char nsarg[64];
	char *argv[16];
	struct proc_opts opts = { .stdin_fd = -1, .stdout_fd = -1, .stderr_fd = -1 };
	struct proc *p = NULL;
	int i, status = -1;

	snprintf(nsarg, sizeof(nsarg), "--net=/proc/%d/fd/%d", getpid(), netns_fd(ns));
	argv[0] = "nsenter";
	argv[1] = nsarg;
	argv[2] = "--";
	for (i = 0; args[i] && i < 12; i++)
		argv[3 + i] = (char *)args[i];
	argv[3 + i] = NULL;
	ck_assert_int_eq(proc_spawn(&p, argv, &opts), 0);
	ck_assert_int_eq(proc_wait(p, 10000, &status), 0);
	proc_free(p);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* Pings dst from ns until it answers or deadline_ms passes. */
static bool ping_until(struct netns *ns, const char *dst, int deadline_ms)
{
	const char *args[] = { "ping", "-n", "-q", "-c", "1", "-W", "1", dst, NULL };
	uint64_t end = now_ms() + (uint64_t)deadline_ms;

	do {
		if (!run_in(ns, args))
			return true;
	} while (now_ms() < end);
	return false;
}

static bool has_handshake(struct side *s, struct wgconf_device **ret)
{
	struct wgconf_device *st = NULL;
	bool hs;

	ck_assert_int_eq(wgdev_get(s->dev, &st), 0);
	hs = st->first_peer && (st->first_peer->flags & WGCONF_PEER_HAS_HANDSHAKE) &&
	     st->first_peer->last_handshake_sec > 0;
	if (ret)
		*ret = st;
	else
		wgconf_device_free(st);
	return hs;
}

static void up_pair(const char *a_endpoint)
{
	start_dev(&A);
	start_dev(&B);
	configure(&A, &B, NULL, a_endpoint, "10.100.0.2/32,fd10::2/128", 51820);
	configure(&B, &A, NULL, NULL, "10.100.0.1/32,fd10::1/128", 51820);
	tunnel_addresses();
}

static const char *const outer[] = { "10.99.0.2:51820", "[fd99::2]:51820" };

START_TEST(test_wg_ping_v4_v6_inner_and_outer)
{
	struct wgconf_device *st = NULL;
	const struct wgconf_peer *p;

	up_pair(outer[_i]);
	ck_assert_msg(ping_until(A.ns, "10.100.0.2", 10000), "no IPv4 ping through the tunnel");
	ck_assert_msg(ping_until(A.ns, "fd10::2", 10000), "no IPv6 ping through the tunnel");
	ck_assert(has_handshake(&A, NULL));
	ck_assert(has_handshake(&B, &st));
	p = st->first_peer;
	ck_assert_mem_eq(p->public_key, A.pub, WGKEY_LEN);
	ck_assert(p->flags & WGCONF_PEER_HAS_STATS);
	ck_assert_uint_gt(p->rx_bytes, 0);
	ck_assert_uint_gt(p->tx_bytes, 0);
	/* B learnt A's endpoint from the handshake, in the outer family. */
	ck_assert(p->flags & WGCONF_PEER_HAS_ENDPOINT);
	ck_assert_int_eq(p->endpoint.sa.sa_family, _i ? AF_INET6 : AF_INET);
	ck_assert_uint_eq(wgconf_peer_count_allowedips(p), 2);
	ck_assert_int_eq(st->listen_port, 51820);
	wgconf_device_free(st);
}
END_TEST

START_TEST(test_wg_roaming)
{
	struct wgconf_device *st = NULL;
	char buf[INET_ADDRSTRLEN];
	struct addr old;
	uint64_t end;
	bool learnt = false;

	up_pair(outer[0]);
	ck_assert(ping_until(A.ns, "10.100.0.2", 10000));
	ck_assert(has_handshake(&B, &st));
	ck_assert_str_eq(inet_ntop(AF_INET, &st->first_peer->endpoint.in.sin_addr, buf, sizeof(buf)),
			 "10.99.0.1");
	wgconf_device_free(st);
	/* A moves: its underlay address changes; its next packets come from
	 * the new one and B follows.  wireguard-go 0.0.20220316 keeps the old
	 * source address cached ("network is unreachable" on every send) until
	 * the endpoint is set again, so A's endpoint is re-applied, as a
	 * network-change hook would. */
	ck_assert_int_eq(addr_parse("10.99.0.1/24", ADDR_PARSE_PREFIX, &old), 0);
	ck_assert_int_eq(addr_del(A.ns, "va", &old), 0);
	add_addr(A.ns, "va", "10.99.0.33/24");
	ck_assert_int_eq(wgdev_get(A.dev, &st), 0);
	ck_assert_int_eq(wgchange_peer_endpoint(A.dev, B.pub, &st->first_peer->endpoint.sa,
						sizeof(st->first_peer->endpoint.in)), 0);
	wgconf_device_free(st);
	end = now_ms() + 10000;
	while (!learnt && now_ms() < end) {
		ck_assert(ping_until(A.ns, "10.100.0.2", 5000));
		ck_assert_int_eq(wgdev_get(B.dev, &st), 0);
		learnt = !strcmp(inet_ntop(AF_INET, &st->first_peer->endpoint.in.sin_addr, buf, sizeof(buf)),
				 "10.99.0.33");
		wgconf_device_free(st);
	}
	ck_assert_msg(learnt, "B did not learn A's new endpoint");
}
END_TEST

static int udp_socket(struct netns *ns, const char *addr, uint16_t port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd;

	ck_assert_int_eq(netns_enter(ns), 0);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	netns_leave();
	ck_assert_int_ge(fd, 0);
	inet_pton(AF_INET, addr, &sin.sin_addr);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	return fd;
}

/* AllowedIPs is also the source filter: B accepts from A only the sources
 * it allows A.  A sends from a source B does not allow, then from one it
 * does; the tunnel keeps order, so once the second has arrived the first
 * would have too. */
START_TEST(test_wg_allowedips_filters_sources)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9000) };
	struct pollfd pfd;
	char buf[64];
	int rx, bad, good;
	ssize_t n;

	up_pair(outer[0]);
	/* A may send from 10.100.0.77 (its own address), B allows only .1. */
	add_addr(A.ns, A.ifname, "10.100.0.77/32");
	ck_assert(ping_until(A.ns, "10.100.0.2", 10000));
	rx = udp_socket(B.ns, "10.100.0.2", 9000);
	bad = udp_socket(A.ns, "10.100.0.77", 0);
	good = udp_socket(A.ns, "10.100.0.1", 0);
	inet_pton(AF_INET, "10.100.0.2", &to.sin_addr);
	ck_assert_int_eq(sendto(bad, "spoofed", 7, 0, (struct sockaddr *)&to, sizeof(to)), 7);
	ck_assert_int_eq(sendto(good, "allowed", 7, 0, (struct sockaddr *)&to, sizeof(to)), 7);
	pfd.fd = rx;
	pfd.events = POLLIN;
	ck_assert_int_eq(poll(&pfd, 1, 5000), 1);
	n = recv(rx, buf, sizeof(buf), 0);
	ck_assert_int_eq(n, 7);
	ck_assert_mem_eq(buf, "allowed", 7);
	ck_assert_int_eq(recv(rx, buf, sizeof(buf), MSG_DONTWAIT), -1);
	close(rx);
	close(bad);
	close(good);
}
END_TEST

/* A wrong public key for B on A: no handshake either side.  Then the
 * right key: a handshake, which shows the check could see one. */
START_TEST(test_wg_wrong_key_no_handshake)
{
	uint8_t wrong[WGKEY_LEN], priv[WGKEY_LEN];
	uint64_t end;

	start_dev(&A);
	start_dev(&B);
	wgkey_generate_private(priv);
	wgkey_public(wrong, priv);
	configure(&A, &B, wrong, outer[0], "10.100.0.2/32", 51820);
	configure(&B, &A, NULL, NULL, "10.100.0.1/32", 51820);
	tunnel_addresses();
	/* ping_until drives handshake initiations for the whole window. */
	ck_assert(!ping_until(A.ns, "10.100.0.2", 3000));
	ck_assert(!has_handshake(&A, NULL));
	ck_assert(!has_handshake(&B, NULL));
	configure(&A, &B, NULL, outer[0], "10.100.0.2/32", 51820);
	ck_assert(ping_until(A.ns, "10.100.0.2", 10000));
	end = now_ms() + 5000;
	while (!has_handshake(&B, NULL) && now_ms() < end)
		poll(NULL, 0, 10);
	ck_assert(has_handshake(&B, NULL));
}
END_TEST

static bool pid_alive(pid_t pid)
{
	return !kill(pid, 0) || errno != ESRCH;
}

static bool host_sock_exists(const char *ifname)
{
	char path[128];
	struct stat st;

	snprintf(path, sizeof(path), "/var/run/wireguard/%s.sock", ifname);
	return !stat(path, &st);
}

static bool wait_gone(pid_t pid, int ms)
{
	uint64_t end = now_ms() + (uint64_t)ms;

	while (pid_alive(pid) && now_ms() < end)
		poll(NULL, 0, 5);
	return !pid_alive(pid);
}

START_TEST(test_wg_free_leaves_nothing)
{
	struct link_info li;
	char sock[128];
	pid_t pid;

	start_dev(&A);
	pid = proc_pid(wgdev_proc(A.dev));
	snprintf(sock, sizeof(sock), "%s", wgdev_sock_path(A.dev));
	ck_assert(pid_alive(pid));
	ck_assert_int_eq(access(sock, F_OK), 0);
	ck_assert(!host_sock_exists(A.ifname));
	ck_assert_int_eq(link_get(A.ns, A.ifname, &li), 0);
	ck_assert_str_eq(li.kind, "tun");
	wgdev_free(A.dev);
	A.dev = NULL;
	ck_assert(wait_gone(pid, 5000));
	ck_assert_int_eq(link_get(A.ns, A.ifname, &li), -ENODEV);
	ck_assert(!host_sock_exists(A.ifname));
}
END_TEST

/* Two interfaces read at once (wgget): both requests sent, the answers read
 * in the other order, each its own interface's; a program gone is an
 * error at the beginning, not a state. */
START_TEST(test_wg_get_at_once)
{
	struct wgconf_device *sa = NULL, *sb = NULL;
	struct wgget *ga, *gb;
	uint8_t pa[WGKEY_LEN];

	up_pair(outer[0]);
	ck_assert_int_eq(wgget_begin(A.dev, &ga), 0);
	ck_assert_int_eq(wgget_begin(B.dev, &gb), 0);
	ck_assert_int_eq(wgget_end(gb, &sb), 0);
	ck_assert_int_eq(wgget_end(ga, &sa), 0);
	ck_assert_str_eq(sa->ifname, A.ifname);
	ck_assert_str_eq(sb->ifname, B.ifname);
	wgkey_public(pa, sa->private_key);
	ck_assert_mem_eq(pa, A.pub, WGKEY_LEN);
	ck_assert_ptr_nonnull(sa->first_peer);
	ck_assert_mem_eq(sa->first_peer->public_key, B.pub, WGKEY_LEN);
	ck_assert_mem_eq(sb->first_peer->public_key, A.pub, WGKEY_LEN);
	wgconf_device_free(sa);
	wgconf_device_free(sb);
	ck_assert_int_eq(proc_stop(wgdev_proc(B.dev), 2000), 0);
	ck_assert_int_lt(wgget_begin(B.dev, &gb), 0);
}
END_TEST

/* A and B after a handshake, a loop to wait in, and B's peer on A (free
 * both). */
static struct loop *state_up(struct wgconf_device **ret)
{
	struct loop *l = loop_new();

	ck_assert_ptr_nonnull(l);
	up_pair(outer[0]);
	ck_assert_msg(ping_until(A.ns, "10.100.0.2", 10000), "no ping through the tunnel");
	ck_assert(has_handshake(&A, ret));
	return l;
}

static void state_job(struct wgstate_job *j, enum wgstate_kind kind, const uint8_t *peer, const char *name,
		      unsigned int wait_ms)
{
	memset(j, 0, sizeof(*j));
	j->dev = A.dev;
	j->want.kind = kind;
	memcpy(j->want.peer, peer, WGKEY_LEN);
	j->want.peer_name = name;
	j->want.wait_ms = wait_ms;
	j->want.rx_max = j->want.tx_max = UINT64_MAX;
}

/* Each job of a set takes its own time: until it held, or its whole wait
 * (a set's pairs report it, and its p50 and p99 are of them). */
START_TEST(test_wg_state_own_time)
{
	struct wgconf_device *st = NULL;
	struct loop *l = state_up(&st);
	struct wgstate_job j[2];

	state_job(&j[0], WGSTATE_TRANSFER, B.pub, "B", 5000);
	state_job(&j[1], WGSTATE_ENDPOINT, B.pub, "B", 400);
	ck_assert_int_eq(addr_parse("192.0.2.1", 0, &j[1].want.endpoint), 0);
	j[1].want.port = 1;
	ck_assert_int_eq(expect_wgstate_many(l, j, 2), 0);
	ck_assert_msg(j[0].v.held, "%s", j[0].v.evidence);
	ck_assert_msg(!j[1].v.held, "%s", j[1].v.evidence);
	ck_assert_uint_lt(j[0].elapsed_ms, 300);
	ck_assert_uint_ge(j[1].elapsed_ms, 400);
	wgconf_device_free(st);
	loop_free(l);
}
END_TEST

/* A peer the interface does not have: every positive state expectation
 * fails (no endpoint, nothing transferred, yet it is no peer), `no
 * handshake` holds, each saying it is not a peer. */
START_TEST(test_wg_state_not_a_peer)
{
	struct wgconf_device *st = NULL;
	struct loop *l = state_up(&st);
	uint8_t stranger[WGKEY_LEN], priv[WGKEY_LEN];
	struct wgstate_job j[4];

	wgkey_generate_private(priv);
	wgkey_public(stranger, priv);
	state_job(&j[0], WGSTATE_ENDPOINT, stranger, "C", 200);
	state_job(&j[1], WGSTATE_TRANSFER, stranger, "C", 200);
	j[1].want.rx_max = j[1].want.tx_max = 0;
	state_job(&j[2], WGSTATE_HANDSHAKE, stranger, "C", 200);
	state_job(&j[3], WGSTATE_HANDSHAKE, stranger, "C", 200);
	j[3].want.negate = true;
	ck_assert_int_eq(expect_wgstate_many(l, j, 4), 0);
	for (size_t i = 0; i < 4; i++) {
		ck_assert_int_eq(j[i].err, 0);
		ck_assert_msg(j[i].v.held == (i == 3), "%zu: %s", i, j[i].v.evidence);
		ck_assert_msg(strstr(j[i].v.evidence, "C is not a peer of this interface"), "%s", j[i].v.evidence);
	}
	wgconf_device_free(st);
	loop_free(l);
}
END_TEST

/* `learned` counts what came after the endpoint was configured: not the
 * counters of then (set_rx), all since the peer was added (none given). */
START_TEST(test_wg_state_learned_since_set)
{
	struct wgconf_device *st = NULL;
	struct loop *l = state_up(&st);
	const struct wgconf_peer *p = st->first_peer;
	struct wgstate_job j;

	state_job(&j, WGSTATE_ENDPOINT, B.pub, "B", 300);
	j.want.learned = true;
	ck_assert_int_eq(addr_parse("10.99.0.2", 0, &j.want.endpoint), 0);
	j.want.port = 51820;
	j.want.set_rx = p->rx_bytes;
	j.want.set_hs_sec = p->last_handshake_sec;
	j.want.set_hs_nsec = p->last_handshake_nsec;
	j.want.set_where = "t.lab:9";
	ck_assert_int_eq(expect_wgstate_many(l, &j, 1), 0);
	ck_assert_msg(!j.v.held, "%s", j.v.evidence);
	ck_assert_msg(strstr(j.v.evidence, "not learned: nothing received since t.lab:9 set the endpoint"), "%s",
		      j.v.evidence);
	/* A newer handshake is one too. */
	j.want.set_hs_nsec = p->last_handshake_nsec - 1;
	ck_assert_int_eq(expect_wgstate_many(l, &j, 1), 0);
	ck_assert_msg(j.v.held, "%s", j.v.evidence);
	j.want.set_rx = 0;
	j.want.set_hs_sec = j.want.set_hs_nsec = 0;
	j.want.set_where = NULL;
	ck_assert_int_eq(expect_wgstate_many(l, &j, 1), 0);
	ck_assert_msg(j.v.held, "%s", j.v.evidence);
	ck_assert_msg(strstr(j.v.evidence, "received since the peer was added"), "%s", j.v.evidence);
	wgconf_device_free(st);
	loop_free(l);
}
END_TEST

/* The lab's process dies by SIGKILL: its wireguard-go dies too (PDEATHSIG
 * on its PID namespace's init), and leaves no socket on the host. */
/* A TUN made persistent outlives its program, and goes with its
 * namespace (deleted, not moved to the host's); nothing to do for a
 * program already gone. */
START_TEST(test_wg_tun_persist)
{
	struct link_info li;
	uint64_t end;
	pid_t pid;

	start_dev(&A);
	start_dev(&B);
	pid = proc_program_pid(wgdev_proc(A.dev));
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(wgtun_persist(A.dev), 1);
	ck_assert_int_eq(proc_stop(wgdev_proc(B.dev), 2000), 0);
	ck_assert_int_eq(wgtun_persist(B.dev), 0);
	ck_assert_int_eq(link_get(B.ns, B.ifname, &li), -ENODEV);
	wgdev_free(A.dev);
	A.dev = NULL;
	ck_assert(wait_gone(pid, 5000));
	ck_assert_int_eq(link_get(A.ns, A.ifname, &li), 0);
	ck_assert_str_eq(li.kind, "tun");
	netns_free(A.ns);
	A.ns = NULL;
	/* vb goes when A's namespace has ended, with everything in it. */
	end = now_ms() + 5000;
	while (link_get(B.ns, "vb", &li) == 0 && now_ms() < end)
		poll(NULL, 0, 5);
	ck_assert_int_eq(link_get(B.ns, "vb", &li), -ENODEV);
	ck_assert_uint_eq(if_nametoindex(A.ifname), 0);
}
END_TEST

START_TEST(test_wg_sigkill_leaves_nothing)
{
	int pfd[2];
	pid_t child, pids[2];

	ck_assert_int_eq(pipe(pfd), 0);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (!child) {
		start_dev(&A);
		start_dev(&B);
		pids[0] = proc_pid(wgdev_proc(A.dev));
		pids[1] = proc_pid(wgdev_proc(B.dev));
		if (write(pfd[1], pids, sizeof(pids)) != sizeof(pids))
			_exit(1);
		pause();
		_exit(0);
	}
	close(pfd[1]);
	ck_assert_int_eq(read(pfd[0], pids, sizeof(pids)), (ssize_t)sizeof(pids));
	ck_assert(pid_alive(pids[0]) && pid_alive(pids[1]));
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	ck_assert(wait_gone(pids[0], 5000));
	ck_assert(wait_gone(pids[1], 5000));
	ck_assert(!host_sock_exists(A.ifname));
	ck_assert(!host_sock_exists(B.ifname));
	close(pfd[0]);
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

/* The pid of the process answering A's UAPI (wireguard-go itself, not
 * the init of its PID namespace), and its listen port. */
static pid_t wg_pid(struct side *s, uint16_t *port)
{
	struct wgconf_device *st = NULL;
	pid_t pid = 0;

	ck_assert_int_eq(uapi_get_pid(wgdev_sock_path(s->dev), &st, &pid, 5000), 0);
	if (port)
		*port = st->flags & WGCONF_DEV_HAS_LISTEN_PORT ? st->listen_port : 0;
	wgconf_device_free(st);
	ck_assert_int_gt(pid, 0);
	return pid;
}

static void assert_comm(pid_t pid, const char *want)
{
	char path[64], comm[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	f = fopen(path, "re");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(comm, sizeof(comm), f));
	fclose(f);
	comm[strcspn(comm, "\n")] = '\0';
	ck_assert_str_eq(comm, want);
}

/* After a configuration, the wait returns once wireguard-go's own socket
 * is on its port: the fixed one, or the one it picked (UAPI says 0 until
 * then).  The socket is wireguard-go's, not its init's, and on that port
 * only. */
START_TEST(test_wg_bind_waits_for_its_socket)
{
	uint16_t want = _i ? 0 : 51820, port = 0;
	char err[256];
	off_t mark;
	pid_t pid;
	int r;

	start_dev(&A);
	mark = wgbind_log_mark(A.log_fd);
	configure(&A, &B, NULL, NULL, "10.100.0.2/32", want);
	r = wgbind_wait(A.dev, A.log_fd, mark, 5000, err, sizeof(err));
	ck_assert_msg(r == 0, "wgbind_wait: %s: %s", strerror(-r), err);
	pid = wg_pid(&A, &port);
	ck_assert_int_ne(pid, proc_pid(wgdev_proc(A.dev)));
	assert_comm(pid, "wireguard-go");
	if (want)
		ck_assert_uint_eq(port, want);
	ck_assert_uint_ne(port, 0);
	ck_assert_int_eq(wgbind_owned(A.ns, pid, port), 1);
	ck_assert_int_eq(wgbind_owned(A.ns, proc_pid(wgdev_proc(A.dev)), port), 0);
	ck_assert_int_eq(wgbind_owned(A.ns, pid, port == 65535 ? 1 : port + 1), 0);
}
END_TEST

/* A socket on the port in wireguard-go's namespace that is not one of its
 * own does not count; wireguard-go, up, refuses that port at once, and is
 * then left with no socket at all: the wait says so (it does not pass). */
START_TEST(test_wg_bind_not_its_socket)
{
	char err[256];
	off_t mark;
	pid_t pid;
	int fd, r;

	start_dev(&A);
	configure(&A, &B, NULL, NULL, "10.100.0.2/32", 51820);
	ck_assert_int_eq(wgbind_wait(A.dev, A.log_fd, 0, 5000, err, sizeof(err)), 0);
	fd = udp_socket(A.ns, "0.0.0.0", 40000);
	pid = wg_pid(&A, NULL);
	ck_assert_int_eq(wgbind_owned(A.ns, pid, 40000), 0);
	ck_assert_int_eq(wgbind_owned(A.ns, pid, 51820), 1);
	mark = wgbind_log_mark(A.log_fd);
	ck_assert_int_eq(wgchange_listen_port(A.dev, 40000), -EADDRINUSE);
	r = wgbind_wait(A.dev, A.log_fd, mark, 300, err, sizeof(err));
	ck_assert_int_eq(r, -ETIMEDOUT);
	ck_assert_str_eq(err, "the program reports no listen port after 300 ms");
	ck_assert_int_eq(wgbind_owned(A.ns, pid, 51820), 0);
	close(fd);
	/* Free again, the port can be had. */
	mark = wgbind_log_mark(A.log_fd);
	ck_assert_int_eq(wgchange_listen_port(A.dev, 40000), 0);
	ck_assert_int_eq(wgbind_wait(A.dev, A.log_fd, mark, 5000, err, sizeof(err)), 0);
	ck_assert_int_eq(wgbind_owned(A.ns, pid, 40000), 1);
}
END_TEST

/* A refusal in the program's log, from the mark on, ends the wait at once
 * with its words, although a socket is there.  wireguard-go writes that
 * line only when its own event worker binds late, which a test cannot
 * time; the line is written here as wireguard-go 0.0.20220316 writes it
 * (tests/selftest/refused.lab meets the real one when it happens). */
START_TEST(test_wg_bind_log_refusal)
{
	char line[160], err[256];
	off_t mark;
	int n;

	start_dev(&A);
	configure(&A, &B, NULL, NULL, "10.100.0.2/32", 51820);
	n = snprintf(line, sizeof(line),
		     "ERROR: (%s) 2026/12/04 20:48:20 Unable to update bind: listen udp4 :51820: bind: address already in use\n",
		     A.ifname);
	/* Before the mark: an earlier statement's, not this one's. */
	ck_assert_int_eq(write(A.log_fd, line, (size_t)n), n);
	mark = wgbind_log_mark(A.log_fd);
	ck_assert_int_eq(wgbind_wait(A.dev, A.log_fd, mark, 5000, err, sizeof(err)), 0);
	ck_assert_int_eq(wgbind_wait(A.dev, A.log_fd, 0, 5000, err, sizeof(err)), -EADDRINUSE);
	ck_assert_str_eq(err, "wireguard-go: Unable to update bind: listen udp4 :51820: bind: address already in use");
}
END_TEST

/* wg-quick up of a second interface on a port the first holds: refused
 * (by wireguard-go's UAPI answer, or by its log when it binds late), and
 * wg-quick's trap takes the interface away. */
START_TEST(test_wg_quick_port_taken)
{
	static const char text[] = "[Interface]\nAddress = 10.101.0.1/24\nListenPort = 51820\n";
	struct side C = { .ns = A.ns, .log_fd = -1 };
	char err[512];
	struct wgquick_opts opts = { .hook_log_fd = -1, .err = err, .errlen = sizeof(err) };
	struct wgconf_device *conf = NULL;
	struct link_info li;
	int r;

	start_dev(&A);
	configure(&A, &B, NULL, NULL, "10.100.0.2/32", 51820);
	ck_assert_int_eq(link_set_up(A.ns, A.ifname, true), 0);
	ck_assert_int_eq(wgbind_wait(A.dev, A.log_fd, 0, 5000, err, sizeof(err)), 0);
	snprintf(C.ifname, sizeof(C.ifname), "wgC%d", getpid() % 100000);
	C.log_fd = open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	ck_assert_int_ge(C.log_fd, 0);
	opts.prog_log_fd = C.log_fd;
	start_dev(&C);
	ck_assert_int_eq(wgconf_parse_text(text, &conf, NULL), 0);
	wgconf_device_set_private_key(conf, B.priv);
	r = wgquick_up(C.dev, conf, &opts, NULL);
	ck_assert_msg(r == -EADDRINUSE, "wgquick_up: %d %s", r, err);
	ck_assert_msg(strstr(err, "Address already in use") || strstr(err, "address already in use"), "%s", err);
	ck_assert_int_eq(link_get(A.ns, C.ifname, &li), -ENODEV);
	/* The first one still holds its port. */
	ck_assert_int_eq(wgbind_owned(A.ns, wg_pid(&A, NULL), 51820), 1);
	wgconf_device_free(conf);
	wgdev_free(C.dev);
	close(C.log_fd);
}
END_TEST

/* wg-quick up with AllowedIPs = 0.0.0.0/0 on A, B as the gateway to
 * 198.51.100.1: A reaches it through the tunnel, while the tunnel's own
 * packets (fwmark 51820) still leave by va; down removes all of it.  The
 * PostUp hook runs `wg`, which must find wireguard-go's socket. */
START_TEST(test_wg_quick_full_tunnel)
{
	static const char text[] =
		"[Interface]\n"
		"Address = 10.100.0.1/24\n"
		"ListenPort = 51820\n"
		"PostUp = wg show %i fwmark\n"
		"[Peer]\n"
		"PublicKey = @B\n"
		"Endpoint = 10.99.0.2:51820\n"
		"AllowedIPs = 0.0.0.0/0\n";
	const char *nft_list[] = { "nft", "list", "table", "ip", NULL, NULL };
	char err[256], table[64], dev[IF_NAMESIZE];
	struct wgquick_opts opts = { .hook_log_fd = -1, .prog_log_fd = A.log_fd, .err = err, .errlen = sizeof(err) };
	struct wgconf_device *conf = NULL, *st = NULL;
	struct wgquick_plan *plan = NULL;
	struct link_info li;
	struct addr gw;
	struct route def = { .flags = ROUTE_HAS_GW };
	int r;

	start_dev(&A);
	start_dev(&B);
	configure(&B, &A, NULL, NULL, "10.100.0.1/32", 51820);
	add_addr(B.ns, B.ifname, "10.100.0.2/24");
	ck_assert_int_eq(link_set_up(B.ns, B.ifname, true), 0);
	add_addr(B.ns, "lo", "198.51.100.1/32");
	/* Without the tunnel, A would reach 198.51.100.1 over the veth. */
	ck_assert_int_eq(addr_parse("0.0.0.0/0", ADDR_PARSE_PREFIX, &def.dst), 0);
	ck_assert_int_eq(addr_parse("10.99.0.2", 0, &gw), 0);
	def.gw = gw;
	ck_assert_int_eq(route_add(A.ns, &def), 0);
	route_dev(A.ns, "198.51.100.1", 0, dev);
	ck_assert_str_eq(dev, "va");

	ck_assert_int_eq(wgconf_parse_text(text, &conf, NULL), 0);
	wgconf_device_set_private_key(conf, A.priv);
	wgconf_peer_set_public_key(conf->first_peer, B.pub);
	r = wgquick_up(A.dev, conf, &opts, &plan);
	ck_assert_msg(r == 0, "wgquick_up: %s", err);
	/* Up means bound: wireguard-go holds 51820 already. */
	ck_assert_int_eq(wgbind_owned(A.ns, wg_pid(&A, NULL), 51820), 1);
	ck_assert_uint_eq(plan->table, 51820);
	wgquick_plan_free(plan);
	ck_assert_int_eq(link_get(A.ns, A.ifname, &li), 0);
	ck_assert_uint_eq(li.mtu, 1420);
	route_dev(A.ns, "198.51.100.1", 0, dev);
	ck_assert_str_eq(dev, A.ifname);
	route_dev(A.ns, "10.99.0.2", 51820, dev);
	ck_assert_str_eq(dev, "va");
	snprintf(table, sizeof(table), "wg-quick-%s", A.ifname);
	nft_list[4] = table;
	ck_assert_int_eq(run_in(A.ns, nft_list), 0);
	ck_assert_int_eq(wgdev_get(A.dev, &st), 0);
	ck_assert_uint_eq(st->fwmark, 51820);
	wgconf_device_free(st);
	ck_assert_msg(ping_until(A.ns, "198.51.100.1", 10000), "no ping through the full tunnel");
	ck_assert(has_handshake(&B, NULL));

	ck_assert_int_eq(wgquick_down(A.dev, conf, &opts, NULL), 0);
	ck_assert_int_eq(link_get(A.ns, A.ifname, &li), -ENODEV);
	route_dev(A.ns, "198.51.100.1", 0, dev);
	ck_assert_str_eq(dev, "va");
	ck_assert_int_ne(run_in(A.ns, nft_list), 0);
	wgconf_device_free(conf);
}
END_TEST

/* A failing PostUp makes up fail and takes the interface down, as
 * wg-quick's trap does. */
START_TEST(test_wg_quick_failing_hook_undoes)
{
	static const char text[] =
		"[Interface]\nAddress = 10.100.0.1/24\nPostUp = echo one; echo two >&2; echo; exit 3\n"
		"[Peer]\nPublicKey = @B\nAllowedIPs = 0.0.0.0/0\n";
	char err[256], dev[IF_NAMESIZE];
	struct wgquick_opts opts = { .hook_log_fd = -1, .prog_log_fd = A.log_fd, .err = err, .errlen = sizeof(err) };
	struct wgconf_device *conf = NULL;
	struct link_info li;

	start_dev(&A);
	ck_assert_int_eq(wgconf_parse_text(text, &conf, NULL), 0);
	wgconf_device_set_private_key(conf, A.priv);
	wgconf_peer_set_public_key(conf->first_peer, B.pub);
	ck_assert_int_eq(wgquick_up(A.dev, conf, &opts, NULL), -ECANCELED);
	/* Its status and output (stdout and stderr, in order, blank lines
	 * left out), where it said only "Operation canceled". */
	ck_assert_str_eq(err, "PostUp 'echo one; echo two >&2; echo; exit 3' exited with status 3: one | two");
	ck_assert_int_eq(link_get(A.ns, A.ifname, &li), -ENODEV);
	/* The full tunnel's rules went with it: 10.99.0.2 is on va again. */
	route_dev(A.ns, "10.99.0.2", 0, dev);
	ck_assert_str_eq(dev, "va");
	wgconf_device_free(conf);
}
END_TEST

/* This machine has no kernel WireGuard: the probe says so, the family is
 * missing, and a kernel device cannot be made.  On a kernel with it, the
 * same test checks the other way round. */
START_TEST(test_wg_probe_kernel)
{
	struct wgdev_backend be = { .kind = WGDEV_KERNEL };
	struct wgdev *dev = NULL;
	uint16_t family = 0;
	char err[256];
	int probe = wgdev_probe_kernel(NULL), fam, ret;

	ck_assert_int_ge(probe, 0);
	fam = wggenl_family(A.ns, &family);
	ret = wgdev_create(&dev, A.ns, "wgk0", &be, err, sizeof(err));
	if (probe) {
		ck_assert_int_eq(fam, 0);
		ck_assert_uint_gt(family, 0);
		ck_assert_int_eq(ret, 0);
		wgdev_free(dev);
	} else {
		ck_assert_int_eq(fam, -EPROTONOSUPPORT);
		ck_assert_int_eq(ret, -EOPNOTSUPP);
		ck_assert_ptr_null(dev);
	}
}
END_TEST

Suite *wg_suite(void)
{
	Suite *s = suite_create("wg");
	TCase *tc;

	tc = tcase_create("wireguard-go");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_wg_ping_v4_v6_inner_and_outer, 0, 2);
	tcase_add_test(tc, test_wg_roaming);
	tcase_add_test(tc, test_wg_allowedips_filters_sources);
	tcase_add_test(tc, test_wg_wrong_key_no_handshake);
	tcase_add_test(tc, test_wg_free_leaves_nothing);
	tcase_add_test(tc, test_wg_get_at_once);
	tcase_add_test(tc, test_wg_state_own_time);
	tcase_add_test(tc, test_wg_state_not_a_peer);
	tcase_add_test(tc, test_wg_state_learned_since_set);
	tcase_add_test(tc, test_wg_tun_persist);
	tcase_add_test(tc, test_wg_sigkill_leaves_nothing);
	tcase_add_test(tc, test_wg_probe_kernel);
	suite_add_tcase(s, tc);

	tc = tcase_create("wgquick");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_wg_quick_full_tunnel);
	tcase_add_test(tc, test_wg_quick_failing_hook_undoes);
	tcase_add_test(tc, test_wg_quick_port_taken);
	suite_add_tcase(s, tc);

	tc = tcase_create("wgbind");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_wg_bind_waits_for_its_socket, 0, 2);
	tcase_add_test(tc, test_wg_bind_not_its_socket);
	tcase_add_test(tc, test_wg_bind_log_refusal);
	suite_add_tcase(s, tc);
	return s;
}
