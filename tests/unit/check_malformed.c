// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * Malformed scenarios: each must be refused with -EINVAL, never crash, and
 * its first error (sorted as the CLI prints them) must be exactly
 * "file:line:col: message".  The table covers every statement family; the
 * other tests feed huge inputs (a 1 MiB line, 100 000 lines, a block over
 * the limit), NUL bytes and deep includes from a temporary directory.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lab/lang/diag.h"
#include "lab/lang/model.h"
#include "lab/lang/scenario.h"

extern Suite *malformed_suite(void);

/* Common beginnings: two nodes, a wire between them, WireGuard on both
 * ends, a wg-quick block, a firewall block. */
#define H "node a\nnode b\n"
#define L H "link a:eth0 10.0.0.1/24 -- b:eth0 10.0.0.2/24\n"
#define W L "wireguard a:wg0\nwireguard b:wg0\n"
#define Q L "wg-quick a:wg0 <<\n[Interface]\n"
#define F L "firewall a <<\n"

struct malformed {
	const char *what;
	const char *text;
	size_t len;		/* text may hold NUL bytes */
	const char *first;	/* the first error, as printed */
};

#define M(what, text, first) { what, text, sizeof(text) - 1, first }

static const struct malformed cases[] = {
	M("addr octet",
	  H "link a:eth0 10.0.0.300/24 -- b:eth0 10.0.0.2/24\n",
	  "t.lab:3:13: '10.0.0.300/24' is not an IP address"),
	M("addr noprefix",
	  H "link a:eth0 10.0.0.1 -- b:eth0 10.0.0.2/24\n",
	  "t.lab:3:13: '10.0.0.1' needs a prefix length (e.g. 10.0.0.1/24)"),
	M("addr prefix long",
	  H "link a:eth0 10.0.0.1/33 -- b:eth0 10.0.0.2/24\n",
	  "t.lab:3:13: prefix length of '10.0.0.1/33' is too long"),
	M("addr v6 bad",
	  H "link a:eth0 fd00::1::2/64 -- b:eth0 fd00::2/64\n",
	  "t.lab:3:13: 'fd00::1::2/64' is not an IP address"),
	M("addr twice",
	  L "address a:eth0 add 10.0.0.1/24\n",
	  "t.lab:4:9: address 10.0.0.1 is already on node 'a'"),
	M("addr replace",
	  L "address a:eth0 replace 10.0.0.5/24\n",
	  "t.lab:4:16: addresses are added or deleted (add, del)"),
	M("host name label",
	  "node a name vpn..example.com\n",
	  "t.lab:1:13: invalid host name 'vpn..example.com' (labels of letters, digits and '-', joined by '.'; not an address)"),
	M("host name dash",
	  "node a name -vpn.example.com\n",
	  "t.lab:1:13: invalid host name '-vpn.example.com' (labels of letters, digits and '-', joined by '.'; not an address)"),
	M("host name address",
	  "node a name 10.0.0.1\n",
	  "t.lab:1:13: invalid host name '10.0.0.1' (labels of letters, digits and '-', joined by '.'; not an address)"),
	M("host name missing",
	  "node a name\n",
	  "t.lab:1:12: missing host name"),
	M("host name of a node",
	  H "node c name b\n",
	  "t.lab:3:6: host name 'b' is the name of a node"),
	M("host name twice",
	  "node a name vpn.example.com\nnode b name VPN.example.com\n",
	  "t.lab:2:6: host name 'VPN.example.com' is already a name of node 'a'"),
	M("unknown host name dest",
	  L "expect a reaches this-is-a-long-host-name.example.com\n",
	  "t.lab:4:18: unknown node or host name 'this-is-a-long-host-name.example.com' (the lab has no DNS: `node NODE name this-is-a-long-host-name.example.com` gives a node that name)"),
	M("unknown node link",
	  "node a\n" "link a:eth0 10.0.0.1/24 -- c:eth0 10.0.0.2/24\n",
	  "t.lab:2:28: unknown node 'c'"),
	M("unknown node route",
	  L "route c default via 10.0.0.1\n",
	  "t.lab:4:7: unknown node 'c'"),
	M("unknown node expect",
	  L "expect c reaches 10.0.0.2\n",
	  "t.lab:4:8: unknown node 'c'"),
	M("unknown if",
	  L "address a:eth9 10.0.1.1/24\n",
	  "t.lab:4:9: node 'a' has no interface 'eth9'"),
	M("ifname 16",
	  H "link a:abcdefghijklmnop 10.0.0.1/24 -- b:eth0 10.0.0.2/24\n",
	  "t.lab:3:6: interface name 'abcdefghijklmnop' is longer than 15 bytes"),
	M("ifname slash",
	  H "link a:e/0 10.0.0.1/24 -- b:eth0 10.0.0.2/24\n",
	  "t.lab:3:6: interface name 'e/0' has a character the kernel refuses ('/', ':', blanks)"),
	M("route dev unknown",
	  L "route a 10.9.0.0/16 dev nope0\n",
	  "t.lab:4:25: node 'a' has no interface 'nope0'"),
	M("wgq endpoint host",
	  W "wg-quick a:wg1 <<\n[Interface]\n" "PrivateKey = @generate\n" "[Peer]\n" "PublicKey = @b:wg0\n" "Endpoint = nowhere:51820\n" ">>\n",
	  "t.lab:11:12: Endpoint host 'nowhere' is neither an address nor a node (the lab has no DNS: `node NODE name nowhere`)"),
	M("route dev 16",
	  L "route a default dev abcdefghijklmnop\n",
	  "t.lab:4:21: interface name 'abcdefghijklmnop' is longer than 15 bytes"),
	M("ipv6 on",
	  "node a ipv6 on\n",
	  "t.lab:1:13: expected 'off' after 'ipv6' (IPv6 is on by default)"),
	M("ipv6 off link",
	  "node a ipv6 off\nnode b\n" "link b:eth0 fd00::2/64 -- a:eth0 10.0.0.1/24 fd00::1/64\n",
	  "t.lab:3:27: node 'a' has IPv6 off (t.lab:1): no IPv6 address or route in it"),
	M("ipv6 off lan",
	  "node a ipv6 off\nnode b\n" "lan l 10.0.0.0/24 fd00::/64 b:eth0=.2 a:eth0=.1\n",
	  "t.lab:3:39: node 'a' has IPv6 off (t.lab:1): no IPv6 address or route in it"),
	M("ipv6 off address",
	  "node a router ipv6 off\nnode b\n" "link a:eth0 10.0.0.1/24 -- b:eth0 10.0.0.2/24\n"
	  "address a:eth0 add fd00::1/64\n",
	  "t.lab:4:9: node 'a' has IPv6 off (t.lab:1): no IPv6 address or route in it"),
	M("ipv6 off route",
	  "node a ipv6 off\nnode b\n" "link a:eth0 10.0.0.1/24 -- b:eth0 10.0.0.2/24\n"
	  "route a 2001:db8::/32 dev eth0\n",
	  "t.lab:4:7: node 'a' has IPv6 off (t.lab:1): no IPv6 address or route in it"),
	M("ipv6 off wireguard",
	  "node a ipv6 off\n" "wireguard a:wg0 address 10.9.0.1/24,fd09::1/64\n",
	  "t.lab:2:11: node 'a' has IPv6 off (t.lab:1): no IPv6 address or route in it"),
	M("ipv6 off wg-quick address",
	  "node a ipv6 off\n" "wg-quick a:wg0 <<\n[Interface]\n" "Address = 10.8.0.1/24\n" "Address = 10.8.1.1/24, fd08::1/64\n"
	  ">>\n",
	  "t.lab:5:11: node 'a' has IPv6 off (t.lab:1): no IPv6 address or route in it"),
	M("ipv6 off wg-quick allowedips",
	  "node a ipv6 off\n" "wg-quick a:wg0 <<\n[Interface]\n" "PrivateKey = @generate\n" "[Peer]\n"
	  "PublicKey = 9uvQ33Nf0mJ6sbFrORyqbv3FJzYVhm0bqQQ7zGRjqW4=\n" "AllowedIPs = 10.8.0.0/24, ::/0\n" ">>\n",
	  "t.lab:7:14: node 'a' has IPv6 off (t.lab:1): no IPv6 address or route in it"),
	M("dup node",
	  "node a\n" "node   a\n",
	  "t.lab:2:8: 'a' is already defined at t.lab:1"),
	M("dup if",
	  L "link a:eth0 10.0.1.1/24 -- b:eth1 10.0.1.2/24\n",
	  "t.lab:4:6: interface 'a:eth0' already exists (t.lab:3)"),
	M("lan node clash",
	  H "lan a 10.0.0.0/24 b:eth0=.2\n",
	  "t.lab:3:5: 'a' is already defined at t.lab:1"),
	/* A kept lab binds node N at LAB-N, lan L at LAB-lan-L: one name. */
	M("lan after node lan-x",
	  "node lan-x\n" "node y\n" "lan x 10.4.0.0/24 lan-x:eth0 y:eth0\n",
	  "t.lab:3:5: lan 'x' and node 'lan-x' (t.lab:1) would both be kept as LAB-lan-x (wglab up): rename one"),
	M("node lan-x after lan x",
	  "node y\n" "lan x 10.4.0.0/24 y:eth0\n" "node lan-x\n",
	  "t.lab:3:6: node 'lan-x' and lan 'x' (t.lab:2) would both be kept as LAB-lan-x (wglab up): rename one"),
	M("node name bad",
	  "node -x\n",
	  "t.lab:1:6: invalid node name '-x' (letters, digits, '-', '_', '.'; at most 32 bytes)"),
	M("node name long",
	  "node nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn\n",
	  "t.lab:1:6: invalid node name 'nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn' (letters, digits, '-', '_', '.'; at most 32 bytes)"),
	M("lab twice",
	  "lab x\n" "lab y\n" "node a\n",
	  "t.lab:2:1: the lab is already named 'x' at t.lab:1"),
	M("family route",
	  L "route a 10.1.0.0/16 via fd00::1\n",
	  "t.lab:4:25: 'fd00::1' is IPv6 but the statement is IPv4"),
	M("family route flag",
	  L "route a -6 10.1.0.0/16 via 10.0.0.2\n",
	  "t.lab:4:12: '10.1.0.0/16' is IPv4 but the statement is IPv6"),
	M("family reach",
	  L "expect a reaches 10.0.0.2 from fd00::1\n",
	  "t.lab:4:32: source and destination are of different address families"),
	M("family rule",
	  L "rule a from 10.0.0.0/8 to fd00::/8 table 10\n",
	  "t.lab:4:27: 'fd00::/8' is IPv6 but the statement is IPv4"),
	M("lan member outside",
	  H "lan l 192.168.1.0/24 a:eth0=10.0.0.1\n",
	  "t.lab:3:22: address '10.0.0.1' is in none of the lan's subnets"),
	M("lan host fit",
	  H "lan l 192.168.1.0/30 a:eth0=.7\n",
	  "t.lab:3:22: host part '.7' does not fit subnet 192.168.1.0/30"),
	M("unterminated quote",
	  H "lab x \"unterminated\n",
	  "t.lab:3:7: unterminated quoted string"),
	M("unterminated block",
	  F "-A INPUT -j ACCEPT\n",
	  "t.lab:4:1: block opened with '<<' is not closed with '>>'"),
	M("block no stmt",
	  L "<<\n" ">>\n",
	  "t.lab:4:1: '<<' opens a block for no statement"),
	M("block not taken",
	  L "node c <<\n" ">>\n",
	  "t.lab:4:1: 'node' takes no << block"),
	M("nul line",
	  H "node c\x00" "d\n",
	  "t.lab:3:7: NUL byte in scenario text"),
	M("nul block",
	  F "-A INPUT\x00 -j ACCEPT\n" ">>\n",
	  "t.lab:5:9: NUL byte in scenario text"),
	M("wgq privkey short",
	  Q "PrivateKey = abc\n" ">>\n",
	  "t.lab:6:14: key is not the correct length or format (3 characters; a key is 44 of base64, ending in '=')"),
	M("wgq privkey bad64",
	  Q "PrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBm!=\n" ">>\n",
	  "t.lab:6:14: key is not the correct length or format (44 characters; a key is 44 of base64, ending in '=')"),
	M("wgq privkey long",
	  Q "PrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmkAAAA=\n" ">>\n",
	  "t.lab:6:14: key is not the correct length or format (48 characters; a key is 44 of base64, ending in '=')"),
	M("wgq pubkey bad",
	  Q "PrivateKey = @generate\n" "[Peer]\n" "PublicKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk\n" ">>\n",
	  "t.lab:8:13: key is not the correct length or format (43 characters; a key is 44 of base64, ending in '=')"),
	M("wgq pubkey ref missing",
	  Q "PrivateKey = @generate\n" "[Peer]\n" "PublicKey = @b:wg0\n" ">>\n",
	  "t.lab:8:13: PublicKey '@b:wg0': the scenario defines no WireGuard interface b:wg0"),
	M("wgq unknown key",
	  Q "PrivateKey = @generate\n" "ListenPot = 1\n" ">>\n",
	  "t.lab:7:1: unknown key 'ListenPot' in [Interface]"),
	M("wgq port",
	  Q "ListenPort = 70000\n" ">>\n",
	  "t.lab:6:14: port is not a number from 0 to 65535: '70000'"),
	M("wgq section",
	  L "wg-quick a:wg0 <<\n" "[Interfaces]\n" ">>\n",
	  "t.lab:5:1: unknown section '[Interfaces]'"),
	M("wgq section blanks",
	  L "wg-quick a:wg0 <<\n" "[ Interface ]\n" "PrivateKey = @generate\n" "Address = 10.9.0.1/24\n" ">>\n",
	  "t.lab:7:1: 'Address' is wg-quick's only after a line that is exactly [Interface], not '[ Interface ]': wg gets it (Line unrecognized: `Address=10.9.0.1/24')"),
	M("wgq allowedips",
	  Q "[Peer]\n" "PublicKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n" "AllowedIPs = 10.0.0.0/33\n" ">>\n",
	  "t.lab:8:14: AllowedIP is not in the correct format: '10.0.0.0/33'"),
	M("wgq endpoint",
	  Q "[Peer]\n" "PublicKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n" "Endpoint = 10.0.0.2\n" ">>\n",
	  "t.lab:8:20: unable to find port of endpoint: '10.0.0.2'"),
	M("wgq peer nokey",
	  Q "[Peer]\n" "AllowedIPs = 10.0.0.0/24\n" ">>\n",
	  "t.lab:6:1: a peer is missing a public key"),
	M("wg privkey",
	  L "wireguard a:wg0 private-key abc\n",
	  "t.lab:4:29: key is not the correct length or format (3 characters; a key is 44 of base64, ending in '=')"),
	M("wg psk",
	  W "peer a:wg0 b:wg0 preshared-key xyz\n",
	  "t.lab:6:32: key is not the correct length or format (3 characters; a key is 44 of base64, ending in '=')"),
	M("wg port",
	  L "wireguard a:wg0 listen-port 0x1ffff\n",
	  "t.lab:4:29: port is not a number from 0 to 65535: '0x1ffff'"),
	M("peer unknown",
	  L "wireguard a:wg0\n" "peer a:wg0 b:wg0\n",
	  "t.lab:5:12: the scenario defines no WireGuard interface 'b:wg0'"),
	M("peer not wg",
	  L "wireguard a:wg0\n" "peer a:eth0 a:wg0\n",
	  "t.lab:5:6: 'a:eth0' is not a WireGuard interface"),
	M("fw unknown opt",
	  F "-A INPUT --frob 1 -j ACCEPT\n" ">>\n",
	  "t.lab:5:10: unsupported option '--frob'"),
	M("fw bad target",
	  F "-A INPUT -j ACCEPTT\n" ">>\n",
	  "t.lab:5:13: unknown target 'ACCEPTT'"),
	M("fw bad chain",
	  L "firewall a -A NOCHAIN -j ACCEPT\n",
	  "t.lab:4:15: chain 'NOCHAIN' does not exist in table filter"),
	M("fw bad proto",
	  L "firewall a -A INPUT -p tcpx -j ACCEPT\n",
	  "t.lab:4:24: unknown protocol 'tcpx'"),
	M("fw bad port",
	  L "firewall a -A INPUT -p tcp --dport 65536 -j ACCEPT\n",
	  "t.lab:4:36: bad port or port range '65536'"),
	M("fw dport noproto",
	  L "firewall a -A INPUT --dport 22 -j ACCEPT\n",
	  "t.lab:4:21: option '--dport' needs -p tcp or -p udp before it"),
	M("fw no commit",
	  F "*filter\n" "-A INPUT -j ACCEPT\n" ">>\n",
	  "t.lab:5:1: COMMIT missing for *filter"),
	M("fw snat in filter",
	  L "firewall a -A FORWARD -j SNAT --to-source 1.2.3.4\n",
	  "t.lab:4:26: SNAT needs the nat table"),
	M("fw dnat bad to",
	  L "firewall a -t nat -A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.300\n",
	  "t.lab:4:65: bad address or port range '10.0.0.300'"),
	M("fw reject in mangle",
	  L "firewall a -t mangle -A INPUT -j REJECT\n",
	  "t.lab:4:34: REJECT is valid only in the filter table"),
	M("fw reject in mangle block",
	  F "*mangle\n" "-A FORWARD -j REJECT\n" "COMMIT\n" ">>\n",
	  "t.lab:6:15: REJECT is valid only in the filter table"),
	M("fw block word",
	  L "firewall a iptables4 <<\n" "-A INPUT -j ACCEPT\n" ">>\n",
	  "t.lab:4:12: a firewall block takes no rule on its first line, only iptables or ip6tables"),
	M("fw block ipv6 rule as ipv4",
	  F "-A INPUT -s fd00::1 -j ACCEPT\n" ">>\n",
	  "t.lab:5:13: 'fd00::1' is not an IPv4 address"),
	M("fw ip6tables block ipv4 rule",
	  L "firewall a ip6tables <<\n" "-A INPUT -s 10.0.0.1 -j ACCEPT\n" ">>\n",
	  "t.lab:5:13: '10.0.0.1' is not an IPv6 address"),
	M("fw ip6tables-save in iptables block",
	  L "firewall a iptables <<\n" "  # Generated by ip6tables-save v1.8.9\n" "*filter\n" "COMMIT\n" ">>\n",
	  "t.lab:5:3: ip6tables-save output in a block marked iptables: write firewall a ip6tables <<"),
	M("fw iptables-save in ip6tables block",
	  L "firewall a ip6tables <<\n" "# Generated by iptables-save v1.8.9\n" ">>\n",
	  "t.lab:5:1: iptables-save output in a block marked ip6tables: write firewall a iptables <<"),
	M("fw address list element",
	  L "firewall a -A INPUT -s 10.0.0.1,10.0.0.256 -j DROP\n",
	  "t.lab:4:33: bad address '10.0.0.256'"),
	M("fw negated address list",
	  F "-A INPUT ! -d 10/8,192.168/16 -j DROP\n" ">>\n",
	  "t.lab:5:15: '!' cannot be used with a list of addresses '10/8,192.168/16'"),
	M("fw unknown node",
	  L "firewall c -A INPUT -j ACCEPT\n",
	  "t.lab:4:10: unknown node 'c'"),
	M("nat bad preset",
	  L "nat a eth0 preset nosuch\n",
	  "t.lab:4:19: unknown preset 'nosuch' (home, port-restricted, full-cone, restricted-cone, symmetric, carrier-rfc6888, carrier-random, cgnat = carrier-random, masquerade)"),
	M("nat bad mapping",
	  L "nat a eth0 mapping sideways\n",
	  "t.lab:4:20: bad mapping 'sideways' (EIM, ADM, APDM)"),
	M("nat bad timeout",
	  L "nat a eth0 udp-timeout 5x\n",
	  "t.lab:4:24: bad udp-timeout '5x' (whole seconds with a unit, 1s to 24h)"),
	M("nat no if",
	  L "nat a eth7\n",
	  "t.lab:4:7: node 'a' has no interface 'eth7'"),
	M("nat missing if",
	  L "nat a\n",
	  "t.lab:4:6: missing the outside interface (nat NODE OUT_IF ...)"),
	M("duration bad",
	  L "wait 5 s\n",
	  "t.lab:4:6: expected a duration with a unit (5s, 500ms)"),
	M("duration unit",
	  L "wait 5h\n",
	  "t.lab:4:6: '5h' is not a duration (e.g. 2s, 500ms)"),
	M("duration long",
	  L "wait 25h\n",
	  "t.lab:4:6: '25h' is not a duration (e.g. 2s, 500ms)"),
	M("within bad",
	  L "expect a reaches 10.0.0.2 within soon\n",
	  "t.lab:4:34: 'soon' is not a duration (e.g. 2s, 500ms)"),
	M("rate bad",
	  H "link a:eth0 10.0.0.1/24 -- b:eth0 10.0.0.2/24 rate 10furlongs\n",
	  "t.lab:3:52: '10furlongs' is not a rate (e.g. 100mbit, 1gbit)"),
	M("rate zero",
	  H "link a:eth0 10.0.0.1/24 -- b:eth0 10.0.0.2/24 rate 0mbit\n",
	  "t.lab:3:52: '0mbit' is out of range (1bit to 10tbit)"),
	M("mtu low",
	  H "link a:eth0 10.0.0.1/24 -- b:eth0 10.0.0.2/24 mtu 67\n",
	  "t.lab:3:51: '67' is out of range (68-65535)"),
	M("loss bad",
	  H "link a:eth0 10.0.0.1/24 -- b:eth0 10.0.0.2/24 loss 101%\n",
	  "t.lab:3:52: '101%' is not a loss percentage (e.g. 1%)"),
	M("port zero",
	  L "expect a reaches 10.0.0.2 tcp 0\n",
	  "t.lab:4:31: '0' is out of range (1-65535)"),
	M("port big",
	  L "serve b tcp 65536\n",
	  "t.lab:4:13: '65536' is out of range (1-65535)"),
	M("serve addrport",
	  L "serve b udp 10.0.0.2:x\n",
	  "t.lab:4:13: '10.0.0.2:x' is not ADDRESS:PORT (IPv6 as [ADDRESS]:PORT)"),
	M("serve proto",
	  L "serve b sctp 80\n",
	  "t.lab:4:9: unknown protocol 'sctp' (tcp, udp, http)"),
	M("http status",
	  L "serve b http 80 status 600\n",
	  "t.lab:4:24: '600' is out of range (100-599)"),
	M("run exit",
	  L "run a exit 256 -- true\n",
	  "t.lab:4:12: '256' is out of range (0-255)"),
	M("run nocmd",
	  L "run a timeout 1s\n",
	  "t.lab:4:17: missing command (run NODE -- CMD ARG... or a << script >>)"),
	M("twin missing label",
	  L "@r expect a reaches 10.0.0.2\n" "twin t \"why\" <<\n" "drop @nope\n" "fails @r\n" ">>\n",
	  "t.lab:6:6: twin 't' drops '@nope', which labels nothing"),
	M("twin fails missing",
	  L "@r expect a reaches 10.0.0.2\n" "@x address a:eth0 10.0.9.1/24\n" "twin t \"why\" <<\n" "drop @x\n" "fails @nope\n" ">>\n",
	  "t.lab:8:7: twin 't': '@nope' labels nothing"),
	M("twin fails not expect",
	  L "@r expect a reaches 10.0.0.2\n" "@x address a:eth0 10.0.9.1/24\n" "twin t \"why\" <<\n" "drop @r\n" "fails @x\n" ">>\n",
	  "t.lab:8:7: twin 't': '@x' is not an expectation (expect, run, nat)"),
	M("twin fails dropped",
	  L "@r expect a reaches 10.0.0.2\n" "twin t \"why\" <<\n" "drop @r\n" "fails @r\n" ">>\n",
	  "t.lab:7:7: twin 't' drops @r, which it says must fail: it cannot fail if it does not run"),
	M("twin fails added by another",
	  L "@r expect a reaches 10.0.0.2\n" "@x expect b reaches 10.0.0.1\n" "@f firewall b -A INPUT -j DROP\n"
	    "twin u \"why\" <<\n" "add @x\n" "fails @x\n" ">>\n" "twin t \"why\" <<\n" "add @f\n" "fails @r @x\n" ">>\n",
	  "t.lab:13:10: twin 't' says @x must fail, but only the twins that add it run it: it cannot fail if it does not run"),
	M("label more alone",
	  L "@r expect a reaches 10.0.0.2\n" "expect b reaches 10.0.0.1\n" "@r+ expect a reaches 10.0.0.2\n",
	  "t.lab:6:1: '@r+' continues no label: the statement before is not labelled '@r'"),
	M("twin dropline missing",
	  L "@r expect a reaches 10.0.0.2\n" "twin t \"why\" <<\n" "drop-line \"-A INPUT -j DROP\"\n" "fails @r\n" ">>\n",
	  "t.lab:6:11: twin 't' drops the line \"-A INPUT -j DROP\", which is in no block"),
	M("twin no reason",
	  L "@r expect a reaches 10.0.0.2\n" "twin t <<\n" "drop @r\n" "fails @r\n" ">>\n",
	  "t.lab:5:7: missing the reason the twin must fail, in quotes"),
	M("twin dup",
	  L "@r expect a reaches 10.0.0.2\n" "@s expect a reaches 10.0.0.1\n" "twin t \"w\" <<\n" "drop @s\n" "fails @r\n" ">>\n" "twin t \"w\" <<\n" "drop @s\n" "fails @r\n" ">>\n",
	  "t.lab:10:1: twin 't' is already defined at line 6"),
	M("twin directive",
	  L "@r expect a reaches 10.0.0.2\n" "twin t \"w\" <<\n" "remove @r\n" ">>\n",
	  "t.lab:5:1: twin 't' changes nothing (no drop, drop-line or add)"),
	M("twin noblock",
	  L "twin t \"w\"\n",
	  "t.lab:4:1: 'twin' needs a block: twin NAME \"why\" << ... >>"),
	M("label reused",
	  L "@r expect a reaches 10.0.0.2\n" "@r expect b reaches 10.0.0.1\n",
	  "t.lab:5:1: label '@r' is already used at line 4"),
	M("label bad",
	  L "@r!x expect a reaches 10.0.0.2\n",
	  "t.lab:4:1: invalid label '@r!x'"),
	M("label alone",
	  L "@r\n",
	  "t.lab:4:1: label '@r' labels nothing"),
	M("label on lab",
	  "@x lab y\n" "node a\n",
	  "t.lab:1:4: 'lab' cannot carry a label"),
	M("unknown stmt",
	  L "frobnicate a\n",
	  "t.lab:4:1: unknown statement 'frobnicate'"),
	M("sysctl host",
	  L "sysctl a kernel.panic=1\n",
	  "t.lab:4:10: 'kernel.panic' is not a net.* sysctl: only those belong to a node's namespace"),
	M("sysctl dotdot",
	  L "sysctl a net.ipv4..x=1\n",
	  "t.lab:4:10: invalid sysctl key 'net.ipv4..x'"),
	M("rule notable",
	  L "rule a from 10.0.0.0/8\n",
	  "t.lab:4:23: rule needs 'table T'"),
	M("rule fwmark",
	  L "rule a fwmark 0x1/0x1ffffffff table 5\n",
	  "t.lab:4:15: '0x1/0x1ffffffff' is not a mark (N or N/MASK)"),
	M("route nogw",
	  L "route a 10.1.0.0/16\n",
	  "t.lab:4:20: route needs 'via GATEWAY' or 'dev IF'"),
	M("expect kind",
	  L "expect a frobs 10.0.0.2\n",
	  "t.lab:4:10: unknown expectation 'frobs'"),
	M("sees filter syntax",
	  L "expect a:eth0 sees no \"tcp port 80 and and\"\n",
	  "t.lab:4:23: bad capture filter 'tcp port 80 and and': can't parse filter expression: syntax error"),
	M("sees filter port",
	  L "expect b:eth0 sees \"udp port 70000\" at least 2\n",
	  "t.lab:4:20: bad capture filter 'udp port 70000': illegal port number 70000 > 65535"),
	M("include missing",
	  L "include /nonexistent-wglab/missing.lab\n",
	  "t.lab:4:9: Unable to read '/nonexistent-wglab/missing.lab': No such file or directory"),
	M("include abs dir",
	  L "include /\n",
	  "t.lab:4:9: Unable to read '/': Is a directory"),
	M("wglab ifname",
	  H "link a:wglab0 10.0.0.1/24 -- b:eth0 10.0.0.2/24\n",
	  "t.lab:3:6: interface names starting with 'wglab' are the lab's own"),
	M("lo ifname",
	  H "link a:lo 10.0.0.1/24 -- b:eth0 10.0.0.2/24\n",
	  "t.lab:3:6: 'lo' exists in every node; pick another interface name"),
	M("link same ends",
	  H "link a:eth0 10.0.0.1/24 -- a:eth0 10.0.0.2/24\n",
	  "t.lab:3:28: both ends are 'a:eth0'"),
	M("link no dashdash",
	  H "link a:eth0 10.0.0.1/24 b:eth0 10.0.0.2/24\n",
	  "t.lab:3:25: 'b:eth0' is not an IP address"),
	M("endpoint learned none",
	  W "expect a:wg0 endpoint b:wg0 learned none\n",
	  "t.lab:6:37: 'learned none' cannot be: use 'is none'"),
	M("endpoint neither is nor learned",
	  W "expect a:wg0 endpoint b:wg0 10.0.0.2:51820\n",
	  "t.lab:6:29: missing 'is ADDRESS:PORT' (or ADDRESS:* or none) or 'learned ADDRESS:PORT'"),
	M("capture ring too small",
	  L "capture a:eth0 ring 1K\n",
	  "t.lab:4:21: ring size must be from 256KiB to 1GiB"),
	M("endpoint host",
	  W "peer a:wg0 b:wg0 endpoint nowhere:51820\n",
	  "t.lab:6:27: endpoint host 'nowhere' is neither an address nor a node (the lab has no DNS: `node NODE name nowhere`)"),
	M("URL host name",
	  L "expect a gets http://www.example.net:8080/\n",
	  "t.lab:4:15: unknown node or host name 'www.example.net' (the lab has no DNS: `node NODE name www.example.net` gives a node that name)"),
	M("keepalive bad",
	  W "peer a:wg0 b:wg0 persistent-keepalive 70000\n",
	  "t.lab:6:39: persistent keepalive interval is neither 0/off nor 1-65535: '70000'"),
	M("allowed bad",
	  W "peer a:wg0 b:wg0 allowed-ips 10.0.0.0/40\n",
	  "t.lab:6:30: AllowedIP is not in the correct format: '10.0.0.0/40'"),
	M("cr only",
	  "node a\rnode b\n",
	  "t.lab:1:8: unknown node option 'node' (router, ipv6 off, name HOST)"),
	M("utf8 ifname",
	  H "link a:\xc3\xa9th0 10.0.0.1/24 -- b:eth0 10.0.0.2/24\n",
	  "t.lab:3:6: interface name '\xc3\xa9th0' has a character the kernel refuses ('/', ':', blanks)"),
	M("escaped quote unterminated",
	  H "lab x \"a \\\" b\n",
	  "t.lab:3:7: unterminated quoted string"),
	M("link mtu missing",
	  H "link a:eth0 10.0.0.1/24 -- b:eth0 10.0.0.2/24 mtu\n",
	  "t.lab:3:50: missing MTU"),
	M("handshake not wg",
	  L "expect a:eth0 handshake b:eth0\n",
	  "t.lab:4:8: 'a:eth0' is not a WireGuard interface"),
	M("wait negative",
	  L "wait -1s\n",
	  "t.lab:4:6: '-1s' is not a duration (e.g. 2s, 500ms)"),
	M("wait inf",
	  L "wait 1e400s\n",
	  "t.lab:4:6: '1e400s' is not a duration (e.g. 2s, 500ms)"),
	M("rate huge",
	  H "link a:eth0 10.0.0.1/24 -- b:eth0 10.0.0.2/24 rate 1e20gbit\n",
	  "t.lab:3:52: '1e20gbit' is not a rate (e.g. 100mbit, 1gbit)"),
	M("http body missing",
	  L "serve b http 80 body\n",
	  "t.lab:4:21: missing body"),
	M("reach tcp noport",
	  L "expect a reaches 10.0.0.2 tcp\n",
	  "t.lab:4:30: missing port"),
	M("route table0",
	  L "route a -6 default via fe80::1 dev eth0 table 0\n",
	  "t.lab:4:47: '0' is out of range (1-4294967295)"),
	M("rule fwmark emptymask",
	  L "rule a fwmark 0x1/ table 5\n",
	  "t.lab:4:15: '0x1/' is not a mark (N or N/MASK)"),
	M("fw src prefix",
	  F "-A INPUT -s 10.0.0.0/33 -j DROP\n" ">>\n",
	  "t.lab:5:13: bad address '10.0.0.0/33'"),
	M("fw extra word",
	  F "-A INPUT -j DROP extra\n" ">>\n",
	  "t.lab:5:18: unexpected argument 'extra'"),
	M("fw policy bad",
	  F "-P INPUT MAYBE\n" ">>\n",
	  "t.lab:5:10: bad policy 'MAYBE' (ACCEPT or DROP)"),
	M("fw new chain noname",
	  F "-N\n" ">>\n",
	  "t.lab:5:1: '-N' needs a chain name"),
	M("fw insert zero",
	  F "-I INPUT 0 -j DROP\n" ">>\n",
	  "t.lab:5:10: rule numbers start at 1"),
	M("fw delete missing",
	  F "-D INPUT -j DROP\n" ">>\n",
	  "t.lab:5:1: no matching rule in chain INPUT"),
	M("fw commit nosection",
	  F "COMMIT\n" ">>\n",
	  "t.lab:5:1: COMMIT without a *table line"),
	M("fw mports many",
	  F "-A INPUT -p tcp -m multiport --dports 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16 -j DROP\n" ">>\n",
	  "t.lab:5:39: more than 15 ports (a range counts as two)"),
	M("fw range reversed",
	  F "-A INPUT -p tcp --dport 5:3 -j DROP\n" ">>\n",
	  "t.lab:5:25: bad port or port range '5:3'"),
	M("fw ifname long",
	  F "-A INPUT -i verylonginterface0 -j DROP\n" ">>\n",
	  "t.lab:5:13: bad interface name 'verylonginterface0'"),
	M("fw table bogus",
	  F "-t bogus -A INPUT -j DROP\n" ">>\n",
	  "t.lab:5:4: unknown table 'bogus'"),
	M("fw drop in nat",
	  F "-t nat -A PREROUTING -j DROP\n" ">>\n",
	  "t.lab:5:25: the nat table is not intended for filtering, the use of DROP is therefore inhibited"),
	M("fw v6 in v4",
	  F "-A INPUT -s fd00::/8 -j DROP\n" ">>\n",
	  "t.lab:5:13: 'fd00::/8' is not an IPv4 address"),
	M("fw input in nat post",
	  F "-t nat -A INPUT -j MASQUERADE\n" ">>\n",
	  "t.lab:5:20: MASQUERADE is only valid in POSTROUTING"),
	M("nat hairpin",
	  L "nat a eth0 hairpin maybe\n",
	  "t.lab:4:20: 'hairpin' is on or off, not 'maybe'"),
	M("nat port",
	  L "nat a eth0 port sideways\n",
	  "t.lab:4:17: bad port 'sideways' (preserve, random)"),
	M("nat filtering",
	  L "nat a eth0 filtering open\n",
	  "t.lab:4:22: bad filtering 'open' (EIF, ADF, APDF)"),
	M("wgq mtu",
	  Q "MTU = 10\n" ">>\n",
	  "t.lab:6:7: MTU is not a number from 68 to 65535: '10'"),
	M("wgq table",
	  Q "Table = x\n" ">>\n",
	  "t.lab:6:9: table is neither auto, off, main, local, default nor 1-4294967295: 'x'"),
	M("wgq fwmark",
	  Q "FwMark = 0xz\n" ">>\n",
	  "t.lab:6:10: fwmark is neither 0/off nor 0-0xffffffff: '0xz'"),
	M("wgq saveconfig",
	  Q "SaveConfig = maybe\n" ">>\n",
	  "t.lab:6:14: 'maybe' is neither true nor false"),
	M("wgq keepalive",
	  Q "[Peer]\n" "PublicKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n" "PersistentKeepalive = 99999\n" ">>\n",
	  "t.lab:8:23: persistent keepalive interval is neither 0/off nor 1-65535: '99999'"),
	M("wgq endpoint v6",
	  Q "[Peer]\n" "PublicKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n" "Endpoint = [fd00::1:51820\n" ">>\n",
	  "t.lab:8:12: unable to find matching brace of endpoint: '[fd00::1:51820'"),
	M("wgq privkey ref",
	  Q "PrivateKey = @other\n" ">>\n",
	  "t.lab:6:14: PrivateKey '@other': only @generate or a key"),
	M("wgq address",
	  Q "Address = 10.0.0.1/40\n" ">>\n",
	  "t.lab:6:11: address is not in the correct format: '10.0.0.1/40'"),
	M("wgq outside",
	  L "wg-quick a:wg0 <<\n" "PrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n" ">>\n",
	  "t.lab:5:1: 'PrivateKey' is outside of an [Interface] or [Peer] section"),
	M("wgq no value",
	  Q "ListenPort =\n" ">>\n",
	  "t.lab:6:12: 'ListenPort' has no value"),
	M("wgq line unrecognized",
	  Q "ListenPort 51820\n" ">>\n",
	  "t.lab:6:1: line unrecognized: 'ListenPort 51820'"),
	M("peer bad pubkey",
	  W "peer a:wg0 yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3f==\n",
	  "t.lab:6:12: key is not the correct length or format (42 characters; a key is 44 of base64, ending in '=')"),
	M("wg no block",
	  L "wg-quick a:wg0\n",
	  "t.lab:4:1: wg-quick needs the config in a block: wg-quick NODE:IF << ... >>"),
	M("wg twice",
	  L "wireguard a:wg0\n" "wg-quick a:wg0 <<\n" "[Interface]\n" ">>\n",
	  "t.lab:5:10: interface 'a:wg0' already exists (t.lab:4)"),
	M("wg on eth",
	  L "wireguard a:eth0 listen-port 5\n",
	  "t.lab:4:11: 'a:eth0' exists and is not a WireGuard interface"),
	/* Numbers as iproute2 reads them: decimal, no leading zero (octal to
	 * ip), 0x only for marks and masks, units on durations and rates. */
	M("num mtu octal",
	  H "link a:eth0 10.0.0.1/24 -- b:eth0 10.0.0.2/24 mtu 01500\n",
	  "t.lab:3:51: '01500' has a leading zero (ip would read it as octal): write it without"),
	M("num mtu hex",
	  H "link a:eth0 10.0.0.1/24 -- b:eth0 10.0.0.2/24 mtu 0x500\n",
	  "t.lab:3:51: '0x500' is not a decimal number"),
	M("num link mtu octal",
	  L "link a:eth0 mtu 01400\n",
	  "t.lab:4:17: '01400' has a leading zero (ip would read it as octal): write it without"),
	M("num tcp hex",
	  L "expect a reaches 10.0.0.2 tcp 0x50\n",
	  "t.lab:4:31: '0x50' is not a decimal number"),
	M("num listen-port hex",
	  L "wireguard a:wg0 listen-port 0x10\n",
	  "t.lab:4:29: port is not a number from 0 to 65535: '0x10'"),
	M("num wait unitless",
	  L "wait 5\n",
	  "t.lab:4:6: expected a duration with a unit (5s, 500ms)"),
	M("num within unitless",
	  L "expect a reaches 10.0.0.2 within 300\n",
	  "t.lab:4:34: expected a duration with a unit (5s, 500ms)"),
	M("num wait octal",
	  L "wait 05s\n",
	  "t.lab:4:6: '05s' has a leading zero (ip would read it as octal): write it without"),
	M("num wait frac",
	  L "wait 1.s\n",
	  "t.lab:4:6: '1.s' is not a duration (e.g. 2s, 500ms)"),
	M("num rate unitless",
	  H "link a:eth0 10.0.0.1/24 -- b:eth0 10.0.0.2/24 rate 1000000\n",
	  "t.lab:3:52: expected a rate with a unit (100mbit, 1gbit)"),
	M("num route metric octal",
	  L "route a 10.9.0.0/16 dev eth0 metric 010\n",
	  "t.lab:4:37: '010' has a leading zero (ip would read it as octal): write it without"),
	M("num rule priority hex",
	  L "rule a table 5 priority 0x10\n",
	  "t.lab:4:25: '0x10' is not a decimal number"),
	M("num rule fwmark octal",
	  L "rule a fwmark 010 table 5\n",
	  "t.lab:4:15: '010' is not a mark (N or N/MASK)"),
	M("num run exit octal",
	  L "run a exit 01 -- true\n",
	  "t.lab:4:12: '01' has a leading zero (ip would read it as octal): write it without"),
	M("num transfer octal",
	  W "expect a:wg0 transfer b:wg0 rx >= 010K\n",
	  "t.lab:6:35: '010K' has a leading zero (ip would read it as octal): write it without"),
	M("num serve port octal",
	  L "serve b udp 10.0.0.2:0800\n",
	  "t.lab:4:13: '10.0.0.2:0800' is not ADDRESS:PORT (IPv6 as [ADDRESS]:PORT)"),
	M("num addr prefix octal",
	  H "link a:eth0 10.0.0.1/024 -- b:eth0 10.0.0.2/24\n",
	  "t.lab:3:13: '10.0.0.1/024' is not an IP address"),
	M("num wgq mtu octal",
	  Q "MTU = 01420\n" ">>\n",
	  "t.lab:6:7: MTU is not a number from 68 to 65535: '01420'"),
	M("num wgq port hex",
	  Q "ListenPort = 0x10\n" ">>\n",
	  "t.lab:6:14: port is not a number from 0 to 65535: '0x10'"),
	M("num fw dport octal",
	  L "firewall a -A INPUT -p tcp --dport 022 -j ACCEPT\n",
	  "t.lab:4:36: bad port or port range '022'"),
	M("num nat timeout unitless",
	  L "nat a eth0 udp-timeout 30\n",
	  "t.lab:4:24: bad udp-timeout '30' (whole seconds with a unit, 1s to 24h)"),
	M("num throughput unitless",
	  W "expect a throughput b >= 100\n",
	  "t.lab:6:26: expected a rate with a unit (100mbit, 1gbit)"),
	/* Node names as endpoints: one address from the node that uses it. */
	M("endpoint ambiguous",
	  H "node r\n"
	  "link a:eth0 10.0.0.1/24 -- r:eth0 10.0.0.2/24\n"
	  "link r:eth1 10.1.0.1/24 -- b:eth0 10.1.0.2/24\n"
	  "link r:eth2 10.2.0.1/24 -- b:eth1 10.2.0.2/24\n"
	  "wireguard a:wg0\nwireguard b:wg0\n"
	  "peer a:wg0 b:wg0 endpoint b:51820\n",
	  "t.lab:9:27: endpoint 'b' is ambiguous from 'a' (10.1.0.2 on eth0, 10.2.0.2 on eth1): write the address"),
	M("endpoint family",
	  H "link a:eth0 fd00::1/64 -- b:eth0 10.0.0.2/24\n"
	  "wireguard a:wg0\nwireguard b:wg0\n"
	  "peer a:wg0 b:wg0 endpoint b:51820\n",
	  "t.lab:6:27: endpoint 'b' has no address in a family 'a' has (10.0.0.2 on eth0)"),
	M("endpoint wg only",
	  H "wireguard a:wg0 address 10.8.0.1/24\nwireguard b:wg0 address 10.8.0.2/24\n"
	  "peer a:wg0 b:wg0 endpoint b:51820\n",
	  "t.lab:5:27: endpoint node 'b' has no address on a link or lan"),
	/* Node names as destinations: the same rule as endpoints. */
	M("reach ambiguous",
	  H "node r\n"
	  "link a:eth0 10.0.0.1/24 -- r:eth0 10.0.0.2/24\n"
	  "link r:eth1 10.1.0.1/24 -- b:eth0 10.1.0.2/24\n"
	  "link r:eth2 10.2.0.1/24 -- b:eth1 10.2.0.2/24\n"
	  "expect a reaches b\n",
	  "t.lab:7:18: destination 'b' is ambiguous from 'a' (10.1.0.2 on eth0, 10.2.0.2 on eth1): write the address"),
	M("reach unknown node",
	  L "expect a reaches c\n",
	  "t.lab:4:18: unknown node 'c'"),
	M("reach unknown interface",
	  L "expect a cannot reach b:wg0\n",
	  "t.lab:4:23: node 'b' has no interface 'wg0'"),
	M("reach interface without address",
	  W "expect a reaches b:wg0\n",
	  "t.lab:6:18: destination b:wg0 has no address in the scenario"),
	M("reach name family",
	  L "expect a reaches b from fd00::1\n",
	  "t.lab:4:18: destination 'b' is at an IPv4 address, not of the source address's family: write the address"),
	M("reach bad name",
	  L "expect a reaches 1b\n",
	  "t.lab:4:18: '1b' is not an IP address"),
	M("gets unknown node",
	  L "expect a gets http://c:8000/\n",
	  "t.lab:4:15: unknown node 'c'"),
	M("gets bad host",
	  L "expect a gets http://-c/\n",
	  "t.lab:4:15: 'http://-c/' is not an http:// URL with an address or a node (http://10.0.0.1:8000/, http://[fd00::1]/, http://server:8000/)"),
	M("serve size bad",
	  L "serve b http 8080 size 10x\n",
	  "t.lab:4:24: '10x' is not a size (e.g. 1000, 64K, 2MiB)"),
	M("serve size and body",
	  L "serve b http 8080 size 1M body \"x\"\n",
	  "t.lab:4:35: a served body is either `body \"TEXT\"` or `size N`, not both"),
	M("serve size tcp",
	  L "serve b tcp 8080 size 1M\n",
	  "t.lab:4:18: unknown serve option 'size'"),
	M("wg device empty",
	  W "expect a:wg0 device\n",
	  "t.lab:6:20: say what: listen-port P, fwmark M|off and/or peers N"),
	M("wg device fwmark octal",
	  W "expect a:wg0 device fwmark 010\n",
	  "t.lab:6:28: '010' has a leading zero (ip would read it as octal): write it without"),
	M("wg allowed bad",
	  W "expect a:wg0 allowed-ips b:wg0 is 10.0.0.0/33\n",
	  "t.lab:6:35: '10.0.0.0/33' is not an address or prefix"),
	M("transfer op",
	  W "expect a:wg0 transfer b:wg0 rx > 5\n",
	  "t.lab:6:32: missing '>=', '<=' or '='"),
	M("refused expect",
	  L "refused expect a reaches 10.0.0.2\n",
	  "t.lab:4:1: `refused` takes a statement that acts (refused route ..., refused wireguard ...)"),
	M("refused bad inner",
	  L "refused route a 10.9.0.0/16 via 10.0.0.300\n",
	  "t.lab:4:33: '10.0.0.300' is not an IP address"),
	M("reach count tcp",
	  L "expect a reaches 10.0.0.2 tcp 80 count 3\n",
	  "t.lab:4:10: count, size, df and interval are for icmp"),
	M("reach count zero",
	  L "expect a reaches 10.0.0.2 count 0\n",
	  "t.lab:4:33: '0' is out of range (1-10000)"),
	M("reach interval unitless",
	  L "expect a reaches 10.0.0.2 count 3 interval 10\n",
	  "t.lab:4:44: expected a duration with a unit (5s, 500ms)"),
	M("icmp-error type",
	  L "expect a icmp-error 10.0.0.2 gone\n",
	  "t.lab:4:30: unknown ICMP error 'gone' (unreachable, net-unreachable, host-unreachable, port-unreachable, admin-prohibited, frag-needed, time-exceeded)"),
	M("rule expect notable",
	  L "expect a rule fwmark 0x10\n",
	  "t.lab:4:26: rule needs 'table T'"),
	M("rule expect bad mark",
	  L "expect a rule fwmark 010 table 5 within 1s\n",
	  "t.lab:4:22: '010' is not a mark (N or N/MASK)"),
};

/* Loads text; returns the result, the number of errors and the first one. */
static int load(const char *text, size_t len, char *first, size_t first_len, size_t *ret_n)
{
	struct diags d = { 0 };
	struct lab *lab = NULL;
	int ret;

	ret = scenario_load_text("t.lab", text, len, &lab, &d);
	if (ret)
		ck_assert_ptr_null(lab);
	else
		lab_free(lab);
	diag_sort(&d);
	first[0] = '\0';
	if (d.first)
		snprintf(first, first_len, "%s:%u:%u: %s", d.first->file, d.first->line, d.first->col,
			 d.first->msg);
	*ret_n = d.n;
	diag_free(&d);
	return ret;
}

START_TEST(test_malformed_snippet)
{
	const struct malformed *m = &cases[_i];
	char first[512];
	size_t n;

	ck_assert_msg(load(m->text, m->len, first, sizeof(first), &n) == -EINVAL,
		      "case '%s' was not refused", m->what);
	ck_assert_uint_ge(n, 1);
	ck_assert_msg(!strcmp(first, m->first), "case '%s': first error '%s', expected '%s'", m->what,
		      first, m->first);
}
END_TEST

/* A buffer of head, n times unit, then tail. */
static char *repeat(const char *head, const char *unit, size_t n, const char *tail)
{
	size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail), len = hl + ul * n + tl;
	char *buf = malloc(len + 1), *p;

	ck_assert_ptr_nonnull(buf);
	memcpy(buf, head, hl);
	p = buf + hl;
	for (size_t i = 0; i < n; i++, p += ul)
		memcpy(p, unit, ul);
	memcpy(p, tail, tl + 1);
	return buf;
}

static void expect_first(char *text, const char *want, size_t want_n)
{
	char first[512];
	size_t n;

	ck_assert_int_eq(load(text, strlen(text), first, sizeof(first), &n), -EINVAL);
	ck_assert_str_eq(first, want);
	if (want_n)
		ck_assert_uint_eq(n, want_n);
	free(text);
}

/* A statement with an error that defines a name (node, link, lan,
 * wireguard, wg-quick) is one error: the lines that name what it would
 * have defined are not errors too.  A name nothing defines still is. */
static const struct malformed once[] = {
	M("node option",
	  "node a routr\nnode b\nlink a:eth0 10.0.0.1/24 -- b:eth0 10.0.0.2/24\n"
	  "route a default via 10.0.0.2\nexpect b reaches a\nexpect a:eth0 sees \"icmp\"\n",
	  "t.lab:1:8: unknown node option 'routr' (router, ipv6 off, name HOST)"),
	M("link prefix",
	  H "link a:eth0 10.0.0.1/24 -- b:eth0 10.0.0.2/33\nexpect a reaches b\nexpect b:eth0 sees \"icmp\"\n"
	  "expect a reaches b from 10.0.0.1\n"
	  "route b default via 10.0.0.1 dev eth0\n",
	  "t.lab:3:35: prefix length of '10.0.0.2/33' is too long"),
	M("lan member",
	  H "lan x 10.0.0.0/24 a:eth0=.1 b:eth0=.300\nexpect a reaches b\nexpect b:eth0 sees \"icmp\"\n",
	  "t.lab:3:29: host part '.300' does not fit subnet 10.0.0.0/24"),
	M("wireguard port",
	  L "wireguard a:wg0 listen-port 70000\nwireguard b:wg0\n"
	  "peer b:wg0 a:wg0 allowed-ips 10.9.0.1/32 endpoint a:51820\npeer a:wg0 b:wg0 allowed-ips 10.9.0.2/32\n"
	  "expect a:wg0 handshake b:wg0\nexpect b reaches a:wg0\n",
	  "t.lab:4:29: port is not a number from 0 to 65535: '70000'"),
	M("wg-quick allowed-ips",
	  L "wg-quick a:wg0 <<\n[Interface]\nAddress = 10.9.0.1/24\n[Peer]\nPublicKey = @b:wg0\n"
	  "AllowedIPs = 10.9.0.2/33\n>>\n"
	  "wg-quick b:wg0 <<\n[Interface]\nAddress = 10.9.0.2/24\n[Peer]\nPublicKey = @a:wg0\n"
	  "AllowedIPs = 10.9.0.1/32\nEndpoint = a:51820\n>>\nexpect a:wg0 handshake b:wg0\n",
	  "t.lab:9:14: AllowedIP is not in the correct format: '10.9.0.2/33'"),
};

START_TEST(test_malformed_defining_statement_once)
{
	const struct malformed *m = &once[_i];
	char first[512];
	size_t n;

	ck_assert_int_eq(load(m->text, m->len, first, sizeof(first), &n), -EINVAL);
	ck_assert_msg(!strcmp(first, m->first), "case '%s': first error '%s', expected '%s'", m->what,
		      first, m->first);
	ck_assert_msg(n == 1, "case '%s': %zu errors, expected 1", m->what, n);
}
END_TEST

/* A name that nothing defines is still an error beside a broken one. */
START_TEST(test_malformed_unknown_beside_broken)
{
	expect_first(strdup("node a routr\nnode b\nnode d\nlink b:eth0 10.0.0.1/24 -- d:eth0 10.0.0.2/24\n"
			    "expect c reaches d\nexpect b reaches c\n"),
		     "t.lab:1:8: unknown node option 'routr' (router, ipv6 off, name HOST)", 3);
}
END_TEST

/* A statement with two IPv6 addresses on a node with IPv6 off: one error,
 * not one per address. */
START_TEST(test_malformed_ipv6_off_once)
{
	expect_first(strdup("node a ipv6 off\nwireguard a:wg0 address fd09::1/64,10.9.0.1/24,fd0a::1/64\n"),
		     "t.lab:2:11: node 'a' has IPv6 off (t.lab:1): no IPv6 address or route in it", 1);
	expect_first(strdup("node a ipv6 off\nnode b\nlink a:eth0 fd00::1/64 fd01::1/64 -- b:eth0 fd00::2/64\n"),
		     "t.lab:3:6: node 'a' has IPv6 off (t.lab:1): no IPv6 address or route in it", 1);
}
END_TEST

START_TEST(test_malformed_line_of_1mib)
{
	/* A statement line; a quoted word; a rule in a block. */
	expect_first(repeat("node a\nnode ", "x", 1 << 20, "\n"),
		     "t.lab:2:65537: line is longer than 65536 bytes", 1);
	expect_first(repeat("node a\nlab \"", "y", 1 << 20, "\"\n"),
		     "t.lab:2:65537: line is longer than 65536 bytes", 1);
	expect_first(repeat("node a\nfirewall a <<\n-A INPUT -m comment --comment ", "z", 1 << 20,
			    " -j DROP\n>>\n"),
		     "t.lab:3:31: comment longer than 255 characters", 1);
}
END_TEST

START_TEST(test_malformed_100k_lines)
{
	/* Every line wrong: the first DIAG_MAX errors reported, in order,
	 * and no more (the file is not read further). */
	expect_first(repeat("", "frobnicate a b c\n", 100000, ""),
		     "t.lab:1:1: unknown statement 'frobnicate'", DIAG_MAX);
	/* 100 000 good rules in a block, then a bad one. */
	expect_first(repeat("node a\nfirewall a <<\n", "-A INPUT -j DROP\n", 100000,
			    "-A INPUT -j DRIP\n>>\n"),
		     "t.lab:100003:13: unknown target 'DRIP'", 1);
	/* 100 000 comments and blank lines, then an unknown node. */
	expect_first(repeat("node a\n", "# nothing here\n\n", 50000, "route b default dev eth0\n"),
		     "t.lab:100002:7: unknown node 'b'", 1);
}
END_TEST

START_TEST(test_malformed_block_over_limit)
{
	/* 50 000 lines of 101 bytes: over the 4 MiB of a block. */
	expect_first(repeat("node a\nrun a <<\n", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
			    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n", 50000, ">>\n"),
		     "t.lab:2:1: block is larger than 4194304 bytes", 1);
	/* The same never closed. */
	expect_first(repeat("node a\nrun a <<\n", "x\n", 10, ""),
		     "t.lab:2:1: block opened with '<<' is not closed with '>>'", 1);
}
END_TEST

START_TEST(test_malformed_nul_bytes)
{
	static const char first_byte[] = "\0node a\n";
	static const char in_quote[] = "node a\nlab \"x\0y\"\n";
	static const char in_wgquick[] = "node a\nwg-quick a:wg0 <<\n[Interface]\nListenPort = 5\0\n>>\n";
	static const char last_byte[] = "node a\nnode b\0";
	char first[512];
	size_t n;

	ck_assert_int_eq(load(first_byte, sizeof(first_byte) - 1, first, sizeof(first), &n), -EINVAL);
	ck_assert_str_eq(first, "t.lab:1:1: NUL byte in scenario text");
	ck_assert_int_eq(load(in_quote, sizeof(in_quote) - 1, first, sizeof(first), &n), -EINVAL);
	ck_assert_str_eq(first, "t.lab:2:7: NUL byte in scenario text");
	ck_assert_int_eq(load(in_wgquick, sizeof(in_wgquick) - 1, first, sizeof(first), &n), -EINVAL);
	ck_assert_str_eq(first, "t.lab:4:15: NUL byte in scenario text");
	ck_assert_int_eq(load(last_byte, sizeof(last_byte) - 1, first, sizeof(first), &n), -EINVAL);
	ck_assert_str_eq(first, "t.lab:2:7: NUL byte in scenario text");
}
END_TEST

/* Files in a temporary directory, removed at the end of the test. */
struct tmpdir {
	char path[64];
	char *names[64];
	size_t n;
};

static char *tmp_path(struct tmpdir *t, const char *name)
{
	char *path;

	ck_assert_int_ge(asprintf(&path, "%s/%s", t->path, name), 0);
	ck_assert_uint_lt(t->n, sizeof(t->names) / sizeof(t->names[0]));
	t->names[t->n++] = path;
	return path;
}

static void tmp_write(struct tmpdir *t, const char *name, const char *text)
{
	FILE *f = fopen(tmp_path(t, name), "we");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_ge(fputs(text, f), 0);
	ck_assert_int_eq(fclose(f), 0);
}

static void tmp_clean(struct tmpdir *t)
{
	for (size_t i = 0; i < t->n; i++) {
		unlink(t->names[i]);
		free(t->names[i]);
	}
	rmdir(t->path);
}

/* Loads t/name from disk: the first error, with the directory taken off
 * every path in it. */
static int load_file(struct tmpdir *t, const char *name, char *first, size_t len)
{
	struct diags d = { 0 };
	struct lab *lab = NULL;
	char path[128];
	int ret;

	snprintf(path, sizeof(path), "%s/%s", t->path, name);
	ret = scenario_load(path, &lab, &d);
	if (!ret)
		lab_free(lab);
	diag_sort(&d);
	first[0] = '\0';
	if (d.first)
		snprintf(first, len, "%s:%u:%u: %s", d.first->file, d.first->line, d.first->col,
			 d.first->msg);
	for (char *at; (at = strstr(first, t->path));)
		memmove(at, at + strlen(t->path) + 1, strlen(at + strlen(t->path) + 1) + 1);
	diag_free(&d);
	return ret;
}

START_TEST(test_malformed_deep_includes)
{
	struct tmpdir t = { .path = "/tmp/wglab-malformed.XXXXXX" };
	char first[512], name[32], text[64];

	ck_assert_ptr_nonnull(mkdtemp(t.path));
	/* inc00 includes inc01 ... includes inc24: 16 files deep at most. */
	for (int i = 0; i < 25; i++) {
		snprintf(name, sizeof(name), "inc%02d.lab", i);
		snprintf(text, sizeof(text), "%sinclude  inc%02d.lab\n", i ? "" : "node a\n", i + 1);
		tmp_write(&t, name, text);
	}
	ck_assert_int_eq(load_file(&t, "inc00.lab", first, sizeof(first)), -EINVAL);
	ck_assert_str_eq(first, "inc15.lab:1:10: includes nested deeper than 16");

	/* A loop through three files. */
	tmp_write(&t, "x.lab", "node a\ninclude y.lab\n");
	tmp_write(&t, "y.lab", "# y\ninclude z.lab\n");
	tmp_write(&t, "z.lab", "\n\ninclude x.lab\n");
	ck_assert_int_eq(load_file(&t, "x.lab", first, sizeof(first)), -EINVAL);
	ck_assert_str_eq(first, "z.lab:3:9: 'x.lab' includes itself");

	/* A file over 16 MiB (sparse), a directory, a missing file. */
	tmp_write(&t, "big.lab", "");
	ck_assert_int_eq(truncate(t.names[t.n - 1], 17 << 20), 0);
	tmp_write(&t, "top.lab", "node a\n\n  include big.lab\ninclude /\ninclude nothere.lab\n");
	ck_assert_int_eq(load_file(&t, "top.lab", first, sizeof(first)), -EINVAL);
	ck_assert_str_eq(first, "top.lab:3:11: Unable to read 'big.lab': not a regular file of at most 16 MiB");
	tmp_clean(&t);
}
END_TEST

Suite *malformed_suite(void)
{
	Suite *s = suite_create("malformed");
	TCase *tc = tcase_create("table");

	tcase_add_loop_test(tc, test_malformed_snippet, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	suite_add_tcase(s, tc);
	tc = tcase_create("huge");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_malformed_ipv6_off_once);
	tcase_add_loop_test(tc, test_malformed_defining_statement_once, 0, (int)(sizeof(once) / sizeof(once[0])));
	tcase_add_test(tc, test_malformed_unknown_beside_broken);
	tcase_add_test(tc, test_malformed_line_of_1mib);
	tcase_add_test(tc, test_malformed_100k_lines);
	tcase_add_test(tc, test_malformed_block_over_limit);
	tcase_add_test(tc, test_malformed_nul_bytes);
	tcase_add_test(tc, test_malformed_deep_includes);
	suite_add_tcase(s, tc);
	return s;
}
