// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * fw_apply() against the kernel: what nft lists is what the rules say,
 * NAT rewrites are seen by the far side, the port-forwarding guide's
 * firewall works only when all four of its rules are there, REJECT and
 * DROP are told apart by a TCP client, and refused transactions leave the
 * kernel and the model as they were.
 */
#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "netns/conntrack.h"
#include "netns/fw/fw.h"
#include "netns/nftext.h"
#include "netns/ns.h"
#include "tests/integration/fwtest.h"

extern Suite *fw_apply_suite(void);

#define NEG_WAIT_MS 700

/* nft -j output without what differs between two equal rulesets built at
 * different times: handles and counter values. */
static char *normalized_ruleset(struct netns *ns)
{
	char *s = fwt_run(ns, "nft -j list ruleset"), *r = s, *w = s;

	while (*r) {
		if (!strncmp(r, ", \"handle\": ", 12) || !strncmp(r, "\"handle\": ", 10)) {
			bool lead = *r == ',';

			r += lead ? 12 : 10;
			while (*r >= '0' && *r <= '9')
				r++;
			if (!lead && !strncmp(r, ", ", 2))
				r += 2;
			continue;
		}
		if (!strncmp(r, "\"counter\": {", 12)) {
			while (*r && *r != '}')
				r++;
			if (*r)
				r++;
			w += sprintf(w, "\"counter\"");
			continue;
		}
		*w++ = *r++;
	}
	*w = '\0';
	return s;
}

static const char guide_firewall[] =
	"-P INPUT DROP\n"
	"-P FORWARD DROP\n"
	"-P OUTPUT DROP\n"
	"-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n"
	"-A INPUT -i wg0 -j ACCEPT\n"
	"-A INPUT -i eth0 -p udp -m udp --dport 51913 -j ACCEPT\n"
	"-A FORWARD -i wg0 -o wg0 -j ACCEPT\n"
	"-A FORWARD -i eth0 -o wg0 -j ACCEPT\n"
	"-A FORWARD -i wg0 -o eth0 -j ACCEPT\n"
	"-A OUTPUT -m state --state ESTABLISHED -j ACCEPT\n"
	"-A OUTPUT -o wg0 -j ACCEPT\n"
	"-t nat -A PREROUTING -p tcp -m tcp --dport 8000 -j DNAT --to-destination 10.172.16.2:8000\n"
	"-t nat -A POSTROUTING -d 10.172.16.2/32 -o wg0 -p tcp -m tcp --dport 8000 -j SNAT --to-source 10.172.16.1\n";

static const char extra_rules[] =
	"-N LOGDROP\n"
	"-A LOGDROP -m comment --comment \"log then drop\" -j LOG --log-prefix \"drop: \" --log-level info\n"
	"-A LOGDROP -j DROP\n"
	"-A INPUT -s 10.0.0.0/8 ! -d 192.168.1.1 -p udp -m multiport --dports 53,67:68 -j LOGDROP\n"
	"-A INPUT -p tcp -j REJECT --reject-with tcp-reset\n"
	"-A INPUT -p icmp --icmp-type echo-request -m length --length 100:200 -j ACCEPT\n"
	"-A INPUT -m mark --mark 0x1/0xff -m conntrack --ctstate NEW,RELATED -j REJECT --reject-with icmp-admin-prohibited\n"
	"-t mangle -A PREROUTING -i eth+ -j MARK --set-xmark 0x10/0xf0\n"
	"-t mangle -A OUTPUT -j CONNMARK --save-mark\n"
	"-t nat -A POSTROUTING -o eth0 -p udp -j MASQUERADE --to-ports 1024-2000 --random-fully\n"
	"ip6tables -A INPUT -s fd00::/64 -p icmpv6 --icmpv6-type echo-request -j ACCEPT\n"
	"ip6tables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination [fd00::2]:8080\n";

/* The same rules written by hand in nft's language, compiled by nft. */
static const char witness_script[] =
	"table ip wglab-ipt-filter {\n"
	" chain INPUT { type filter hook input priority 0; policy drop;\n"
	"  meta l4proto tcp tcp dport 22 counter accept\n"
	"  iifname \"wg0\" counter accept\n"
	"  iifname \"eth0\" meta l4proto udp udp dport 51913 counter accept\n"
	"  ip saddr 10.0.0.0/8 ip daddr != 192.168.1.1 meta l4proto udp udp dport { 53, 67-68 } counter jump LOGDROP\n"
	"  meta l4proto tcp counter reject with tcp reset\n"
	"  meta l4proto icmp icmp type echo-request meta length 100-200 counter accept\n"
	"  ct state new,related meta mark & 0xff == 0x1 counter reject with icmp type admin-prohibited\n"
	" }\n"
	" chain FORWARD { type filter hook forward priority 0; policy drop;\n"
	"  iifname \"wg0\" oifname \"wg0\" counter accept\n"
	"  iifname \"eth0\" oifname \"wg0\" counter accept\n"
	"  iifname \"wg0\" oifname \"eth0\" counter accept\n"
	" }\n"
	" chain OUTPUT { type filter hook output priority 0; policy drop;\n"
	"  ct state established counter accept\n"
	"  oifname \"wg0\" counter accept\n"
	" }\n"
	" chain LOGDROP {\n"
	"  counter log prefix \"drop: \" level info comment \"log then drop\"\n"
	"  counter drop\n"
	" }\n"
	"}\n"
	"table ip wglab-ipt-nat {\n"
	" chain PREROUTING { type nat hook prerouting priority -100; policy accept;\n"
	"  meta l4proto tcp tcp dport 8000 counter dnat to 10.172.16.2:8000\n"
	" }\n"
	" chain POSTROUTING { type nat hook postrouting priority 100; policy accept;\n"
	"  oifname \"wg0\" ip daddr 10.172.16.2 meta l4proto tcp tcp dport 8000 counter snat to 10.172.16.1\n"
	"  oifname \"eth0\" meta l4proto udp counter masquerade to :1024-2000 fully-random\n"
	" }\n"
	"}\n"
	"table ip wglab-ipt-mangle {\n"
	" chain PREROUTING { type filter hook prerouting priority -150; policy accept;\n"
	"  iifname \"eth*\" counter meta mark set meta mark & 0xffffff0f ^ 0x10\n"
	" }\n"
	" chain OUTPUT { type route hook output priority -150; policy accept;\n"
	"  counter ct mark set meta mark\n"
	" }\n"
	"}\n"
	"table ip6 wglab-ipt-filter {\n"
	" chain INPUT { type filter hook input priority 0; policy accept;\n"
	"  ip6 saddr fd00::/64 meta l4proto ipv6-icmp icmpv6 type echo-request counter accept\n"
	" }\n"
	"}\n"
	"table ip6 wglab-ipt-nat {\n"
	" chain PREROUTING { type nat hook prerouting priority -100; policy accept;\n"
	"  meta l4proto tcp tcp dport 80 counter dnat to [fd00::2]:8080\n"
	" }\n"
	"}\n";

START_TEST(test_fw_apply_matches_nft)
{
	struct netns *a = fwt_ns(), *b = fwt_ns();
	struct fw_ruleset *rs = fw_ruleset_new();
	char err[512], *ours, *theirs;

	/* Two statements: the second adds to the tables of the first. */
	fwt_fw(a, rs, AF_INET, guide_firewall);
	fwt_fw(a, rs, AF_INET, extra_rules);
	ck_assert_msg(!nftext_apply(b, witness_script, err, sizeof(err)), "nft: %s", err);
	ours = normalized_ruleset(a);
	theirs = normalized_ruleset(b);
	ck_assert_str_eq(ours, theirs);
	free(ours);
	free(theirs);
	fw_ruleset_free(rs);
	netns_free(a);
	netns_free(b);
}
END_TEST

/* inside 10.0.0.2 -- 10.0.0.1 router 192.0.2.1 -- 192.0.2.2 far (no route
 * back to 10.0.0.0/24) */
struct nat_topo {
	struct netns *in, *rt, *far;
};

static void nat_topo(struct nat_topo *t)
{
	t->in = fwt_ns();
	t->rt = fwt_ns();
	t->far = fwt_ns();
	fwt_veth(t->in, "eth0", "10.0.0.2/24", t->rt, "eth0", "10.0.0.1/24");
	fwt_veth(t->rt, "eth1", "192.0.2.1/24", t->far, "eth0", "192.0.2.2/24");
	fwt_ip(t->in, "route add default via 10.0.0.1");
	fwt_sysctl(t->rt, "net.ipv4.ip_forward", "1");
}

static void nat_topo_free(struct nat_topo *t)
{
	netns_free(t->in);
	netns_free(t->rt);
	netns_free(t->far);
}

/* Sends from inside (port sport) to far:5000 and returns what far saw. */
static void udp_seen(struct nat_topo *t, uint16_t sport, char *from, size_t len)
{
	int s = fwt_udp(t->in, "10.0.0.2", sport), r = fwt_udp(t->far, "192.0.2.2", 5000);

	ck_assert_int_eq(fwt_udp_send(s, "192.0.2.2", 5000, "hello"), 0);
	ck_assert_int_eq(fwt_udp_recv(r, 2000, from, len, NULL, 0), 0);
	close(s);
	close(r);
}

START_TEST(test_fw_masquerade_and_snat_seen_by_far_side)
{
	struct fw_ruleset *rs = fw_ruleset_new();
	struct nat_topo t;
	char from[64], peer[64];
	int lfd;

	nat_topo(&t);
	udp_seen(&t, 4000, from, sizeof(from));
	ck_assert_str_eq(from, "10.0.0.2:4000");

	fwt_fw(t.rt, rs, AF_INET, "-t nat -A POSTROUTING -o eth1 -j MASQUERADE");
	/* A new flow: the 4000 one keeps its untranslated conntrack entry. */
	udp_seen(&t, 4001, from, sizeof(from));
	ck_assert_str_eq(from, "192.0.2.1:4001");
	/* TCP needs the replies to come back through the NAT. */
	lfd = fwt_tcp_listen(t.far, "192.0.2.2", 6000);
	ck_assert_int_eq(fwt_tcp_connect(t.in, "192.0.2.2", 6000, 2000, NULL), 0);
	ck_assert_int_eq(fwt_tcp_accept(lfd, 2000, peer, sizeof(peer)), 0);
	ck_assert_msg(!strncmp(peer, "192.0.2.1:", 10), "far side saw %s", peer);
	close(lfd);

	/* An SNAT inserted before the masquerade wins for its port. */
	fwt_fw(t.rt, rs, AF_INET,
	       "-t nat -I POSTROUTING 1 -o eth1 -p udp --sport 4002 -j SNAT --to-source 192.0.2.77:3000");
	udp_seen(&t, 4002, from, sizeof(from));
	ck_assert_str_eq(from, "192.0.2.77:3000");
	udp_seen(&t, 4003, from, sizeof(from));
	ck_assert_str_eq(from, "192.0.2.1:4003");
	fw_ruleset_free(rs);
	nat_topo_free(&t);
}
END_TEST

/*
 * The port-forwarding guide (seeds/001): client -- eth0 vpn-router wg0 --
 * home-host, with a veth named wg0 standing in for the tunnel.  home-host
 * has no default route, as a host reached only through the VPN.
 */
struct guide_topo {
	struct netns *client, *router, *host;
	int lfd;
};

static void guide_topo(struct guide_topo *t)
{
	t->client = fwt_ns();
	t->router = fwt_ns();
	t->host = fwt_ns();
	fwt_veth(t->client, "eth0", "93.184.216.10/24", t->router, "eth0", "93.184.216.34/24");
	fwt_veth(t->router, "wg0", "10.172.16.1/24", t->host, "wg0", "10.172.16.2/24");
	fwt_sysctl(t->router, "net.ipv4.ip_forward", "1");
	t->lfd = fwt_tcp_listen(t->host, "10.172.16.2", 8000);
}

/* A new connection to the public port: 0 and the source the HTTP server
 * saw, or -ETIMEDOUT. */
static int guide_connect(struct guide_topo *t, char *peer, size_t len)
{
	int ret = fwt_tcp_connect(t->client, "93.184.216.34", 8000, NEG_WAIT_MS, NULL);

	if (ret)
		return ret;
	return fwt_tcp_accept(t->lfd, 2000, peer, len);
}

/* DESIGN's "expect vpn-router rewrites tcp 93.184.216.10:* >
 * 93.184.216.34:8000 to 10.172.16.1:* > 10.172.16.2:8000", read from the
 * router's conntrack table. */
static void guide_rewrite_seen(struct guide_topo *t, const char *peer)
{
	struct ct_pattern p = { .proto = IPPROTO_TCP, .has_new = true };
	struct ct_entry *e = NULL;
	size_t n = 0, i, found = 0;

	ck_assert_int_eq(conntrack_endpoint_parse("93.184.216.10:*", &p.orig_src), 0);
	ck_assert_int_eq(conntrack_endpoint_parse("93.184.216.34:8000", &p.orig_dst), 0);
	/* The connection the server accepted; an earlier attempt whose
	 * answer FORWARD dropped has an entry too. */
	ck_assert_int_eq(conntrack_endpoint_parse(peer, &p.new_src), 0);
	ck_assert_int_eq(conntrack_endpoint_parse("10.172.16.2:8000", &p.new_dst), 0);
	ck_assert_int_eq(conntrack_list(t->router, &e, &n), 0);
	for (i = 0; i < n; i++)
		if (conntrack_match(&e[i], &p)) {
			ck_assert((e[i].flags & (CT_SNAT | CT_DNAT | CT_REPLIED)) ==
				  (CT_SNAT | CT_DNAT | CT_REPLIED));
			found++;
		}
	ck_assert_uint_eq(found, 1);
	free(e);
}

static void fw_line(struct netns *ns, struct fw_ruleset *rs, const char *line)
{
	fwt_fw(ns, rs, AF_INET, line);
}

START_TEST(test_fw_port_forward_guide)
{
	struct fw_ruleset *rs = fw_ruleset_new();
	struct guide_topo t;
	char peer[64];

	guide_topo(&t);
	/* The guide's initial configuration: nothing is forwarded. */
	fwt_fw(t.router, rs, AF_INET,
	       "-P INPUT DROP\n-P FORWARD DROP\n-P OUTPUT DROP\n"
	       "-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n"
	       "-A INPUT -i wg0 -j ACCEPT\n"
	       "-A INPUT -i eth0 -p udp -m udp --dport 51913 -j ACCEPT\n"
	       "-A FORWARD -i wg0 -o wg0 -j ACCEPT\n"
	       "-A OUTPUT -m state --state ESTABLISHED -j ACCEPT\n"
	       "-A OUTPUT -o wg0 -j ACCEPT\n");
	ck_assert_int_eq(guide_connect(&t, peer, sizeof(peer)), -ETIMEDOUT);
	/* Step 1: DNAT and FORWARD eth0 -> wg0; the host cannot answer a
	 * public address. */
	fw_line(t.router, rs, "-A FORWARD -i eth0 -o wg0 -j ACCEPT\n"
		"-t nat -A PREROUTING -p tcp -m tcp --dport 8000 -j DNAT --to-destination 10.172.16.2:8000");
	ck_assert_int_eq(guide_connect(&t, peer, sizeof(peer)), -ETIMEDOUT);
	/* Step 2: SNAT; the reply is now dropped in FORWARD. */
	fw_line(t.router, rs, "-t nat -A POSTROUTING -d 10.172.16.2/32 -o wg0 -p tcp -m tcp "
		"--dport 8000 -j SNAT --to-source 10.172.16.1");
	ck_assert_int_eq(guide_connect(&t, peer, sizeof(peer)), -ETIMEDOUT);
	/* Step 3: FORWARD wg0 -> eth0: the final configuration works, and
	 * the server sees the router's VPN address. */
	fw_line(t.router, rs, "-A FORWARD -i wg0 -o eth0 -j ACCEPT");
	ck_assert_int_eq(guide_connect(&t, peer, sizeof(peer)), 0);
	ck_assert_msg(!strncmp(peer, "10.172.16.1:", 12), "server saw %s", peer);
	guide_rewrite_seen(&t, peer);
	/* Each of the four rules is needed: take one away, then put it back. */
	fw_line(t.router, rs, "-t nat -D POSTROUTING -d 10.172.16.2/32 -o wg0 -p tcp -m tcp "
		"--dport 8000 -j SNAT --to-source 10.172.16.1");
	ck_assert_int_eq(guide_connect(&t, peer, sizeof(peer)), -ETIMEDOUT);
	fw_line(t.router, rs, "-t nat -A POSTROUTING -d 10.172.16.2/32 -o wg0 -p tcp -m tcp "
		"--dport 8000 -j SNAT --to-source 10.172.16.1");
	ck_assert_int_eq(guide_connect(&t, peer, sizeof(peer)), 0);
	fw_line(t.router, rs, "-D FORWARD -i eth0 -o wg0 -j ACCEPT");
	ck_assert_int_eq(guide_connect(&t, peer, sizeof(peer)), -ETIMEDOUT);
	fw_line(t.router, rs, "-I FORWARD 2 -i eth0 -o wg0 -j ACCEPT");
	ck_assert_int_eq(guide_connect(&t, peer, sizeof(peer)), 0);
	fw_line(t.router, rs, "-t nat -D PREROUTING 1");
	ck_assert_int_eq(guide_connect(&t, peer, sizeof(peer)), -ETIMEDOUT);
	fw_line(t.router, rs, "-t nat -A PREROUTING -p tcp -m tcp --dport 8000 -j DNAT "
		"--to-destination 10.172.16.2:8000");
	ck_assert_int_eq(guide_connect(&t, peer, sizeof(peer)), 0);
	fw_line(t.router, rs, "-D FORWARD -i wg0 -o eth0 -j ACCEPT");
	ck_assert_int_eq(guide_connect(&t, peer, sizeof(peer)), -ETIMEDOUT);
	close(t.lfd);
	fw_ruleset_free(rs);
	netns_free(t.client);
	netns_free(t.router);
	netns_free(t.host);
}
END_TEST

START_TEST(test_fw_reject_versus_drop)
{
	struct fw_ruleset *rs = fw_ruleset_new();
	struct netns *c = fwt_ns(), *s = fwt_ns();
	int l[4], i;

	fwt_veth(c, "eth0", "10.1.0.2/24", s, "eth0", "10.1.0.1/24");
	for (i = 0; i < 4; i++)
		l[i] = fwt_tcp_listen(s, "10.1.0.1", (uint16_t)(9000 + i));
	fwt_fw(s, rs, AF_INET,
	       "-A INPUT -p tcp --dport 9000 -j REJECT --reject-with tcp-reset\n"
	       "-A INPUT -p tcp --dport 9001 -j REJECT\n"
	       "-A INPUT -p tcp --dport 9002 -j REJECT --reject-with icmp-host-unreachable\n"
	       "-A INPUT -p tcp --dport 9003 -j DROP\n");
	ck_assert_int_eq(fwt_tcp_connect(c, "10.1.0.1", 9000, 2000, NULL), -ECONNREFUSED);
	ck_assert_int_eq(fwt_tcp_connect(c, "10.1.0.1", 9001, 2000, NULL), -ECONNREFUSED);
	ck_assert_int_eq(fwt_tcp_connect(c, "10.1.0.1", 9002, 2000, NULL), -EHOSTUNREACH);
	ck_assert_int_eq(fwt_tcp_connect(c, "10.1.0.1", 9003, NEG_WAIT_MS, NULL), -ETIMEDOUT);
	/* Control: without its rule the port answers. */
	fwt_fw(s, rs, AF_INET, "-D INPUT -p tcp --dport 9003 -j DROP");
	ck_assert_int_eq(fwt_tcp_connect(c, "10.1.0.1", 9003, 2000, NULL), 0);
	for (i = 0; i < 4; i++)
		close(l[i]);
	fw_ruleset_free(rs);
	netns_free(c);
	netns_free(s);
}
END_TEST

START_TEST(test_fw_apply_refused_rolls_back)
{
	struct fw_ruleset *rs = fw_ruleset_new();
	struct netns *ns = fwt_ns();
	struct fw_error err;
	char *list;

	fwt_fw(ns, rs, AF_INET, "-t nat -A POSTROUTING -o lo -j MASQUERADE");
	/* DNAT reached from POSTROUTING: the kernel refuses line 3. */
	ck_assert_int_eq(fw_parse_line(rs, AF_INET, "-t nat -N X", 1, &err), 0);
	ck_assert_int_eq(fw_parse_line(rs, AF_INET, "-t nat -A X -j DNAT --to-destination 1.2.3.4",
				       2, &err), 0);
	ck_assert_int_eq(fw_parse_line(rs, AF_INET, "-t nat -A POSTROUTING -j X", 3, &err), 0);
	ck_assert_int_eq(fw_parse_line(rs, AF_INET, "-A INPUT -j ACCEPT", 4, &err), 0);
	ck_assert_int_lt(fw_apply(ns, rs, &err), 0);
	ck_assert_uint_eq(err.line, 3);
	ck_assert_uint_eq(err.column, 8);
	ck_assert_msg(strstr(err.msg, "kernel refused the rule: "), "%s", err.msg);
	ck_assert_uint_eq(fw_pending(rs), 0);
	/* Nothing of it reached the kernel... */
	list = fwt_run(ns, "nft list ruleset");
	ck_assert_ptr_null(strstr(list, "chain X"));
	ck_assert_ptr_null(strstr(list, "wglab-ipt-filter"));
	ck_assert_ptr_nonnull(strstr(list, "masquerade"));
	free(list);
	/* ...nor stayed in the model. */
	ck_assert_int_lt(fw_parse_line(rs, AF_INET, "-t nat -A PREROUTING -j X", 5, &err), 0);
	ck_assert_str_eq(err.msg, "unknown target 'X'");
	fwt_fw(ns, rs, AF_INET, "-t nat -N X\n-t nat -A X -j DNAT --to-destination 1.2.3.4\n"
	       "-t nat -A PREROUTING -j X");
	list = fwt_run(ns, "nft list chain ip wglab-ipt-nat X");
	ck_assert_ptr_nonnull(strstr(list, "dnat to 1.2.3.4"));
	free(list);
	fw_ruleset_free(rs);
	netns_free(ns);
}
END_TEST

/* Positions and deletions across transactions use the kernel's handles;
 * chains are not recreated. */
START_TEST(test_fw_apply_incremental)
{
	struct fw_ruleset *rs = fw_ruleset_new();
	struct netns *ns = fwt_ns();
	char *list, *p1, *p2, *p3;

	fwt_fw(ns, rs, AF_INET, "-A INPUT -s 1.1.1.1 -j ACCEPT\n-A INPUT -s 2.2.2.2 -j ACCEPT\n"
	       "-A INPUT -p udp -m multiport --ports 53,5353 -j ACCEPT");
	fwt_fw(ns, rs, AF_INET, "-I INPUT 2 -s 3.3.3.3 -j ACCEPT\n-D INPUT -s 1.1.1.1 -j ACCEPT\n"
	       "-I INPUT 4 -s 4.4.4.4 -j ACCEPT");
	fwt_fw(ns, rs, AF_INET, "-P INPUT DROP\n-D INPUT -p udp -m multiport --ports 53,5353 -j ACCEPT");
	list = fwt_run(ns, "nft list chain ip wglab-ipt-filter INPUT");
	ck_assert_ptr_nonnull(strstr(list, "policy drop"));
	ck_assert_ptr_null(strstr(list, "1.1.1.1"));
	ck_assert_ptr_null(strstr(list, "5353"));
	p1 = strstr(list, "3.3.3.3");
	p2 = strstr(list, "2.2.2.2");
	p3 = strstr(list, "4.4.4.4");
	ck_assert(p1 && p2 && p3 && p1 < p2 && p2 < p3);
	free(list);
	fw_ruleset_free(rs);
	netns_free(ns);
}
END_TEST

START_TEST(test_fw_apply_large_batch)
{
	struct fw_ruleset *rs = fw_ruleset_new();
	struct netns *ns = fwt_ns();
	struct fw_error err;
	char line[128], *list, *p;
	int i, n = 0;

	for (i = 0; i < 600; i++) {
		snprintf(line, sizeof(line), "-A FORWARD -s 10.%d.%d.0/24 -p tcp -m multiport "
			 "--dports 80,443,8000:8100 -m comment --comment \"rule %d\" -j ACCEPT",
			 i / 256, i % 256, i);
		ck_assert_int_eq(fw_parse_line(rs, AF_INET, line, (unsigned int)i + 1, &err), 0);
	}
	ck_assert_msg(!fw_apply(ns, rs, &err), "line %u: %s", err.line, err.msg);
	ck_assert_int_eq(fw_parse_line(rs, AF_INET, "-D FORWARD 300", 1, &err), 0);
	ck_assert_msg(!fw_apply(ns, rs, &err), "line %u: %s", err.line, err.msg);
	list = fwt_run(ns, "nft list chain ip wglab-ipt-filter FORWARD");
	for (p = list; (p = strstr(p, "comment \"rule ")); p++)
		n++;
	ck_assert_int_eq(n, 599);
	ck_assert_ptr_null(strstr(list, "\"rule 299\""));
	ck_assert_ptr_nonnull(strstr(list, "\"rule 300\""));
	free(list);
	fw_ruleset_free(rs);
	netns_free(ns);
}
END_TEST

Suite *fw_apply_suite(void)
{
	Suite *s = suite_create("fw_apply");
	TCase *tc = tcase_create("fw_apply");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_fw_apply_matches_nft);
	tcase_add_test(tc, test_fw_masquerade_and_snat_seen_by_far_side);
	tcase_add_test(tc, test_fw_port_forward_guide);
	tcase_add_test(tc, test_fw_reject_versus_drop);
	tcase_add_test(tc, test_fw_apply_refused_rolls_back);
	tcase_add_test(tc, test_fw_apply_incremental);
	tcase_add_test(tc, test_fw_apply_large_batch);
	suite_add_tcase(s, tc);
	return s;
}
