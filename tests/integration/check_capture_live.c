// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * Captures inside namespaces: veth (Ethernet), TUN (raw IP), "any"
 * (cooked), pcap files read back by tcpdump, NAT rewrites matched across
 * two interfaces.  A -- R -- B as in tests/integration/trafficlib.h.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <sys/ioctl.h>

#include "assertions/capture.h"
#include "assertions/verdict.h"
#include "netns/nftext.h"
#include "netns/ns.h"
#include "tests/integration/trafficlib.h"
#include "traffic/capture.h"
#include "traffic/capture_decode.h"
#include "traffic/loop.h"
#include "traffic/probe.h"
#include "traffic/sock.h"
#include "traffic/server.h"
#include "netns/util/now.h"

static struct tt_topo topo;
static struct loop *lp;
static char dir[64];

/* Unchecked: runs in the parent, so the directory goes even when a test
 * fails. */
static void dir_setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/wglab-capture-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void dir_teardown(void)
{
	struct dirent *e;
	char path[512];
	DIR *d = opendir(dir);

	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

static void setup(void)
{
	lp = loop_new();
	ck_assert_ptr_nonnull(lp);
	tt_topo_build(&topo);
}

static void teardown(void)
{
	tt_topo_free(&topo);
	loop_free(lp);
}

static unsigned int count(struct capture *c, const char *filter)
{
	unsigned int n = 0;
	char err[256];

	ck_assert_msg(!capture_count(c, filter, &n, err, sizeof(err)), "%s: %s", filter, err);
	return n;
}

static void probe_ok(struct netns *from, enum probe_proto proto, const char *dst, uint16_t port)
{
	struct probe_req r = { .proto = proto, .port = port, .wait_ms = 2000 };
	struct probe_result res;

	r.dst = tt_parse(dst);
	ck_assert_int_eq(probe_run(lp, from, &r, &res), 0);
	tt_note("%s", res.evidence);
	ck_assert_msg(res.ok, "%s", res.evidence);
}

START_TEST(test_capture_veth_and_pcap_file)
{
	const struct capture_pkt *p;
	struct capture *cap = NULL;
	struct capture_stats st;
	unsigned int n, all;
	char path[128], line[256], err[256];
	long lines;

	snprintf(path, sizeof(path), "%s/br.pcap", dir);
	ck_assert_int_eq(capture_start(&cap, lp, topo.b, "br", path, NULL), 0);
	ck_assert_int_eq(capture_linktype(cap), DLT_EN10MB);
	probe_ok(topo.a, PROBE_ICMP, "10.0.2.2", 0);
	probe_ok(topo.a, PROBE_ICMP, "fd02::2", 0);
	ck_assert_int_eq(capture_wait(cap, "icmp or icmp6", 4, now_ms() + 2000, &n, err,
				      sizeof(err)), 0);
	ck_assert_uint_ge(n, 4);
	ck_assert_uint_eq(count(cap, "icmp[icmptype] == icmp-echo and src host 10.0.1.2"), 1);
	ck_assert_uint_eq(count(cap, "icmp[icmptype] == icmp-echoreply and dst host 10.0.1.2"), 1);
	ck_assert_uint_eq(count(cap, "icmp6 and ip6[40] == 128 and src host fd01::2"), 1);
	ck_assert_uint_eq(count(cap, "tcp"), 0);

	ck_assert_int_eq(capture_first(cap, "icmp", &p, err, sizeof(err)), 0);
	capture_format(p, line, sizeof(line));
	tt_note("%s", line);
	ck_assert_msg(strstr(line, " IP 10.0.1.2 > 10.0.2.2: ICMP echo request, id "), "%s", line);
	ck_assert(tt_addr_is(&p->src, "10.0.1.2"));
	ck_assert_uint_eq(p->ttl, 63);

	ck_assert_int_eq(capture_stop(cap), 0);
	all = count(cap, NULL);
	capture_stats(cap, &st);
	ck_assert_uint_eq(st.seen, all);
	ck_assert_uint_eq(st.not_stored, 0);
	lines = tt_sh_number("tcpdump -Z root -n -r %s 2>/dev/null | wc -l", path);
	ck_assert_int_eq(lines, (long)all);
	lines = tt_sh_number("tcpdump -Z root -n -r %s 'icmp or icmp6' 2>/dev/null | wc -l", path);
	ck_assert_int_eq(lines, (long)count(cap, "icmp or icmp6"));
	capture_free(cap);
}
END_TEST

START_TEST(test_capture_bad_filter_and_device)
{
	struct capture *cap = NULL;
	unsigned int n = 99;
	char err[256] = "";

	ck_assert_int_eq(capture_start(&cap, lp, topo.b, "nosuchdev0", NULL, NULL), -ENODEV);
	ck_assert_ptr_null(cap);
	ck_assert_str_ne(capture_last_error(), "");
	/* "br" exists in B only: the handle must be opened inside the node. */
	ck_assert_int_eq(capture_start(&cap, lp, topo.a, "br", NULL, NULL), -ENODEV);
	ck_assert_int_eq(capture_start(&cap, lp, topo.b, "br", "/nonexistent/dir/x.pcap", NULL), -ENOENT);
	ck_assert_ptr_null(cap);
	ck_assert_int_eq(capture_start(&cap, lp, topo.b, "br", NULL, NULL), 0);
	ck_assert_int_eq(capture_count(cap, "tcp port", &n, err, sizeof(err)), -EINVAL);
	ck_assert_uint_eq(n, 99);
	ck_assert_msg(strstr(err, "syntax error"), "%s", err);
	ck_assert_int_eq(capture_wait(cap, "udp port 70000", 1, now_ms() + 100, NULL, err,
				      sizeof(err)), -EINVAL);
	ck_assert_int_eq(capture_wait(cap, "tcp", 1, now_ms() + 100, &n, err, sizeof(err)),
			 -ETIMEDOUT);
	ck_assert_uint_eq(n, 0);
	capture_free(cap);
}
END_TEST

/* Past the memory limit packets are counted, written, and not kept. */
START_TEST(test_capture_limit)
{
	struct probe_req r = { .proto = PROBE_ICMP, .wait_ms = 2000 };
	struct capture *cap = NULL;
	struct capture_stats st;
	struct probe_result res;
	char path[128];
	int i;

	snprintf(path, sizeof(path), "%s/limit.pcap", dir);
	ck_assert_int_eq(capture_start(&cap, lp, topo.b, "br", path, NULL), 0);
	capture_set_limit(cap, 2 * (sizeof(struct capture_pkt) + 200));
	r.dst = tt_parse("10.0.2.2");
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(probe_run(lp, topo.a, &r, &res), 0);
		ck_assert(res.ok);
	}
	ck_assert_int_eq(capture_stop(cap), 0);
	capture_stats(cap, &st);
	ck_assert_uint_ge(st.stored, 2);
	ck_assert_uint_le(st.mem, 2 * (sizeof(struct capture_pkt) + 200));
	ck_assert_uint_ge(st.not_stored, 1);
	ck_assert_uint_ge(st.seen, 6);
	ck_assert_uint_eq(st.seen, st.stored + st.not_stored);
	ck_assert_uint_eq(count(cap, NULL), st.stored);
	ck_assert_int_eq(tt_sh_number("tcpdump -Z root -n -r %s 2>/dev/null | wc -l", path),
			 (long)st.seen);
	capture_free(cap);
}
END_TEST

/* libpcap refuses a down interface; one that disappears stops the capture
 * instead of spinning the loop on its error. */
START_TEST(test_capture_interface_down_or_gone)
{
	struct capture *cap = NULL;
	struct sees_window w = { 0 };
	struct capture_stats st;
	struct verdict v;
	uint64_t end;
	int runs = 0;

	ck_assert_int_eq(tt_ip(topo.b, "link set dev br down"), 0);
	ck_assert_int_eq(capture_start(&cap, lp, topo.b, "br", NULL, NULL), -ENETDOWN);
	ck_assert_int_eq(tt_ip(topo.b, "link set dev br up"), 0);
	tt_wait_running(topo.b, "br");
	ck_assert_int_eq(capture_start(&cap, lp, topo.b, "br", NULL, NULL), 0);
	ck_assert_int_eq(tt_ip(topo.b, "link del dev br"), 0);
	end = now_ms() + 300;
	while (now_ms() < end && runs < 1000)
		runs += loop_run_once(lp, 50) > 0;
	ck_assert_int_lt(runs, 10);
	capture_stats(cap, &st);
	ck_assert_int_eq(st.error, -ENETDOWN);
	tt_note("%s", st.message);
	/* Nothing seen by a capture that stopped proves no absence; a
	 * window that says what it missed proves none either. */
	ck_assert_int_eq(expect_sees(lp, cap, NULL, "b:br", "udp", true, 0, false, 0, &v), 0);
	tt_note("%s", v.evidence);
	ck_assert_msg(!v.held && strstr(v.evidence, "capture stopped: the interface failed") &&
		      strstr(v.evidence, "inconclusive: the capture stopped"), "%s", v.evidence);
	ck_assert_int_eq(expect_sees(lp, cap, NULL, "b:br", "udp", false, 0, true, 0, &v), 0);
	ck_assert_msg(!v.held && strstr(v.evidence, "inconclusive"), "%s", v.evidence);
	capture_free(cap);
	ck_assert_int_eq(tt_ip(topo.b, "link add dev x0 type veth peer name x1"), 0);
	ck_assert_int_eq(tt_ip(topo.b, "link set dev x0 up"), 0);
	ck_assert_int_eq(tt_ip(topo.b, "link set dev x1 up"), 0);
	ck_assert_int_eq(capture_start(&cap, lp, topo.b, "x0", NULL, NULL), 0);
	snprintf(w.blind, sizeof(w.blind), "started late");
	ck_assert_int_eq(expect_sees(lp, cap, &w, "b:x0", "udp", true, 0, false, 0, &v), 0);
	ck_assert_msg(!v.held && strstr(v.evidence, "inconclusive: started late"), "%s", v.evidence);
	w.blind[0] = '\0';
	ck_assert_int_eq(expect_sees(lp, cap, &w, "b:x0", "udp", true, 0, false, 0, &v), 0);
	ck_assert_msg(v.held, "%s", v.evidence);
	capture_free(cap);
}
END_TEST

static uint16_t ip_checksum(const uint8_t *p, size_t n)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static int tun_open(struct netns *ns, const char *name)
{
	struct ifreq ifr = { 0 };
	int fd;

	ck_assert_int_eq(netns_enter(ns), 0);
	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
		if (ioctl(fd, TUNSETIFF, &ifr)) {
			close(fd);
			fd = -1;
		}
	}
	netns_leave();
	ck_assert_int_ge(fd, 0);
	return fd;
}

/* A TUN device (what wireguard-go reads and writes): raw IP, both ways. */
START_TEST(test_capture_tun)
{
	static const uint8_t udp_payload[] = "from the tunnel";
	uint8_t pkt[28 + sizeof(udp_payload)] = {
		0x45, 0, 0, sizeof(pkt), 0x12, 0x34, 0x40, 0, 64, IPPROTO_UDP, 0, 0,
		10, 7, 0, 2, 10, 7, 0, 1,
		0x30, 0x39, 0x00, 0x07, 0, 8 + sizeof(udp_payload), 0, 0,
	};
	struct probe_req r = { .proto = PROBE_ICMP, .wait_ms = 300 };
	const struct capture_pkt *p;
	struct capture *cap = NULL;
	struct probe_result res;
	char err[256], line[256];
	uint16_t sum;
	int fd;

	fd = tun_open(topo.a, "tun7");
	ck_assert_int_eq(tt_ip(topo.a, "link set dev tun7 up"), 0);
	tt_addr(topo.a, "tun7", "10.7.0.1/24");
	tt_wait_running(topo.a, "tun7");
	ck_assert_int_eq(capture_start(&cap, lp, topo.a, "tun7", NULL, NULL), 0);
	ck_assert_int_eq(capture_linktype(cap), DLT_RAW);

	r.dst = tt_parse("10.7.0.2");
	ck_assert_int_eq(probe_run(lp, topo.a, &r, &res), 0);
	ck_assert(!res.ok);
	ck_assert_uint_eq(count(cap, "icmp and dst host 10.7.0.2"), res.attempts);

	memcpy(pkt + 28, udp_payload, sizeof(udp_payload));
	sum = htons(ip_checksum(pkt, 20));
	memcpy(pkt + 10, &sum, 2);
	ck_assert_int_eq(write(fd, pkt, sizeof(pkt)), (int)sizeof(pkt));
	ck_assert_int_eq(capture_wait(cap, "udp and src host 10.7.0.2 and dst port 7", 1,
				      now_ms() + 1000, NULL, err, sizeof(err)), 0);
	ck_assert_int_eq(capture_first(cap, "udp", &p, err, sizeof(err)), 0);
	capture_format(p, line, sizeof(line));
	tt_note("%s", line);
	ck_assert_msg(strstr(line, " IP 10.7.0.2.12345 > 10.7.0.1.7: UDP, length 16"), "%s", line);
	ck_assert_uint_eq(p->ip_id, 0x1234);
	capture_free(cap);
	close(fd);
}
END_TEST

/* "any" inside R: cooked headers, both interfaces, with directions. */
START_TEST(test_capture_any)
{
	const struct capture_pkt *const *pkts;
	struct capture *cap = NULL;
	size_t i, n, out = 0, in = 0;

	ck_assert_int_eq(capture_start(&cap, lp, topo.r, "any", NULL, NULL), 0);
	ck_assert(capture_linktype(cap) == DLT_LINUX_SLL || capture_linktype(cap) == DLT_LINUX_SLL2);
	probe_ok(topo.a, PROBE_ICMP, "10.0.2.2", 0);
	ck_assert_int_eq(capture_wait(cap, "icmp", 4, now_ms() + 2000, NULL, NULL, 0), 0);
	n = capture_packets(cap, &pkts);
	for (i = 0; i < n; i++) {
		if (pkts[i]->proto != IPPROTO_ICMP)
			continue;
		out += !!(pkts[i]->flags & CAPTURE_PKT_OUTGOING);
		in += !!(pkts[i]->flags & CAPTURE_PKT_INCOMING);
	}
	ck_assert_uint_eq(out, 2);
	ck_assert_uint_eq(in, 2);
	capture_free(cap);
}
END_TEST

static void nat(struct netns *ns)
{
	char err[512];

	ck_assert_msg(!nftext_apply(ns, "table ip n {\n chain postrouting { type nat hook "
				    "postrouting priority 100; oifname \"rb\" masquerade; }\n}\n",
				    err, sizeof(err)), "nft: %s", err);
}

static struct rewrite_pattern snat_pattern(uint8_t proto, uint16_t port, const char *new_src)
{
	struct rewrite_pattern p = { .proto = proto };

	p.orig_src.flags = CAPTURE_EP_ADDR;
	p.orig_src.addr = tt_parse("10.0.1.2");
	p.orig_dst.flags = CAPTURE_EP_ADDR | CAPTURE_EP_PORT;
	p.orig_dst.addr = tt_parse("10.0.2.2");
	p.orig_dst.port = port;
	p.new_src.flags = CAPTURE_EP_ADDR;
	p.new_src.addr = tt_parse(new_src);
	p.new_dst = p.orig_dst;
	return p;
}

START_TEST(test_capture_find_rewrite)
{
	static const enum server_kind kinds[] = { SERVER_TCP_ECHO, SERVER_UDP_ECHO };
	static const uint8_t protos[] = { IPPROTO_TCP, IPPROTO_UDP };
	struct server_spec spec = { .kind = kinds[_i] };
	struct capture *in = NULL, *out = NULL;
	struct server *s = NULL;
	struct rewrite_pattern p;
	struct rewrite_match m;
	char a[256], b[256];

	nat(topo.r);
	ck_assert_int_eq(server_start(&s, lp, topo.b, &spec), 0);
	ck_assert_int_eq(capture_start(&in, lp, topo.r, "ar", NULL, NULL), 0);
	ck_assert_int_eq(capture_start(&out, lp, topo.r, "rb", NULL, NULL), 0);
	probe_ok(topo.a, _i ? PROBE_UDP : PROBE_TCP, "10.0.2.2", server_port(s));

	p = snat_pattern(protos[_i], server_port(s), "10.0.2.1");
	ck_assert_int_eq(capture_sync(in), 0);
	ck_assert_int_eq(capture_sync(out), 0);
	ck_assert_int_eq(capture_find_rewrite(in, 0, out, 0, &p, &m), 0);
	tt_note("%s | %s", capture_format(m.in, a, sizeof(a)), capture_format(m.out, b, sizeof(b)));
	ck_assert(tt_addr_is(&m.in->src, "10.0.1.2"));
	ck_assert(tt_addr_is(&m.out->src, "10.0.2.1"));
	ck_assert_uint_eq(m.in->dport, server_port(s));
	ck_assert_uint_eq(m.out->dport, server_port(s));
	if (protos[_i] == IPPROTO_TCP)
		ck_assert_uint_eq(m.in->tcp_seq, m.out->tcp_seq);
	ck_assert_uint_ge(m.in_candidates, 1);

	/* Rewritten to another address: not what happened. */
	p = snat_pattern(protos[_i], server_port(s), "10.0.2.9");
	ck_assert_int_eq(capture_find_rewrite(in, 0, out, 0, &p, &m), -ENOENT);
	ck_assert_ptr_null(m.in);
	ck_assert_uint_ge(m.in_candidates, 1);
	ck_assert_uint_eq(m.out_candidates, 0);
	/* Both sides in one capture: nothing entered and left it rewritten. */
	p = snat_pattern(protos[_i], server_port(s), "10.0.2.1");
	ck_assert_int_eq(capture_find_rewrite(in, 0, in, 0, &p, &m), -ENOENT);
	capture_free(in);
	capture_free(out);
	server_free(s);
}
END_TEST

/* n UDP datagrams of len bytes from A to B's discard port, sent without
 * running the loop: nothing reads the captures meanwhile. */
static void blast(unsigned int n, size_t len)
{
	struct addr dst = tt_parse("10.0.2.2");
	struct sockaddr_storage ss;
	socklen_t sl = traffic_sockaddr(&dst, 9, 0, &ss);
	char buf[1500] = { 0 };
	int fd = traffic_socket(topo.a, AF_INET, SOCK_DGRAM, 0);
	unsigned int sent = 0, tries = 0;

	ck_assert_int_ge(fd, 0);
	while (sent < n && tries++ < 100 * n) {
		if (sendto(fd, buf, len, 0, (struct sockaddr *)&ss, sl) == (ssize_t)len)
			sent++;
		else
			usleep(100);
	}
	close(fd);
	ck_assert_uint_eq(sent, n);
}

/* A ring too small for a burst drops packets: the statistics count them,
 * `sees no` over that window is inconclusive (fails, saying why), and so
 * is `exactly N`.  The same burst in a ring
 * large enough (and a kernel filter keeping out what no expectation looks
 * at) drops nothing and says so, with the count. */
START_TEST(test_capture_drops_inconclusive)
{
	struct capture_opts small = { .ring = CAPTURE_RING_MIN };
	struct capture_opts big = { .filter = "udp and dst port 9", .snaplen = CAPTURE_HEADERS };
	struct capture *cap = NULL, *ok = NULL;
	struct capture_stats st;
	struct verdict v;

	ck_assert_int_eq(capture_start(&cap, lp, topo.b, "br", NULL, &small), 0);
	ck_assert_int_eq(capture_start(&ok, lp, topo.b, "br", NULL, &big), 0);
	blast(2000, 1400);
	capture_sync(cap);
	capture_sync(ok);
	capture_stats(cap, &st);
	tt_note("small ring: seen %llu, taken %llu, dropped %llu", (unsigned long long)st.seen,
		(unsigned long long)st.kernel_taken, (unsigned long long)st.kernel_drops);
	ck_assert_uint_gt(st.kernel_drops, 0);
	ck_assert_uint_eq(st.ring, CAPTURE_RING_MIN);

	ck_assert_int_eq(expect_sees(lp, cap, NULL, "b:br", "udp port 7", true, 0, false, 0, &v), 0);
	tt_note("%s", v.evidence);
	ck_assert_msg(!v.held, "%s", v.evidence);
	ck_assert_msg(strstr(v.evidence, "inconclusive"), "%s", v.evidence);
	ck_assert_msg(strstr(v.evidence, " dropped"), "%s", v.evidence);
	ck_assert_int_eq(expect_sees(lp, cap, NULL, "b:br", "udp port 9", false, 1000000, true, 0, &v), 0);
	ck_assert_msg(!v.held && strstr(v.evidence, "inconclusive"), "%s", v.evidence);

	capture_stats(ok, &st);
	ck_assert_uint_eq(st.kernel_drops, 0);
	ck_assert_uint_eq(st.seen, 2000);
	ck_assert(st.filtered);
	ck_assert_int_eq(expect_sees(lp, ok, NULL, "b:br", "udp port 7", true, 0, false, 0, &v), 0);
	tt_note("%s", v.evidence);
	ck_assert_msg(v.held, "%s", v.evidence);
	ck_assert_msg(strstr(v.evidence, "2000 taken by the kernel, 0 dropped"), "%s", v.evidence);
	ck_assert_int_eq(expect_sees(lp, ok, NULL, "b:br", "udp port 9", false, 2000, true, 0, &v), 0);
	ck_assert_msg(v.held, "%s", v.evidence);
	capture_free(cap);
	capture_free(ok);
}
END_TEST

/* UDP from A to B's port 7, as fast as it goes, until told to stop. */
static atomic_bool flood_stop;

static void *flood_main(void *data)
{
	struct addr dst = tt_parse("10.0.2.2");
	struct sockaddr_storage ss;
	socklen_t sl = traffic_sockaddr(&dst, 7, 0, &ss);
	int fd = *(int *)data;
	char buf[64] = { 0 };

	while (!atomic_load(&flood_stop))
		if (sendto(fd, buf, sizeof(buf), 0, (struct sockaddr *)&ss, sl) < 0)
			usleep(50);
	return NULL;
}

/* A filtered capture started while its interface is busy: what came
 * between the socket's start and its kernel filter is counted by the
 * kernel but never handed over (libpcap filters it away in userland), so
 * it is not part of what the capture took.  Each of 10 captures started
 * under a flood of what the filter keeps out then syncs at once, drops
 * nothing, takes exactly the 100 datagrams that match, and proves that
 * none of the flood was seen (before: "some not readable in time",
 * inconclusive). */
START_TEST(test_capture_started_under_traffic)
{
	struct capture_opts o = { .filter = "udp and dst port 9", .snaplen = CAPTURE_HEADERS };
	struct capture *caps[10] = { 0 };
	struct capture_stats st;
	struct verdict v;
	pthread_t t;
	int fd = traffic_socket(topo.a, AF_INET, SOCK_DGRAM, 0);

	ck_assert_int_ge(fd, 0);
	atomic_store(&flood_stop, false);
	ck_assert_int_eq(pthread_create(&t, NULL, flood_main, &fd), 0);
	for (size_t i = 0; i < 10; i++)
		ck_assert_int_eq(capture_start(&caps[i], lp, topo.b, "br", NULL, &o), 0);
	atomic_store(&flood_stop, true);
	pthread_join(t, NULL);
	close(fd);
	blast(100, 100);
	for (size_t i = 0; i < 10; i++) {
		ck_assert_int_eq(capture_sync(caps[i]), 0);
		capture_stats(caps[i], &st);
		ck_assert_uint_eq(st.kernel_drops, 0);
		ck_assert_uint_eq(st.kernel_taken, 100);
		ck_assert_uint_eq(st.seen, 100);
		ck_assert_int_eq(expect_sees(lp, caps[i], NULL, "b:br", "udp port 7", true, 0, false, 0, &v), 0);
		ck_assert_msg(v.held, "%s", v.evidence);
		capture_free(caps[i]);
	}
}
END_TEST

extern Suite *capture_live_suite(void);

Suite *capture_live_suite(void)
{
	Suite *s = suite_create("capture_live");
	TCase *tc = tcase_create("capture");

	tcase_add_unchecked_fixture(tc, dir_setup, dir_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_capture_veth_and_pcap_file);
	tcase_add_test(tc, test_capture_bad_filter_and_device);
	tcase_add_test(tc, test_capture_limit);
	tcase_add_test(tc, test_capture_interface_down_or_gone);
	tcase_add_test(tc, test_capture_tun);
	tcase_add_test(tc, test_capture_any);
	tcase_add_loop_test(tc, test_capture_find_rewrite, 0, 2);
	tcase_add_test(tc, test_capture_drops_inconclusive);
	tcase_add_test(tc, test_capture_started_under_traffic);
	suite_add_tcase(s, tc);
	return s;
}
