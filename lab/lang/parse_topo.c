// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* Topology statements: node, link, lan, address, route, rule, sysctl. */
#include "lab/lang/parse_topo.h"
#include "lab/lang/lexer.h"
#include "lab/lang/model.h"
#include "lab/lang/parse_value.h"
#include "lab/lang/pctx.h"
#include "netns/util/number.h"
#include "netns/util/xalloc.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if_ether.h>
#include <linux/rtnetlink.h>

/* node NAME [router] */
struct stmt *parse_node(struct pctx *c)
{
	struct stmt *s = pctx_stmt(c, STMT_NODE);

	if (!pctx_word(c, "node name") || parse_node_name(c, c->i - 1, &s->node.name) < 0)
		return stmt_fail(s);
	while (pctx_more(c)) {
		if (pctx_accept(c, "router"))
			s->node.flags |= NODE_ROUTER;
		else if (pctx_accept(c, "ipv6")) {
			if (!pctx_accept(c, "off"))
				return perr_free(s, c, c->i, "expected 'off' after 'ipv6' (IPv6 is on by default)");
			s->node.flags |= NODE_NO_IPV6;
		} else if (pctx_accept(c, "name")) {
			const char *h = pctx_word(c, "host name");

			if (!h)
				return stmt_fail(s);
			if (!host_name_valid(h))
				return perr_free(s, c, c->i - 1,
						 "invalid host name '%s' (labels of letters, digits and '-', joined by '.'; not an address)",
						 h);
			s->node.aliases = xgrow(s->node.aliases, s->node.n_aliases, sizeof(char *));
			s->node.aliases[s->node.n_aliases++] = xstrdup(h);
		} else
			return perr_free(s, c, c->i, "unknown node option '%s' (router, ipv6 off, name HOST)",
					 pctx_peek(c));
	}
	return s;
}

static bool is_link_option(const char *w)
{
	return w && (!strcmp(w, "mtu") || !strcmp(w, "rate") || !strcmp(w, "delay") ||
		     !strcmp(w, "jitter") || !strcmp(w, "loss"));
}

/* Interface addresses: always with a prefix length, as `ip addr add`
 * would otherwise make a /32 with no connected route. */
static int parse_if_addrs(struct pctx *c, struct addr_list *l, const char *stop)
{
	int ret = 0;

	while (pctx_more(c) && strcmp(pctx_peek(c), stop ? stop : "") && !is_link_option(pctx_peek(c))) {
		struct addr a;

		if (parse_addr(c, c->i, ADDR_PARSE_NEED_PREFIX, &a) < 0)
			ret = -EINVAL;
		else
			addr_list_push(l, &a);
		c->i++;
	}
	return ret;
}

/* The forms that change an existing link: link NODE:IF up|down|mtu N */
static struct stmt *parse_link_set(struct pctx *c)
{
	struct stmt *s = pctx_stmt(c, STMT_LINK_SET);
	uint32_t mtu;

	if (parse_ifref(c, 1, &s->link_set.ref) < 0)
		return stmt_fail(s);
	c->i = 2;
	if (pctx_accept(c, "up"))
		s->link_set.op = LINK_UP;
	else if (pctx_accept(c, "down"))
		s->link_set.op = LINK_DOWN;
	else if (pctx_accept(c, "mtu")) {
		if (!pctx_word(c, "MTU") || parse_u32(c, c->i - 1, ETH_MIN_MTU, ETH_MAX_MTU, &mtu) < 0)
			return stmt_fail(s);
		s->link_set.op = LINK_MTU;
		s->link_set.mtu = mtu;
	}
	if (!pctx_end(c))
		return stmt_fail(s);
	return s;
}

static int parse_link_options(struct pctx *c, struct stmt_link *l)
{
	uint32_t v;

	while (pctx_more(c)) {
		size_t at = c->i;

		if (pctx_accept(c, "mtu")) {
			if (!pctx_word(c, "MTU") || parse_u32(c, c->i - 1, ETH_MIN_MTU, ETH_MAX_MTU, &v) < 0)
				return -EINVAL;
			l->mtu = v;
			l->flags |= LINK_HAS_MTU;
		} else if (pctx_accept(c, "rate")) {
			if (!pctx_word(c, "rate") || parse_rate(c, c->i - 1, &l->rate_bps) < 0)
				return -EINVAL;
			l->flags |= LINK_HAS_RATE;
		} else if (pctx_accept(c, "delay")) {
			if (!pctx_word(c, "delay") || parse_duration_ms(c, c->i - 1, &v) < 0)
				return -EINVAL;
			l->delay_us = v * 1000;
			l->flags |= LINK_HAS_DELAY;
		} else if (pctx_accept(c, "jitter")) {
			if (!pctx_word(c, "jitter") || parse_duration_ms(c, c->i - 1, &v) < 0)
				return -EINVAL;
			l->jitter_us = v * 1000;
			l->flags |= LINK_HAS_DELAY;
		} else if (pctx_accept(c, "loss")) {
			const char *w = pctx_word(c, "loss, e.g. 1%");
			char *end;
			double pct;

			if (!w)
				return -EINVAL;
			pct = strtod(w, &end);
			if (end == w || strcmp(end, "%") || pct < 0 || pct > 100) {
				perr(c, c->i - 1, "'%s' is not a loss percentage (e.g. 1%%)", w);
				return -EINVAL;
			}
			l->loss_ppm = (unsigned int)(pct * 10000);
			l->flags |= LINK_HAS_LOSS;
		} else {
			perr(c, at, "unknown link option '%s' (mtu, rate, delay, jitter, loss)",
			     c->t->v[at].text);
			return -EINVAL;
		}
	}
	return 0;
}

/* link A:IF ADDR... -- B:IF ADDR... [mtu N] [rate R] [delay D] [jitter J] [loss P%] */
struct stmt *parse_link(struct pctx *c)
{
	struct stmt *s;
	int err = 0, k;

	if (c->t->n >= 3 && !strchr(c->t->v[2].text, '/') &&
	    (!strcmp(c->t->v[2].text, "up") || !strcmp(c->t->v[2].text, "down") ||
	     !strcmp(c->t->v[2].text, "mtu")))
		return parse_link_set(c);
	s = pctx_stmt(c, STMT_LINK);
	for (k = 0; k < 2; k++) {
		struct link_end *e = &s->link.end[k];

		if (!pctx_word(c, k ? "second end NODE:IF after '--'" : "first end NODE:IF"))
			return stmt_fail(s);
		if (parse_ifref(c, c->i - 1, &e->ref) < 0)
			return stmt_fail(s);
		if (parse_if_addrs(c, &e->addrs, k ? NULL : "--") < 0)
			err = -EINVAL;
		if (!k && !pctx_accept(c, "--"))
			return perr_free(s, c, c->i, "missing '--' between the two ends");
	}
	if (parse_link_options(c, &s->link) < 0 || err)
		return stmt_fail(s);
	return s;
}

/* The address of host `host` ("10" from ".10") in subnet. */
static int lan_host_addr(const struct addr *subnet, const char *host, struct addr *ret)
{
	struct addr a;
	unsigned long n;
	int i;

	if (!isdigit((unsigned char)host[0]))
		return -EINVAL;
	if (subnet->family == AF_INET6) {
		char buf[INET6_ADDRSTRLEN];

		/* ".10" reads as "::10": the digits as the last group. */
		if (strlen(host) > 4 || strspn(host, "0123456789") != strlen(host))
			return -EINVAL;
		snprintf(buf, sizeof(buf), "::%s", host);
		if (inet_pton(AF_INET6, buf, &a.v6) != 1)
			return -EINVAL;
		n = (unsigned long)a.v6.s6_addr[14] << 8 | a.v6.s6_addr[15];
		if (subnet->prefixlen > 112 && n >> (128 - subnet->prefixlen))
			return -ERANGE;
	} else {
		unsigned int bits = 32 - subnet->prefixlen;
		const char *why;
		uint64_t v;

		if (number_u64(host, 0, 1, UINT32_MAX, &v, &why) < 0)
			return -ERANGE;
		n = (unsigned long)v;
		if ((bits < 32 && n >> bits) || (bits >= 2 && n == (1UL << bits) - 1))
			return -ERANGE;
	}
	addr_network(subnet, &a);
	a.prefixlen = subnet->prefixlen;
	for (i = (int)addr_len(a.family) - 1; i >= 0 && n; i--) {
		unsigned long sum = a.bytes[i] + (n & 0xff);

		a.bytes[i] = (uint8_t)sum;
		n = (n >> 8) + (sum >> 8);
	}
	*ret = a;
	return 0;
}

static int parse_lan_member(struct pctx *c, const struct addr_list *subnets, struct lan_member *m)
{
	char *word = xstrdup(c->t->v[c->i].text), *eq = strchr(word, '='), *host, *save;
	struct token *tok = &c->t->v[c->i];
	char *orig = tok->text;
	int ret = 0;

	if (eq)
		*eq = '\0';
	tok->text = word;
	ret = parse_ifref(c, c->i, &m->ref);
	tok->text = orig;
	if (ret < 0 || !eq)
		goto cleanup;
	for (host = strtok_r(eq + 1, ",", &save); host; host = strtok_r(NULL, ",", &save)) {
		struct addr a;
		size_t k;
		bool found = false;

		if (host[0] == '.') {
			for (k = 0; k < subnets->n; k++) {
				int r = lan_host_addr(&subnets->v[k], host + 1, &a);

				if (r < 0) {
					perr(c, c->i, "host part '%s' does not fit subnet %s", host,
					     addr_format(&subnets->v[k], true, (char[ADDR_STRLEN]){ 0 },
							 ADDR_STRLEN));
					ret = -EINVAL;
					continue;
				}
				addr_list_push(&m->addrs, &a);
			}
			continue;
		}
		if (addr_parse(host, ADDR_PARSE_PREFIX, &a) < 0) {
			perr(c, c->i, "'%s' is neither a host part (.N) nor an address", host);
			ret = -EINVAL;
			continue;
		}
		for (k = 0; k < subnets->n && !found; k++) {
			if (!addr_contains(&subnets->v[k], &a))
				continue;
			if (!strchr(host, '/'))
				a.prefixlen = subnets->v[k].prefixlen;
			found = true;
		}
		if (!found) {
			perr(c, c->i, "address '%s' is in none of the lan's subnets", host);
			ret = -EINVAL;
			continue;
		}
		addr_list_push(&m->addrs, &a);
	}
cleanup:
	free(word);
	return ret;
}

/* Subnets come before members: an IPv6 subnet has ':' too, but a member
 * (NODE:IF, NODE:IF=...) never reads as an address. */
static bool lan_subnet_word(const char *w)
{
	struct addr a;

	if (!strcmp(w, "mtu") || strchr(w, '='))
		return false;
	return !strchr(w, ':') || addr_parse(w, ADDR_PARSE_PREFIX, &a) == 0;
}

/* lan NAME SUBNET... NODE:IF[=.N|=ADDR[,...]]... [mtu N] */
struct stmt *parse_lan(struct pctx *c)
{
	struct stmt *s = pctx_stmt(c, STMT_LAN);
	struct stmt_lan *l = &s->lan;
	int err = 0;
	uint32_t mtu;

	if (!pctx_word(c, "lan name") || parse_node_name(c, c->i - 1, &l->name) < 0)
		return stmt_fail(s);
	while (pctx_more(c) && lan_subnet_word(pctx_peek(c))) {
		struct addr a;

		if (parse_addr(c, c->i, ADDR_PARSE_NEED_PREFIX, &a) < 0)
			err = -EINVAL;
		else
			addr_list_push(&l->subnets, &a);
		c->i++;
	}
	while (pctx_more(c)) {
		struct lan_member *m;

		if (pctx_accept(c, "mtu")) {
			if (!pctx_word(c, "MTU") || parse_u32(c, c->i - 1, ETH_MIN_MTU, ETH_MAX_MTU, &mtu) < 0)
				return stmt_fail(s);
			l->mtu = mtu;
			continue;
		}
		l->members = xgrow(l->members, l->n_members, sizeof(*m));
		m = &l->members[l->n_members];
		memset(m, 0, sizeof(*m));
		if (parse_lan_member(c, &l->subnets, m) < 0) {
			free(m->ref.node);
			free(m->addrs.v);
			err = -EINVAL;
		} else {
			l->n_members++;
		}
		c->i++;
	}
	if (!l->n_members && !err)
		return perr_free(s, c, c->i, "a lan needs members (NODE:IF[=.N])");
	return err ? stmt_fail(s) : s;
}

static enum addr_op parse_op(struct pctx *c)
{
	if (pctx_accept(c, "add"))
		return OP_ADD;
	if (pctx_accept(c, "del") || pctx_accept(c, "delete"))
		return OP_DEL;
	if (pctx_accept(c, "replace"))
		return OP_REPLACE;
	return OP_ADD;
}

/* address NODE:IF [add|del] ADDR/LEN... */
struct stmt *parse_address(struct pctx *c)
{
	struct stmt *s = pctx_stmt(c, STMT_ADDRESS);

	if (!pctx_word(c, "NODE:IF") || parse_ifref(c, c->i - 1, &s->address.ref) < 0)
		return stmt_fail(s);
	s->address.op = parse_op(c);
	if (s->address.op == OP_REPLACE)
		return perr_free(s, c, c->i - 1, "addresses are added or deleted (add, del)");
	if (!pctx_more(c))
		return perr_free(s, c, c->i, "missing address");
	if (parse_if_addrs(c, &s->address.addrs, NULL) < 0)
		return stmt_fail(s);
	if (!pctx_end(c))
		return stmt_fail(s);
	return s;
}

static int parse_table(struct pctx *c, uint32_t *ret)
{
	const char *w = pctx_word(c, "table");

	if (!w)
		return -EINVAL;
	if (!strcmp(w, "main"))
		*ret = RT_TABLE_MAIN;
	else if (!strcmp(w, "local"))
		*ret = RT_TABLE_LOCAL;
	else if (!strcmp(w, "default"))
		*ret = RT_TABLE_DEFAULT;
	else
		return parse_u32(c, c->i - 1, 1, UINT32_MAX, ret);
	return 0;
}

static int parse_family_flag(struct pctx *c)
{
	if (pctx_accept(c, "-4"))
		return AF_INET;
	if (pctx_accept(c, "-6"))
		return AF_INET6;
	return 0;
}

static int family_check(struct pctx *c, size_t at, int *family, const struct addr *a)
{
	if (*family && *family != a->family) {
		perr(c, at, "'%s' is %s but the %s is %s", c->t->v[at].text,
		     a->family == AF_INET ? "IPv4" : "IPv6", "statement",
		     *family == AF_INET ? "IPv4" : "IPv6");
		return -EINVAL;
	}
	*family = a->family;
	return 0;
}

/* route NODE [add|del|replace] [-4|-6] [blackhole|unreachable|prohibit] DEST|default
 *	[via GW] [dev IF] [table T] [metric M] [src A] [mtu M] */
struct stmt *parse_route(struct pctx *c)
{
	struct stmt *s = pctx_stmt(c, STMT_ROUTE);
	struct route *r = &s->route.r;
	int family;
	size_t dst_at;
	bool deflt = false;
	uint32_t v;

	if (!pctx_word(c, "node") || parse_node_name(c, c->i - 1, &s->route.node) < 0)
		return stmt_fail(s);
	s->route.op = parse_op(c);
	family = parse_family_flag(c);
	r->table = RT_TABLE_MAIN;
	r->type = RTN_UNICAST;
	if (pctx_accept(c, "blackhole"))
		r->type = RTN_BLACKHOLE;
	else if (pctx_accept(c, "unreachable"))
		r->type = RTN_UNREACHABLE;
	else if (pctx_accept(c, "prohibit"))
		r->type = RTN_PROHIBIT;
	if (r->type != RTN_UNICAST)
		r->flags |= ROUTE_HAS_TYPE;
	dst_at = c->i;
	if (!pctx_word(c, "destination (PREFIX or default)"))
		return stmt_fail(s);
	if (!strcmp(c->t->v[dst_at].text, "default")) {
		deflt = true;
	} else {
		if (parse_addr(c, dst_at, ADDR_PARSE_PREFIX, &r->dst) < 0)
			return stmt_fail(s);
		if (family_check(c, dst_at, &family, &r->dst) < 0)
			return stmt_fail(s);
	}
	while (pctx_more(c)) {
		size_t at = c->i;

		if (pctx_accept(c, "via")) {
			if (!pctx_word(c, "gateway") || parse_addr(c, at + 1, 0, &r->gw) < 0 ||
			    family_check(c, at + 1, &family, &r->gw) < 0)
				return stmt_fail(s);
			r->flags |= ROUTE_HAS_GW;
		} else if (pctx_accept(c, "dev")) {
			const char *why, *w = pctx_word(c, "device");

			if (!w)
				return stmt_fail(s);
			if (!ifname_valid(w, &why))
				return perr_free(s, c, at + 1, "interface name '%s' %s", w, why);
			strcpy(r->dev, w);
			r->flags |= ROUTE_HAS_DEV;
			s->route.dev_loc = pctx_loc(c, at + 1);
		} else if (pctx_accept(c, "table")) {
			if (parse_table(c, &r->table) < 0)
				return stmt_fail(s);
			r->flags |= ROUTE_HAS_TABLE;
		} else if (pctx_accept(c, "metric") || pctx_accept(c, "preference")) {
			if (!pctx_word(c, "metric") || parse_u32(c, at + 1, 0, UINT32_MAX, &r->metric) < 0)
				return stmt_fail(s);
			r->flags |= ROUTE_HAS_METRIC;
		} else if (pctx_accept(c, "src")) {
			if (!pctx_word(c, "source address") || parse_addr(c, at + 1, 0, &r->src) < 0 ||
			    family_check(c, at + 1, &family, &r->src) < 0)
				return stmt_fail(s);
			r->flags |= ROUTE_HAS_SRC;
		} else if (pctx_accept(c, "mtu")) {
			if (!pctx_word(c, "MTU") || parse_u32(c, at + 1, ETH_MIN_MTU, ETH_MAX_MTU, &v) < 0)
				return stmt_fail(s);
			r->mtu = v;
			r->flags |= ROUTE_HAS_MTU;
		} else {
			return perr_free(s, c, at, "unknown route option '%s' (via, dev, table, metric, src, mtu)",
					 c->t->v[at].text);
		}
	}
	if (!family)
		family = AF_INET;
	if (deflt) {
		r->dst.family = family;
		r->dst.prefixlen = 0;
	}
	if (r->type == RTN_UNICAST && !(r->flags & (ROUTE_HAS_GW | ROUTE_HAS_DEV)) &&
	    s->route.op != OP_DEL)
		return perr_free(s, c, c->i, "route needs 'via GATEWAY' or 'dev IF'");
	return s;
}

/* rule NODE [add|del] [-4|-6] [not] [from P] [to P] [fwmark M[/MASK]] [iif IF] [oif IF]
 *	[table T|lookup T] [suppress_prefixlength N] [priority|pref P] */
struct stmt *parse_rule(struct pctx *c)
{
	struct stmt *s = pctx_stmt(c, STMT_RULE);
	struct rule *r = &s->rule.r;
	int family;

	if (!pctx_word(c, "node") || parse_node_name(c, c->i - 1, &s->rule.node) < 0)
		return stmt_fail(s);
	s->rule.op = parse_op(c);
	if (s->rule.op == OP_REPLACE)
		return perr_free(s, c, c->i - 1, "rules are added or deleted (add, del)");
	family = parse_family_flag(c);
	while (pctx_more(c)) {
		size_t at = c->i;

		if (pctx_accept(c, "not")) {
			r->flags |= RULE_INVERT;
		} else if (pctx_accept(c, "from") || pctx_accept(c, "to")) {
			bool from = !strcmp(c->t->v[at].text, "from");
			struct addr *a = from ? &r->src : &r->dst;

			if (!pctx_word(c, "prefix"))
				return stmt_fail(s);
			if (!strcmp(c->t->v[at + 1].text, "all"))
				continue;
			if (parse_addr(c, at + 1, ADDR_PARSE_PREFIX, a) < 0 ||
			    family_check(c, at + 1, &family, a) < 0)
				return stmt_fail(s);
			r->flags |= from ? RULE_HAS_SRC : RULE_HAS_DST;
		} else if (pctx_accept(c, "fwmark")) {
			const char *w = pctx_word(c, "mark"), *slash, *why;
			uint32_t m, mask = UINT32_MAX;
			char buf[32];

			if (!w)
				return stmt_fail(s);
			slash = strchr(w, '/');
			snprintf(buf, sizeof(buf), "%.*s", slash ? (int)(slash - w) : (int)strlen(w), w);
			if (slash)
				r->flags |= RULE_HAS_FWMASK;
			/* as ip rule: decimal or 0x hex, each part */
			if (strlen(w) >= sizeof(buf) ||
			    number_u32(buf, NUMBER_HEX, 0, UINT32_MAX, &m, &why) < 0 ||
			    (slash && number_u32(slash + 1, NUMBER_HEX, 0, UINT32_MAX, &mask, &why) < 0))
				return perr_free(s, c, at + 1, "'%s' is not a mark (N or N/MASK)", w);
			r->fwmark = m;
			r->fwmask = mask;
			r->flags |= RULE_HAS_FWMARK;
		} else if (pctx_accept(c, "iif") || pctx_accept(c, "oif")) {
			bool iif = !strcmp(c->t->v[at].text, "iif");
			const char *why, *w = pctx_word(c, "interface");

			if (!w)
				return stmt_fail(s);
			if (!ifname_valid(w, &why))
				return perr_free(s, c, at + 1, "interface name '%s' %s", w, why);
			strcpy(iif ? r->iif : r->oif, w);
			r->flags |= iif ? RULE_HAS_IIF : RULE_HAS_OIF;
		} else if (pctx_accept(c, "table") || pctx_accept(c, "lookup")) {
			if (parse_table(c, &r->table) < 0)
				return stmt_fail(s);
			r->flags |= RULE_HAS_TABLE;
		} else if (pctx_accept(c, "suppress_prefixlength")) {
			if (!pctx_word(c, "length") ||
			    parse_u32(c, at + 1, 0, 128, &r->suppress_prefixlen) < 0)
				return stmt_fail(s);
			r->flags |= RULE_HAS_SUPPRESS_PREFIXLEN;
		} else if (pctx_accept(c, "priority") || pctx_accept(c, "pref") ||
			   pctx_accept(c, "preference")) {
			if (!pctx_word(c, "priority") ||
			    parse_u32(c, at + 1, 0, UINT32_MAX, &r->priority) < 0)
				return stmt_fail(s);
			r->flags |= RULE_HAS_PRIORITY;
		} else {
			return perr_free(s, c, at,
					 "unknown rule option '%s' (not, from, to, fwmark, iif, oif, table, suppress_prefixlength, priority)",
					 c->t->v[at].text);
		}
	}
	r->family = family ? family : AF_INET;
	if (!(r->flags & RULE_HAS_TABLE) && s->rule.op != OP_DEL)
		return perr_free(s, c, c->i, "rule needs 'table T'");
	return s;
}

static int sysctl_push(struct pctx *c, size_t at, struct stmt_sysctl *sc, const char *key,
		       const char *value)
{
	const char *k;

	if (strncmp(key, "net.", 4) && strncmp(key, "net/", 4)) {
		perr(c, at, "'%s' is not a net.* sysctl: only those belong to a node's namespace", key);
		return -EINVAL;
	}
	for (k = key; *k; k++) {
		if (isspace((unsigned char)*k) || (k[0] == '.' && k[1] == '.')) {
			perr(c, at, "invalid sysctl key '%s'", key);
			return -EINVAL;
		}
	}
	sc->kv = xrealloc(sc->kv, (sc->n + 1) * sizeof(*sc->kv));
	sc->kv[sc->n].key = xstrdup(key);
	sc->kv[sc->n].value = xstrdup(value);
	sc->n++;
	return 0;
}

/* sysctl NODE KEY=VALUE... | sysctl NODE KEY = VALUE */
struct stmt *parse_sysctl(struct pctx *c)
{
	struct stmt *s = pctx_stmt(c, STMT_SYSCTL);
	struct stmt_sysctl *sc = &s->sysctl;

	if (!pctx_word(c, "node") || parse_node_name(c, c->i - 1, &sc->node) < 0)
		return stmt_fail(s);
	if (c->t->n == 5 && !strcmp(c->t->v[3].text, "=")) {
		if (sysctl_push(c, 2, sc, c->t->v[2].text, c->t->v[4].text) < 0)
			return stmt_fail(s);
		return s;
	}
	if (!pctx_more(c))
		return perr_free(s, c, c->i, "missing KEY=VALUE");
	while (pctx_more(c)) {
		char *kv = xstrdup(pctx_peek(c)), *eq = strchr(kv, '=');
		int r;

		if (!eq || eq == kv) {
			free(kv);
			return perr_free(s, c, c->i, "'%s' is not KEY=VALUE", pctx_peek(c));
		}
		*eq = '\0';
		r = sysctl_push(c, c->i, sc, kv, eq + 1);
		free(kv);
		if (r < 0)
			return stmt_fail(s);
		c->i++;
	}
	return s;
}
