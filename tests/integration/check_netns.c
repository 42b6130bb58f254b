// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * Namespaces, and a small routed topology built with netns/ and checked
 * with iproute2 from inside: client A -- router R -- server B.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sched.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include "netns/addr.h"
#include "netns/kcount.h"
#include "netns/link.h"
#include "netns/ns.h"
#include "netns/sysctl.h"
#include "netns/nsmount.h"
#include "netns/ready.h"
#include "netns/sockdiag.h"
#include "tests/integration/netns_testlib.h"

extern Suite *netns_suite(void);

static int count_links(const struct link_info *li, void *data)
{
	(void)li;
	++*(int *)data;
	return 0;
}

START_TEST(test_netns_new_is_fresh)
{
	struct netns *ns = netns_new(0);
	struct stat home, st;
	char out[4096];
	int n = 0;

	ck_assert_ptr_nonnull(ns);
	ck_assert_int_eq(fstat(netns_fd(ns), &st), 0);
	ck_assert_int_eq(stat("/proc/self/ns/net", &home), 0);
	/* Back home after creating it. */
	ck_assert_uint_ne(st.st_ino, home.st_ino);
	ck_assert_int_eq(fstat(netns_home_fd(), &st), 0);
	ck_assert_uint_eq(st.st_ino, home.st_ino);
	ck_assert_int_eq(link_walk(ns, count_links, &n), 0);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(nt_sh(ns, out, sizeof(out), "ip -o link | cut -d: -f2"), 0);
	ck_assert_str_eq(out, " lo");
	netns_free(ns);
}
END_TEST

struct ready_q {
	struct netns *ns;
	const char *ifname;
};

static bool ready_cond(void *data)
{
	const struct ready_q *q = data;
	bool ready = false;

	return link_ready(q->ns, q->ifname, &ready) == 0 && ready;
}

/* Readiness (netns/ready.h, from rtnetlink dumps) against what iproute2
 * sees: a link down is not ready; up, it is once it has a link-local
 * address, none tentative, and their solicited-node groups joined; an
 * address under duplicate address detection makes it not ready again
 * until DAD is over. */
START_TEST(test_netns_ready)
{
	struct netns *a = netns_new(0), *b = netns_new(0);
	struct ready_q q = { .ns = a, .ifname = "r0" };
	struct ready_snap *s = NULL;
	bool ready = true;
	char out[256];

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(link_add_veth(a, "r0", b, "r1", 0), 0);
	ck_assert_int_eq(ready_snap_take(a, &s), 0);
	ck_assert_int_eq(ready_snap_if(s, "r0", &ready), 0);
	ck_assert(!ready);
	ck_assert_int_eq(ready_snap_if(s, "r9", &ready), -ENODEV);
	ready_snap_free(s);
	ck_assert_int_eq(link_set_up(a, "r0", true), 0);
	ck_assert_int_eq(link_set_up(b, "r1", true), 0);
	ck_assert(nt_until(ready_cond, &q, 3000));
	ck_assert_int_eq(nt_sh(a, out, sizeof(out), "ip -6 -o addr show dev r0 scope link | grep -vc tentative"), 0);
	ck_assert_str_eq(out, "1");
	ck_assert_int_eq(nt_sh(a, out, sizeof(out), "ip -6 maddr show dev r0 | grep -c 'ff02::1:ff'"), 0);
	ck_assert_str_eq(out, "1");
	/* DAD on: a new address is tentative for about a second (added by
	 * ip: addr_add() asks for none). */
	ck_assert_int_eq(netns_sysctl_set(a, "net.ipv6.conf.r0.accept_dad", "1"), 0);
	ck_assert_int_eq(nt_sh(a, out, sizeof(out), "ip -6 addr add fd00:5::1/64 dev r0"), 0);
	ck_assert_int_eq(link_ready(a, "r0", &ready), 0);
	ck_assert_int_eq(nt_sh(a, out, sizeof(out), "ip -6 -o addr show dev r0 | grep -c tentative"), 0);
	ck_assert_str_eq(out, "1");
	ck_assert(!ready);
	ck_assert(nt_until(ready_cond, &q, 3000));
	ck_assert_int_eq(nt_sh(a, out, sizeof(out), "ip -6 -o addr show dev r0 | grep -c tentative"), 1);
	ck_assert_int_eq(nt_sh(a, out, sizeof(out), "ip -6 maddr show dev r0 | grep -c 'ff02::1:ff'"), 0);
	ck_assert_str_eq(out, "2");
	netns_free(b);
	netns_free(a);
}
END_TEST

/* A namespace made without IPv6 (NETNS_NO_IPV6): iproute2 sees no IPv6
 * address in it, not even lo's, nor a link-local on a veth once it runs,
 * while its peer in an ordinary namespace has one; readiness takes the
 * running link as ready (it would wait for a link-local for ever). */
START_TEST(test_netns_no_ipv6)
{
	struct netns *a = netns_new(NETNS_NO_IPV6), *b = netns_new(0);
	struct ready_q q = { .ns = a, .ifname = "r0" }, qb = { .ns = b, .ifname = "r1" };
	char out[256];

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert(!netns_has_ipv6(a));
	ck_assert(netns_has_ipv6(b));
	ck_assert_int_eq(link_set_up(a, "lo", true), 0);
	ck_assert_int_eq(link_add_veth(a, "r0", b, "r1", 0), 0);
	ck_assert_int_eq(link_set_up(a, "r0", true), 0);
	ck_assert_int_eq(link_set_up(b, "r1", true), 0);
	ck_assert(nt_until(ready_cond, &q, 3000));
	ck_assert(nt_until(ready_cond, &qb, 3000));
	ck_assert_int_eq(nt_sh(a, out, sizeof(out), "ip -6 -o addr show | wc -l"), 0);
	ck_assert_str_eq(out, "0");
	ck_assert_int_eq(nt_sh(a, out, sizeof(out), "cat /proc/sys/net/ipv6/conf/r0/disable_ipv6"), 0);
	ck_assert_str_eq(out, "1");
	ck_assert_int_eq(nt_sh(b, out, sizeof(out), "ip -6 -o addr show dev r1 scope link | wc -l"), 0);
	ck_assert_str_eq(out, "1");
	netns_free(b);
	netns_free(a);
}
END_TEST

START_TEST(test_netns_sysctl)
{
	struct netns *ns = netns_new(0);
	char before[64], buf[64], out[256];
	FILE *f = fopen("/proc/sys/net/ipv4/ip_forward", "r");

	ck_assert_ptr_nonnull(ns);
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(before, sizeof(before), f));
	fclose(f);
	ck_assert_int_eq(netns_sysctl_get(ns, "net.ipv4.ip_forward", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "0");
	ck_assert_int_eq(netns_sysctl_set(ns, "net.ipv4.ip_forward", "1"), 0);
	ck_assert_int_eq(netns_sysctl_set(ns, "net/ipv6/conf/all/forwarding", "1"), 0);
	ck_assert_int_eq(netns_sysctl_get(ns, "net.ipv4.ip_forward", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "1");
	ck_assert_int_eq(nt_sh(ns, out, sizeof(out),
			       "cat /proc/sys/net/ipv4/ip_forward /proc/sys/net/ipv6/conf/all/forwarding"), 0);
	ck_assert_str_eq(out, "1\n1");
	/* The caller's namespace is untouched. */
	f = fopen("/proc/sys/net/ipv4/ip_forward", "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), f));
	fclose(f);
	ck_assert_str_eq(buf, before);
	ck_assert_int_eq(netns_sysctl_set(ns, "net.ipv4.no_such_key", "1"), -ENOENT);
	ck_assert_int_eq(netns_sysctl_set(ns, "../../etc/passwd", "1"), -EINVAL);
	netns_free(ns);
}
END_TEST

static char mount_name[64];

static void unmount_at_exit(void)
{
	if (mount_name[0])
		netns_unmount(mount_name);
}

START_TEST(test_netns_mount)
{
	struct netns *ns = netns_new(0);
	struct netns_mount_id id, other;
	bool removed = true;
	char out[4096];

	ck_assert_ptr_nonnull(ns);
	ck_assert_int_eq(link_add_bridge(ns, "brmount"), 0);
	snprintf(mount_name, sizeof(mount_name), "wglab-test-%d", (int)getpid());
	atexit(unmount_at_exit);
	ck_assert_int_eq(netns_mount_claim(ns, mount_name, &id), 0);
	ck_assert_int_eq(netns_mount_claim(ns, mount_name, &other), -EEXIST);
	ck_assert_int_eq(netns_mount_bind(ns, mount_name), 0);
	ck_assert_int_eq(nt_sh(NULL, out, sizeof(out), "ip netns exec %s ip -o link show brmount | cut -d: -f2",
			       mount_name), 0);
	ck_assert_str_eq(out, " brmount");
	/* Another's mount of the name (another namespace, another file) is
	 * left as it is. */
	other = id;
	other.ns_ino++;
	other.file_ino++;
	ck_assert_int_eq(netns_unmount_own(mount_name, &other, &removed), 0);
	ck_assert_int_eq(removed, false);
	ck_assert_int_eq(nt_sh(NULL, out, sizeof(out), "ip netns list | grep -qx %s", mount_name), 0);
	ck_assert_int_eq(netns_unmount_own(mount_name, &id, &removed), 0);
	ck_assert_int_eq(removed, true);
	ck_assert_int_ne(nt_sh(NULL, out, sizeof(out), "ip netns list | grep -qx %s", mount_name), 0);
	mount_name[0] = '\0';
	netns_free(ns);
}
END_TEST

/* The sockets bound to a port, through sock_diag (what the WireGuard bind
 * wait reads): IPv4 first, each with the inode its fd shows, a connected
 * one too, the count right beyond the room given, another port's not. */
START_TEST(test_netns_sockdiag_bound)
{
	struct netns *ns = netns_new(0);
	struct sockaddr_in a4 = { .sin_family = AF_INET, .sin_port = htons(51820) };
	struct sockaddr_in peer = { .sin_family = AF_INET, .sin_port = htons(51821),
				    .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_port = htons(51820) };
	struct sockdiag_sock v[4] = { 0 };
	struct stat st4, st6;
	int fd4, fd6, fdc, one = 1;
	bool listening = false;

	ck_assert_ptr_nonnull(ns);
	ck_assert_int_eq(link_set_up(ns, "lo", true), 0);
	ck_assert_int_eq(netns_enter(ns), 0);
	fd4 = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	fd6 = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	fdc = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	netns_leave();
	ck_assert_int_eq(setsockopt(fd6, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)), 0);
	ck_assert_int_eq(bind(fd6, (struct sockaddr *)&a6, sizeof(a6)), 0);
	ck_assert_int_eq(bind(fd4, (struct sockaddr *)&a4, sizeof(a4)), 0);
	ck_assert_int_eq(sockdiag_bound(ns, IPPROTO_UDP, 51820, v, 4), 2);
	ck_assert_int_eq(fstat(fd4, &st4), 0);
	ck_assert_int_eq(fstat(fd6, &st6), 0);
	ck_assert_int_eq(v[0].family, AF_INET);
	ck_assert_uint_eq(v[0].inode, st4.st_ino);
	ck_assert_int_eq(v[1].family, AF_INET6);
	ck_assert_uint_eq(v[1].inode, st6.st_ino);
	ck_assert_int_eq(sockdiag_listening(ns, IPPROTO_UDP, 51820, &listening), 0);
	ck_assert(listening);
	/* A connected socket bound to the port counts too. */
	ck_assert_int_eq(setsockopt(fdc, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)), 0);
	ck_assert_int_eq(setsockopt(fd4, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)), 0);
	a4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fdc, (struct sockaddr *)&a4, sizeof(a4)), 0);
	ck_assert_int_eq(connect(fdc, (struct sockaddr *)&peer, sizeof(peer)), 0);
	memset(v, 0, sizeof(v));
	ck_assert_int_eq(sockdiag_bound(ns, IPPROTO_UDP, 51820, v, 1), 3);
	ck_assert_int_eq(v[0].family, AF_INET);
	ck_assert_uint_eq(v[1].inode, 0);
	/* The peer's port is not ours; nothing on another port. */
	ck_assert_int_eq(sockdiag_bound(ns, IPPROTO_UDP, 51821, NULL, 0), 0);
	ck_assert_int_eq(sockdiag_listening(ns, IPPROTO_UDP, 51822, &listening), 0);
	ck_assert(!listening);
	close(fd4);
	close(fd6);
	close(fdc);
	netns_free(ns);
}
END_TEST

/* In a child inside ns's mount namespace: sh -c cmd, its output in out. */
static int in_node_mounts(struct netns *ns, char *out, size_t len, const char *cmd)
{
	int p[2], status, mnt = netns_mnt_fd(ns);
	ssize_t n, got = 0;
	pid_t pid;

	if (mnt < 0 || pipe(p))
		return -1;
	pid = fork();
	if (!pid) {
		dup2(p[1], 1);
		if (setns(mnt, CLONE_NEWNS))
			_exit(99);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(98);
	}
	close(p[1]);
	while (got < (ssize_t)len - 1 && (n = read(p[0], out + got, len - 1 - (size_t)got)) > 0)
		got += n;
	out[got] = '\0';
	close(p[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Files in the node's mounts: written from its root without a process
 * (no bind), seen only there, with their mode; a symlink planted on the
 * path is refused, not followed; with a bind, the bind is made. */
START_TEST(test_netns_mnt_files)
{
	struct netns *ns = netns_new(0);
	struct mnt_file plain[] = { { "/run/wglab-test.key", "secret\n", 0600, NULL } };
	struct mnt_file evil[] = { { "/run/evil", "x\n", 0644, NULL } };
	struct mnt_file bound[] = { { "/run/hosts-test", "10.0.0.1 a\n", 0644, "/run/tmp/x" } };
	char out[256], host_probe[64];
	struct stat st;

	ck_assert_ptr_nonnull(ns);
	ck_assert_int_eq(netns_mnt_files(ns, plain, 1), 0);
	ck_assert_int_eq(in_node_mounts(ns, out, sizeof(out), "stat -c %a /run/wglab-test.key; cat /run/wglab-test.key"), 0);
	ck_assert_str_eq(out, "600\nsecret\n");
	/* Not on the host's /run. */
	ck_assert_int_ne(stat("/run/wglab-test.key", &st), 0);
	/* A symlink to a host file, planted in the node: not followed. */
	snprintf(host_probe, sizeof(host_probe), "/tmp/wglab-mnt-probe-%d", (int)getpid());
	ck_assert_int_eq(close(open(host_probe, O_WRONLY | O_CREAT | O_TRUNC, 0600)), 0);
	snprintf(out, sizeof(out), "ln -s %s /run/evil", host_probe);
	ck_assert_int_eq(in_node_mounts(ns, out, sizeof(out), out), 0);
	ck_assert_int_eq(netns_mnt_files(ns, evil, 1), -ELOOP);
	ck_assert_int_eq(stat(host_probe, &st), 0);
	ck_assert_int_eq(st.st_size, 0);
	unlink(host_probe);
	/* A bind (as /etc/hosts gets): the target shows the file. */
	ck_assert_int_eq(in_node_mounts(ns, out, sizeof(out), "touch /run/tmp/x"), 0);
	ck_assert_int_eq(netns_mnt_files(ns, bound, 1), 0);
	ck_assert_int_eq(in_node_mounts(ns, out, sizeof(out), "cat /run/tmp/x"), 0);
	ck_assert_str_eq(out, "10.0.0.1 a\n");
	netns_free(ns);
}
END_TEST

static struct nt_arb arb;

static void arb_setup(void)
{
	nt_arb_build(&arb);
}

static void arb_teardown(void)
{
	nt_arb_free(&arb);
}

/* Right after the build, without waiting for anything: IPv6 must not be
 * held back by duplicate address detection. */
START_TEST(test_netns_arb_ping)
{
	ck_assert(nt_ping(arb.a, "10.0.2.2"));
	ck_assert(nt_ping(arb.a, "fd00:2::2"));
	ck_assert(nt_ping(arb.b, "10.0.1.2"));
	ck_assert(nt_ping(arb.b, "fd00:1::2"));
}
END_TEST

START_TEST(test_netns_arb_exact)
{
	char out[4096];

	nt_wait_oper_up(arb.a, "eth0");
	nt_wait_oper_up(arb.b, "eth0");
	nt_wait_oper_up(arb.r, "a0");
	nt_wait_oper_up(arb.r, "b0");
	/* Indices as link_add_veth() chose them: never the same at both
	 * ends of a veth. */
	ck_assert_int_eq(nt_sh(arb.a, out, sizeof(out), "ip -j -br addr show dev eth0 scope global"), 0);
	ck_assert_str_eq(out, "[{\"link_index\":1000,\"ifname\":\"eth0\",\"operstate\":\"UP\",\"addr_info\":["
			      "{\"local\":\"10.0.1.2\",\"prefixlen\":24},{\"local\":\"fd00:1::2\",\"prefixlen\":64},{}]}]");
	ck_assert_int_eq(nt_sh(arb.r, out, sizeof(out), "ip -j -br addr show dev a0 scope global; "
			       "ip -j -br addr show dev b0 scope global"), 0);
	ck_assert_str_eq(out, "[{\"link_index\":1001,\"ifname\":\"a0\",\"operstate\":\"UP\",\"addr_info\":["
			      "{\"local\":\"10.0.1.1\",\"prefixlen\":24},{\"local\":\"fd00:1::1\",\"prefixlen\":64},{}]}]\n"
			      "[{\"link_index\":1000,\"ifname\":\"b0\",\"operstate\":\"UP\",\"addr_info\":["
			      "{\"local\":\"10.0.2.1\",\"prefixlen\":24},{\"local\":\"fd00:2::1\",\"prefixlen\":64},{}]}]");
	/* IPv6 addresses are nodad and never tentative. */
	ck_assert_int_eq(nt_sh(arb.b, out, sizeof(out),
			       "ip -j -6 addr show dev eth0 scope global | grep -o '\"nodad\":true' | wc -l;"
			       "ip -6 addr show tentative | wc -l"), 0);
	ck_assert_str_eq(out, "1\n0");
	ck_assert_int_eq(nt_sh(arb.a, out, sizeof(out), "ip -j -4 route"), 0);
	ck_assert_str_eq(out, "[{\"dst\":\"default\",\"gateway\":\"10.0.1.1\",\"dev\":\"eth0\",\"flags\":[]},"
			      "{\"dst\":\"10.0.1.0/24\",\"dev\":\"eth0\",\"protocol\":\"kernel\",\"scope\":\"link\","
			      "\"prefsrc\":\"10.0.1.2\",\"flags\":[]}]");
	ck_assert_int_eq(nt_sh(arb.b, out, sizeof(out), "ip -j -6 route show default; ip -j -6 route show root fd00::/8"), 0);
	ck_assert_str_eq(out, "[{\"dst\":\"default\",\"gateway\":\"fd00:2::1\",\"dev\":\"eth0\",\"metric\":1024,"
			      "\"flags\":[],\"pref\":\"medium\"}]\n"
			      "[{\"dst\":\"fd00:2::/64\",\"dev\":\"eth0\",\"protocol\":\"kernel\",\"metric\":256,"
			      "\"flags\":[],\"pref\":\"medium\"}]");
	ck_assert_int_eq(nt_sh(arb.r, out, sizeof(out), "ip -j route; ip -j -6 route show default"), 0);
	ck_assert_str_eq(out, "[{\"dst\":\"10.0.1.0/24\",\"dev\":\"a0\",\"protocol\":\"kernel\",\"scope\":\"link\","
			      "\"prefsrc\":\"10.0.1.1\",\"flags\":[]},"
			      "{\"dst\":\"10.0.2.0/24\",\"dev\":\"b0\",\"protocol\":\"kernel\",\"scope\":\"link\","
			      "\"prefsrc\":\"10.0.2.1\",\"flags\":[]}]\n[]");
	/* Links: exactly the veth end, no stray devices. */
	ck_assert_int_eq(nt_sh(arb.a, out, sizeof(out), "ip -o link | cut -d: -f2 | tr -d ' ' | tr '\\n' ,"), 0);
	ck_assert_str_eq(out, "lo,eth0@if1000,");
	ck_assert_int_eq(nt_sh(arb.r, out, sizeof(out), "ip -o link | cut -d: -f1,2 | tr -d ' ' | tr '\\n' ,"), 0);
	ck_assert_str_eq(out, "1:lo,1000:a0@if1001,1001:b0@if1000,");
	ck_assert_int_eq(nt_sh(arb.r, out, sizeof(out), "sysctl -n net.ipv4.ip_forward net.ipv6.conf.all.forwarding"), 0);
	ck_assert_str_eq(out, "1\n1");
}
END_TEST

/* The UDP counters are the namespace's own: datagrams sent to a socket
 * nobody reads, with the smallest receive buffer, are dropped there and
 * named; another namespace read beside it is not. */
START_TEST(test_netns_kcount_udp_rcvbuf)
{
	struct netns *ns = netns_new(0), *other = netns_new(0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct kcount before, after;
	socklen_t len = sizeof(sa);
	char buf[1024], why[512];
	int rx, tx, one = 1, sent = 0;

	ck_assert_ptr_nonnull(ns);
	ck_assert_ptr_nonnull(other);
	ck_assert_int_eq(link_set_up(ns, "lo", true), 0);
	ck_assert_int_eq(netns_enter(ns), 0);
	rx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	tx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	netns_leave();
	ck_assert_int_ge(rx, 0);
	ck_assert_int_ge(tx, 0);
	ck_assert_int_eq(setsockopt(rx, SOL_SOCKET, SO_RCVBUF, &one, sizeof(one)), 0);
	ck_assert_int_eq(bind(rx, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(getsockname(rx, (struct sockaddr *)&sa, &len), 0);
	kcount_host(&before);
	ck_assert_int_eq(kcount_add_ns(&before, other, "n2"), 0);
	ck_assert_int_eq(kcount_add_ns(&before, ns, "n1"), 0);
	memset(buf, 'x', sizeof(buf));
	for (int i = 0; i < 100; i++)
		sent += sendto(tx, buf, sizeof(buf), 0, (struct sockaddr *)&sa, sizeof(sa)) == sizeof(buf);
	ck_assert_int_eq(sent, 100);
	kcount_host(&after);
	ck_assert_int_eq(kcount_add_ns(&after, other, "n2"), 0);
	ck_assert_int_eq(kcount_add_ns(&after, ns, "n1"), 0);
	ck_assert_uint_eq(after.n_nss, 2);
	/* The queue holds a few of 1 KiB; the rest were dropped. */
	ck_assert_uint_ge(after.nss[1].udp_rcvbuf - before.nss[1].udp_rcvbuf, 90);
	ck_assert_uint_eq(after.nss[0].udp_rcvbuf, before.nss[0].udp_rcvbuf);
	kcount_describe(&before, &after, why, sizeof(why));
	ck_assert_ptr_nonnull(strstr(why, "n1 dropped "));
	ck_assert_ptr_nonnull(strstr(why, " UDP datagrams at a full socket receive buffer"));
	ck_assert_ptr_null(strstr(why, "n2"));
	kcount_free(&before);
	kcount_free(&after);
	close(rx);
	close(tx);
	netns_free(ns);
	netns_free(other);
}
END_TEST

Suite *netns_suite(void)
{
	Suite *s = suite_create("netns");
	TCase *tc;

	tc = tcase_create("netns_new");
	tcase_add_test(tc, test_netns_new_is_fresh);
	tcase_add_test(tc, test_netns_sysctl);
	tcase_add_test(tc, test_netns_ready);
	tcase_add_test(tc, test_netns_no_ipv6);
	tcase_add_test(tc, test_netns_mount);
	tcase_add_test(tc, test_netns_mnt_files);
	tcase_add_test(tc, test_netns_sockdiag_bound);
	tcase_add_test(tc, test_netns_kcount_udp_rcvbuf);
	suite_add_tcase(s, tc);

	tc = tcase_create("topology");
	tcase_add_checked_fixture(tc, arb_setup, arb_teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_netns_arb_ping);
	tcase_add_test(tc, test_netns_arb_exact);
	suite_add_tcase(s, tc);
	return s;
}
