// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* The wgkernel suite's fixture and helpers (see wgktest.h). */
#include "wgktest.h"

#include <check.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include "netns/addr.h"
#include "netns/link.h"
#include "netns/ns.h"
#include "netns/proc.h"
#include "netns/wg/wgconf.h"
#include "netns/wg/wgconf_value.h"
#include "netns/wg/wgdev.h"
#include "netns/util/now.h"

struct wgk_side A = { .ifname = "wgA" }, B = { .ifname = "wgB" };
struct netns *C;
const struct wgdev_backend wgk_kernel = { .kind = WGDEV_KERNEL };
const char *const wgk_outer[2] = { "10.99.0.2:51821", "[fd99::2]:51821" };

void wgk_add_addr(struct netns *ns, const char *ifname, const char *a)
{
	struct addr ad;

	ck_assert_int_eq(addr_parse(a, ADDR_PARSE_PREFIX, &ad), 0);
	ck_assert_int_eq(addr_add(ns, ifname, &ad), 0);
}

static void wgk_side_init(struct wgk_side *s)
{
	s->ns = netns_new(0);
	ck_assert_ptr_nonnull(s->ns);
	wgkey_generate_private(s->priv);
	wgkey_public(s->pub, s->priv);
	ck_assert_int_eq(link_set_up(s->ns, "lo", true), 0);
}

void wgk_setup(void)
{
	ck_assert_int_ge(sodium_init(), 0);
	wgk_side_init(&A);
	wgk_side_init(&B);
	ck_assert_int_eq(link_add_veth(A.ns, "va", B.ns, "vb", 0), 0);
	wgk_add_addr(A.ns, "va", "10.99.0.1/24");
	wgk_add_addr(A.ns, "va", "fd99::1/64");
	wgk_add_addr(B.ns, "vb", "10.99.0.2/24");
	wgk_add_addr(B.ns, "vb", "fd99::2/64");
	ck_assert_int_eq(link_set_up(A.ns, "va", true), 0);
	ck_assert_int_eq(link_set_up(B.ns, "vb", true), 0);
}

void wgk_teardown(void)
{
	wgdev_free(A.dev);
	wgdev_free(B.dev);
	netns_free(A.ns);
	netns_free(B.ns);
	netns_free(C);
}

void wgk_create(struct wgk_side *s, const struct wgdev_backend *be)
{
	char err[256];
	int ret;

	ret = wgdev_create(&s->dev, s->ns, s->ifname, be, err, sizeof(err));
	ck_assert_msg(ret == 0, "wgdev_create: %s: %s", strerror(-ret), err);
}

/* Runs argv in ns through nsenter; its exit status.  With out, its stdout
 * (NUL-terminated, at most len - 1 bytes). */
int wgk_run_in(struct netns *ns, const char *const *args, char *out, size_t len)
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

bool wgk_ping_until(struct netns *ns, const char *dst, int deadline_ms)
{
	const char *args[] = { "ping", "-n", "-q", "-c", "1", "-W", "1", dst, NULL };
	uint64_t end = now_ms() + (uint64_t)deadline_ms;

	do {
		if (!wgk_run_in(ns, args, NULL, 0))
			return true;
	} while (now_ms() < end);
	return false;
}

struct wgconf_device *wgk_get(struct wgk_side *s)
{
	struct wgconf_device *st = NULL;

	ck_assert_int_eq(wgdev_get(s->dev, &st), 0);
	return st;
}

void wgk_add_ip(struct wgconf_peer *p, const char *prefix)
{
	struct addr a;

	ck_assert_int_eq(addr_parse(prefix, ADDR_PARSE_PREFIX, &a), 0);
	wgconf_peer_add_allowedip(p, &a, 0);
}

void wgk_set_endpoint(struct wgconf_peer *p, const char *endpoint)
{
	struct wgconf_error err;

	ck_assert_int_eq(wgconf_parse_endpoint(p, endpoint, &err), 0);
}

/* s's device: its key, port 51820, and peer o at endpoint (may be NULL). */
void wgk_configure(struct wgk_side *s, const struct wgk_side *o, const char *endpoint, const char *allowed)
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
		wgk_set_endpoint(p, endpoint);
	ck_assert_int_eq(wgconf_parse_allowedips(p, allowed, &err), 0);
	ck_assert_int_eq(wgdev_set(s->dev, c), 0);
	wgconf_device_free(c);
}

void wgk_tunnel_up(void)
{
	wgk_add_addr(A.ns, A.ifname, "10.100.0.1/24");
	wgk_add_addr(A.ns, A.ifname, "fd10::1/64");
	wgk_add_addr(B.ns, B.ifname, "10.100.0.2/24");
	wgk_add_addr(B.ns, B.ifname, "fd10::2/64");
	ck_assert_int_eq(link_set_up(A.ns, A.ifname, true), 0);
	ck_assert_int_eq(link_set_up(B.ns, B.ifname, true), 0);
}

bool wgk_handshake_within(struct wgk_side *s, int ms)
{
	uint64_t end = now_ms() + (uint64_t)ms;
	struct wgconf_device *st;
	bool hs;

	do {
		st = wgk_get(s);
		hs = st->first_peer && (st->first_peer->flags & WGCONF_PEER_HAS_HANDSHAKE) &&
		     st->first_peer->last_handshake_sec > 0;
		wgconf_device_free(st);
		if (hs)
			return true;
		poll(NULL, 0, 20);
	} while (now_ms() < end);
	return false;
}

