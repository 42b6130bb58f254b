// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * iptables match and target options into a struct fw_spec.  Options are
 * accepted in the contexts iptables accepts them in: --dport after -p tcp,
 * -p udp, -m tcp or -m udp; --to-source after -j SNAT.  Anything unknown is
 * an error with its column, never skipped.
 */
#include "netns/fw/fw_opts.h"
#include "netns/fw/fw_error.h"
#include "netns/fw/fw_model.h"
#include "netns/fw/fw_values.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/nf_tables.h>

/* Contexts that make options available (loaded matches and the target). */
enum {
	CTX_CORE = 1U << 0,
	CTX_PORTS = 1U << 1,		/* -p tcp/udp, -m tcp/udp */
	CTX_ICMP = 1U << 2,
	CTX_ICMP6 = 1U << 3,
	CTX_STATE = 1U << 4,
	CTX_CONNTRACK = 1U << 5,
	CTX_MULTIPORT = 1U << 6,
	CTX_LENGTH = 1U << 7,
	CTX_MARK = 1U << 8,
	CTX_COMMENT = 1U << 9,
	CTX_T_REJECT = 1U << 10,
	CTX_T_LOG = 1U << 11,
	CTX_T_MASQ = 1U << 12,
	CTX_T_SNAT = 1U << 13,
	CTX_T_DNAT = 1U << 14,
	CTX_T_MARK = 1U << 15,
	CTX_T_CONNMARK = 1U << 16,
};

enum opt_id {
	O_SRC, O_DST, O_IIF, O_OIF, O_PROTO, O_MATCH, O_JUMP, O_GOTO,
	O_SPORT, O_DPORT, O_ICMP, O_ICMP6, O_STATE, O_CTSTATE, O_SPORTS, O_DPORTS, O_PORTS,
	O_LENGTH, O_MARK, O_COMMENT,
	O_REJECT_WITH, O_LOG_PREFIX, O_LOG_LEVEL, O_TO_PORTS, O_RANDOM, O_RANDOM_FULLY,
	O_TO_SOURCE, O_TO_DEST, O_PERSISTENT, O_SET_MARK, O_SET_XMARK, O_AND_MARK, O_OR_MARK,
	O_XOR_MARK, O_SAVE_MARK, O_RESTORE_MARK, O_MAX,
};

struct opt {
	const char *name, *alias, *alias2;
	enum opt_id id;
	unsigned int ctx;		/* available in any of these contexts */
	bool arg, invertible;
	const char *needs;		/* what to write when unavailable */
};

static const struct opt opts[] = {
	{ "--source", "-s", "--src", O_SRC, CTX_CORE, true, true, NULL },
	{ "--destination", "-d", "--dst", O_DST, CTX_CORE, true, true, NULL },
	{ "--in-interface", "-i", NULL, O_IIF, CTX_CORE, true, true, NULL },
	{ "--out-interface", "-o", NULL, O_OIF, CTX_CORE, true, true, NULL },
	{ "--protocol", "-p", NULL, O_PROTO, CTX_CORE, true, true, NULL },
	{ "--match", "-m", NULL, O_MATCH, CTX_CORE, true, false, NULL },
	{ "--jump", "-j", NULL, O_JUMP, CTX_CORE, true, false, NULL },
	{ "--goto", "-g", NULL, O_GOTO, CTX_CORE, true, false, NULL },
	{ "--source-port", "--sport", NULL, O_SPORT, CTX_PORTS, true, true, "-p tcp or -p udp" },
	{ "--destination-port", "--dport", NULL, O_DPORT, CTX_PORTS, true, true, "-p tcp or -p udp" },
	{ "--icmp-type", NULL, NULL, O_ICMP, CTX_ICMP, true, true, "-p icmp" },
	{ "--icmpv6-type", NULL, NULL, O_ICMP6, CTX_ICMP6, true, true, "-p icmpv6" },
	{ "--state", NULL, NULL, O_STATE, CTX_STATE, true, true, "-m state" },
	{ "--ctstate", NULL, NULL, O_CTSTATE, CTX_CONNTRACK, true, true, "-m conntrack" },
	{ "--source-ports", "--sports", NULL, O_SPORTS, CTX_MULTIPORT, true, true, "-m multiport" },
	{ "--destination-ports", "--dports", NULL, O_DPORTS, CTX_MULTIPORT, true, true, "-m multiport" },
	{ "--ports", NULL, NULL, O_PORTS, CTX_MULTIPORT, true, true, "-m multiport" },
	{ "--length", NULL, NULL, O_LENGTH, CTX_LENGTH, true, true, "-m length" },
	{ "--mark", NULL, NULL, O_MARK, CTX_MARK, true, true, "-m mark" },
	{ "--comment", NULL, NULL, O_COMMENT, CTX_COMMENT, true, false, "-m comment" },
	{ "--reject-with", NULL, NULL, O_REJECT_WITH, CTX_T_REJECT, true, false, "-j REJECT" },
	{ "--log-prefix", NULL, NULL, O_LOG_PREFIX, CTX_T_LOG, true, false, "-j LOG" },
	{ "--log-level", NULL, NULL, O_LOG_LEVEL, CTX_T_LOG, true, false, "-j LOG" },
	{ "--to-ports", NULL, NULL, O_TO_PORTS, CTX_T_MASQ, true, false, "-j MASQUERADE" },
	{ "--random", NULL, NULL, O_RANDOM, CTX_T_MASQ | CTX_T_SNAT | CTX_T_DNAT, false, false,
	  "-j MASQUERADE, SNAT or DNAT" },
	{ "--random-fully", NULL, NULL, O_RANDOM_FULLY, CTX_T_MASQ | CTX_T_SNAT, false, false,
	  "-j MASQUERADE or SNAT" },
	{ "--to-source", NULL, NULL, O_TO_SOURCE, CTX_T_SNAT, true, false, "-j SNAT" },
	{ "--to-destination", NULL, NULL, O_TO_DEST, CTX_T_DNAT, true, false, "-j DNAT" },
	{ "--persistent", NULL, NULL, O_PERSISTENT, CTX_T_SNAT | CTX_T_DNAT, false, false,
	  "-j SNAT or DNAT" },
	{ "--set-mark", NULL, NULL, O_SET_MARK, CTX_T_MARK | CTX_T_CONNMARK, true, false,
	  "-j MARK or CONNMARK" },
	{ "--set-xmark", NULL, NULL, O_SET_XMARK, CTX_T_MARK | CTX_T_CONNMARK, true, false,
	  "-j MARK or CONNMARK" },
	{ "--and-mark", NULL, NULL, O_AND_MARK, CTX_T_MARK, true, false, "-j MARK" },
	{ "--or-mark", NULL, NULL, O_OR_MARK, CTX_T_MARK, true, false, "-j MARK" },
	{ "--xor-mark", NULL, NULL, O_XOR_MARK, CTX_T_MARK, true, false, "-j MARK" },
	{ "--save-mark", NULL, NULL, O_SAVE_MARK, CTX_T_CONNMARK, false, false, "-j CONNMARK" },
	{ "--restore-mark", NULL, NULL, O_RESTORE_MARK, CTX_T_CONNMARK, false, false, "-j CONNMARK" },
};

static const struct {
	const char *name;
	unsigned int ctx;
} modules[] = {
	{ "tcp", CTX_PORTS }, { "udp", CTX_PORTS }, { "icmp", CTX_ICMP }, { "icmp6", CTX_ICMP6 },
	{ "icmpv6", CTX_ICMP6 }, { "state", CTX_STATE }, { "conntrack", CTX_CONNTRACK },
	{ "multiport", CTX_MULTIPORT }, { "length", CTX_LENGTH }, { "mark", CTX_MARK },
	{ "comment", CTX_COMMENT },
};

static const struct {
	const char *name;
	enum fw_target target;
	unsigned int ctx;
} targets[] = {
	{ "ACCEPT", FW_T_ACCEPT, 0 }, { "DROP", FW_T_DROP, 0 }, { "RETURN", FW_T_RETURN, 0 },
	{ "REJECT", FW_T_REJECT, CTX_T_REJECT }, { "LOG", FW_T_LOG, CTX_T_LOG },
	{ "MASQUERADE", FW_T_MASQUERADE, CTX_T_MASQ }, { "SNAT", FW_T_SNAT, CTX_T_SNAT },
	{ "DNAT", FW_T_DNAT, CTX_T_DNAT }, { "MARK", FW_T_MARK, CTX_T_MARK },
	{ "CONNMARK", FW_T_CONNMARK, CTX_T_CONNMARK },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct opt *opt_find(const char *name)
{
	size_t i;

	for (i = 0; i < N(opts); i++)
		if (!strcmp(opts[i].name, name) || (opts[i].alias && !strcmp(opts[i].alias, name)) ||
		    (opts[i].alias2 && !strcmp(opts[i].alias2, name)))
			return &opts[i];
	return NULL;
}

struct opts_state {
	struct fw_spec *s;
	int family;
	enum fw_table_kind table;
	int hook;
	struct fw_table *t;
	unsigned int ctx;
	unsigned int col[O_MAX];	/* column of each option given, 0: absent */
	unsigned int target_col, proto_col, match_tcp_col, match_udp_col;
	bool proto_inv;
	bool ports_loaded;		/* tcp's or udp's options: -m tcp, or one used */
	struct fw_addr_pick *pick;
	struct fw_error *err;
};

static int opt_target(struct opts_state *st, const struct fw_token *v, bool is_goto)
{
	struct fw_spec *s = st->s;
	struct fw_chain *c;
	size_t i;

	for (i = 0; !is_goto && i < N(targets); i++) {
		if (strcmp(targets[i].name, v->s))
			continue;
		s->target = targets[i].target;
		st->ctx |= targets[i].ctx;
		return 0;
	}
	if (fw_hook_parse(v->s) != FW_HOOK_USER)
		return fw_err(st->err, v->col, -EINVAL, "cannot jump to built-in chain '%s'", v->s);
	c = fw_chain_find(st->t, v->s);
	if (!c || c->hook != FW_HOOK_USER)
		return fw_err(st->err, v->col, -EINVAL, "unknown target '%s'", v->s);
	s->target = is_goto ? FW_T_GOTO : FW_T_JUMP;
	strcpy(s->chain, c->name);
	return 0;
}

/* One address of -s or -d a,b,c: the pick's, with its offset in the word
 * for the error's column. */
static int opt_addr(struct opts_state *st, const struct opt *o, const struct fw_token *v, bool inv)
{
	struct fw_spec *s = st->s;
	bool src = o->id == O_SRC;
	unsigned int n = 1, k = 0, col;
	const char *p, *e;
	char one[INET6_ADDRSTRLEN + 20];
	int ret;

	for (p = v->s; (p = strchr(p, ',')); p++)
		n++;
	if (n > 1 && inv)
		return fw_err(st->err, v->col, -EINVAL,
			      "'!' cannot be used with a list of addresses '%s'", v->s);
	if (n > FW_ADDR_LIST_MAX)
		return fw_err(st->err, v->col, -E2BIG, "more than %d addresses in '%s'",
			      FW_ADDR_LIST_MAX, v->s);
	if (st->pick) {
		k = src ? st->pick->src : st->pick->dst;
		if (k >= n)
			k = 0;
		if (src)
			st->pick->nsrc = n;
		else
			st->pick->ndst = n;
	}
	for (p = v->s; k--; p = strchr(p, ',') + 1)
		;
	e = strchrnul(p, ',');
	col = v->col + (unsigned int)(p - v->s);
	if ((size_t)(e - p) >= sizeof(one))
		return fw_err(st->err, col, -EINVAL, "bad address '%.*s'", (int)(e - p), p);
	memcpy(one, p, (size_t)(e - p));
	one[e - p] = '\0';
	ret = fw_val_cidr(one, st->family, src ? &s->src : &s->dst);
	if (ret == -EAFNOSUPPORT)
		return fw_err(st->err, col, ret, "'%s' is not an %s address", one,
			      st->family == AF_INET ? "IPv4" : "IPv6");
	if (ret)
		return fw_err(st->err, col, ret, "bad address '%s'", one);
	s->has |= src ? FW_M_SRC : FW_M_DST;
	return 0;
}

static unsigned int opt_match_bit(enum opt_id id)
{
	switch (id) {
	case O_SRC:
		return FW_M_SRC;
	case O_DST:
		return FW_M_DST;
	case O_IIF:
		return FW_M_IIF;
	case O_OIF:
		return FW_M_OIF;
	case O_PROTO:
		return FW_M_PROTO;
	case O_SPORT:
		return FW_M_SPORT;
	case O_DPORT:
		return FW_M_DPORT;
	case O_ICMP:
	case O_ICMP6:
		return FW_M_ICMP;
	case O_STATE:
		return FW_M_STATE;
	case O_CTSTATE:
		/* one of the two: a --ctstate is states or SNAT/DNAT */
		return FW_M_CTSTATE | FW_M_CTSTATUS;
	case O_SPORTS:
	case O_DPORTS:
	case O_PORTS:
		return FW_M_MPORT;
	case O_LENGTH:
		return FW_M_LENGTH;
	case O_MARK:
		return FW_M_MARK;
	default:
		return 0;
	}
}

/*
 * --state (of -m state) or --ctstate (of -m conntrack).  -m state and -m
 * conntrack are two matches, ANDed as iptables does, each with its own
 * '!'; so is the same match given again (-m conntrack --ctstate NEW,RELATED
 * -m conntrack ! --ctstate RELATED): the states both allow, in one mask.
 */
static int opt_states(struct opts_state *st, int id, const struct fw_token *v, bool inv)
{
	struct fw_spec *s = st->s;
	uint32_t states = 0, status = 0, *field;
	unsigned int bit;

	if (fw_val_states(v->s, id == O_CTSTATE, &states, &status))
		return fw_err(st->err, v->col, -EINVAL, "bad state list '%s'", v->s);
	/* xt_conntrack ORs them; nftables has no one expression for
	 * "state in S or status has N". */
	if (states && status)
		return fw_err(st->err, v->col, -EOPNOTSUPP,
			      "SNAT/DNAT with connection states in one --ctstate is not supported");
	bit = id == O_STATE ? FW_M_STATE : states ? FW_M_CTSTATE : FW_M_CTSTATUS;
	field = bit == FW_M_STATE ? &s->state : bit == FW_M_CTSTATE ? &s->ctstate : &s->ctstatus;
	if (!(s->has & bit)) {
		*field = states | status;
		s->has |= bit;
		s->inv |= inv ? bit : 0;
		return 0;
	}
	if (bit == FW_M_CTSTATUS)
		return fw_err(st->err, v->col, -EOPNOTSUPP, "SNAT/DNAT in two --ctstate matches is not supported");
	if (s->inv & bit)
		*field = ~*field & FW_CT_STATES;
	*field &= inv ? ~states & FW_CT_STATES : states;
	s->inv &= ~bit;
	return 0;
}

static int opt_value(struct opts_state *st, const struct opt *o, unsigned int ocol,
		     const struct fw_token *v, bool inv)
{
	struct fw_spec *s = st->s;
	struct fw_range r;
	uint32_t val, mask;
	uint8_t proto;
	bool has_mask;
	size_t i, off, n;
	int ret = 0;

	switch (o->id) {
	case O_SRC:
	case O_DST:
		ret = opt_addr(st, o, v, inv);
		if (ret)
			return ret;
		break;
	case O_IIF:
	case O_OIF:
		if (fw_val_ifname(v->s, o->id == O_IIF ? s->iif : s->oif,
				 o->id == O_IIF ? &s->iif_wild : &s->oif_wild))
			return fw_err(st->err, v->col, -EINVAL, "bad interface name '%s'", v->s);
		s->has |= o->id == O_IIF ? FW_M_IIF : FW_M_OIF;
		break;
	case O_PROTO:
		if (fw_val_proto(v->s, &proto))
			return fw_err(st->err, v->col, -EINVAL, "unknown protocol '%s'", v->s);
		val = proto;
		if (!val && inv)
			return fw_err(st->err, v->col, -EINVAL, "'! -p all' matches nothing");
		st->proto_col = v->col;
		st->proto_inv = inv;
		if (!val)
			break;
		s->proto = (uint8_t)val;
		s->has |= FW_M_PROTO;
		if (inv)
			break;
		if (val == IPPROTO_TCP || val == IPPROTO_UDP)
			st->ctx |= CTX_PORTS;
		/* Each family has its ICMP's options: ip6tables -p icmp
		 * matches the protocol only. */
		else if (val == IPPROTO_ICMP && st->family == AF_INET)
			st->ctx |= CTX_ICMP;
		else if (val == IPPROTO_ICMPV6 && st->family == AF_INET6)
			st->ctx |= CTX_ICMP6;
		break;
	case O_MATCH:
		for (i = 0; i < N(modules); i++)
			if (!strcmp(modules[i].name, v->s))
				break;
		if (i == N(modules))
			return fw_err(st->err, v->col, -EOPNOTSUPP, "unsupported match '%s'", v->s);
		if (modules[i].ctx == CTX_ICMP && st->family != AF_INET)
			return fw_err(st->err, v->col, -EINVAL,
				      "match '%s' is iptables' (IPv4); ip6tables has -m icmp6", v->s);
		if (modules[i].ctx == CTX_ICMP6 && st->family != AF_INET6)
			return fw_err(st->err, v->col, -EINVAL,
				      "match '%s' is ip6tables' (IPv6); iptables has -m icmp", v->s);
		st->ctx |= modules[i].ctx;
		/* A new instance of the match takes its option again. */
		if (!strcmp(v->s, "state"))
			st->col[O_STATE] = 0;
		if (!strcmp(v->s, "conntrack"))
			st->col[O_CTSTATE] = 0;
		if (!strcmp(v->s, "comment"))
			st->col[O_COMMENT] = 0;
		if (!strcmp(v->s, "tcp"))
			st->match_tcp_col = v->col;
		if (!strcmp(v->s, "udp"))
			st->match_udp_col = v->col;
		if (modules[i].ctx == CTX_PORTS)
			st->ports_loaded = true;
		break;
	case O_JUMP:
	case O_GOTO:
		if (st->target_col)
			return fw_err(st->err, v->col, -EINVAL, "more than one target");
		st->target_col = v->col;
		return opt_target(st, v, o->id == O_GOTO);
	case O_SPORT:
	case O_DPORT:
		st->ports_loaded = true;
		if (fw_val_range(v->s, ':', s->proto, true, &r))
			return fw_err(st->err, v->col, -EINVAL, "bad port or port range '%s'", v->s);
		if (o->id == O_SPORT)
			s->sport = r;
		else
			s->dport = r;
		s->has |= o->id == O_SPORT ? FW_M_SPORT : FW_M_DPORT;
		break;
	case O_ICMP:
	case O_ICMP6:
		if (fw_val_icmp(v->s, o->id == O_ICMP6, &s->icmp_type, &s->icmp_code))
			return fw_err(st->err, v->col, -EINVAL, "bad ICMP type '%s'", v->s);
		/* "! --icmp-type any" is taken and matches nothing, as in
		 * xt_icmp (iptables-nft's match for it). */
		if (s->icmp_type >= 0 || inv)
			s->has |= FW_M_ICMP;
		break;
	case O_STATE:
	case O_CTSTATE:
		return opt_states(st, o->id, v, inv);
	case O_SPORTS:
	case O_DPORTS:
	case O_PORTS:
		if (s->n_mports)
			return fw_err(st->err, v->col, -EINVAL, "only one of --sports, --dports, --ports");
		ret = fw_val_mports(v->s, s->proto, s, &off);
		if (ret == -E2BIG)
			return fw_err(st->err, v->col, ret,
				      "more than %d ports (a range counts as two)", FW_MPORT_MAX);
		n = strcspn(v->s + off, ",");
		if (ret == -ERANGE)
			return fw_err(st->err, v->col + (unsigned int)off, -EINVAL,
				      "bad port range '%.*s' (the first port must be below the last)",
				      (int)n, v->s + off);
		n = strcspn(v->s + off, ",");
		if (ret)
			return fw_err(st->err, v->col + (unsigned int)off, ret, "bad port%s '%.*s' in '%s'",
				      memchr(v->s + off, ':', n) ? " range" : "", (int)n, v->s + off, v->s);
		s->mport_dir = o->id == O_SPORTS ? FW_MPORT_SRC :
			       o->id == O_DPORTS ? FW_MPORT_DST : FW_MPORT_ANY;
		s->has |= FW_M_MPORT;
		break;
	case O_LENGTH:
		if (fw_val_range(v->s, ':', 0, false, &s->length))
			return fw_err(st->err, v->col, -EINVAL, "bad length '%s'", v->s);
		s->has |= FW_M_LENGTH;
		break;
	case O_MARK:
		if (fw_val_mark(v->s, &s->mark, &s->mark_mask, &has_mask))
			return fw_err(st->err, v->col, -EINVAL, "bad mark '%s'", v->s);
		/* Kept as given: iptables-nft compares "mark & M == V", which
		 * no packet passes when V has bits outside M. */
		s->has |= FW_M_MARK;
		break;
	case O_COMMENT:
		/* Each -m comment may give one; the rule's nftables comment
		 * is them all, joined by "; ". */
		i = strlen(s->comment);
		if (i + (i ? 2 : 0) + strlen(v->s) >= sizeof(s->comment))
			return fw_err(st->err, v->col, -EINVAL, "comment%s longer than %zu characters",
				      i ? "s together" : "", sizeof(s->comment) - 1);
		if (i)
			memcpy(s->comment + i, "; ", 2);
		strcpy(s->comment + i + (i ? 2 : 0), v->s);
		s->has |= FW_M_COMMENT;
		break;
	case O_REJECT_WITH:
		if (fw_val_reject(v->s, st->family, &s->reject_type, &s->reject_code))
			return fw_err(st->err, v->col, -EINVAL, "unknown reject type '%s'", v->s);
		break;
	case O_LOG_PREFIX:
		/* iptables 1.8.9 keeps the first 29 bytes of a longer one. */
		i = strnlen(v->s, sizeof(s->log_prefix) - 1);
		memcpy(s->log_prefix, v->s, i);
		s->log_prefix[i] = '\0';
		break;
	case O_LOG_LEVEL:
		if (fw_val_log_level(v->s, &s->log_level))
			return fw_err(st->err, v->col, -EINVAL, "bad log level '%s'", v->s);
		break;
	case O_TO_PORTS:
		if (fw_val_range(v->s, '-', 0, false, &r))
			return fw_err(st->err, v->col, -EINVAL, "bad port range '%s'", v->s);
		s->nat_port_min = (uint16_t)r.lo;
		s->nat_port_max = (uint16_t)r.hi;
		s->nat_has |= FW_NAT_PORT;
		break;
	case O_TO_SOURCE:
	case O_TO_DEST:
		ret = fw_val_nat_to(v->s, st->family, s);
		if (ret == -EAFNOSUPPORT)
			return fw_err(st->err, v->col, ret, "'%s' is not an %s address", v->s,
				      st->family == AF_INET ? "IPv4" : "IPv6");
		if (ret)
			return fw_err(st->err, v->col, ret, "bad address or port range '%s'", v->s);
		break;
	case O_RANDOM:
		s->nat_flags |= NF_NAT_RANGE_PROTO_RANDOM;
		break;
	case O_RANDOM_FULLY:
		s->nat_flags |= NF_NAT_RANGE_PROTO_RANDOM_FULLY;
		break;
	case O_PERSISTENT:
		s->nat_flags |= NF_NAT_RANGE_PERSISTENT;
		break;
	case O_SET_MARK:
	case O_SET_XMARK:
	case O_AND_MARK:
	case O_OR_MARK:
	case O_XOR_MARK:
		if (st->col[O_SET_MARK] || st->col[O_SET_XMARK] || st->col[O_AND_MARK] ||
		    st->col[O_OR_MARK] || st->col[O_XOR_MARK] || st->col[O_SAVE_MARK] ||
		    st->col[O_RESTORE_MARK])
			return fw_err(st->err, ocol, -EINVAL, "only one mark operation per rule");
		if (o->id == O_SET_MARK || o->id == O_SET_XMARK) {
			if (fw_val_mark(v->s, &val, &mask, &has_mask))
				return fw_err(st->err, v->col, -EINVAL, "bad mark '%s'", v->s);
		} else if (fw_val_uint(v->s, 0xffffffff, &val)) {
			return fw_err(st->err, v->col, -EINVAL, "bad mark '%s'", v->s);
		}
		/* new = (old & keep) ^ xor */
		switch (o->id) {
		case O_SET_MARK:
			s->mark_keep = ~(mask | val);
			s->mark_xor = val;
			break;
		case O_SET_XMARK:
			s->mark_keep = ~mask;
			s->mark_xor = val;
			break;
		case O_AND_MARK:
			s->mark_keep = val;
			s->mark_xor = 0;
			break;
		case O_OR_MARK:
			s->mark_keep = ~val;
			s->mark_xor = val;
			break;
		default:
			s->mark_keep = 0xffffffff;
			s->mark_xor = val;
			break;
		}
		s->connmark_op = FW_CONNMARK_SET;
		break;
	case O_SAVE_MARK:
	case O_RESTORE_MARK:
		if (st->col[O_SET_MARK] || st->col[O_SET_XMARK] || st->col[O_SAVE_MARK] ||
		    st->col[O_RESTORE_MARK])
			return fw_err(st->err, ocol, -EINVAL, "only one mark operation per rule");
		s->connmark_op = o->id == O_SAVE_MARK ? FW_CONNMARK_SAVE : FW_CONNMARK_RESTORE;
		break;
	case O_MAX:
		break;
	}
	if (inv)
		s->inv |= opt_match_bit(o->id) & s->has;
	return 0;
}

static bool hook_is(int hook, int a, int b)
{
	return hook == a || hook == b;
}

/* What iptables checks once the whole rule is read. */
static int opts_check(struct opts_state *st)
{
	struct fw_spec *s = st->s;
	bool ports_ok = (s->proto == IPPROTO_TCP || s->proto == IPPROTO_UDP) && !st->proto_inv;
	bool user = st->hook == FW_HOOK_USER;
	unsigned int col;

	if (st->match_tcp_col && (s->proto != IPPROTO_TCP || st->proto_inv))
		return fw_err(st->err, st->match_tcp_col, -EINVAL, "'-m tcp' needs -p tcp");
	if (st->match_udp_col && (s->proto != IPPROTO_UDP || st->proto_inv))
		return fw_err(st->err, st->match_udp_col, -EINVAL, "'-m udp' needs -p udp");
	col = st->col[O_SPORT] ? st->col[O_SPORT] : st->col[O_DPORT] ? st->col[O_DPORT] :
	      st->col[O_SPORTS] ? st->col[O_SPORTS] : st->col[O_DPORTS] ? st->col[O_DPORTS] :
	      st->col[O_PORTS];
	if (col && !ports_ok)
		return fw_err(st->err, col, -EINVAL, "ports need -p tcp or -p udp");
	if ((s->has & FW_M_IIF) && hook_is(st->hook, FW_HOOK_OUTPUT, FW_HOOK_POSTROUTING))
		return fw_err(st->err, st->col[O_IIF], -EINVAL, "-i cannot be used in %s",
			      fw_hook_names[st->hook]);
	if ((s->has & FW_M_OIF) && hook_is(st->hook, FW_HOOK_PREROUTING, FW_HOOK_INPUT))
		return fw_err(st->err, st->col[O_OIF], -EINVAL, "-o cannot be used in %s",
			      fw_hook_names[st->hook]);
	switch (s->target) {
	case FW_T_DROP:
		if (st->table == FW_TABLE_NAT)
			return fw_err(st->err, st->target_col, -EINVAL, FW_NAT_DROP_MSG);
		break;
	case FW_T_REJECT:
		/* The kernel's REJECT is .table = "filter", whose chains are
		 * INPUT, FORWARD and OUTPUT: mangle's and raw's are refused
		 * too, also in their user chains. */
		if (st->table != FW_TABLE_FILTER)
			return fw_err(st->err, st->target_col, -EINVAL,
				      "REJECT is valid only in the filter table");
		if (!st->col[O_REJECT_WITH]) {
			s->reject_type = NFT_REJECT_ICMP_UNREACH;
			s->reject_code = st->family == AF_INET ? ICMP_PORT_UNREACH : ICMP6_DST_UNREACH_NOPORT;
		}
		if (s->reject_type == NFT_REJECT_TCP_RST && (s->proto != IPPROTO_TCP || st->proto_inv))
			return fw_err(st->err, st->col[O_REJECT_WITH], -EINVAL,
				      "tcp-reset needs -p tcp");
		break;
	case FW_T_LOG:
		if (!st->col[O_LOG_LEVEL])
			s->log_level = LOG_WARNING;
		break;
	case FW_T_MASQUERADE:
	case FW_T_SNAT:
	case FW_T_DNAT:
		if (st->table != FW_TABLE_NAT)
			return fw_err(st->err, st->target_col, -EINVAL, "%s needs the nat table",
				      s->target == FW_T_DNAT ? "DNAT" : s->target == FW_T_SNAT ?
				      "SNAT" : "MASQUERADE");
		if (s->target == FW_T_DNAT && !user &&
		    !hook_is(st->hook, FW_HOOK_PREROUTING, FW_HOOK_OUTPUT))
			return fw_err(st->err, st->target_col, -EINVAL,
				      "DNAT is only valid in PREROUTING and OUTPUT");
		if (s->target == FW_T_SNAT && !user &&
		    !hook_is(st->hook, FW_HOOK_POSTROUTING, FW_HOOK_INPUT))
			return fw_err(st->err, st->target_col, -EINVAL,
				      "SNAT is only valid in POSTROUTING and INPUT");
		if (s->target == FW_T_MASQUERADE && !user && st->hook != FW_HOOK_POSTROUTING)
			return fw_err(st->err, st->target_col, -EINVAL,
				      "MASQUERADE is only valid in POSTROUTING");
		if (s->target == FW_T_SNAT && !st->col[O_TO_SOURCE])
			return fw_err(st->err, st->target_col, -EINVAL, "SNAT needs --to-source");
		if (s->target == FW_T_DNAT && !st->col[O_TO_DEST])
			return fw_err(st->err, st->target_col, -EINVAL, "DNAT needs --to-destination");
		col = st->col[O_TO_PORTS] ? st->col[O_TO_PORTS] : st->col[O_TO_SOURCE] ?
		      st->col[O_TO_SOURCE] : st->col[O_TO_DEST];
		if ((s->nat_has & FW_NAT_PORT) && !ports_ok)
			return fw_err(st->err, col, -EINVAL, "a port needs -p tcp or -p udp");
		break;
	case FW_T_MARK:
		if (!st->col[O_SET_MARK] && !st->col[O_SET_XMARK] && !st->col[O_AND_MARK] &&
		    !st->col[O_OR_MARK] && !st->col[O_XOR_MARK])
			return fw_err(st->err, st->target_col, -EINVAL, "MARK needs --set-mark");
		break;
	case FW_T_CONNMARK:
		if (!st->col[O_SET_MARK] && !st->col[O_SET_XMARK] && !st->col[O_SAVE_MARK] &&
		    !st->col[O_RESTORE_MARK])
			return fw_err(st->err, st->target_col, -EINVAL,
				      "CONNMARK needs --set-mark, --save-mark or --restore-mark");
		break;
	default:
		break;
	}
	return 0;
}

int fw_opts_parse(struct fw_spec *s, int family, enum fw_table_kind table, int hook,
		  struct fw_table *t, const struct fw_token *tok, size_t n,
		  struct fw_addr_pick *pick, struct fw_error *err)
{
	struct opts_state st = {
		.s = s, .family = family, .table = table, .hook = hook, .t = t,
		.ctx = CTX_CORE, .pick = pick, .err = err,
	};
	struct fw_token name_tok, val_tok;
	const struct fw_token *ot, *vt;
	unsigned int inv_col = 0;
	const struct opt *o;
	const char *abbrev, *eq;
	char name[32], value[FW_COMMENT_LEN + 64];
	size_t i;
	int ret;

	memset(s, 0, sizeof(*s));
	s->icmp_type = -1;
	s->icmp_code = -1;
	for (i = 0; i < n; i++) {
		if (!strcmp(tok[i].s, "!")) {
			if (inv_col)
				return fw_err(err, tok[i].col, -EINVAL, "'!' given twice");
			inv_col = tok[i].col;
			continue;
		}
		/* getopt's --name=value: the value is the rest of the word. */
		ot = &tok[i];
		vt = i + 1 < n ? &tok[i + 1] : NULL;
		eq = strncmp(tok[i].s, "--", 2) ? NULL : strchr(tok[i].s, '=');
		if (eq && (size_t)(eq - tok[i].s) < sizeof(name) && strlen(eq + 1) < sizeof(value)) {
			memcpy(name, tok[i].s, (size_t)(eq - tok[i].s));
			name[eq - tok[i].s] = '\0';
			strcpy(value, eq + 1);
			name_tok.s = name;
			name_tok.col = tok[i].col;
			val_tok.s = value;
			val_tok.col = tok[i].col + (unsigned int)(eq - tok[i].s) + 1;
			ot = &name_tok;
			vt = &val_tok;
		} else {
			eq = NULL;
		}
		o = opt_find(ot->s);
		/* iptables (getopt) takes the unambiguous "--to" for the one
		 * NAT target loaded: -j DNAT --to 10.0.0.2:80. */
		if (!strcmp(ot->s, "--to") && (st.ctx & (CTX_T_SNAT | CTX_T_DNAT | CTX_T_MASQ)))
			o = opt_find(st.ctx & CTX_T_SNAT ? "--to-source" : st.ctx & CTX_T_DNAT ?
				     "--to-destination" : "--to-ports");
		/* After -m multiport, iptables (getopt) reads --dport as an
		 * abbreviation of its --dports, unless tcp's or udp's options
		 * are loaded: -m tcp, or one of them used before. */
		abbrev = NULL;
		if (o && (o->id == O_SPORT || o->id == O_DPORT) && (st.ctx & CTX_MULTIPORT) &&
		    !st.ports_loaded) {
			abbrev = o->id == O_SPORT ? "--sports" : "--dports";
			if (st.col[O_SPORTS] || st.col[O_DPORTS] || st.col[O_PORTS])
				return fw_err(err, ot->col, -EINVAL,
					      "'%s' after -m multiport is its %s (as iptables reads it), "
					      "a second port list; write -m %s before it",
					      ot->s, abbrev, s->proto == IPPROTO_UDP ? "udp" : "tcp");
			o = opt_find(abbrev);
		}
		if (!o) {
			if (ot->s[0] == '-')
				return fw_err(err, ot->col, -EOPNOTSUPP, "unsupported option '%s'",
					      ot->s);
			return fw_err(err, ot->col, -EINVAL, "unexpected argument '%s'", ot->s);
		}
		if (o->id == O_ICMP && family != AF_INET)
			return fw_err(err, ot->col, -EINVAL,
				      "option '%s' is iptables' (IPv4); ip6tables has --icmpv6-type",
				      ot->s);
		if (o->id == O_ICMP6 && family != AF_INET6)
			return fw_err(err, ot->col, -EINVAL,
				      "option '%s' is ip6tables' (IPv6); iptables has --icmp-type",
				      ot->s);
		if (!(st.ctx & o->ctx))
			return fw_err(err, ot->col, -EINVAL, "option '%s' needs %s before it",
				      ot->s, o->needs);
		if (inv_col && !o->invertible)
			return fw_err(err, inv_col, -EINVAL, "'!' cannot be used with '%s'", ot->s);
		if (st.col[o->id] && o->id != O_MATCH)
			return fw_err(err, ot->col, -EINVAL, "option '%s' given twice", ot->s);
		if (!o->arg) {
			if (eq)
				return fw_err(err, ot->col, -EINVAL, "option '%s' takes no argument",
					      ot->s);
			ret = opt_value(&st, o, ot->col, NULL, false);
		} else {
			if (vt && !strcmp(vt->s, "!"))
				return fw_err(err, vt->col, -EINVAL,
					      "'!' goes before the option: '! %s ...'", ot->s);
			if (!vt)
				return fw_err(err, ot->col, -EINVAL, "option '%s' needs an argument",
					      ot->s);
			if (vt->s[0] == '!' && vt->s[1])
				return fw_err(err, vt->col, -EINVAL,
					      "write '! %s %s' to negate", ot->s, vt->s + 1);
			if (!eq)
				i++;
			ret = opt_value(&st, o, ot->col, vt, inv_col != 0);
		}
		if (ret)
			return ret;
		st.col[o->id] = ot->col;
		inv_col = 0;
	}
	if (inv_col)
		return fw_err(err, inv_col, -EINVAL, "'!' without an option after it");
	return opts_check(&st);
}
