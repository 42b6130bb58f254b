// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * Values of iptables options: numbers, marks, ports and ranges, addresses,
 * interface names, ICMP types, NAT ranges, state lists, and the names
 * iptables accepts for protocols, reject types and log levels.
 */
#include "netns/fw/fw_values.h"
#include "netns/fw/fw_model.h"
#include "netns/util/number.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <syslog.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_tables.h>

struct named {
	const char *name;
	int value;
};

static const struct named protos[] = {
	{ "tcp", IPPROTO_TCP }, { "udp", IPPROTO_UDP }, { "icmp", IPPROTO_ICMP },
	{ "icmpv6", IPPROTO_ICMPV6 }, { "ipv6-icmp", IPPROTO_ICMPV6 }, { "all", 0 },
};

static const struct named ctstates[] = {
	{ "INVALID", NF_CT_STATE_INVALID_BIT },
	{ "ESTABLISHED", NF_CT_STATE_BIT(IP_CT_ESTABLISHED) },
	{ "RELATED", NF_CT_STATE_BIT(IP_CT_RELATED) },
	{ "NEW", NF_CT_STATE_BIT(IP_CT_NEW) },
	{ "UNTRACKED", NF_CT_STATE_UNTRACKED_BIT },
};

/* An ICMP type and code as one value: type * 256 + code, code 255 = any. */
#define FW_ICMP_ANY 255
#define FW_ICMP(type, code) ((type) * 256 + (code))

static const struct named icmp_types[] = {
	{ "any", -1 }, { "echo-reply", FW_ICMP(ICMP_ECHOREPLY, FW_ICMP_ANY) },
	{ "pong", FW_ICMP(ICMP_ECHOREPLY, FW_ICMP_ANY) },
	{ "destination-unreachable", FW_ICMP(ICMP_DEST_UNREACH, FW_ICMP_ANY) },
	{ "network-unreachable", FW_ICMP(ICMP_DEST_UNREACH, ICMP_NET_UNREACH) },
	{ "host-unreachable", FW_ICMP(ICMP_DEST_UNREACH, ICMP_HOST_UNREACH) },
	{ "protocol-unreachable", FW_ICMP(ICMP_DEST_UNREACH, ICMP_PROT_UNREACH) },
	{ "port-unreachable", FW_ICMP(ICMP_DEST_UNREACH, ICMP_PORT_UNREACH) },
	{ "fragmentation-needed", FW_ICMP(ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED) },
	{ "source-route-failed", FW_ICMP(ICMP_DEST_UNREACH, ICMP_SR_FAILED) },
	{ "network-prohibited", FW_ICMP(ICMP_DEST_UNREACH, ICMP_NET_ANO) },
	{ "host-prohibited", FW_ICMP(ICMP_DEST_UNREACH, ICMP_HOST_ANO) },
	{ "communication-prohibited", FW_ICMP(ICMP_DEST_UNREACH, ICMP_PKT_FILTERED) },
	{ "source-quench", FW_ICMP(ICMP_SOURCE_QUENCH, FW_ICMP_ANY) },
	{ "redirect", FW_ICMP(ICMP_REDIRECT, FW_ICMP_ANY) },
	{ "echo-request", FW_ICMP(ICMP_ECHO, FW_ICMP_ANY) },
	{ "ping", FW_ICMP(ICMP_ECHO, FW_ICMP_ANY) },
	{ "router-advertisement", FW_ICMP(ICMP_ROUTERADVERT, FW_ICMP_ANY) },
	{ "router-solicitation", FW_ICMP(ICMP_ROUTERSOLICIT, FW_ICMP_ANY) },
	{ "time-exceeded", FW_ICMP(ICMP_TIME_EXCEEDED, FW_ICMP_ANY) },
	{ "ttl-exceeded", FW_ICMP(ICMP_TIME_EXCEEDED, FW_ICMP_ANY) },
	{ "ttl-zero-during-transit", FW_ICMP(ICMP_TIME_EXCEEDED, ICMP_EXC_TTL) },
	{ "parameter-problem", FW_ICMP(ICMP_PARAMETERPROB, FW_ICMP_ANY) },
	{ "timestamp-request", FW_ICMP(ICMP_TIMESTAMP, FW_ICMP_ANY) },
	{ "timestamp-reply", FW_ICMP(ICMP_TIMESTAMPREPLY, FW_ICMP_ANY) },
};

/* No "any": ip6tables 1.8.9 refuses it (Unknown ICMPv6 type `any'). */
static const struct named icmp6_types[] = {
	{ "destination-unreachable", FW_ICMP(ICMP6_DST_UNREACH, FW_ICMP_ANY) },
	{ "no-route", FW_ICMP(ICMP6_DST_UNREACH, ICMP6_DST_UNREACH_NOROUTE) },
	{ "communication-prohibited", FW_ICMP(ICMP6_DST_UNREACH, ICMP6_DST_UNREACH_ADMIN) },
	{ "address-unreachable", FW_ICMP(ICMP6_DST_UNREACH, ICMP6_DST_UNREACH_ADDR) },
	{ "port-unreachable", FW_ICMP(ICMP6_DST_UNREACH, ICMP6_DST_UNREACH_NOPORT) },
	{ "packet-too-big", FW_ICMP(ICMP6_PACKET_TOO_BIG, FW_ICMP_ANY) },
	{ "time-exceeded", FW_ICMP(ICMP6_TIME_EXCEEDED, FW_ICMP_ANY) },
	{ "ttl-exceeded", FW_ICMP(ICMP6_TIME_EXCEEDED, FW_ICMP_ANY) },
	{ "parameter-problem", FW_ICMP(ICMP6_PARAM_PROB, FW_ICMP_ANY) },
	{ "echo-request", FW_ICMP(ICMP6_ECHO_REQUEST, FW_ICMP_ANY) },
	{ "ping", FW_ICMP(ICMP6_ECHO_REQUEST, FW_ICMP_ANY) },
	{ "echo-reply", FW_ICMP(ICMP6_ECHO_REPLY, FW_ICMP_ANY) },
	{ "pong", FW_ICMP(ICMP6_ECHO_REPLY, FW_ICMP_ANY) },
	{ "router-solicitation", FW_ICMP(ND_ROUTER_SOLICIT, FW_ICMP_ANY) },
	{ "router-advertisement", FW_ICMP(ND_ROUTER_ADVERT, FW_ICMP_ANY) },
	{ "neighbour-solicitation", FW_ICMP(ND_NEIGHBOR_SOLICIT, FW_ICMP_ANY) },
	{ "neighbor-solicitation", FW_ICMP(ND_NEIGHBOR_SOLICIT, FW_ICMP_ANY) },
	{ "neighbour-advertisement", FW_ICMP(ND_NEIGHBOR_ADVERT, FW_ICMP_ANY) },
	{ "neighbor-advertisement", FW_ICMP(ND_NEIGHBOR_ADVERT, FW_ICMP_ANY) },
	{ "redirect", FW_ICMP(ND_REDIRECT, FW_ICMP_ANY) },
};

/* nft reject: type * 256 + code */
static const struct named rejects4[] = {
	{ "icmp-net-unreachable", FW_ICMP(NFT_REJECT_ICMP_UNREACH, ICMP_NET_UNREACH) },
	{ "icmp-host-unreachable", FW_ICMP(NFT_REJECT_ICMP_UNREACH, ICMP_HOST_UNREACH) },
	{ "icmp-proto-unreachable", FW_ICMP(NFT_REJECT_ICMP_UNREACH, ICMP_PROT_UNREACH) },
	{ "icmp-port-unreachable", FW_ICMP(NFT_REJECT_ICMP_UNREACH, ICMP_PORT_UNREACH) },
	{ "icmp-net-prohibited", FW_ICMP(NFT_REJECT_ICMP_UNREACH, ICMP_NET_ANO) },
	{ "icmp-host-prohibited", FW_ICMP(NFT_REJECT_ICMP_UNREACH, ICMP_HOST_ANO) },
	{ "icmp-admin-prohibited", FW_ICMP(NFT_REJECT_ICMP_UNREACH, ICMP_PKT_FILTERED) },
	{ "tcp-reset", FW_ICMP(NFT_REJECT_TCP_RST, 0) }, { "tcp-rst", FW_ICMP(NFT_REJECT_TCP_RST, 0) },
};

static const struct named rejects6[] = {
	{ "icmp6-no-route", FW_ICMP(NFT_REJECT_ICMP_UNREACH, ICMP6_DST_UNREACH_NOROUTE) },
	{ "no-route", FW_ICMP(NFT_REJECT_ICMP_UNREACH, ICMP6_DST_UNREACH_NOROUTE) },
	{ "icmp6-adm-prohibited", FW_ICMP(NFT_REJECT_ICMP_UNREACH, ICMP6_DST_UNREACH_ADMIN) },
	{ "adm-prohibited", FW_ICMP(NFT_REJECT_ICMP_UNREACH, ICMP6_DST_UNREACH_ADMIN) },
	{ "icmp6-addr-unreachable", FW_ICMP(NFT_REJECT_ICMP_UNREACH, ICMP6_DST_UNREACH_ADDR) },
	{ "addr-unreach", FW_ICMP(NFT_REJECT_ICMP_UNREACH, ICMP6_DST_UNREACH_ADDR) },
	{ "icmp6-port-unreachable", FW_ICMP(NFT_REJECT_ICMP_UNREACH, ICMP6_DST_UNREACH_NOPORT) },
	{ "port-unreach", FW_ICMP(NFT_REJECT_ICMP_UNREACH, ICMP6_DST_UNREACH_NOPORT) },
	{ "tcp-reset", FW_ICMP(NFT_REJECT_TCP_RST, 0) },
};

static const struct named log_levels[] = {
	{ "emerg", LOG_EMERG }, { "alert", LOG_ALERT }, { "crit", LOG_CRIT }, { "error", LOG_ERR },
	{ "err", LOG_ERR }, { "warning", LOG_WARNING }, { "warn", LOG_WARNING },
	{ "notice", LOG_NOTICE }, { "info", LOG_INFO }, { "debug", LOG_DEBUG },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int val_find(const struct named *t, size_t n, const char *name, bool icase)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (icase ? !strcasecmp(t[i].name, name) : !strcmp(t[i].name, name))
			return (int)i;
	return -1;
}

/* A whole-string unsigned number (decimal, 0x hex) up to max. */
int fw_val_uint(const char *s, unsigned long max, uint32_t *ret)
{
	const char *why;
	uint64_t v;

	/* iptables reads 0x hex too; a leading zero (octal to it) is refused */
	if (number_u64(s, NUMBER_HEX, 0, max, &v, &why) < 0)
		return -EINVAL;
	*ret = (uint32_t)v;
	return 0;
}

/* "value[/mask]" */
int fw_val_mark(const char *s, uint32_t *value, uint32_t *mask, bool *has_mask)
{
	char buf[64], *slash;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	*mask = 0xffffffff;
	*has_mask = slash != NULL;
	if (slash) {
		*slash = '\0';
		if (fw_val_uint(slash + 1, 0xffffffff, mask))
			return -EINVAL;
	}
	return fw_val_uint(buf, 0xffffffff, value);
}

static int val_port(const char *s, uint8_t proto, uint32_t *ret)
{
	const char *pname = proto == IPPROTO_UDP ? "udp" : proto == IPPROTO_TCP ? "tcp" : NULL;
	struct servent *se;

	if (*s >= '0' && *s <= '9')
		return fw_val_uint(s, UINT16_MAX, ret);
	se = *s ? getservbyname(s, pname) : NULL;
	if (!se)
		return -EINVAL;
	*ret = ntohs((uint16_t)se->s_port);
	return 0;
}

/* "a", "a:b", ":b", "a:" with sep ':' (matches) or "a-b" with sep '-' (NAT). */
int fw_val_range(const char *s, char sep, uint8_t proto, bool ports, struct fw_range *ret)
{
	char buf[64], *p;
	uint32_t lo = 0, hi = UINT16_MAX;

	if (!*s || strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	p = strchr(buf, sep);
	if (p)
		*p++ = '\0';
	if (*buf || !p) {
		if (ports ? val_port(buf, proto, &lo) : fw_val_uint(buf, UINT16_MAX, &lo))
			return -EINVAL;
	}
	if (!p)
		hi = lo;
	else if (*p && (ports ? val_port(p, proto, &hi) : fw_val_uint(p, UINT16_MAX, &hi)))
		return -EINVAL;
	if (lo > hi || (p && !*buf && !*p))
		return -EINVAL;
	ret->lo = lo;
	ret->hi = hi;
	return 0;
}

/* iptables completes a dotted IPv4 address of one to three decimal parts
 * with zeros (xtables' numeric_to_ipaddr): 0 -> 0.0.0.0, 10 -> 10.0.0.0,
 * 192.168 -> 192.168.0.0; so 0/0 is everything and 10/8 a network.  len
 * bytes of s; false when s is not such a short form. */
static bool val_short_v4(const char *s, size_t len, char *out, size_t outlen)
{
	unsigned int parts = 1;
	size_t i;

	if (!len)
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] == '.')
			parts++;
		else if (s[i] < '0' || s[i] > '9')
			return false;
	}
	if (parts > 3 || len + 6 >= outlen)
		return false;
	memcpy(out, s, len);
	out[len] = '\0';
	for (; parts < 4; parts++)
		strcat(out, ".0");
	return true;
}

/* iptables also takes a dotted netmask: 10.0.0.0/255.0.0.0. */
int fw_val_cidr(const char *s, int family, struct addr *ret)
{
	char buf[INET6_ADDRSTRLEN + 20], *slash;
	struct addr a, m;
	unsigned int bits = 0, i;
	size_t alen = strcspn(s, "/");

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	if (val_short_v4(s, alen, buf, sizeof(buf))) {
		if (strlen(buf) + strlen(s + alen) >= sizeof(buf))
			return -EINVAL;
		strcat(buf, s + alen);
	} else {
		strcpy(buf, s);
	}
	slash = strchr(buf, '/');
	if (slash && strchr(slash, '.')) {
		*slash = '\0';
		if (addr_parse(buf, 0, &a) || addr_parse(slash + 1, 0, &m) ||
		    a.family != AF_INET || m.family != AF_INET)
			return -EINVAL;
		for (i = 0; i < 32 && (ntohl(m.v4.s_addr) & (1U << (31 - i))); i++)
			bits++;
		if (bits < 32 && (ntohl(m.v4.s_addr) << bits))
			return -EINVAL;
		a.prefixlen = (uint8_t)bits;
	} else if (addr_parse(buf, ADDR_PARSE_PREFIX, &a)) {
		return -EINVAL;
	}
	if (a.family != family)
		return -EAFNOSUPPORT;
	addr_network(&a, ret);
	return 0;
}

int fw_val_ifname(const char *s, char *name, bool *wild)
{
	size_t len = strlen(s);

	if (!len || *s == '!' || strchr(s, '/') || strchr(s, ' '))
		return -EINVAL;
	*wild = s[len - 1] == '+';
	if (*wild)
		len--;
	if (len >= IF_NAMESIZE)
		return -EINVAL;
	memset(name, 0, IF_NAMESIZE);
	memcpy(name, s, len);
	return 0;
}

int fw_val_icmp(const char *s, bool v6, int *type, int *code)
{
	const struct named *t = v6 ? icmp6_types : icmp_types;
	size_t n = v6 ? N(icmp6_types) : N(icmp_types);
	char buf[32], *slash;
	uint32_t ty, co = FW_ICMP_ANY;
	int i = val_find(t, n, s, true);

	if (i >= 0) {
		*type = t[i].value < 0 ? -1 : t[i].value / 256;
		*code = t[i].value < 0 || t[i].value % 256 == FW_ICMP_ANY ? -1 : t[i].value % 256;
		return 0;
	}
	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash) {
		*slash = '\0';
		if (fw_val_uint(slash + 1, 255, &co))
			return -EINVAL;
	}
	if (fw_val_uint(buf, 255, &ty))
		return -EINVAL;
	*type = (int)ty;
	*code = slash ? (int)co : -1;
	return 0;
}

static int val_one_addr(const char *s, int family, struct addr *ret)
{
	struct addr a;

	if (addr_parse(s, 0, &a))
		return -EINVAL;
	if (a.family != family)
		return -EAFNOSUPPORT;
	*ret = a;
	return 0;
}

/* --to-source / --to-destination: [addr[-addr]][:port[-port]], IPv6 with a
 * port in brackets: [fd00::1]:80, [fd00::1]-[fd00::9]:80, or a port alone
 * (:80, as ip6tables takes it). */
int fw_val_nat_to(const char *s, int family, struct fw_spec *sp)
{
	char buf[2 * INET6_ADDRSTRLEN + 32], *ports = NULL, *a = buf, *b = NULL, *p;
	struct fw_range r;
	int ret;

	if (!*s || strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	if (buf[0] == '[') {
		a = buf + 1;
		p = strchr(a, ']');
		if (!p)
			return -EINVAL;
		*p++ = '\0';
		if (p[0] == '-' && p[1] == '[') {
			b = p + 2;
			p = strchr(b, ']');
			if (!p)
				return -EINVAL;
			*p++ = '\0';
		}
		if (*p == ':')
			ports = p + 1;
		else if (*p)
			return -EINVAL;
	} else if (family == AF_INET6 && buf[0] == ':' && buf[1] != ':') {
		buf[0] = '\0';
		ports = buf + 1;
	} else if (family == AF_INET6) {
		/* Without brackets an IPv6 address cannot carry a port. */
		if ((p = strchr(buf, '-'))) {
			*p = '\0';
			b = p + 1;
		}
	} else {
		if (strchr(buf, ':') != strrchr(buf, ':'))
			return -EAFNOSUPPORT;
		if ((p = strchr(buf, ':'))) {
			*p = '\0';
			ports = p + 1;
		}
		if ((p = strchr(buf, '-'))) {
			*p = '\0';
			b = p + 1;
		}
	}
	if (*a) {
		ret = val_one_addr(a, family, &sp->nat_min);
		if (ret)
			return ret;
		sp->nat_max = sp->nat_min;
		if (b && (ret = val_one_addr(b, family, &sp->nat_max)))
			return ret;
		if (memcmp(sp->nat_min.bytes, sp->nat_max.bytes, addr_len(family)) > 0)
			return -EINVAL;
		sp->nat_has |= FW_NAT_ADDR;
	} else if (b) {
		return -EINVAL;
	}
	if (ports) {
		if (fw_val_range(ports, '-', 0, false, &r))
			return -EINVAL;
		sp->nat_port_min = (uint16_t)r.lo;
		sp->nat_port_max = (uint16_t)r.hi;
		sp->nat_has |= FW_NAT_PORT;
	}
	return sp->nat_has ? 0 : -EINVAL;
}

static int val_list(const char *s, const struct named *t, size_t n, uint32_t *bits,
		      uint32_t *extra)
{
	char buf[128], *tok, *save = NULL;
	int i;

	if (!*s || strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	*bits = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		i = val_find(t, n, tok, true);
		if (i >= 0) {
			*bits |= (uint32_t)t[i].value;
		} else if (extra && !strcasecmp(tok, "SNAT")) {
			*extra |= IPS_SRC_NAT;
		} else if (extra && !strcasecmp(tok, "DNAT")) {
			*extra |= IPS_DST_NAT;
		} else {
			return -EINVAL;
		}
	}
	return 0;
}

int fw_val_mports(const char *s, uint8_t proto, struct fw_spec *sp, size_t *bad)
{
	unsigned int weight = 0;
	const char *p = s, *e;
	struct fw_range r;
	char one[64], *colon;

	sp->n_mports = 0;
	for (;; p = e + 1) {
		e = strchrnul(p, ',');
		*bad = (size_t)(p - s);
		if ((size_t)(e - p) >= sizeof(one))
			return -EINVAL;
		memcpy(one, p, (size_t)(e - p));
		one[e - p] = '\0';
		colon = strchr(one, ':');
		if (!*one || (colon && (colon == one || !colon[1])) ||
		    fw_val_range(one, ':', proto, true, &r))
			return -EINVAL;
		if (colon && r.lo >= r.hi)
			return -ERANGE;
		weight += colon ? 2 : 1;
		if (weight > FW_MPORT_MAX)
			return -E2BIG;
		sp->mports[sp->n_mports++] = r;
		if (!*e)
			return 0;
	}
}

int fw_val_proto(const char *s, uint8_t *ret)
{
	uint32_t v;
	int i = val_find(protos, N(protos), s, true);

	if (i >= 0)
		v = (uint32_t)protos[i].value;
	else if (fw_val_uint(s, 255, &v))
		return -EINVAL;
	*ret = (uint8_t)v;
	return 0;
}

int fw_val_states(const char *s, bool status_ok, uint32_t *state, uint32_t *status)
{
	return val_list(s, ctstates, N(ctstates), state, status_ok ? status : NULL);
}

int fw_val_reject(const char *s, int family, uint32_t *type, uint32_t *code)
{
	const struct named *t = family == AF_INET ? rejects4 : rejects6;
	int i = val_find(t, family == AF_INET ? N(rejects4) : N(rejects6), s, false);

	if (i < 0)
		return -EINVAL;
	*type = (uint32_t)t[i].value / 256;
	*code = (uint32_t)t[i].value % 256;
	return 0;
}

int fw_val_log_level(const char *s, uint32_t *ret)
{
	int i = val_find(log_levels, N(log_levels), s, true);

	if (i < 0)
		return fw_val_uint(s, 7, ret);
	*ret = (uint32_t)log_levels[i].value;
	return 0;
}
