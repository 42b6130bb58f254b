// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * lab/lang/resolve: a node's name and NODE:IF as addresses, through the
 * index of lab_names_new(): the neighbour's address facing us, IPv4 first,
 * `address` statements on underlay interfaces only, a NODE:IF's addresses
 * of every kind in file order, and the errors naming the candidates.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lab/lang/diag.h"
#include "lab/lang/model.h"
#include "lab/lang/resolve.h"
#include "lab/lang/scenario.h"
#include "netns/addr.h"

extern Suite *resolve_suite(void);

static const char text[] =
	"lab r\n"
	"node a\nnode b name vpn.Example.com name b2\nnode c\nnode d\n"
	"link a:eth0 10.1.0.1/24 -- b:eth0 10.1.0.2/24\n"
	"link b:eth1 10.2.0.2/24 -- c:eth0 10.2.0.3/24\n"
	"address b:eth1 add fd00:2::2/64\n"
	"address b:lo add 192.0.2.9/32\n"
	"address c:eth0 add fd00:2::3/64\n"
	"link d:eth0 fd00:4::4/64 -- c:eth1 fd00:4::3/64\n"
	"wireguard a:wg0 address 10.9.0.1/24 address fd09::1/64\n";

static struct lab *lab;
static struct lab_names *names;

static void resolve_setup(void)
{
	struct diags d = { 0 };

	ck_assert_msg(scenario_load_text("r.lab", text, strlen(text), &lab, &d) == 0, "%s",
		      d.first ? d.first->msg : "");
	diag_free(&d);
	names = lab_names_new(lab);
}

static void resolve_teardown(void)
{
	lab_names_free(names);
	lab_free(lab);
}

/* from's view of name: "ADDR" or "-errno: why". */
static void node_is(const char *from, const char *name, const char *want)
{
	char why[640], got[700], a[ADDR_STRLEN];
	struct addr ret;
	int err = lab_resolve_node(names, from, name, &ret, why, sizeof(why));

	if (err < 0)
		snprintf(got, sizeof(got), "%d: %s", err, why);
	else
		snprintf(got, sizeof(got), "%s", addr_format(&ret, false, a, sizeof(a)));
	ck_assert_str_eq(got, want);
}

static void ifaddr_is(const char *node, const char *ifname, int family, const char *want)
{
	struct ifref ref = { 0 };
	char why[640], got[700], a[ADDR_STRLEN];
	struct addr ret;
	int err;

	ref.node = (char *)node;
	snprintf(ref.ifname, sizeof(ref.ifname), "%s", ifname);
	err = lab_resolve_ifaddr(names, &ref, family, &ret, why, sizeof(why));
	if (err < 0)
		snprintf(got, sizeof(got), "%d: %s", err, why);
	else
		snprintf(got, sizeof(got), "%s", addr_format(&ret, false, a, sizeof(a)));
	ck_assert_str_eq(got, want);
}

START_TEST(test_resolve_nodes)
{
	/* The neighbour's address facing us. */
	node_is("a", "b", "10.1.0.2");
	node_is("c", "b", "10.2.0.2");
	/* On one interface of b, IPv4 first; b:lo is not underlay. */
	node_is("d", "c", "fd00:4::3");
	node_is(NULL, "a", "10.1.0.1");
	/* In the families from has only. */
	node_is("a", "c", "10.2.0.3");
	/* Two interfaces, none facing us: ambiguous, naming them all, link
	 * and lan ends first. */
	node_is(NULL, "c",
		"-76: 'c' is ambiguous (10.2.0.3 on eth0, fd00:4::3 on eth1, fd00:2::3 on eth0): write the address");
	node_is("d", "a", "-101: 'a' has no address in a family 'd' has (10.1.0.1 on eth0)");
	node_is("a", "nowhere", "-2: node 'nowhere' has no address on a link or lan");
}
END_TEST

/* A host name of a node means what the node's name means, in any case. */
START_TEST(test_resolve_host_names)
{
	char *const *v;

	node_is("a", "vpn.example.com", "10.1.0.2");
	node_is("c", "VPN.EXAMPLE.COM", "10.2.0.2");
	node_is("c", "b2", "10.2.0.2");
	node_is("a", "vpn.example.org", "-2: node 'vpn.example.org' has no address on a link or lan");
	ck_assert_str_eq(lab_names_alias(names, "Vpn.Example.Com"), "b");
	ck_assert_ptr_null(lab_names_alias(names, "b"));
	ck_assert_uint_eq(lab_names_aliases(names, "b", &v), 2);
	ck_assert_str_eq(v[0], "vpn.Example.com");
	ck_assert_str_eq(v[1], "b2");
	ck_assert_uint_eq(lab_names_aliases(names, "a", &v), 0);
}
END_TEST

START_TEST(test_resolve_ifaddrs)
{
	ifaddr_is("b", "eth1", 0, "10.2.0.2");
	ifaddr_is("b", "eth1", AF_INET6, "fd00:2::2");
	ifaddr_is("b", "lo", 0, "192.0.2.9");
	ifaddr_is("a", "wg0", AF_INET6, "fd09::1");
	ifaddr_is("d", "eth0", 0, "fd00:4::4");
	ifaddr_is("d", "eth0", AF_INET, "-2: d:eth0 has no IPv4 address in the scenario");
	ifaddr_is("a", "eth9", 0, "-2: a:eth9 has no address in the scenario");
}
END_TEST

Suite *resolve_suite(void)
{
	Suite *s = suite_create("resolve");
	TCase *tc = tcase_create("resolve");

	tcase_add_checked_fixture(tc, resolve_setup, resolve_teardown);
	tcase_add_test(tc, test_resolve_nodes);
	tcase_add_test(tc, test_resolve_ifaddrs);
	tcase_add_test(tc, test_resolve_host_names);
	suite_add_tcase(s, tc);
	return s;
}
