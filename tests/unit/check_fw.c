// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * The iptables parser, the nftables batch it compiles to, and how replies
 * to that batch map back to rules.  No kernel: batches are checked as
 * bytes, replies are forged.
 */
#include <check.h>
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>

#include "netns/fw/fw.h"
#include "netns/fw/fw_apply.h"
#include "netns/fw/fw_batch.h"
#include "netns/fw/fw_model.h"
#include "netns/fw/fw_nft.h"

static struct fw_ruleset *rs;

static void setup(void)
{
	rs = fw_ruleset_new();
	ck_assert_ptr_nonnull(rs);
}

static void teardown(void)
{
	fw_ruleset_free(rs);
	rs = NULL;
}

static void parse_ok(const char *line)
{
	struct fw_error err;
	int ret = fw_parse_line(rs, AF_INET, line, 1, &err);

	ck_assert_msg(!ret, "'%s': column %u: %s", line, err.column, err.msg);
}

/* The last rule of a chain of the IPv4 filter table (or another table). */
static const struct fw_spec *last_spec(int family, enum fw_table_kind t, const char *chain)
{
	struct fw_chain *c = fw_chain_find(fw_table_find(rs, family, t), chain);

	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_nonnull(c->last_rule);
	return &c->last_rule->spec;
}

static const char *const good_lines[] = {
	"-A INPUT -j ACCEPT",
	"iptables -A INPUT -p tcp -m tcp --dport 22 -j ACCEPT",
	"-A INPUT -i eth0 -p udp -m udp --dport 51913 -j ACCEPT",
	"-A OUTPUT -m state --state ESTABLISHED,RELATED -j ACCEPT",
	"-A FORWARD ! -i wg+ -o eth0 -m conntrack --ctstate NEW,INVALID -j DROP",
	"-A INPUT -s 10.0.0.0/8 -d 192.168.1.1/32 -j DROP",
	"-A INPUT -s 10.0.0.0/255.255.0.0 -j DROP",
	"-A INPUT -s 0/0 -j ACCEPT",
	"-A INPUT -s 10/8 -d 192.168/16 -j DROP",
	"-A INPUT -s 10.0.0.0/8,192.168.0.0/16 -j DROP",
	"-A INPUT -s 10.0.0.1,10.0.0.2 -d 10.0.1.1,10.0.1.2 -j DROP",
	"-A INPUT ! -s 10.1.2.3 ! -p tcp -j DROP",
	"-A INPUT -p tcp --sport 1024:65535 --dport :1023 -j ACCEPT",
	"-A INPUT -p tcp ! --dport 1000: -j ACCEPT",
	"-A INPUT -p udp -m multiport --dports 53,67:68,5353 -j ACCEPT",
	"-A INPUT -p udp -m multiport ! --sports 1,2 -j ACCEPT",
	"-A INPUT -p tcp -m multiport --ports 80,443 -j ACCEPT",
	/* multiport: 15 ports, a range counting as two */
	"-A INPUT -p tcp -m multiport --dports 1:2,3:4,5:6,7:8,9:10,11:12,13:14,15 -j ACCEPT",
	/* --dport with tcp's options loaded (-m tcp, or used before) is tcp's */
	"-A INPUT -p tcp -m tcp -m multiport --dports 22,80 --dport 443",
	"-A INPUT -p tcp -m multiport --dports 22,80 -m tcp --dport 443",
	"-A INPUT -p tcp --sport 1024: -m multiport --dports 22,80 --dport 443",
	"-A INPUT -m length --length 0:100 -j DROP",
	"-A INPUT -m length ! --length 1500 -j DROP",
	"-A INPUT -m mark --mark 0x10/0xf0 -j ACCEPT",
	"-A INPUT -m mark ! --mark 7 -j ACCEPT",
	"-A INPUT -m comment --comment \"ssh from anywhere\" -p tcp --dport 22 -j ACCEPT",
	"-A INPUT -p icmp --icmp-type echo-request -j ACCEPT",
	"-A INPUT -p icmp -m icmp ! --icmp-type 3/4 -j ACCEPT",
	"-A INPUT -p icmp --icmp-type any -j ACCEPT",
	/* The other family's ICMP as a protocol number, as iptables takes it. */
	"ip6tables -A INPUT -p icmp -j ACCEPT",
	"-A INPUT -p ipv6-icmp -j ACCEPT",
	"ip6tables -A INPUT -p icmpv6 -m icmpv6 --icmpv6-type 128",
	"-A INPUT -p tcp -j REJECT --reject-with tcp-reset",
	"-A INPUT -j REJECT --reject-with icmp-admin-prohibited",
	"-A FORWARD -j REJECT --reject-with icmp-host-unreachable",
	"-A OUTPUT -j REJECT",
	"-A INPUT -j LOG --log-prefix \"IN: \" --log-level debug",
	"-A INPUT -j LOG --log-level 3",
	"-t nat -A POSTROUTING -o eth0 -j MASQUERADE",
	"-t nat -A POSTROUTING -o eth0 -p udp -j MASQUERADE --to-ports 1024-65535 --random",
	"-t nat -A POSTROUTING -o eth0 -j MASQUERADE --random-fully",
	"-t nat -A POSTROUTING -j SNAT --to-source 1.2.3.4-1.2.3.8 --persistent",
	"-t nat -A POSTROUTING -p tcp -j SNAT --to-source 1.2.3.4:1000-2000 --random",
	"-t nat -A PREROUTING -p tcp --dport 8000 -j DNAT --to-destination 10.172.16.2:8000",
	"-t nat -A OUTPUT -p tcp -j DNAT --to-destination :8080",
	"-t nat -A PREROUTING -p tcp -j DNAT --to 10.0.0.2:80",
	"-t nat -A POSTROUTING -j SNAT --to 192.0.2.1",
	"-t nat -A POSTROUTING -p udp -j MASQUERADE --to 2000-3000",
	"-t mangle -A PREROUTING -j MARK --set-mark 0x1",
	"-t mangle -A PREROUTING -j MARK --set-xmark 0x1/0xff",
	"-t mangle -A PREROUTING -j MARK --and-mark 0xff",
	"-t mangle -A PREROUTING -j MARK --or-mark 0x100",
	"-t mangle -A OUTPUT -j CONNMARK --save-mark",
	"-t mangle -A PREROUTING -j CONNMARK --restore-mark",
	"-t mangle -A PREROUTING -j CONNMARK --set-mark 5/0xf",
	"-t raw -A PREROUTING -i lo -j ACCEPT",
	"-A INPUT -m conntrack --ctstate DNAT -j ACCEPT",
	"-A INPUT",
	"[12:3400] -A INPUT -j ACCEPT",
	"-A INPUT -j ACCEPT # trailing comment",
	"   # a comment line",
	"",
	"-P FORWARD DROP",
	"--append INPUT --protocol tcp --destination-port 80 --jump ACCEPT",
	"-I INPUT -j ACCEPT",
	/* getopt's --name=value */
	"-A INPUT -p icmp --icmp-type=8 -m mark --mark=0x1 -j ACCEPT",
	"-A INPUT -p tcp -m multiport --dports=22,80 -m comment --comment=\"a b=c\"",
};

START_TEST(test_fw_parse_accepts)
{
	parse_ok(good_lines[_i]);
}
END_TEST

static const struct {
	const char *line;
	unsigned int column;
	const char *msg;
} bad_lines[] = {
	{ "-A INPUT --foo 1", 10, "unsupported option '--foo'" },
	{ "-A INPUT -p tcp --syn -j ACCEPT", 17, "unsupported option '--syn'" },
	{ "-A INPUT -s", 10, "option '-s' needs an argument" },
	{ "-A INPUT -s 10.0.0.300", 13, "bad address '10.0.0.300'" },
	{ "-A INPUT -s host.example", 13, "bad address 'host.example'" },
	{ "-A INPUT -s 10.0.0.0/33", 13, "bad address '10.0.0.0/33'" },
	{ "-A INPUT -s 256/8", 13, "bad address '256/8'" },
	{ "-A INPUT -s 10..1/8", 13, "bad address '10..1/8'" },
	{ "-A INPUT -s 1.1.1.1,2.2.2.300 -j DROP", 21, "bad address '2.2.2.300'" },
	{ "-A INPUT -d 1.1.1.1, -j DROP", 21, "bad address ''" },
	{ "-A INPUT -s 1.1.1.1,fd00::1 -j DROP", 21, "'fd00::1' is not an IPv4 address" },
	{ "-A INPUT ! -s 1.1.1.1,2.2.2.2 -j DROP", 15,
	  "'!' cannot be used with a list of addresses '1.1.1.1,2.2.2.2'" },
	{ "-A INPUT -s 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33",
	  13, "more than 32 addresses in '1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33'" },
	{ "-D INPUT -s 1.1.1.1,2.2.2.2 -j DROP", 1, "no matching rule in chain INPUT" },
	{ "-A INPUT -s fd00::1 -j ACCEPT", 13, "'fd00::1' is not an IPv4 address" },
	{ "-A INPUT -p tcp --dport 90:80", 25, "bad port or port range '90:80'" },
	{ "-A INPUT -p tcp --dport 70000", 25, "bad port or port range '70000'" },
	{ "-A INPUT -p tcp --dport 80-90", 25, "bad port or port range '80-90'" },
	{ "-A INPUT --dport 22 -j ACCEPT", 10, "option '--dport' needs -p tcp or -p udp before it" },
	{ "-A INPUT -p icmp --dport 22", 18, "option '--dport' needs -p tcp or -p udp before it" },
	{ "-A INPUT ! -p tcp --dport 22", 19,
	  "option '--dport' needs -p tcp or -p udp before it" },
	{ "-A INPUT ! -j ACCEPT", 10, "'!' cannot be used with '-j'" },
	{ "-A INPUT ! ! -s 1.2.3.4", 12, "'!' given twice" },
	{ "-A INPUT -s 1.2.3.4 !", 21, "'!' without an option after it" },
	{ "-A INPUT -s ! 1.2.3.4", 13, "'!' goes before the option: '! -s ...'" },
	{ "-A INPUT -i !eth0", 13, "write '! -i eth0' to negate" },
	{ "-A INPUT -j FOO", 13, "unknown target 'FOO'" },
	{ "-A INPUT -j INPUT", 13, "cannot jump to built-in chain 'INPUT'" },
	{ "-A INPUT -m foo", 13, "unsupported match 'foo'" },
	{ "-A INPUT -m tcp --dport 1", 13, "'-m tcp' needs -p tcp" },
	{ "-t nat -A POSTROUTING -j SNAT --to-source 1.2.3.4:1000", 31,
	  "a port needs -p tcp or -p udp" },
	{ "-t nat -A POSTROUTING -j MASQUERADE --to-ports 1000", 37,
	  "a port needs -p tcp or -p udp" },
	{ "-t nat -A POSTROUTING -j SNAT", 26, "SNAT needs --to-source" },
	{ "-t nat -A PREROUTING -p tcp -j DNAT", 32, "DNAT needs --to-destination" },
	{ "-t nat -A POSTROUTING -p tcp -j DNAT --to-destination 1.2.3.4", 33,
	  "DNAT is only valid in PREROUTING and OUTPUT" },
	{ "-A INPUT -j MASQUERADE", 13, "MASQUERADE needs the nat table" },
	{ "-A INPUT --to-source 1.2.3.4 -j SNAT", 10, "option '--to-source' needs -j SNAT before it" },
	{ "-t nat -A PREROUTING -j DNAT --to-destination 1.2.3.4:99999", 47,
	  "bad address or port range '1.2.3.4:99999'" },
	{ "-t nat -A PREROUTING -j DNAT --to-destination fd00::1", 47,
	  "'fd00::1' is not an IPv4 address" },
	{ "-A INPUT -p udp -j REJECT --reject-with tcp-reset", 27, "tcp-reset needs -p tcp" },
	{ "-A INPUT -j REJECT --reject-with icmp-bogus", 34, "unknown reject type 'icmp-bogus'" },
	{ "-t mangle -A PREROUTING -j REJECT", 28, "REJECT is valid only in the filter table" },
	{ "-t mangle -A INPUT -j REJECT", 23, "REJECT is valid only in the filter table" },
	{ "-t mangle -A FORWARD -p tcp -j REJECT --reject-with tcp-reset", 32,
	  "REJECT is valid only in the filter table" },
	{ "-t raw -A OUTPUT -j REJECT", 21, "REJECT is valid only in the filter table" },
	{ "-t nat -A OUTPUT -j REJECT", 21, "REJECT is valid only in the filter table" },
	/* iptables: The "nat" table is not intended for filtering, the use of
	 * DROP is therefore inhibited. */
	{ "-t nat -A PREROUTING -j DROP", 25,
	  "the nat table is not intended for filtering, the use of DROP is therefore inhibited" },
	{ "-t nat -P POSTROUTING DROP", 23,
	  "the nat table is not intended for filtering, the use of DROP is therefore inhibited" },
	{ "-A OUTPUT -i eth0 -j ACCEPT", 11, "-i cannot be used in OUTPUT" },
	{ "-A INPUT -o eth0 -j ACCEPT", 10, "-o cannot be used in INPUT" },
	{ "-A INPUT -i eth0123456789012345", 13, "bad interface name 'eth0123456789012345'" },
	{ "-F INPUT", 1, "unsupported command '-F'" },
	{ "-A FOO -j ACCEPT", 4, "chain 'FOO' does not exist in table filter" },
	{ "-t nat -A FORWARD -j ACCEPT", 11, "table nat has no chain FORWARD" },
	{ "-t bogus -A INPUT", 4, "unknown table 'bogus'" },
	{ "-P INPUT RETURN", 10, "bad policy 'RETURN' (ACCEPT or DROP)" },
	{ "-P FOO DROP", 4, "-P needs a built-in chain, not 'FOO'" },
	{ "-N INPUT", 4, "'INPUT' is a built-in chain" },
	{ "-N ABCDEFGHIJKLMNOPQRSTUVWXYZ0123", 4, "bad chain name 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123'" },
	{ "-A INPUT -j ACCEPT -j DROP", 20, "option '-j' given twice" },
	{ "-A INPUT -p tcp -p udp", 17, "option '-p' given twice" },
	{ "-A INPUT -A OUTPUT", 10, "more than one command ('-A' and '-A')" },
	{ "-A INPUT -m comment --comment \"open", 31, "unterminated quote" },
	/* comment: option "--comment" can only be used once. */
	{ "-A INPUT -m comment --comment a --comment b", 33, "option '--comment' given twice" },
	{ "-I INPUT 3 -j ACCEPT", 10, "index of insertion too big" },
	{ "-D INPUT -s 9.9.9.9 -j ACCEPT", 1, "no matching rule in chain INPUT" },
	{ "-D INPUT 1", 10, "no rule 1 in chain INPUT" },
	{ "-A INPUT -p tcp -m multiport --dports 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16", 39,
	  "more than 15 ports (a range counts as two)" },
	/* libxt_multiport: too many ports specified; invalid port/service `';
	 * invalid portrange specified; option "--destination-ports" can only
	 * be used once (--dport after -m multiport is its --dports) */
	{ "-A INPUT -p tcp -m multiport --dports 1:2,3:4,5:6,7:8,9:10,11:12,13:14,15:16", 39,
	  "more than 15 ports (a range counts as two)" },
	{ "-A INPUT -p tcp -m multiport --dports 80:", 39, "bad port range '80:' in '80:'" },
	{ "-A INPUT -p tcp -m multiport --dports 22,:80", 42, "bad port range ':80' in '22,:80'" },
	{ "-A INPUT -p tcp -m multiport --dports 22,,80", 42, "bad port '' in '22,,80'" },
	{ "-A INPUT -p tcp -m multiport --dports 22,", 42, "bad port '' in '22,'" },
	{ "-A INPUT -p tcp -m multiport --dports 22,5:5", 42,
	  "bad port range '5:5' (the first port must be below the last)" },
	{ "-A INPUT -p tcp -m multiport --dports 22,80 --dport 443", 45,
	  "'--dport' after -m multiport is its --dports (as iptables reads it), a second port list; write -m tcp before it" },
	{ "-A INPUT -p udp -m multiport --dports 22,80 --source-port 5", 45,
	  "'--source-port' after -m multiport is its --sports (as iptables reads it), a second port list; write -m udp before it" },
	{ "-A INPUT -p tcp -m multiport --dports 1,2 --sports 3", 52,
	  "only one of --sports, --dports, --ports" },
	{ "-A INPUT -j LOG --log-level 9", 29, "bad log level '9'" },
	{ "-A INPUT -m mark --mark 0x1/zz", 25, "bad mark '0x1/zz'" },
	{ "-A INPUT -m state --state NEW,BOGUS", 27, "bad state list 'NEW,BOGUS'" },
	{ "-A INPUT -m state --state NEW,DNAT", 27, "bad state list 'NEW,DNAT'" },
	{ "-A INPUT -m conntrack --ctstate NEW,DNAT", 33,
	  "SNAT/DNAT with connection states in one --ctstate is not supported" },
	{ "-A INPUT -m conntrack --ctstate NEW --ctstate RELATED", 37, "option '--ctstate' given twice" },
	{ "-A INPUT -m conntrack --ctstate DNAT -m conntrack --ctstate SNAT", 61,
	  "SNAT/DNAT in two --ctstate matches is not supported" },
	{ "-A INPUT -p icmp --icmp-type bogus", 30, "bad ICMP type 'bogus'" },
	/* ip6tables: Unknown ICMPv6 type `any' */
	{ "ip6tables -A INPUT -p icmpv6 --icmpv6-type any", 44, "bad ICMP type 'any'" },
	/* ip6tables: unknown option "--icmp-type"; Couldn't load match `icmp' */
	{ "ip6tables -A INPUT -p icmp --icmp-type echo-request", 28,
	  "option '--icmp-type' is iptables' (IPv4); ip6tables has --icmpv6-type" },
	{ "ip6tables -A INPUT -p icmpv6 -m icmp --icmp-type 8", 33,
	  "match 'icmp' is iptables' (IPv4); ip6tables has -m icmp6" },
	{ "-A INPUT -p icmpv6 --icmpv6-type echo-request", 20,
	  "option '--icmpv6-type' is ip6tables' (IPv6); iptables has --icmp-type" },
	{ "-A INPUT -p icmp -m icmp6 --icmpv6-type 128", 21,
	  "match 'icmp6' is ip6tables' (IPv6); iptables has -m icmp" },
	{ "-A INPUT -p bogus", 13, "unknown protocol 'bogus'" },
	{ "-A INPUT -j MARK", 13, "MARK needs --set-mark" },
	{ "-A INPUT -j MARK --set-mark 1 --or-mark 2", 31, "only one mark operation per rule" },
	{ "-A INPUT -j ACCEPT extra", 20, "unexpected argument 'extra'" },
	{ "-A INPUT --to 1.2.3.4 -j ACCEPT", 10, "unsupported option '--to'" },
	{ "COMMIT", 1, "COMMIT without a *table line" },
	{ "-A INPUT -p tcp --dport=ssh2", 25, "bad port or port range 'ssh2'" },
	{ "-A INPUT -p tcp --dport=", 25, "bad port or port range ''" },
	{ "-t nat -A POSTROUTING -j MASQUERADE --random=1", 37, "option '--random' takes no argument" },
	{ "-A INPUT -s=10.0.0.1", 10, "unsupported option '-s=10.0.0.1'" },
	{ "-A INPUT -p tcp --dport=!22", 25, "write '! --dport 22' to negate" },
	{ ":INPUT ACCEPT [0:0]", 1, "':INPUT' outside a *table section" },
	{ "iptables", 1, "no command after 'iptables'" },
	{ "-s 1.2.3.4 -j ACCEPT", 1, "no command (-A, -I, -D, -P or -N) in '-s'" },
};

START_TEST(test_fw_parse_errors)
{
	struct fw_error err;
	int ret = fw_parse_line(rs, AF_INET, bad_lines[_i].line, 42, &err);

	ck_assert_msg(ret < 0, "'%s' was accepted", bad_lines[_i].line);
	ck_assert_int_eq(err.err, ret);
	ck_assert_uint_eq(err.line, 42);
	ck_assert_str_eq(err.msg, bad_lines[_i].msg);
	ck_assert_uint_eq(err.column, bad_lines[_i].column);
	/* A refused line changes nothing. */
	ck_assert_uint_eq(fw_pending(rs), 0);
}
END_TEST

START_TEST(test_fw_parse_matches)
{
	const struct fw_spec *s;

	parse_ok("-A FORWARD ! -i wg+ -o eth0 -s 10.1.2.3/8 -p tcp --sport 1024:65535 "
		 "--dport 22 -m conntrack --ctstate NEW,ESTABLISHED -j ACCEPT");
	s = last_spec(AF_INET, FW_TABLE_FILTER, "FORWARD");
	ck_assert_uint_eq(s->has, FW_M_IIF | FW_M_OIF | FW_M_SRC | FW_M_PROTO | FW_M_SPORT |
			  FW_M_DPORT | FW_M_CTSTATE);
	ck_assert_uint_eq(s->inv, FW_M_IIF);
	ck_assert_str_eq(s->iif, "wg");
	ck_assert(s->iif_wild);
	ck_assert_str_eq(s->oif, "eth0");
	ck_assert(!s->oif_wild);
	/* Host bits are cleared, as iptables does. */
	ck_assert_uint_eq(s->src.prefixlen, 8);
	ck_assert_uint_eq(ntohl(s->src.v4.s_addr), 0x0a000000);
	ck_assert_uint_eq(s->proto, IPPROTO_TCP);
	ck_assert_uint_eq(s->sport.lo, 1024);
	ck_assert_uint_eq(s->sport.hi, 65535);
	ck_assert_uint_eq(s->dport.lo, 22);
	ck_assert_uint_eq(s->dport.hi, 22);
	ck_assert_uint_eq(s->ctstate, NF_CT_STATE_BIT(IP_CT_NEW) | NF_CT_STATE_BIT(IP_CT_ESTABLISHED));
	ck_assert_int_eq(s->target, FW_T_ACCEPT);

	parse_ok("-A INPUT -p udp -m multiport --ports 53,67:68 -m mark --mark 0x10/0xf0 "
		 "-m length --length 64:128 -m comment --comment 'two words'");
	s = last_spec(AF_INET, FW_TABLE_FILTER, "INPUT");
	ck_assert_uint_eq(s->n_mports, 2);
	ck_assert_int_eq(s->mport_dir, FW_MPORT_ANY);
	ck_assert_uint_eq(s->mports[1].lo, 67);
	ck_assert_uint_eq(s->mports[1].hi, 68);
	ck_assert_uint_eq(s->mark, 0x10);
	ck_assert_uint_eq(s->mark_mask, 0xf0);
	ck_assert_uint_eq(s->length.lo, 64);
	ck_assert_uint_eq(s->length.hi, 128);
	ck_assert_str_eq(s->comment, "two words");
	ck_assert_int_eq(s->target, FW_T_NONE);
	/* --ports is two exclusive kernel rules. */
	ck_assert_uint_eq(fw_chain_find(fw_table_find(rs, AF_INET, FW_TABLE_FILTER),
					"INPUT")->last_rule->nkern, 2);
	/* iptables-save: -A INPUT -m comment --comment a -m comment --comment b */
	parse_ok("-A INPUT -m comment --comment a -m comment --comment b");
	ck_assert_str_eq(last_spec(AF_INET, FW_TABLE_FILTER, "INPUT")->comment, "a; b");

	/* iptables-save: -A INPUT -p tcp -m tcp ! --dport 22 -j ACCEPT */
	parse_ok("-A INPUT -p tcp ! --dport=22 -j ACCEPT");
	s = last_spec(AF_INET, FW_TABLE_FILTER, "INPUT");
	ck_assert_uint_eq(s->dport.lo, 22);
	ck_assert_uint_eq(s->inv & FW_M_DPORT, FW_M_DPORT);
	ck_assert_int_eq(s->target, FW_T_ACCEPT);

	/* iptables-save: -A INPUT -p tcp -m multiport --dports 22 */
	parse_ok("-A INPUT -p tcp -m multiport --destination-port 22");
	s = last_spec(AF_INET, FW_TABLE_FILTER, "INPUT");
	ck_assert_uint_eq(s->has & (FW_M_DPORT | FW_M_MPORT), FW_M_MPORT);
	ck_assert_int_eq(s->mport_dir, FW_MPORT_DST);
	ck_assert_uint_eq(s->n_mports, 1);
	/* -A INPUT -p tcp -m tcp --sport 1024:65535 --dport 443 -m multiport --dports 22,80 */
	parse_ok("-A INPUT -p tcp --sport 1024: -m multiport --dports 22,80 --dport 443");
	s = last_spec(AF_INET, FW_TABLE_FILTER, "INPUT");
	ck_assert_uint_eq(s->has & (FW_M_DPORT | FW_M_MPORT), FW_M_DPORT | FW_M_MPORT);
	ck_assert_uint_eq(s->dport.lo, 443);
	ck_assert_uint_eq(s->n_mports, 2);

	parse_ok("-A INPUT -p icmp --icmp-type port-unreachable -j ACCEPT");
	s = last_spec(AF_INET, FW_TABLE_FILTER, "INPUT");
	ck_assert_int_eq(s->icmp_type, 3);
	ck_assert_int_eq(s->icmp_code, 3);
	parse_ok("-A INPUT -p icmp --icmp-type 8 -j ACCEPT");
	s = last_spec(AF_INET, FW_TABLE_FILTER, "INPUT");
	ck_assert_int_eq(s->icmp_type, 8);
	ck_assert_int_eq(s->icmp_code, -1);
	parse_ok("-A INPUT -m conntrack --ctstate SNAT,DNAT");
	s = last_spec(AF_INET, FW_TABLE_FILTER, "INPUT");
	ck_assert_uint_eq(s->has, FW_M_CTSTATUS);
	ck_assert_uint_eq(s->ctstatus, IPS_SRC_NAT | IPS_DST_NAT);

	/* -m state and -m conntrack keep their own values and '!'. */
	parse_ok("-A FORWARD -m state --state NEW -m conntrack ! --ctstate DNAT -j DROP");
	s = last_spec(AF_INET, FW_TABLE_FILTER, "FORWARD");
	ck_assert_uint_eq(s->has, FW_M_STATE | FW_M_CTSTATUS);
	ck_assert_uint_eq(s->inv, FW_M_CTSTATUS);
	ck_assert_uint_eq(s->state, NF_CT_STATE_BIT(IP_CT_NEW));
	ck_assert_uint_eq(s->ctstatus, IPS_DST_NAT);
	parse_ok("-A FORWARD -m conntrack --ctstate DNAT -m state ! --state NEW -j ACCEPT");
	s = last_spec(AF_INET, FW_TABLE_FILTER, "FORWARD");
	ck_assert_uint_eq(s->inv, FW_M_STATE);
	ck_assert_uint_eq(s->state, NF_CT_STATE_BIT(IP_CT_NEW));
	/* -D tells them apart. */
	ck_assert_int_lt(fw_parse_line(rs, AF_INET, "-D FORWARD -m state ! --state NEW "
				       "-m conntrack --ctstate DNAT -j DROP", 2, NULL), 0);
	parse_ok("-D FORWARD -m state --state NEW -m conntrack ! --ctstate DNAT -j DROP");

	/* The same match given again is ANDed, as iptables does (one mask
	 * of the states both allow; iptables-nft writes two expressions). */
	parse_ok("-A FORWARD -m conntrack --ctstate NEW,RELATED -m conntrack ! --ctstate RELATED -j ACCEPT");
	s = last_spec(AF_INET, FW_TABLE_FILTER, "FORWARD");
	ck_assert_uint_eq(s->has, FW_M_CTSTATE);
	ck_assert_uint_eq(s->inv, 0);
	ck_assert_uint_eq(s->ctstate, NF_CT_STATE_BIT(IP_CT_NEW));
	parse_ok("-A FORWARD -m state ! --state INVALID -m state ! --state NEW -j ACCEPT");
	s = last_spec(AF_INET, FW_TABLE_FILTER, "FORWARD");
	ck_assert_uint_eq(s->inv, 0);
	ck_assert_uint_eq(s->state, NF_CT_STATE_BIT(IP_CT_ESTABLISHED) | NF_CT_STATE_BIT(IP_CT_RELATED) |
				    NF_CT_STATE_UNTRACKED_BIT);
	parse_ok("-A FORWARD -m state --state NEW -m state --state ESTABLISHED -j ACCEPT");
	s = last_spec(AF_INET, FW_TABLE_FILTER, "FORWARD");
	ck_assert_uint_eq(s->has, FW_M_STATE);
	ck_assert_uint_eq(s->state, 0);
	parse_ok("-A FORWARD -m conntrack --ctstate NEW -m conntrack ! --ctstate DNAT -j DROP");
	s = last_spec(AF_INET, FW_TABLE_FILTER, "FORWARD");
	ck_assert_uint_eq(s->has, FW_M_CTSTATE | FW_M_CTSTATUS);
	ck_assert_uint_eq(s->inv, FW_M_CTSTATUS);
}
END_TEST

START_TEST(test_fw_parse_targets)
{
	const struct fw_spec *s;
	struct fw_error err;

	parse_ok("-t nat -A PREROUTING -p tcp --dport 8000 -j DNAT --to-destination 10.172.16.2:8000");
	s = last_spec(AF_INET, FW_TABLE_NAT, "PREROUTING");
	ck_assert_int_eq(s->target, FW_T_DNAT);
	ck_assert_uint_eq(s->nat_has, FW_NAT_ADDR | FW_NAT_PORT);
	ck_assert_uint_eq(ntohl(s->nat_min.v4.s_addr), 0x0aac1002);
	ck_assert_uint_eq(ntohl(s->nat_max.v4.s_addr), 0x0aac1002);
	ck_assert_uint_eq(s->nat_port_min, 8000);
	ck_assert_uint_eq(s->nat_port_max, 8000);

	parse_ok("-t nat -A POSTROUTING -p udp -j SNAT --to-source 1.2.3.4-1.2.3.8:1000-2000 "
		 "--random --persistent");
	s = last_spec(AF_INET, FW_TABLE_NAT, "POSTROUTING");
	ck_assert_uint_eq(ntohl(s->nat_max.v4.s_addr), 0x01020308);
	ck_assert_uint_eq(s->nat_port_min, 1000);
	ck_assert_uint_eq(s->nat_port_max, 2000);
	ck_assert_uint_eq(s->nat_flags, NF_NAT_RANGE_PROTO_RANDOM | NF_NAT_RANGE_PERSISTENT);

	parse_ok("-t nat -A PREROUTING -p udp -j DNAT --to 10.0.0.9:51820");
	s = last_spec(AF_INET, FW_TABLE_NAT, "PREROUTING");
	ck_assert_uint_eq(ntohl(s->nat_min.v4.s_addr), 0x0a000009);
	ck_assert_uint_eq(s->nat_port_min, 51820);

	parse_ok("-t nat -A POSTROUTING -o wan -j MASQUERADE --random-fully");
	s = last_spec(AF_INET, FW_TABLE_NAT, "POSTROUTING");
	ck_assert_uint_eq(s->nat_flags, NF_NAT_RANGE_PROTO_RANDOM_FULLY);
	ck_assert_uint_eq(s->nat_has, 0);

	/* Marks as new = (old & keep) ^ xor. */
	parse_ok("-t mangle -A OUTPUT -j MARK --set-mark 0x1");
	s = last_spec(AF_INET, FW_TABLE_MANGLE, "OUTPUT");
	ck_assert_uint_eq(s->mark_keep, 0);
	ck_assert_uint_eq(s->mark_xor, 1);
	parse_ok("-t mangle -A OUTPUT -j MARK --set-mark 0x10/0xf0");
	s = last_spec(AF_INET, FW_TABLE_MANGLE, "OUTPUT");
	ck_assert_uint_eq(s->mark_keep, 0xffffff0f);
	ck_assert_uint_eq(s->mark_xor, 0x10);
	parse_ok("-t mangle -A OUTPUT -j MARK --set-xmark 0x10/0xf0");
	s = last_spec(AF_INET, FW_TABLE_MANGLE, "OUTPUT");
	ck_assert_uint_eq(s->mark_keep, 0xffffff0f);
	parse_ok("-t mangle -A OUTPUT -j MARK --or-mark 0x4");
	s = last_spec(AF_INET, FW_TABLE_MANGLE, "OUTPUT");
	ck_assert_uint_eq(s->mark_keep, ~0x4U);
	ck_assert_uint_eq(s->mark_xor, 0x4);
	parse_ok("-t mangle -A OUTPUT -j CONNMARK --restore-mark");
	s = last_spec(AF_INET, FW_TABLE_MANGLE, "OUTPUT");
	ck_assert_int_eq(s->connmark_op, FW_CONNMARK_RESTORE);

	parse_ok("-A INPUT -j REJECT");
	s = last_spec(AF_INET, FW_TABLE_FILTER, "INPUT");
	ck_assert_uint_eq(s->reject_type, NFT_REJECT_ICMP_UNREACH);
	ck_assert_uint_eq(s->reject_code, 3);
	/* REJECT in a user chain: of the filter table only. */
	parse_ok("-N RJ");
	parse_ok("-A RJ -j REJECT");
	ck_assert_int_eq(last_spec(AF_INET, FW_TABLE_FILTER, "RJ")->target, FW_T_REJECT);
	parse_ok("-t mangle -N MRJ");
	ck_assert_int_lt(fw_parse_line(rs, AF_INET, "-t mangle -A MRJ -j REJECT", 3, &err), 0);
	ck_assert_str_eq(err.msg, "REJECT is valid only in the filter table");
	ck_assert_uint_eq(err.column, 21);
	parse_ok("-A INPUT -j LOG --log-prefix 'fw: '");
	s = last_spec(AF_INET, FW_TABLE_FILTER, "INPUT");
	ck_assert_str_eq(s->log_prefix, "fw: ");
	ck_assert_uint_eq(s->log_level, 4);
	/* iptables-save: -A INPUT -j LOG --log-prefix 12345678901234567890123456789 */
	parse_ok("-A INPUT -j LOG --log-prefix 1234567890123456789012345678901234567890");
	ck_assert_str_eq(last_spec(AF_INET, FW_TABLE_FILTER, "INPUT")->log_prefix,
			 "12345678901234567890123456789");

	parse_ok("-N SSH");
	parse_ok("-A INPUT -p tcp --dport 22 -j SSH");
	s = last_spec(AF_INET, FW_TABLE_FILTER, "INPUT");
	ck_assert_int_eq(s->target, FW_T_JUMP);
	ck_assert_str_eq(s->chain, "SSH");
	parse_ok("-A INPUT -g SSH");
	ck_assert_int_eq(last_spec(AF_INET, FW_TABLE_FILTER, "INPUT")->target, FW_T_GOTO);
}
END_TEST

START_TEST(test_fw_parse_ipv6)
{
	struct fw_error err;
	const struct fw_spec *s;

	parse_ok("ip6tables -A INPUT -s fd00::/64 -p icmpv6 --icmpv6-type echo-request -j ACCEPT");
	s = last_spec(AF_INET6, FW_TABLE_FILTER, "INPUT");
	ck_assert_int_eq(s->src.family, AF_INET6);
	ck_assert_int_eq(s->icmp_type, 128);
	ck_assert_ptr_null(fw_table_find(rs, AF_INET, FW_TABLE_FILTER));
	parse_ok("ip6tables -t nat -A PREROUTING -p tcp -j DNAT --to-destination [fd00::1]:80");
	s = last_spec(AF_INET6, FW_TABLE_NAT, "PREROUTING");
	ck_assert_uint_eq(s->nat_port_min, 80);
	ck_assert_uint_eq(s->nat_min.v6.s6_addr[15], 1);
	/* ip6tables-save: -A PREROUTING -p tcp -j DNAT --to-destination :80-90 */
	parse_ok("ip6tables -t nat -A PREROUTING -p tcp -j DNAT --to-destination :80-90");
	s = last_spec(AF_INET6, FW_TABLE_NAT, "PREROUTING");
	ck_assert_uint_eq(s->nat_has, FW_NAT_PORT);
	ck_assert_uint_eq(s->nat_port_min, 80);
	ck_assert_uint_eq(s->nat_port_max, 90);
	parse_ok("ip6tables -t nat -A PREROUTING -j DNAT --to-destination ::1");
	ck_assert_uint_eq(last_spec(AF_INET6, FW_TABLE_NAT, "PREROUTING")->nat_has, FW_NAT_ADDR);
	ck_assert_int_lt(fw_parse_line(rs, AF_INET6, "-t nat -A PREROUTING -p tcp -j DNAT "
				       "--to-destination :", 8, &err), 0);
	ck_assert_uint_eq(err.column, 54);
	parse_ok("ip6tables -A INPUT -j REJECT");
	ck_assert_uint_eq(last_spec(AF_INET6, FW_TABLE_FILTER, "INPUT")->reject_code, 4);
	/* The caller's family applies when the line does not say. */
	ck_assert_int_eq(fw_parse_line(rs, AF_INET6, "-A INPUT -d 2001:db8::1 -j DROP", 1, &err), 0);
	ck_assert_int_eq(last_spec(AF_INET6, FW_TABLE_FILTER, "INPUT")->dst.family, AF_INET6);
	ck_assert_int_lt(fw_parse_line(rs, AF_INET6, "-A INPUT -d 10.0.0.1 -j DROP", 7, &err), 0);
	ck_assert_str_eq(err.msg, "'10.0.0.1' is not an IPv6 address");
	ck_assert_uint_eq(err.column, 13);
}
END_TEST

START_TEST(test_fw_parse_save_format)
{
	static const char *const text[] = {
		"# Generated by iptables-save v1.8.9",
		"*nat",
		":PREROUTING ACCEPT [0:0]",
		":POSTROUTING ACCEPT [0:0]",
		":PORTFW - [0:0]",
		"-A PREROUTING -j PORTFW",
		"-A PORTFW -p tcp --dport 8000 -j DNAT --to-destination 10.0.0.2:8000",
		"COMMIT",
		"*filter",
		":INPUT DROP [0:0]",
		":FORWARD ACCEPT [0:0]",
		"-A INPUT -m state --state ESTABLISHED -j ACCEPT",
		"COMMIT",
	};
	struct fw_error err;
	struct fw_table *t;
	unsigned int i;

	for (i = 0; i < sizeof(text) / sizeof(text[0]); i++)
		ck_assert_msg(!fw_parse_line(rs, AF_INET, text[i], i + 1, &err), "line %u: %s", i + 1,
			      err.msg);
	ck_assert_int_eq(fw_parse_finish(rs, &err), 0);
	t = fw_table_find(rs, AF_INET, FW_TABLE_NAT);
	ck_assert_ptr_nonnull(fw_chain_find(t, "PORTFW"));
	ck_assert_int_eq(fw_chain_find(t, "PORTFW")->hook, FW_HOOK_USER);
	ck_assert_int_eq(fw_chain_find(t, "PORTFW")->nrules, 1);
	t = fw_table_find(rs, AF_INET, FW_TABLE_FILTER);
	ck_assert_uint_eq(fw_chain_find(t, "INPUT")->policy, NF_DROP);
	ck_assert_uint_eq(fw_chain_find(t, "FORWARD")->policy, NF_ACCEPT);

	/* DROP in nat: refused in a rule (a user chain's too) and in -P, taken
	 * in a declaration, as iptables-nft-restore 1.8.9 does. */
	ck_assert_int_eq(fw_parse_line(rs, AF_INET, "*nat", 14, &err), 0);
	ck_assert_int_eq(fw_parse_line(rs, AF_INET, ":OUTPUT DROP [0:0]", 15, &err), 0);
	ck_assert_int_lt(fw_parse_line(rs, AF_INET, "-A PORTFW -j DROP", 16, &err), 0);
	ck_assert_uint_eq(err.column, 14);
	ck_assert_int_lt(fw_parse_line(rs, AF_INET, "-P OUTPUT DROP", 17, &err), 0);
	ck_assert_uint_eq(err.column, 11);
	ck_assert_int_eq(fw_parse_line(rs, AF_INET, "COMMIT", 18, &err), 0);
	ck_assert_uint_eq(fw_chain_find(fw_table_find(rs, AF_INET, FW_TABLE_NAT), "OUTPUT")->policy,
			  NF_DROP);

	/* -t inside a section must name that section's table. */
	ck_assert_int_eq(fw_parse_line(rs, AF_INET, "*mangle", 20, &err), 0);
	ck_assert_int_lt(fw_parse_line(rs, AF_INET, "-t nat -A PREROUTING -j ACCEPT", 21, &err), 0);
	ck_assert_str_eq(err.msg, "'-t nat' inside the *mangle section");
	ck_assert_int_lt(fw_parse_line(rs, AF_INET, "*filter", 22, &err), 0);
	ck_assert_str_eq(err.msg, "COMMIT missing for *mangle (line 20)");
	ck_assert_int_lt(fw_parse_finish(rs, &err), 0);
	ck_assert_uint_eq(err.line, 20);
	ck_assert_str_eq(err.msg, "COMMIT missing for *mangle");
}
END_TEST

START_TEST(test_fw_parse_delete_insert)
{
	struct fw_chain *c;
	struct fw_error err;

	parse_ok("-A INPUT -s 1.1.1.1 -j ACCEPT");
	parse_ok("-A INPUT -s 2.2.2.2 -j ACCEPT");
	parse_ok("-I INPUT 2 -s 3.3.3.3 -j ACCEPT");
	parse_ok("-I INPUT -s 4.4.4.4 -j ACCEPT");
	c = fw_chain_find(fw_table_find(rs, AF_INET, FW_TABLE_FILTER), "INPUT");
	ck_assert_uint_eq(c->nrules, 4);
	ck_assert_uint_eq(ntohl(fw_rule_nth(c, 1)->spec.src.v4.s_addr), 0x04040404);
	ck_assert_uint_eq(ntohl(fw_rule_nth(c, 3)->spec.src.v4.s_addr), 0x03030303);
	/* -D takes the rule by its specification, or by number. */
	ck_assert_int_lt(fw_parse_line(rs, AF_INET, "-D INPUT -s 3.3.3.3 -j DROP", 9, &err), 0);
	parse_ok("-D INPUT -s 3.3.3.3 -j ACCEPT");
	parse_ok("-D INPUT 1");
	ck_assert_uint_eq(c->nrules, 2);
	ck_assert_uint_eq(ntohl(fw_rule_nth(c, 1)->spec.src.v4.s_addr), 0x01010101);
	/* Everything pending can be dropped: the model is empty again. */
	fw_discard(rs);
	ck_assert_uint_eq(fw_pending(rs), 0);
	ck_assert_ptr_null(fw_table_find(rs, AF_INET, FW_TABLE_FILTER));
	parse_ok("-N FOO");
	fw_discard(rs);
	parse_ok("-N FOO");
}
END_TEST

static uint32_t src_of(struct fw_chain *c, unsigned int n)
{
	return ntohl(fw_rule_nth(c, n)->spec.src.v4.s_addr);
}

/* iptables' short dotted forms (completed with zeros) and address lists
 * (one rule per source and destination pair). */
START_TEST(test_fw_parse_addresses)
{
	const struct fw_spec *s;
	struct fw_error err;
	struct fw_chain *c;
	unsigned int pending;

	parse_ok("-A INPUT -s 0/0 -j ACCEPT");
	s = last_spec(AF_INET, FW_TABLE_FILTER, "INPUT");
	ck_assert_uint_eq(s->has, FW_M_SRC);
	ck_assert_int_eq(s->src.family, AF_INET);
	ck_assert_uint_eq(s->src.prefixlen, 0);
	ck_assert_uint_eq(s->src.v4.s_addr, 0);
	parse_ok("-A INPUT -s 10/8 -d 192.168/16 -j DROP");
	s = last_spec(AF_INET, FW_TABLE_FILTER, "INPUT");
	ck_assert_uint_eq(ntohl(s->src.v4.s_addr), 0x0a000000);
	ck_assert_uint_eq(s->src.prefixlen, 8);
	ck_assert_uint_eq(ntohl(s->dst.v4.s_addr), 0xc0a80000);
	ck_assert_uint_eq(s->dst.prefixlen, 16);
	parse_ok("-A INPUT -s 10.1.2 -j DROP");
	s = last_spec(AF_INET, FW_TABLE_FILTER, "INPUT");
	ck_assert_uint_eq(ntohl(s->src.v4.s_addr), 0x0a010200);
	ck_assert_uint_eq(s->src.prefixlen, 32);
	parse_ok("-A INPUT -s 10/255.0.0.0 -j DROP");
	ck_assert_uint_eq(last_spec(AF_INET, FW_TABLE_FILTER, "INPUT")->src.prefixlen, 8);
	/* Not IPv6 to ip6tables either. */
	ck_assert_int_lt(fw_parse_line(rs, AF_INET6, "-A INPUT -s 0/0", 1, &err), 0);
	ck_assert_str_eq(err.msg, "'0/0' is not an IPv6 address");
	fw_discard(rs);

	/* Each source with each destination, in that order. */
	parse_ok("-A FORWARD -s 10.0.0.0/8,192.168/16 -d 1.1.1.1,2.2.2.2 -p tcp --dport 22 -j DROP");
	c = fw_chain_find(fw_table_find(rs, AF_INET, FW_TABLE_FILTER), "FORWARD");
	ck_assert_uint_eq(c->nrules, 4);
	ck_assert_uint_eq(src_of(c, 1), 0x0a000000);
	ck_assert_uint_eq(ntohl(fw_rule_nth(c, 1)->spec.dst.v4.s_addr), 0x01010101);
	ck_assert_uint_eq(src_of(c, 2), 0x0a000000);
	ck_assert_uint_eq(ntohl(fw_rule_nth(c, 2)->spec.dst.v4.s_addr), 0x02020202);
	ck_assert_uint_eq(src_of(c, 3), 0xc0a80000);
	ck_assert_uint_eq(fw_rule_nth(c, 3)->spec.src.prefixlen, 16);
	ck_assert_uint_eq(ntohl(fw_rule_nth(c, 4)->spec.dst.v4.s_addr), 0x02020202);
	ck_assert_uint_eq(fw_rule_nth(c, 4)->spec.dport.lo, 22);
	ck_assert_int_eq(fw_rule_nth(c, 4)->spec.target, FW_T_DROP);

	/* -I n: each at n, as iptables inserts them. */
	parse_ok("-A INPUT -s 1.1.1.1 -j ACCEPT");
	parse_ok("-A INPUT -s 2.2.2.2 -j ACCEPT");
	parse_ok("-I INPUT 2 -s 3.3.3.3,4.4.4.4 -j ACCEPT");
	c = fw_chain_find(fw_table_find(rs, AF_INET, FW_TABLE_FILTER), "INPUT");
	ck_assert_uint_eq(c->nrules, 4);
	ck_assert_uint_eq(src_of(c, 1), 0x01010101);
	ck_assert_uint_eq(src_of(c, 2), 0x04040404);
	ck_assert_uint_eq(src_of(c, 3), 0x03030303);
	ck_assert_uint_eq(src_of(c, 4), 0x02020202);

	/* -D: all of them, or nothing when one is missing. */
	pending = fw_pending(rs);
	ck_assert_int_lt(fw_parse_line(rs, AF_INET, "-D INPUT -s 3.3.3.3,5.5.5.5 -j ACCEPT", 9, &err), 0);
	ck_assert_str_eq(err.msg, "no matching rule in chain INPUT");
	ck_assert_uint_eq(err.column, 1);
	ck_assert_uint_eq(fw_pending(rs), pending);
	ck_assert_uint_eq(c->nrules, 4);
	ck_assert_uint_eq(src_of(c, 3), 0x03030303);
	parse_ok("-D INPUT -s 4.4.4.4,3.3.3.3 -j ACCEPT");
	ck_assert_uint_eq(c->nrules, 2);
	ck_assert_uint_eq(src_of(c, 2), 0x02020202);
	parse_ok("-D FORWARD -s 10/8,192.168.0.0/16 -d 1.1.1.1,2.2.2.2 -p tcp --dport 22 -j DROP");
	ck_assert_uint_eq(fw_chain_find(fw_table_find(rs, AF_INET, FW_TABLE_FILTER), "FORWARD")->nrules, 0);
}
END_TEST

/* Walks a batch buffer: types (as NFNL_MSG_TYPE, BEGIN/END as is) and
 * seqs. */
static size_t batch_walk(const struct fw_batch *b, uint16_t *types, uint32_t *seqs,
			 uint16_t *flags, size_t max)
{
	const struct nlmsghdr *nlh = (const void *)b->buf;
	int left = (int)b->len;
	size_t n = 0;

	for (; mnl_nlmsg_ok(nlh, left) && n < max; nlh = mnl_nlmsg_next(nlh, &left), n++) {
		types[n] = nlh->nlmsg_type == NFNL_MSG_BATCH_BEGIN ||
			   nlh->nlmsg_type == NFNL_MSG_BATCH_END ? nlh->nlmsg_type :
			   NFNL_MSG_TYPE(nlh->nlmsg_type);
		seqs[n] = nlh->nlmsg_seq;
		flags[n] = nlh->nlmsg_flags;
	}
	ck_assert_int_eq(left, 0);
	return n;
}

static const struct nlmsghdr *batch_msg(const struct fw_batch *b, size_t idx)
{
	const struct nlmsghdr *nlh = (const void *)b->buf;
	int left = (int)b->len;

	while (idx--)
		nlh = mnl_nlmsg_next(nlh, &left);
	return nlh;
}

static int count_expr(struct nftnl_expr *e, void *data)
{
	(void)e;
	(*(int *)data)++;
	return 0;
}

START_TEST(test_fw_batch_framing)
{
	static const uint16_t want[] = {
		NFNL_MSG_BATCH_BEGIN, NFT_MSG_NEWTABLE, NFT_MSG_NEWCHAIN, NFT_MSG_NEWCHAIN,
		NFT_MSG_NEWRULE, NFT_MSG_NEWSET, NFT_MSG_NEWSETELEM, NFT_MSG_NEWRULE,
		NFNL_MSG_BATCH_END,
	};
	uint16_t types[16], flags[16];
	uint32_t seqs[16];
	struct fw_batch *b = NULL;
	struct nftnl_rule *r;
	struct nftnl_chain *c;
	size_t n, i;
	int nexpr = 0;

	parse_ok("-P INPUT DROP");
	parse_ok("-A INPUT -i wg0 -j ACCEPT");
	parse_ok("-A INPUT -p tcp -m multiport --dports 80,443 -j ACCEPT");
	ck_assert_uint_eq(fw_pending(rs), 5);
	ck_assert_int_eq(fw_batch_build(rs, 1000, &b), 0);
	n = batch_walk(b, types, seqs, flags, 16);
	ck_assert_uint_eq(n, sizeof(want) / sizeof(want[0]));
	ck_assert_uint_eq(b->nmsgs, n - 2);
	for (i = 0; i < n; i++) {
		ck_assert_uint_eq(types[i], want[i]);
		/* One seq each, consecutive, BEGIN first. */
		ck_assert_uint_eq(seqs[i], 1000 + i);
		if (i > 0 && i < n - 1) {
			ck_assert(flags[i] & NLM_F_ACK);
			ck_assert_uint_eq(b->msgs[i - 1].seq, seqs[i]);
		}
	}
	ck_assert_uint_eq(b->seq_begin, 1000);
	ck_assert_uint_eq(b->seq_end, 1000 + n - 1);
	/* Rules ask for their handle back and go to the end of the chain. */
	ck_assert(flags[4] & NLM_F_ECHO);
	ck_assert(flags[4] & NLM_F_APPEND);
	/* The base chain is created accepting, -P then sets the policy. */
	c = nftnl_chain_alloc();
	ck_assert_int_eq(nftnl_chain_nlmsg_parse(batch_msg(b, 2), c), 0);
	ck_assert_str_eq(nftnl_chain_get_str(c, NFTNL_CHAIN_TABLE), "wglab-ipt-filter");
	ck_assert_str_eq(nftnl_chain_get_str(c, NFTNL_CHAIN_TYPE), "filter");
	ck_assert_uint_eq(nftnl_chain_get_u32(c, NFTNL_CHAIN_HOOKNUM), NF_INET_LOCAL_IN);
	ck_assert_int_eq(nftnl_chain_get_s32(c, NFTNL_CHAIN_PRIO), 0);
	nftnl_chain_free(c);
	c = nftnl_chain_alloc();
	ck_assert_int_eq(nftnl_chain_nlmsg_parse(batch_msg(b, 3), c), 0);
	ck_assert_uint_eq(nftnl_chain_get_u32(c, NFTNL_CHAIN_POLICY), NF_DROP);
	ck_assert(!nftnl_chain_is_set(c, NFTNL_CHAIN_HOOKNUM));
	nftnl_chain_free(c);
	/* meta iifname, cmp, counter, verdict */
	r = nftnl_rule_alloc();
	ck_assert_int_eq(nftnl_rule_nlmsg_parse(batch_msg(b, 4), r), 0);
	ck_assert_str_eq(nftnl_rule_get_str(r, NFTNL_RULE_CHAIN), "INPUT");
	nftnl_expr_foreach(r, count_expr, &nexpr);
	ck_assert_int_eq(nexpr, 4);
	nftnl_rule_free(r);
	fw_batch_free(b);
}
END_TEST

/* A rule's expressions in short: "ct state", "bitwise 0x8", "cmp != 0x0",
 * "counter", "accept"; other expressions by name. */
static int render_expr(struct nftnl_expr *e, void *data)
{
	char *buf = data, one[64];
	const char *name = nftnl_expr_get_str(e, NFTNL_EXPR_NAME);
	const void *p;
	uint32_t len = 0, v = 0;

	if (!strcmp(name, "ct")) {
		v = nftnl_expr_get_u32(e, NFTNL_EXPR_CT_KEY);
		snprintf(one, sizeof(one), "ct %s", v == NFT_CT_STATE ? "state" :
			 v == NFT_CT_STATUS ? "status" : "other");
	} else if (!strcmp(name, "bitwise")) {
		p = nftnl_expr_get(e, NFTNL_EXPR_BITWISE_MASK, &len);
		if (len == 4)
			memcpy(&v, p, 4);
		snprintf(one, sizeof(one), "bitwise 0x%x", v);
	} else if (!strcmp(name, "cmp")) {
		p = nftnl_expr_get(e, NFTNL_EXPR_CMP_DATA, &len);
		if (len == 4)
			memcpy(&v, p, 4);
		snprintf(one, sizeof(one), "cmp %s 0x%x",
			 nftnl_expr_get_u32(e, NFTNL_EXPR_CMP_OP) == NFT_CMP_EQ ? "==" : "!=", v);
	} else if (!strcmp(name, "immediate") && nftnl_expr_is_set(e, NFTNL_EXPR_IMM_VERDICT)) {
		v = nftnl_expr_get_u32(e, NFTNL_EXPR_IMM_VERDICT);
		snprintf(one, sizeof(one), "%s", v == NF_ACCEPT ? "accept" : v == NF_DROP ? "drop" :
			 "verdict");
	} else {
		snprintf(one, sizeof(one), "%s", name);
	}
	if (*buf)
		strcat(buf, ", ");
	strcat(buf, one);
	return 0;
}

/* iptables rules and the expressions iptables-nft gives them (as
 * `nft list ruleset` shows them, in comments); exprs2: the second kernel
 * rule of a rule that is two. */
static const struct {
	const char *line;
	const char *exprs, *exprs2;
} translations[] = {
	/* ct state new */
	{ "-A INPUT -m state --state NEW -j ACCEPT",
	  "ct state, bitwise 0x8, cmp != 0x0, counter, accept", NULL },
	/* ct state invalid,new */
	{ "-A INPUT -m conntrack --ctstate NEW,INVALID -j DROP",
	  "ct state, bitwise 0x9, cmp != 0x0, counter, drop", NULL },
	/* ct status dnat */
	{ "-A INPUT -m conntrack --ctstate DNAT -j ACCEPT",
	  "ct status, bitwise 0x20, cmp != 0x0, counter, accept", NULL },
	/* -m state and -m conntrack are two matches, each with its own '!':
	 * ct state new ct status dnat accept */
	{ "-A FORWARD -m state --state NEW -m conntrack --ctstate DNAT -j ACCEPT",
	  "ct state, bitwise 0x8, cmp != 0x0, ct status, bitwise 0x20, cmp != 0x0, counter, accept", NULL },
	/* ct state new ct status ! dnat drop: NEW is a packet with a
	 * connection, one rule */
	{ "-A FORWARD -m state --state NEW -m conntrack ! --ctstate DNAT -j DROP",
	  "ct state, bitwise 0x8, cmp != 0x0, ct status, bitwise 0x20, cmp == 0x0, counter, drop", NULL },
	/* iptables-nft: xt match conntrack, which holds for a packet without
	 * a connection; "ct status" would stop the rule on it, so a second
	 * rule takes those: ct status ! dnat drop; ct state invalid,untracked
	 * drop (iifname, 16 bytes, shows as cmp == 0x0) */
	{ "-A FORWARD -i wan -m conntrack ! --ctstate DNAT -j DROP",
	  "meta, cmp == 0x0, ct status, bitwise 0x20, cmp == 0x0, counter, drop",
	  "meta, cmp == 0x0, ct state, bitwise 0x41, cmp != 0x0, counter, drop" },
	{ "-A FORWARD -m conntrack ! --ctstate SNAT,DNAT -j ACCEPT",
	  "ct status, bitwise 0x30, cmp == 0x0, counter, accept",
	  "ct state, bitwise 0x41, cmp != 0x0, counter, accept" },
	/* ! invalid leaves untracked */
	{ "-A FORWARD -m state ! --state INVALID -m conntrack ! --ctstate SNAT -j ACCEPT",
	  "ct state, bitwise 0x1, cmp == 0x0, ct status, bitwise 0x10, cmp == 0x0, counter, accept",
	  "ct state, bitwise 0x1, cmp == 0x0, ct state, bitwise 0x41, cmp != 0x0, counter, accept" },
	/* without '!' a packet without a connection has no DNAT: one rule */
	{ "-A FORWARD -m conntrack --ctstate DNAT -m conntrack --ctstate INVALID -j ACCEPT",
	  "ct state, bitwise 0x1, cmp != 0x0, ct status, bitwise 0x20, cmp != 0x0, counter, accept", NULL },
	/* ct status snat ct state ! new */
	{ "-A FORWARD -m conntrack --ctstate SNAT -m state ! --state NEW -j ACCEPT",
	  "ct state, bitwise 0x8, cmp == 0x0, ct status, bitwise 0x10, cmp != 0x0, counter, accept", NULL },
	/* ct state new ct state established: nothing matches both */
	{ "-A FORWARD -m state --state NEW -m conntrack --ctstate ESTABLISHED -j ACCEPT",
	  "ct state, bitwise 0x8, cmp != 0x0, ct state, bitwise 0x2, cmp != 0x0, counter, accept", NULL },
	/* meta mark & 0x00000001 == 0x00000003: V is kept with its bits
	 * outside M, so nothing matches */
	{ "-A OUTPUT -m mark --mark 0x3/0x1 -j DROP",
	  "meta, bitwise 0x1, cmp == 0x3, counter, drop", NULL },
	/* meta mark & 0x000000f0 != 0x00000010 */
	{ "-A OUTPUT -m mark ! --mark 0x10/0xf0 -j DROP",
	  "meta, bitwise 0xf0, cmp != 0x10, counter, drop", NULL },
	/* iptables-nft: xt match icmp, "icmp !type 255", which matches no
	 * packet; wglab: icmp type != 0-255 */
	{ "-A OUTPUT -p icmp ! --icmp-type any -j DROP",
	  "meta, cmp == 0x0, payload, range, counter, drop", NULL },
	/* ct state ! invalid ct state related,established */
	{ "-A FORWARD -m state ! --state INVALID -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT",
	  "ct state, bitwise 0x1, cmp == 0x0, ct state, bitwise 0x6, cmp != 0x0, counter, accept", NULL },
};

START_TEST(test_fw_exprs_translate)
{
	struct fw_batch *b = NULL;
	struct nftnl_rule *r;
	char got[512] = "";

	const char *want;
	size_t k;

	parse_ok(translations[_i].line);
	ck_assert_int_eq(fw_batch_build(rs, 1, &b), 0);
	/* BEGIN NEWTABLE NEWCHAIN NEWRULE [NEWRULE] END */
	ck_assert_uint_eq(b->nmsgs, translations[_i].exprs2 ? 4 : 3);
	for (k = 0; k < b->nmsgs - 2; k++) {
		want = k ? translations[_i].exprs2 : translations[_i].exprs;
		r = nftnl_rule_alloc();
		ck_assert_int_eq(nftnl_rule_nlmsg_parse(batch_msg(b, 3 + k), r), 0);
		got[0] = '\0';
		nftnl_expr_foreach(r, render_expr, got);
		ck_assert_msg(!strcmp(got, want), "'%s' rule %zu: %s, not %s",
			      translations[_i].line, k, got, want);
		nftnl_rule_free(r);
	}
	fw_batch_free(b);
}
END_TEST

/* multiport --ports (two rules) with '! --ctstate DNAT' (two): four
 * exclusive kernel rules, each port variant with each ct variant (the
 * 1-byte l4proto shows as cmp == 0x0). */
START_TEST(test_fw_exprs_four_rules)
{
	static const char *const want[] = {
		"meta, cmp == 0x0, payload, lookup, ct status, bitwise 0x20, cmp == 0x0, counter, drop",
		"meta, cmp == 0x0, payload, lookup, payload, lookup, ct status, bitwise 0x20, cmp == 0x0, counter, drop",
		"meta, cmp == 0x0, payload, lookup, ct state, bitwise 0x41, cmp != 0x0, counter, drop",
		"meta, cmp == 0x0, payload, lookup, payload, lookup, ct state, bitwise 0x41, cmp != 0x0, counter, drop",
	};
	uint16_t types[32], flags[32];
	uint32_t seqs[32];
	struct fw_batch *b = NULL;
	struct nftnl_rule *r;
	char got[512];
	size_t n, i, k = 0;

	parse_ok("-A INPUT -p tcp -m multiport --ports 80,443 -m conntrack ! --ctstate DNAT -j DROP");
	ck_assert_int_eq(fw_batch_build(rs, 1, &b), 0);
	n = batch_walk(b, types, seqs, flags, 32);
	for (i = 0; i < n; i++) {
		if (types[i] != NFT_MSG_NEWRULE)
			continue;
		ck_assert_uint_lt(k, 4);
		r = nftnl_rule_alloc();
		ck_assert_int_eq(nftnl_rule_nlmsg_parse(batch_msg(b, i), r), 0);
		got[0] = '\0';
		nftnl_expr_foreach(r, render_expr, got);
		ck_assert_msg(!strcmp(got, want[k]), "rule %zu: %s, not %s", k, got, want[k]);
		nftnl_rule_free(r);
		k++;
	}
	ck_assert_uint_eq(k, 4);
	fw_batch_free(b);
}
END_TEST

/* A forged NLMSG_ERROR for seq, with an extack message when msg is set. */
static size_t put_ack(char *buf, uint32_t seq, uint32_t portid, int error, const char *msg)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlmsgerr *e;

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = portid;
	nlh->nlmsg_flags = NLM_F_CAPPED | (msg ? NLM_F_ACK_TLVS : 0);
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = error;
	e->msg.nlmsg_seq = seq;
	e->msg.nlmsg_len = sizeof(e->msg);
	if (msg)
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
	return nlh->nlmsg_len;
}

START_TEST(test_fw_replies_map_error)
{
	struct fw_replies st = { 0 };
	struct fw_batch *b = NULL;
	struct fw_error err;
	char buf[8192];
	size_t len = 0, i;

	ck_assert_int_eq(fw_parse_line(rs, AF_INET, "-A INPUT -j ACCEPT", 10, &err), 0);
	ck_assert_int_eq(fw_parse_line(rs, AF_INET, "-t nat -N X", 11, &err), 0);
	ck_assert_int_eq(fw_parse_line(rs, AF_INET, "-t nat -A X -j DNAT --to-destination 1.2.3.4",
				       12, &err), 0);
	ck_assert_int_eq(fw_parse_line(rs, AF_INET, "-A INPUT -j DROP", 13, &err), 0);
	ck_assert_int_eq(fw_batch_build(rs, 500, &b), 0);
	/* NEWTABLE NEWCHAIN NEWRULE (10), NEWTABLE NEWCHAIN (11), NEWRULE (12),
	 * NEWRULE (13): the kernel refuses 12 and acks the rest. */
	ck_assert_uint_eq(b->nmsgs, 7);
	for (i = 0; i < b->nmsgs; i++)
		len += put_ack(buf + len, b->msgs[i].seq, 77, i == 5 ? -EOPNOTSUPP : 0,
			       i == 5 ? "DNAT only in prerouting" : NULL);
	/* Replies for another socket or batch are ignored. */
	len += put_ack(buf + len, b->msgs[0].seq, 78, -EPERM, NULL);
	len += put_ack(buf + len, 499, 77, -EPERM, NULL);
	ck_assert_int_eq(fw_replies_process(b, buf, len, 77, &st), 0);
	ck_assert(st.done);
	ck_assert_int_eq(st.error, -EOPNOTSUPP);
	ck_assert_uint_eq(st.err_seq, b->msgs[5].seq);
	ck_assert_str_eq(st.extack, "DNAT only in prerouting");
	fw_batch_error(b, st.err_seq, st.error, st.extack, &err);
	ck_assert_uint_eq(err.line, 12);
	ck_assert_uint_eq(err.column, 8);
	ck_assert_int_eq(err.err, -EOPNOTSUPP);
	ck_assert_str_eq(err.msg, "kernel refused the rule: DNAT only in prerouting");

	/* Without extack the errno's text stands in. */
	fw_batch_error(b, b->msgs[1].seq, -EEXIST, "", &err);
	ck_assert_uint_eq(err.line, 10);
	ck_assert_str_eq(err.msg, "cannot create the chain: File exists");

	/* A failure of the whole batch comes on BEGIN's seq and ends it. */
	memset(&st, 0, sizeof(st));
	len = put_ack(buf, b->seq_begin, 77, -EPERM, NULL);
	ck_assert_int_eq(fw_replies_process(b, buf, len, 77, &st), 0);
	ck_assert(st.done);
	fw_batch_error(b, st.err_seq, st.error, st.extack, &err);
	ck_assert_uint_eq(err.line, 0);
	ck_assert_str_eq(err.msg, "kernel refused the transaction: Operation not permitted");

	/* Not done until the last message is acked. */
	memset(&st, 0, sizeof(st));
	len = put_ack(buf, b->msgs[0].seq, 77, 0, NULL);
	ck_assert_int_eq(fw_replies_process(b, buf, len, 77, &st), 0);
	ck_assert(!st.done);
	fw_batch_free(b);
}
END_TEST

START_TEST(test_fw_replies_echo_handle)
{
	struct fw_replies st = { 0 };
	struct fw_batch *b = NULL;
	struct nftnl_rule *r;
	struct nlmsghdr *nlh;
	struct fw_rule *fr;
	char buf[8192];
	size_t len;

	parse_ok("-A INPUT -j ACCEPT");
	ck_assert_int_eq(fw_batch_build(rs, 1, &b), 0);
	/* The kernel's copy of the new rule, with its handle. */
	r = nftnl_rule_alloc();
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, "wglab-ipt-filter");
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, "INPUT");
	nftnl_rule_set_u64(r, NFTNL_RULE_HANDLE, 4242);
	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_NEWRULE, NFPROTO_IPV4, 0, b->msgs[2].seq);
	nlh->nlmsg_pid = 9;
	nftnl_rule_nlmsg_build_payload(nlh, r);
	nftnl_rule_free(r);
	len = nlh->nlmsg_len;
	len += put_ack(buf + len, b->msgs[2].seq, 9, 0, NULL);
	ck_assert_int_eq(fw_replies_process(b, buf, len, 9, &st), 0);
	ck_assert(st.done);
	ck_assert_int_eq(st.error, 0);
	fr = fw_chain_find(fw_table_find(rs, AF_INET, FW_TABLE_FILTER), "INPUT")->first_rule;
	ck_assert_uint_eq(fr->handle[0], 4242);
	fw_batch_free(b);
}
END_TEST

/* After a transaction, only what later lines change is sent: no table or
 * chain again, a policy update without hook, a delete by handle, an insert
 * positioned on a known rule. */
START_TEST(test_fw_batch_incremental)
{
	uint16_t types[16], flags[16];
	uint32_t seqs[16];
	struct fw_batch *b = NULL;
	struct nftnl_rule *r;
	struct fw_chain *c;
	size_t n;

	parse_ok("-A INPUT -i wg0 -j ACCEPT");
	parse_ok("-A INPUT -i eth0 -j ACCEPT");
	c = fw_chain_find(fw_table_find(rs, AF_INET, FW_TABLE_FILTER), "INPUT");
	c->first_rule->handle[0] = 7;
	c->last_rule->handle[0] = 8;
	fw_ops_commit(rs);
	ck_assert_uint_eq(fw_pending(rs), 0);

	parse_ok("-P INPUT DROP");
	parse_ok("-D INPUT -i wg0 -j ACCEPT");
	parse_ok("-I INPUT 2 -s 10.0.0.1 -j DROP");
	ck_assert_int_eq(fw_batch_build(rs, 50, &b), 0);
	n = batch_walk(b, types, seqs, flags, 16);
	ck_assert_uint_eq(n, 5);
	ck_assert_uint_eq(types[1], NFT_MSG_NEWCHAIN);
	ck_assert(!(flags[1] & NLM_F_CREATE));
	ck_assert_uint_eq(types[2], NFT_MSG_DELRULE);
	ck_assert_uint_eq(types[3], NFT_MSG_NEWRULE);
	r = nftnl_rule_alloc();
	ck_assert_int_eq(nftnl_rule_nlmsg_parse(batch_msg(b, 2), r), 0);
	ck_assert_uint_eq(nftnl_rule_get_u64(r, NFTNL_RULE_HANDLE), 7);
	nftnl_rule_free(r);
	/* Rule 2 now follows the eth0 rule (handle 8). */
	r = nftnl_rule_alloc();
	ck_assert_int_eq(nftnl_rule_nlmsg_parse(batch_msg(b, 3), r), 0);
	ck_assert_uint_eq(nftnl_rule_get_u64(r, NFTNL_RULE_POSITION), 8);
	ck_assert(flags[3] & NLM_F_APPEND);
	nftnl_rule_free(r);
	fw_batch_free(b);

	/* A refused transaction leaves the committed state as it was. */
	fw_ops_undo(rs);
	ck_assert_uint_eq(c->nrules, 2);
	ck_assert_uint_eq(c->policy, NF_ACCEPT);
	ck_assert_uint_eq(c->first_rule->handle[0], 7);
}
END_TEST

/* fw_dnat_line: which destinations a DNAT rule may rewrite. */
static const struct {
	const char *rule;	/* on line 5, after a DNAT-free line 4 */
	const char *proto;
	const char *dst;
	uint16_t port;
	int line;		/* 5: the rule may rewrite it; 0: it cannot */
} dnat_cases[] = {
	{ "-t nat -A PREROUTING -i eth0 -p tcp --dport 8080 -j DNAT --to-destination 192.168.1.10:80",
	  "tcp", "203.0.113.2", 8080, 5 },
	{ "-t nat -A PREROUTING -i eth0 -p tcp --dport 8080 -j DNAT --to-destination 192.168.1.10:80",
	  "tcp", "203.0.113.2", 8081, 0 },
	{ "-t nat -A PREROUTING -i eth0 -p tcp --dport 8080 -j DNAT --to-destination 192.168.1.10:80",
	  "udp", "203.0.113.2", 8080, 0 },
	{ "-t nat -A PREROUTING -p tcp --dport 8000:8100 -j DNAT --to-destination 10.0.0.2",
	  "tcp", "203.0.113.2", 8050, 5 },
	{ "-t nat -A PREROUTING -p tcp ! --dport 22 -j DNAT --to-destination 10.0.0.2", "tcp", "203.0.113.2", 22, 0 },
	{ "-t nat -A PREROUTING -p tcp ! --dport 22 -j DNAT --to-destination 10.0.0.2", "tcp", "203.0.113.2", 80, 5 },
	{ "-t nat -A PREROUTING -d 203.0.113.2 -p tcp --dport 80 -j DNAT --to-destination 10.0.0.2", "tcp",
	  "203.0.113.3", 80, 0 },
	{ "-t nat -A PREROUTING -d 203.0.113.0/24 -p tcp --dport 80 -j DNAT --to-destination 10.0.0.2", "tcp",
	  "203.0.113.3", 80, 5 },
	{ "-t nat -A PREROUTING ! -d 203.0.113.2 -p tcp --dport 80 -j DNAT --to-destination 10.0.0.2", "tcp",
	  "203.0.113.2", 80, 0 },
	{ "-t nat -A OUTPUT -j DNAT --to-destination 10.0.0.2", "udp", "198.51.100.1", 53, 5 },
	{ "-t nat -A PREROUTING ! -p udp -j DNAT --to-destination 10.0.0.2", "udp", "198.51.100.1", 53, 0 },
	{ "-t nat -A PREROUTING -p udp -m multiport --dports 53,5000:5010 -j DNAT --to-destination 10.0.0.2",
	  "udp", "198.51.100.1", 5005, 5 },
	{ "-t nat -A PREROUTING -p udp -m multiport --dports 53,5000:5010 -j DNAT --to-destination 10.0.0.2",
	  "udp", "198.51.100.1", 54, 0 },
	{ "-t nat -A PREROUTING -p udp -m multiport --sports 53 -j DNAT --to-destination 10.0.0.2", "udp",
	  "198.51.100.1", 54, 5 },
	{ "-t nat -A PREROUTING -p tcp --dport 80 -j REDIRECT", NULL, NULL, 0, 0 },
	{ "-t nat -A POSTROUTING -p tcp --dport 80 -j MASQUERADE", "tcp", "203.0.113.2", 80, 0 },
	{ "-A FORWARD -p tcp --dport 80 -j ACCEPT", "tcp", "203.0.113.2", 80, 0 },
	{ "ip6tables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination [fd00::2]:8080", "tcp",
	  "fd00::1", 80, 5 },
	{ "ip6tables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination [fd00::2]:8080", "tcp",
	  "203.0.113.2", 80, 0 },
	{ "-t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 10.0.0.2", "tcp", "fd00::1", 80, 0 },
	/* A user chain of the nat table (reached from PREROUTING). */
	{ "-t nat -A FWD -p tcp --dport 80 -j DNAT --to-destination 10.0.0.2", "tcp", "203.0.113.2", 80, 5 },
};

START_TEST(test_fw_dnat_line)
{
	struct fw_error e = { 0 };
	struct addr dst;
	int ret;

	ck_assert_int_eq(fw_parse_line(rs, AF_INET, "-t nat -N FWD", 3, &e), 0);
	ck_assert_int_eq(fw_parse_line(rs, AF_INET, "-t nat -A PREROUTING -j FWD", 4, &e), 0);
	ret = fw_parse_line(rs, AF_INET, dnat_cases[_i].rule, 5, &e);
	/* REDIRECT is not supported: refused, so nothing rewrites. */
	if (!dnat_cases[_i].dst) {
		ck_assert_int_lt(ret, 0);
		return;
	}
	ck_assert_int_eq(ret, 0);
	ck_assert_int_eq(addr_parse(dnat_cases[_i].dst, 0, &dst), 0);
	ck_assert_int_eq(fw_dnat_line(rs, !strcmp(dnat_cases[_i].proto, "tcp") ? IPPROTO_TCP : IPPROTO_UDP, &dst,
				      dnat_cases[_i].port),
			 dnat_cases[_i].line);
}
END_TEST

/* A rule a later -D takes out still counts: the file wrote it. */
START_TEST(test_fw_dnat_line_deleted)
{
	static const char rule[] = "-t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 10.0.0.2";
	struct fw_error e = { 0 };
	struct addr dst;
	char del[sizeof(rule)];

	ck_assert_int_eq(addr_parse("203.0.113.2", 0, &dst), 0);
	ck_assert_int_eq(fw_dnat_line(rs, IPPROTO_TCP, &dst, 80), 0);
	ck_assert_int_eq(fw_parse_line(rs, AF_INET, rule, 7, &e), 0);
	memcpy(del, rule, sizeof(rule));
	del[8] = 'D';
	ck_assert_int_eq(fw_parse_line(rs, AF_INET, del, 8, &e), 0);
	ck_assert_int_eq(fw_dnat_line(rs, IPPROTO_TCP, &dst, 80), 7);
	ck_assert_int_eq(fw_dnat_line(NULL, IPPROTO_TCP, &dst, 80), 0);
}
END_TEST

extern Suite *fw_suite(void);

Suite *fw_suite(void)
{
	Suite *s = suite_create("fw");
	TCase *tc;

	tc = tcase_create("fw_parse_line");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_fw_parse_accepts, 0, sizeof(good_lines) / sizeof(good_lines[0]));
	tcase_add_loop_test(tc, test_fw_parse_errors, 0, sizeof(bad_lines) / sizeof(bad_lines[0]));
	tcase_add_test(tc, test_fw_parse_matches);
	tcase_add_test(tc, test_fw_parse_targets);
	tcase_add_test(tc, test_fw_parse_ipv6);
	tcase_add_test(tc, test_fw_parse_save_format);
	tcase_add_test(tc, test_fw_parse_delete_insert);
	tcase_add_test(tc, test_fw_parse_addresses);
	suite_add_tcase(s, tc);

	tc = tcase_create("fw_dnat_line");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_fw_dnat_line, 0, sizeof(dnat_cases) / sizeof(dnat_cases[0]));
	tcase_add_test(tc, test_fw_dnat_line_deleted);
	suite_add_tcase(s, tc);

	tc = tcase_create("fw_batch");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_fw_batch_framing);
	tcase_add_loop_test(tc, test_fw_exprs_translate, 0, sizeof(translations) / sizeof(translations[0]));
	tcase_add_test(tc, test_fw_exprs_four_rules);
	tcase_add_test(tc, test_fw_batch_incremental);
	tcase_add_test(tc, test_fw_replies_map_error);
	tcase_add_test(tc, test_fw_replies_echo_handle);
	suite_add_tcase(s, tc);
	return s;
}
