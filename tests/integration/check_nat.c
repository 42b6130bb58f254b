// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * NAT devices against the kernel, measured by natcheck, and conntrack
 * reads.  Topology (research/nat-holepunch.md, one side):
 *
 *   host 192.168.1.2 --lan-- 192.168.1.1 nat 198.51.100.1 --wan-- 198.51.100.254 inet
 *                                                          (reflectors on inet's lo)
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "assertions/natcheck.h"
#include "netns/conntrack.h"
#include "netns/fw/fw.h"
#include "netns/fw/nat.h"
#include "netns/nftext.h"
#include "netns/ns.h"
#include "netns/sysctl.h"
#include "tests/integration/fwtest.h"

extern Suite *nat_live_suite(void);

struct topo {
	struct netns *host, *nat, *inet;
};

static void topo(struct topo *t)
{
	t->host = fwt_ns();
	t->nat = fwt_ns();
	t->inet = fwt_ns();
	fwt_veth(t->host, "eth0", "192.168.1.2/24", t->nat, "lan", "192.168.1.1/24");
	fwt_veth(t->nat, "wan", "198.51.100.1/24", t->inet, "toA", "198.51.100.254/24");
	fwt_ip(t->host, "route add default via 192.168.1.1");
	fwt_ip(t->nat, "route add default via 198.51.100.254");
	fwt_sysctl(t->nat, "net.ipv4.ip_forward", "1");
}

static void topo_free(struct topo *t)
{
	netns_free(t->host);
	netns_free(t->nat);
	netns_free(t->inet);
}

static void nat_declare(struct topo *t, const char *const *argv, int argc, struct nat_spec *spec)
{
	struct fw_error err;

	ck_assert_msg(!nat_parse(argv, argc, spec, &err), "nat_parse: %s", err.msg);
	ck_assert_msg(!nat_apply(t->nat, "wan", spec, NULL, &err), "nat_apply: %s", err.msg);
}

static void natcheck(struct topo *t, struct natcheck_result *r)
{
	struct natcheck_config cfg = {
		.inside = t->host, .nat = t->nat, .outside = t->inet,
	};
	char buf[512];
	int ret;

	ck_assert_int_eq(addr_parse("192.168.1.2", 0, &cfg.inside_addr), 0);
	ck_assert_int_eq(addr_parse("198.18.0.1", 0, &cfg.reflector[0]), 0);
	ck_assert_int_eq(addr_parse("198.18.0.2", 0, &cfg.reflector[1]), 0);
	ret = natcheck_run(&cfg, r);
	ck_assert_msg(!ret, "natcheck: %s", strerror(-ret));
	fprintf(stderr, "natcheck: %s\n", natcheck_format(r, buf, sizeof(buf)));
}

/* The probe leaves nothing: no reflector address, no conntrack entry
 * naming one. */
static void assert_probe_gone(struct topo *t)
{
	struct ct_entry *e = NULL;
	struct ct_pattern p = { 0 };
	size_t n = 0, i;
	char *addrs;

	addrs = fwt_run(t->inet, "ip -o addr show dev lo");
	ck_assert_ptr_null(strstr(addrs, "198.18."));
	free(addrs);
	ck_assert_int_eq(conntrack_list(t->nat, &e, &n), 0);
	ck_assert_int_eq(conntrack_endpoint_parse("198.18.0.0/15", &p.orig_dst), 0);
	for (i = 0; i < n; i++)
		ck_assert(!conntrack_match(&e[i], &p));
	p.orig_src = p.orig_dst;
	memset(&p.orig_dst, 0, sizeof(p.orig_dst));
	for (i = 0; i < n; i++)
		ck_assert(!conntrack_match(&e[i], &p));
	free(e);
}

static const struct {
	const char *preset;
	enum nat_mapping mapping;
	enum nat_filtering filtering;
	bool preserved;
} measured[] = {
	{ "home", NAT_MAP_EIM, NAT_FILTER_APDF, true },
	{ "port-restricted", NAT_MAP_EIM, NAT_FILTER_APDF, true },
	{ "masquerade", NAT_MAP_EIM, NAT_FILTER_APDF, true },
	{ "full-cone", NAT_MAP_EIM, NAT_FILTER_EIF, true },
	{ "restricted-cone", NAT_MAP_EIM, NAT_FILTER_ADF, true },
	{ "symmetric", NAT_MAP_APDM, NAT_FILTER_APDF, false },
	{ "cgnat", NAT_MAP_APDM, NAT_FILTER_APDF, false },
	{ "carrier-random", NAT_MAP_APDM, NAT_FILTER_APDF, false },
	{ "carrier-rfc6888", NAT_MAP_EIM, NAT_FILTER_EIF, true },
};

START_TEST(test_natcheck_classifies_presets)
{
	const char *argv[] = { "wan", "preset", measured[_i].preset };
	struct natcheck_result r;
	struct nat_spec spec;
	struct topo t;
	char why[256];

	topo(&t);
	nat_declare(&t, argv, 3, &spec);
	natcheck(&t, &r);
	ck_assert_int_eq(r.mapping, measured[_i].mapping);
	ck_assert_int_eq(r.filtering, measured[_i].filtering);
	ck_assert_int_eq(r.port_preserved, measured[_i].preserved);
	ck_assert(r.t1);
	ck_assert_msg(natcheck_agrees(&r, &spec, why, sizeof(why)), "%s", why);
	assert_probe_gone(&t);
	topo_free(&t);
}
END_TEST

/* Declared endpoint-independent, built port-randomising: caught. */
START_TEST(test_natcheck_catches_randomising_eim)
{
	struct fw_ruleset *rs = fw_ruleset_new();
	struct natcheck_result r;
	struct nat_spec declared;
	struct topo t;
	char why[256];

	topo(&t);
	ck_assert_int_eq(nat_preset("home", &declared), 0);
	fwt_fw(t.nat, rs, AF_INET, "-t nat -A POSTROUTING -o wan -j MASQUERADE --random-fully");
	natcheck(&t, &r);
	ck_assert_int_eq(r.mapping, NAT_MAP_APDM);
	ck_assert(!r.port_preserved);
	ck_assert(!natcheck_agrees(&r, &declared, why, sizeof(why)));
	ck_assert_str_eq(why, "mapping: declared EIM, measured APDM; ports: declared preserved, "
			 "measured changed");
	fw_ruleset_free(rs);
	topo_free(&t);
}
END_TEST

/* One datagram host:sport -> inet:5000, answered, so the entry is replied. */
static void udp_flow(struct topo *t, uint16_t sport)
{
	int h = fwt_udp(t->host, "192.168.1.2", sport), s = fwt_udp(t->inet, "198.51.100.254", 5000);
	char from[64];

	ck_assert_int_eq(fwt_udp_send(h, "198.51.100.254", 5000, "ping"), 0);
	ck_assert_int_eq(fwt_udp_recv(s, 2000, from, sizeof(from), NULL, 0), 0);
	ck_assert_int_eq(fwt_udp_send(s, "198.51.100.1", (uint16_t)atoi(strchr(from, ':') + 1),
				      "pong"), 0);
	ck_assert_int_eq(fwt_udp_recv(h, 2000, NULL, 0, NULL, 0), 0);
	close(h);
	close(s);
}

static size_t count_matching(struct netns *ns, const struct ct_pattern *p, struct ct_entry *ret)
{
	struct ct_entry *e = NULL;
	size_t n = 0, i, found = 0;

	ck_assert_int_eq(conntrack_list(ns, &e, &n), 0);
	for (i = 0; i < n; i++) {
		if (!conntrack_match(&e[i], p))
			continue;
		if (!found++ && ret)
			*ret = e[i];
	}
	free(e);
	return found;
}

START_TEST(test_conntrack_lists_the_rewrite)
{
	const char *argv[] = { "wan" };
	struct ct_pattern p = { .proto = IPPROTO_UDP, .has_new = true };
	struct nat_spec spec;
	struct ct_entry e;
	struct topo t;
	char line[256];

	topo(&t);
	nat_declare(&t, argv, 1, &spec);
	udp_flow(&t, 40000);
	ck_assert_int_eq(conntrack_endpoint_parse("192.168.1.2:40000", &p.orig_src), 0);
	ck_assert_int_eq(conntrack_endpoint_parse("198.51.100.254:5000", &p.orig_dst), 0);
	ck_assert_int_eq(conntrack_endpoint_parse("198.51.100.1:40000", &p.new_src), 0);
	ck_assert_int_eq(conntrack_endpoint_parse("198.51.100.254:5000", &p.new_dst), 0);
	ck_assert_uint_eq(count_matching(t.nat, &p, &e), 1);
	ck_assert(e.flags & CT_SNAT);
	ck_assert(e.flags & CT_REPLIED);
	conntrack_format(&e, line, sizeof(line));
	ck_assert_msg(strstr(line, "udp      17 ") == line, "%s", line);
	ck_assert_msg(strstr(line, " src=192.168.1.2 dst=198.51.100.254 sport=40000 dport=5000 "
			     "src=198.51.100.254 dst=198.51.100.1 sport=5000 dport=40000 "), "%s", line);
	/* Not the rewrite of another address. */
	ck_assert_int_eq(conntrack_endpoint_parse("198.51.100.9:*", &p.new_src), 0);
	ck_assert_uint_eq(count_matching(t.nat, &p, NULL), 0);
	/* Delete that entry, then flush the rest. */
	ck_assert_int_eq(conntrack_delete(t.nat, &e), 0);
	ck_assert_int_eq(conntrack_delete(t.nat, &e), -ENOENT);
	udp_flow(&t, 40001);
	memset(&p, 0, sizeof(p));
	ck_assert_uint_ge(count_matching(t.nat, &p, NULL), 1);
	ck_assert_int_eq(conntrack_flush(t.nat), 0);
	ck_assert_uint_eq(count_matching(t.nat, &p, NULL), 0);
	topo_free(&t);
}
END_TEST

/* Polls the NAT's chain listing until it shows `what` (a counter value),
 * letting peer's socket take whatever arrives meanwhile. */
static bool wait_listing(struct netns *ns, const char *chain, const char *what, int peer)
{
	char *list = NULL;
	bool found = false;
	int tries;

	for (tries = 0; tries < 100 && !found; tries++) {
		free(list);
		list = fwt_run(ns, "nft list chain ip wglab-nat-wan %s", chain);
		found = strstr(list, what) != NULL;
		if (!found)
			fwt_udp_recv(peer, 10, NULL, 0, NULL, 0);
	}
	free(list);
	return found;
}

/*
 * The research's poisoning (section 2): an unsolicited datagram to the
 * NAT's port 51820 leaves a stale entry under bare masquerade, and the
 * inside host's own flow from 51820 is then moved to another port.  A home
 * router drops it before conntrack confirms it, and the port is kept.
 */
static uint16_t poisoned_port(const char *preset)
{
	const char *argv[] = { "wan", "preset", preset };
	struct ct_pattern stale = { .proto = IPPROTO_UDP };
	struct nat_spec spec;
	struct topo t;
	char from[64];
	int peer, h, s;
	uint16_t port;

	topo(&t);
	nat_declare(&t, argv, 3, &spec);
	peer = fwt_udp(t.inet, "198.51.100.254", 51820);
	ck_assert_int_eq(fwt_udp_send(peer, "198.51.100.1", 51820, "initiation"), 0);
	ck_assert_int_eq(conntrack_endpoint_parse("198.51.100.254:51820", &stale.orig_src), 0);
	ck_assert_int_eq(conntrack_endpoint_parse("198.51.100.1:51820", &stale.orig_dst), 0);
	/* The datagram has been handled once the NAT's counters or table
	 * show it: poll for the entry under masquerade, for the counter
	 * under home. */
	if (!spec.drop_unsolicited) {
		int tries;

		for (tries = 0; tries < 100 && !count_matching(t.nat, &stale, NULL); tries++)
			fwt_udp_recv(peer, 10, NULL, 0, NULL, 0);
		ck_assert_uint_eq(count_matching(t.nat, &stale, NULL), 1);
	} else {
		ck_assert(wait_listing(t.nat, "input", "counter packets 1 ", peer));
		ck_assert_uint_eq(count_matching(t.nat, &stale, NULL), 0);
	}
	h = fwt_udp(t.host, "192.168.1.2", 51820);
	s = fwt_udp(t.inet, "198.51.100.254", 51821);
	ck_assert_int_eq(fwt_udp_send(h, "198.51.100.254", 51820, "initiation"), 0);
	ck_assert_int_eq(fwt_udp_recv(peer, 2000, from, sizeof(from), NULL, 0), 0);
	ck_assert_msg(!strncmp(from, "198.51.100.1:", 13), "%s", from);
	port = (uint16_t)atoi(from + 13);
	close(peer);
	close(h);
	close(s);
	topo_free(&t);
	return port;
}

START_TEST(test_nat_home_drop_prevents_poisoning)
{
	ck_assert_uint_ne(poisoned_port("masquerade"), 51820);
	ck_assert_uint_eq(poisoned_port("home"), 51820);
}
END_TEST

/* The home router's drop spares what is solicited after all: a UDP
 * service on the router (WireGuard on the NAT box) and a port forward. */
START_TEST(test_nat_home_keeps_listeners_and_forwards)
{
	const char *argv[] = { "wan" };
	struct fw_ruleset *rs = fw_ruleset_new();
	struct nat_spec spec;
	struct topo t;
	char from[64];
	int svc, fwd, peer;

	topo(&t);
	nat_declare(&t, argv, 1, &spec);
	fwt_fw(t.nat, rs, AF_INET, "-t nat -A PREROUTING -i wan -p udp --dport 51821 "
	       "-j DNAT --to-destination 192.168.1.2:51821");
	svc = fwt_udp(t.nat, "198.51.100.1", 51820);
	fwd = fwt_udp(t.host, "192.168.1.2", 51821);
	peer = fwt_udp(t.inet, "198.51.100.254", 40000);
	ck_assert_int_eq(fwt_udp_send(peer, "198.51.100.1", 51820, "to the router"), 0);
	ck_assert_int_eq(fwt_udp_recv(svc, 2000, from, sizeof(from), NULL, 0), 0);
	ck_assert_int_eq(fwt_udp_send(peer, "198.51.100.1", 51821, "forwarded"), 0);
	ck_assert_int_eq(fwt_udp_recv(fwd, 2000, from, sizeof(from), NULL, 0), 0);
	ck_assert_str_eq(from, "198.51.100.254:40000");
	/* Neither was counted as dropped; anything else unsolicited is. */
	ck_assert(wait_listing(t.nat, "input", "counter packets 0 ", peer));
	ck_assert(wait_listing(t.nat, "forward", "counter packets 0 ", peer));
	ck_assert_int_eq(fwt_udp_send(peer, "198.51.100.1", 51822, "unsolicited"), 0);
	ck_assert(wait_listing(t.nat, "input", "counter packets 1 ", peer));
	close(svc);
	close(fwd);
	close(peer);
	fw_ruleset_free(rs);
	topo_free(&t);
}
END_TEST

START_TEST(test_nat_udp_timeout_per_namespace)
{
	const char *argv[] = { "wan", "udp-timeout", "2s" };
	struct ct_pattern p = { .proto = IPPROTO_UDP };
	struct nat_spec spec;
	struct ct_entry e;
	struct topo t;
	char v[32];

	topo(&t);
	nat_declare(&t, argv, 3, &spec);
	ck_assert_int_eq(netns_sysctl_get(t.nat, "net.netfilter.nf_conntrack_udp_timeout", v,
					  sizeof(v)), 0);
	ck_assert_str_eq(v, "2");
	ck_assert_int_eq(netns_sysctl_get(t.nat, "net.netfilter.nf_conntrack_udp_timeout_stream", v,
					  sizeof(v)), 0);
	ck_assert_str_eq(v, "2");
	ck_assert_int_eq(netns_sysctl_get(t.inet, "net.netfilter.nf_conntrack_udp_timeout", v,
					  sizeof(v)), 0);
	ck_assert_str_eq(v, "30");
	udp_flow(&t, 40000);
	ck_assert_uint_eq(count_matching(t.nat, &p, &e), 1);
	ck_assert_uint_le(e.timeout, 2);
	topo_free(&t);
}
END_TEST

static void timeouts_are(struct netns *ns, const char *udp, const char *stream)
{
	char v[32];

	ck_assert_int_eq(netns_sysctl_get(ns, "net.netfilter.nf_conntrack_udp_timeout", v, sizeof(v)), 0);
	ck_assert_str_eq(v, udp);
	ck_assert_int_eq(netns_sysctl_get(ns, "net.netfilter.nf_conntrack_udp_timeout_stream", v,
					  sizeof(v)), 0);
	ck_assert_str_eq(v, stream);
}

/* The device declared again without udp-timeout puts back the timeouts
 * the namespace had, and leaves a value written since as it is. */
START_TEST(test_nat_apply_restores_timeouts)
{
	const char *a[] = { "wan", "preset", "home", "udp-timeout", "2s" };
	const char *b[] = { "wan", "preset", "home" };
	struct nat_timeouts keep = { 0 };
	struct nat_spec spec;
	struct fw_error err;
	struct topo t;

	topo(&t);
	fwt_sysctl(t.nat, "net.netfilter.nf_conntrack_udp_timeout", "40");
	ck_assert_int_eq(nat_parse(a, 5, &spec, &err), 0);
	ck_assert_int_eq(nat_apply(t.nat, "wan", &spec, &keep, &err), 0);
	timeouts_are(t.nat, "2", "2");
	ck_assert_int_eq(nat_apply(t.nat, "wan", &spec, &keep, &err), 0);
	ck_assert_int_eq(nat_parse(b, 3, &spec, &err), 0);
	ck_assert_int_eq(nat_apply(t.nat, "wan", &spec, &keep, &err), 0);
	timeouts_are(t.nat, "40", "120");
	ck_assert_int_eq(nat_apply(t.nat, "wan", &spec, &keep, &err), 0);
	timeouts_are(t.nat, "40", "120");

	/* A sysctl written after the device's has the last word. */
	ck_assert_int_eq(nat_parse(a, 5, &spec, &err), 0);
	ck_assert_int_eq(nat_apply(t.nat, "wan", &spec, &keep, &err), 0);
	fwt_sysctl(t.nat, "net.netfilter.nf_conntrack_udp_timeout", "9");
	ck_assert_int_eq(nat_parse(b, 3, &spec, &err), 0);
	ck_assert_int_eq(nat_apply(t.nat, "wan", &spec, &keep, &err), 0);
	timeouts_are(t.nat, "9", "2");
	topo_free(&t);
}
END_TEST

/*
 * The outside neighbour is itself a NAT on the wire towards the measured
 * one (two home routers on one internet lan): its own masquerade must not
 * rewrite the reflectors' datagrams, or a restricted cone measures APDF.
 */
START_TEST(test_natcheck_outside_nats)
{
	const char *a[] = { "wan", "preset", "restricted-cone" };
	const char *n[] = { "toA", "preset", "symmetric" };
	struct natcheck_result r;
	struct nat_spec spec;
	struct fw_error err;
	struct topo t;
	char *list;

	topo(&t);
	nat_declare(&t, a, 3, &spec);
	ck_assert_int_eq(nat_parse(n, 3, &spec, &err), 0);
	ck_assert_msg(!nat_apply(t.inet, "toA", &spec, NULL, &err), "nat_apply: %s", err.msg);
	natcheck(&t, &r);
	ck_assert_int_eq(r.mapping, NAT_MAP_EIM);
	ck_assert_int_eq(r.filtering, NAT_FILTER_ADF);
	ck_assert(!r.src_rewritten);
	list = fwt_run(t.inet, "nft list ruleset");
	ck_assert_ptr_null(strstr(list, "wglab-natcheck"));
	free(list);
	topo_free(&t);
}
END_TEST

/* A NAT that rewrites the source of inbound datagrams (the hairpin SNAT
 * once took outside flows too) agrees with no declaration. */
START_TEST(test_natcheck_sees_rewritten_source)
{
	const char *a[] = { "wan", "preset", "full-cone" };
	struct natcheck_result r;
	struct nat_spec spec;
	char why[256];
	struct topo t;

	topo(&t);
	nat_declare(&t, a, 3, &spec);
	ck_assert_int_eq(nftext_apply(t.nat, "table ip bad {\n\tchain post {\n"
				      "\t\ttype nat hook postrouting priority srcnat; policy accept;\n"
				      "\t\toifname \"lan\" ct status dnat snat ip to 198.51.100.1\n\t}\n}\n",
				      why, sizeof(why)), 0);
	natcheck(&t, &r);
	ck_assert(r.src_rewritten);
	ck_assert(!natcheck_agrees(&r, &spec, why, sizeof(why)));
	ck_assert_msg(strstr(why, "inbound source rewritten to 198.51.100.1:"), "%s", why);
	topo_free(&t);
}
END_TEST

/* A second nat statement on the same interface replaces the first. */
START_TEST(test_nat_apply_replaces)
{
	const char *a[] = { "wan", "preset", "full-cone" }, *b[] = { "wan", "preset", "symmetric" };
	struct natcheck_result r;
	struct nat_spec spec;
	struct topo t;
	char *list;

	topo(&t);
	nat_declare(&t, a, 3, &spec);
	nat_declare(&t, b, 3, &spec);
	list = fwt_run(t.nat, "nft list ruleset");
	ck_assert_ptr_null(strstr(list, "udpmap"));
	ck_assert_ptr_nonnull(strstr(list, "masquerade fully-random"));
	free(list);
	natcheck(&t, &r);
	ck_assert_int_eq(r.mapping, NAT_MAP_APDM);
	ck_assert_int_eq(nat_remove(t.nat, "wan", NULL), 0);
	list = fwt_run(t.nat, "nft list ruleset");
	ck_assert_ptr_null(strstr(list, "wglab-nat-wan"));
	free(list);
	topo_free(&t);
}
END_TEST

/*
 * Hairpin: a second host on the LAN (a bridge, with bridge netfilter off
 * as the runner sets it) reaches the first through the public address and
 * its mapped port, and is seen coming from the public address.
 */
START_TEST(test_nat_hairpin)
{
	const char *argv[] = { "wan", "hairpin", "on", "inside", "lan" };
	struct nat_spec spec;
	struct netns *h2;
	struct topo t;
	char from[64];
	int h, g, peer;

	t.host = fwt_ns();
	t.nat = fwt_ns();
	t.inet = fwt_ns();
	h2 = fwt_ns();
	fwt_sysctl(t.nat, "net.bridge.bridge-nf-call-iptables", "0");
	fwt_ip(t.nat, "link add lan type bridge");
	fwt_ip(t.nat, "addr add 192.168.1.1/24 dev lan");
	fwt_ip(t.nat, "link set lan up");
	fwt_veth(t.host, "eth0", "192.168.1.2/24", t.nat, "p1", NULL);
	fwt_veth(h2, "eth0", "192.168.1.3/24", t.nat, "p2", NULL);
	fwt_ip(t.nat, "link set p1 master lan");
	fwt_ip(t.nat, "link set p2 master lan");
	fwt_veth(t.nat, "wan", "198.51.100.1/24", t.inet, "toA", "198.51.100.254/24");
	fwt_ip(t.host, "route add default via 192.168.1.1");
	fwt_ip(h2, "route add default via 192.168.1.1");
	fwt_ip(t.nat, "route add default via 198.51.100.254");
	fwt_sysctl(t.nat, "net.ipv4.ip_forward", "1");
	nat_declare(&t, argv, 5, &spec);
	/* The first host opens its mapping 198.51.100.1:41000. */
	h = fwt_udp(t.host, "192.168.1.2", 41000);
	peer = fwt_udp(t.inet, "198.51.100.254", 5000);
	ck_assert_int_eq(fwt_udp_send(h, "198.51.100.254", 5000, "out"), 0);
	ck_assert_int_eq(fwt_udp_recv(peer, 2000, from, sizeof(from), NULL, 0), 0);
	ck_assert_str_eq(from, "198.51.100.1:41000");
	/* The second host sends to that public endpoint. */
	g = fwt_udp(h2, "192.168.1.3", 42000);
	ck_assert_int_eq(fwt_udp_send(g, "198.51.100.1", 41000, "hairpin"), 0);
	ck_assert_int_eq(fwt_udp_recv(h, 2000, from, sizeof(from), NULL, 0), 0);
	ck_assert_msg(!strncmp(from, "198.51.100.1:", 13), "hairpinned from %s", from);
	/* And the answer goes back the same way. */
	ck_assert_int_eq(fwt_udp_send(h, "198.51.100.1", (uint16_t)atoi(from + 13), "back"), 0);
	ck_assert_int_eq(fwt_udp_recv(g, 2000, from, sizeof(from), NULL, 0), 0);
	ck_assert_str_eq(from, "198.51.100.1:41000");
	close(h);
	close(g);
	close(peer);
	netns_free(h2);
	topo_free(&t);
}
END_TEST

Suite *nat_live_suite(void)
{
	Suite *s = suite_create("nat_live");
	TCase *tc = tcase_create("natcheck");

	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_natcheck_classifies_presets, 0,
			    sizeof(measured) / sizeof(measured[0]));
	tcase_add_test(tc, test_natcheck_catches_randomising_eim);
	suite_add_tcase(s, tc);
	tc = tcase_create("nat_apply");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_conntrack_lists_the_rewrite);
	tcase_add_test(tc, test_nat_home_drop_prevents_poisoning);
	tcase_add_test(tc, test_nat_home_keeps_listeners_and_forwards);
	tcase_add_test(tc, test_nat_udp_timeout_per_namespace);
	tcase_add_test(tc, test_nat_apply_replaces);
	tcase_add_test(tc, test_nat_apply_restores_timeouts);
	tcase_add_test(tc, test_natcheck_outside_nats);
	tcase_add_test(tc, test_natcheck_sees_rewritten_source);
	tcase_add_test(tc, test_nat_hairpin);
	suite_add_tcase(s, tc);
	return s;
}
