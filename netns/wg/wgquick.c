// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * wg-quick(8) planning: what `wg-quick up` and `down` do on Linux
 * (wireguard-tools src/wg-quick/linux.bash), as data.  No kernel here; the
 * facts a plan depends on come from struct wgquick_env.
 */
#include "netns/wg/wgquick.h"
#include "netns/wg/wgconf.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>

#define WGQUICK_TABLE_FIRST 51820

static struct wgquick_action *wgquick_add(struct wgquick_plan *plan, enum wgquick_op op, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static struct wgquick_action *wgquick_add(struct wgquick_plan *plan, enum wgquick_op op, const char *fmt, ...)
{
	struct wgquick_action *a;
	va_list ap;

	plan->actions = xgrow(plan->actions, plan->n, sizeof(*plan->actions));
	a = &plan->actions[plan->n];
	memset(a, 0, sizeof(*a));
	va_start(ap, fmt);
	a->text = xvasprintf(fmt, ap);
	va_end(ap);
	a->op = op;
	plan->n++;
	return a;
}

void wgquick_plan_free(struct wgquick_plan *plan)
{
	size_t i;

	if (!plan)
		return;
	for (i = 0; i < plan->n; i++) {
		free(plan->actions[i].text);
		free(plan->actions[i].arg);
	}
	free(plan->actions);
	free(plan);
}

/* "%i" -> ifname, as execute_hooks' ${hook//%i/$INTERFACE}. */
static char *wgquick_expand(const char *hook, const char *ifname)
{
	size_t n = 0, il = strlen(ifname);
	const char *p;
	char *out, *o;

	for (p = hook; *p; p++)
		n += (p[0] == '%' && p[1] == 'i') ? il : 1;
	out = xmalloc(n + 1);
	for (p = hook, o = out; *p; p++) {
		if (p[0] == '%' && p[1] == 'i') {
			memcpy(o, ifname, il);
			o += il;
			p++;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return out;
}

static void wgquick_hooks(struct wgquick_plan *plan, const struct wgconf_device *conf, int kind,
			  const char *ifname)
{
	const struct wgconf_str *h;
	struct wgquick_action *a;
	char *cmd;

	for (h = conf->first_hook[kind]; h; h = h->next) {
		cmd = wgquick_expand(h->s, ifname);
		a = wgquick_add(plan, WGQUICK_HOOK, "%s", cmd);
		a->hook = kind;
		a->arg = cmd;
	}
}

static const char *wgquick_proto(int family)
{
	return family == AF_INET6 ? "-6" : "-4";
}

int wgquick_auto_mtu(const struct wgconf_device *conf, const struct wgquick_env *env, unsigned int *ret)
{
	const struct wgconf_peer *peer;
	unsigned int mtu = 0, m;
	int r;

	if (conf->flags & WGCONF_DEV_HAS_MTU) {
		*ret = conf->mtu;
		return 0;
	}
	for (peer = conf->first_peer; peer; peer = peer->next) {
		struct addr dst = { 0 };

		if (!(peer->flags & WGCONF_PEER_HAS_ENDPOINT) || (peer->flags & WGCONF_PEER_REMOVE) ||
		    !env || !env->route_mtu)
			continue;
		dst.family = peer->endpoint.sa.sa_family;
		if (dst.family == AF_INET)
			memcpy(dst.bytes, &peer->endpoint.in.sin_addr, 4);
		else
			memcpy(dst.bytes, &peer->endpoint.in6.sin6_addr, 16);
		dst.prefixlen = (uint8_t)(addr_len(dst.family) * 8);
		m = 0;
		r = env->route_mtu(env->data, &dst, &m);
		if (r < 0 && r != -ENETUNREACH && r != -ENOENT && r != -EHOSTUNREACH)
			return r;
		/* wg-quick's set_mtu_up: `${BASH_REMATCH[1]} -gt $mtu`, the
		 * largest of the endpoints' path MTUs. */
		if (m > mtu)
			mtu = m;
	}
	if (!mtu && env && env->default_mtu) {
		r = env->default_mtu(env->data, &mtu);
		if (r < 0)
			return r;
	}
	if (!mtu)
		mtu = 1500;
	*ret = mtu > 80 ? mtu - 80 : mtu;
	return 0;
}

/* `wg show IF allowed-ips` after the configuration: every peer's prefixes
 * (masked by the device), each once. */
static void wgquick_collect(const struct wgconf_device *conf, struct addr **ret, size_t *ret_n)
{
	const struct wgconf_peer *peer;
	const struct wgconf_ip *ip;
	struct addr *v = NULL, a;
	size_t n = 0, i;

	for (peer = conf->first_peer; peer; peer = peer->next) {
		if (peer->flags & WGCONF_PEER_REMOVE)
			continue;
		for (ip = peer->first_allowedip; ip; ip = ip->next) {
			if (ip->flags & WGCONF_IP_REMOVE)
				continue;
			addr_network(&ip->addr, &a);
			for (i = 0; i < n; i++)
				if (addr_equal(&v[i], &a) && v[i].prefixlen == a.prefixlen)
					break;
			if (i < n)
				continue;
			v = xgrow(v, n, sizeof(*v));
			v[n++] = a;
		}
	}
	*ret = v;
	*ret_n = n;
}

/* `sort -nr -k 2 -t /` under LC_ALL=C: longest prefix first; equal lengths
 * fall back to comparing whole lines, reversed too. */
static int wgquick_route_cmp(const void *pa, const void *pb)
{
	const struct addr *a = pa, *b = pb;
	char sa[ADDR_STRLEN], sb[ADDR_STRLEN];

	if (a->prefixlen != b->prefixlen)
		return a->prefixlen > b->prefixlen ? -1 : 1;
	addr_format(a, true, sa, sizeof(sa));
	addr_format(b, true, sb, sizeof(sb));
	return -strcmp(sa, sb);
}

/* Whether an address of the interface already gives a route on it that
 * covers p (`ip route show dev IF match P` non-empty).  IPv4 /32
 * addresses make no prefix route; IPv6 /128 ones do. */
static bool wgquick_covered(const struct wgconf_device *conf, const struct addr *p)
{
	const struct wgconf_ip *ip;

	for (ip = conf->first_address; ip; ip = ip->next) {
		if (ip->addr.family != p->family)
			continue;
		if (ip->addr.family == AF_INET && ip->addr.prefixlen == 32)
			continue;
		if (ip->addr.prefixlen <= p->prefixlen && addr_contains(&ip->addr, p))
			return true;
	}
	return false;
}

char *wgquick_nft_script(const char *ifname, int family, uint32_t table, const struct addr *addrs, size_t n)
{
	const char *pf = family == AF_INET6 ? "ip6" : "ip";
	char buf[ADDR_STRLEN];
	char *out = NULL;
	size_t len = 0, i;
	FILE *f;

	f = xcheck(open_memstream(&out, &len));
	fprintf(f, "add table %s wg-quick-%s\n", pf, ifname);
	fprintf(f, "add chain %s wg-quick-%s preraw { type filter hook prerouting priority -300; }\n", pf, ifname);
	fprintf(f, "add chain %s wg-quick-%s premangle { type filter hook prerouting priority -150; }\n", pf, ifname);
	fprintf(f, "add chain %s wg-quick-%s postmangle { type filter hook postrouting priority -150; }\n", pf, ifname);
	for (i = 0; i < n; i++)
		if (addrs[i].family == family)
			fprintf(f, "add rule %s wg-quick-%s preraw iifname != \"%s\" %s daddr %s fib saddr type != local drop\n",
				pf, ifname, ifname, pf, addr_format(&addrs[i], false, buf, sizeof(buf)));
	fprintf(f, "add rule %s wg-quick-%s postmangle meta l4proto udp mark %u ct mark set mark \n", pf, ifname,
		table);
	fprintf(f, "add rule %s wg-quick-%s premangle meta l4proto udp meta mark set ct mark \n", pf, ifname);
	/* A memory stream fails only when it cannot grow. */
	if (fclose(f))
		xalloc_fail();
	return out;
}

/* The script as planned, from the config's Address list in `ip -o addr
 * show dev IF` order (IPv4 as added, IPv6 newest first); when run, it is
 * made again from the interface's addresses (wgquick_run.c). */
static char *wgquick_nft_planned(const struct wgconf_device *conf, const char *ifname, int family,
				 uint32_t table)
{
	const struct wgconf_ip *ip;
	struct addr *v = NULL;
	size_t n = 0, i;
	char *out;

	for (ip = conf->first_address; ip; ip = ip->next) {
		if (ip->addr.family != family)
			continue;
		v = xgrow(v, n, sizeof(*v));
		v[n++] = ip->addr;
	}
	for (i = 0; family == AF_INET6 && i < n / 2; i++) {
		struct addr t = v[i];

		v[i] = v[n - 1 - i];
		v[n - 1 - i] = t;
	}
	out = wgquick_nft_script(ifname, family, table, v, n);
	free(v);
	return out;
}

/* add_default: fwmark + table, the two rules, the route, the sysctl and
 * the nft table of one family. */
static int wgquick_default(struct wgquick_plan *plan, const struct wgconf_device *conf, const char *ifname,
			   const struct addr *p, const struct wgquick_env *env)
{
	const char *proto = wgquick_proto(p->family);
	struct wgquick_action *a;
	char buf[ADDR_STRLEN];
	bool used, valid = false;
	int r;

	if (!plan->table) {
		if ((conf->flags & WGCONF_DEV_HAS_FWMARK) && conf->fwmark) {
			plan->table = conf->fwmark;
		} else {
			plan->table = WGQUICK_TABLE_FIRST;
			for (;;) {
				used = false;
				if (env && env->table_used) {
					r = env->table_used(env->data, plan->table, &used);
					if (r < 0)
						return r;
				}
				if (!used)
					break;
				plan->table++;
			}
			a = wgquick_add(plan, WGQUICK_SET_FWMARK, "wg set %s fwmark %u", ifname, plan->table);
			a->fwmark = plan->table;
		}
	}
	a = wgquick_add(plan, WGQUICK_RULE_ADD, "ip %s rule add not fwmark %u table %u", proto, plan->table,
			plan->table);
	a->rule.family = p->family;
	a->rule.flags = RULE_INVERT | RULE_HAS_FWMARK | RULE_HAS_TABLE;
	a->rule.fwmark = plan->table;
	a->rule.table = plan->table;
	a = wgquick_add(plan, WGQUICK_RULE_ADD, "ip %s rule add table main suppress_prefixlength 0", proto);
	a->rule.family = p->family;
	a->rule.flags = RULE_HAS_TABLE | RULE_HAS_SUPPRESS_PREFIXLEN;
	a->rule.table = RT_TABLE_MAIN;
	a->rule.suppress_prefixlen = 0;
	a = wgquick_add(plan, WGQUICK_ROUTE_ADD, "ip %s route add %s dev %s table %u", proto,
			addr_format(p, true, buf, sizeof(buf)), ifname, plan->table);
	a->route.flags = ROUTE_HAS_DEV | ROUTE_HAS_TABLE;
	a->route.dst = *p;
	snprintf(a->route.dev, sizeof(a->route.dev), "%s", ifname);
	a->route.table = plan->table;
	if (p->family == AF_INET) {
		if (env && env->src_valid_mark) {
			r = env->src_valid_mark(env->data, &valid);
			if (r < 0)
				return r;
		}
		if (!valid)
			wgquick_add(plan, WGQUICK_SYSCTL, "sysctl -q net.ipv4.conf.all.src_valid_mark=1");
	}
	a = wgquick_add(plan, WGQUICK_NFT, "nft -f /dev/fd/63");
	a->addr.family = p->family;
	a->fwmark = plan->table;	/* the script's, made again when run */
	a->arg = wgquick_nft_planned(conf, ifname, p->family, plan->table);
	return 0;
}

static int wgquick_routes(struct wgquick_plan *plan, const struct wgconf_device *conf, const char *ifname,
			  const struct wgquick_env *env)
{
	struct wgquick_action *a;
	struct addr *v = NULL;
	char buf[ADDR_STRLEN];
	size_t n = 0, i;
	int r = 0;

	if (conf->table_mode == WGCONF_TABLE_OFF)
		return 0;
	wgquick_collect(conf, &v, &n);
	/* qsort()'s base must not be NULL, even for 0 elements. */
	if (n)
		qsort(v, n, sizeof(*v), wgquick_route_cmp);
	for (i = 0; i < n && !r; i++) {
		const char *proto = wgquick_proto(v[i].family);

		addr_format(&v[i], true, buf, sizeof(buf));
		if (conf->table_mode == WGCONF_TABLE_ID) {
			a = wgquick_add(plan, WGQUICK_ROUTE_ADD, "ip %s route add %s dev %s table %u", proto, buf,
					ifname, conf->table);
		} else if (!v[i].prefixlen) {
			r = wgquick_default(plan, conf, ifname, &v[i], env);
			continue;
		} else {
			a = wgquick_add(plan, WGQUICK_ROUTE_ADD, "ip %s route add %s dev %s", proto, buf, ifname);
			a->skipped = wgquick_covered(conf, &v[i]);
		}
		a->route.flags = ROUTE_HAS_DEV;
		a->route.dst = v[i];
		snprintf(a->route.dev, sizeof(a->route.dev), "%s", ifname);
		if (conf->table_mode == WGCONF_TABLE_ID) {
			a->route.flags |= ROUTE_HAS_TABLE;
			a->route.table = conf->table;
		}
	}
	free(v);
	return r;
}

int wgquick_plan_up(const struct wgconf_device *conf, const char *ifname, const struct wgquick_env *env,
		    struct wgquick_plan **ret)
{
	struct wgquick_plan *plan = xcalloc(1, sizeof(*plan));
	const struct wgconf_ip *ip;
	struct wgquick_action *a;
	char buf[ADDR_STRLEN];
	unsigned int mtu;
	int r;

	wgquick_hooks(plan, conf, WGCONF_PRE_UP, ifname);
	wgquick_add(plan, WGQUICK_SET_CONFIG, "wg addconf %s /dev/fd/63", ifname);
	for (ip = conf->first_address; ip; ip = ip->next) {
		a = wgquick_add(plan, WGQUICK_ADDR_ADD, "ip %s address add %s dev %s", wgquick_proto(ip->addr.family),
				addr_format(&ip->addr, true, buf, sizeof(buf)), ifname);
		a->addr = ip->addr;
	}
	r = wgquick_auto_mtu(conf, env, &mtu);
	if (r < 0)
		goto cleanup;
	a = wgquick_add(plan, WGQUICK_MTU_UP, "ip link set mtu %u up dev %s", mtu, ifname);
	a->mtu = mtu;
	a->auto_mtu = !(conf->flags & WGCONF_DEV_HAS_MTU);
	if (conf->first_dns) {
		a = wgquick_add(plan, WGQUICK_DNS, "resolvconf -a %s -m 0 -x", ifname);
		a->not_applied = true;
	}
	r = wgquick_routes(plan, conf, ifname, env);
	if (r < 0)
		goto cleanup;
	wgquick_hooks(plan, conf, WGCONF_POST_UP, ifname);
	*ret = plan;
	return 0;
cleanup:
	wgquick_plan_free(plan);
	return r;
}

static bool wgquick_has_default(const struct wgconf_device *state)
{
	const struct wgconf_peer *peer;
	const struct wgconf_ip *ip;

	for (peer = state->first_peer; peer; peer = peer->next)
		for (ip = peer->first_allowedip; ip; ip = ip->next)
			if (!ip->addr.prefixlen)
				return true;
	return false;
}

struct wgquick_plan *wgquick_plan_down(const struct wgconf_device *conf, const struct wgconf_device *state,
					const char *ifname)
{
	static const int families[] = { AF_INET, AF_INET6 };
	struct wgquick_plan *plan = xcalloc(1, sizeof(*plan));
	struct wgquick_action *a;
	size_t i;

	wgquick_hooks(plan, conf, WGCONF_PRE_DOWN, ifname);
	if (conf->save_config) {
		a = wgquick_add(plan, WGQUICK_SAVE_CONFIG, "wg showconf %s", ifname);
		a->not_applied = true;
	}
	if (conf->table_mode == WGCONF_TABLE_AUTO && (state->flags & WGCONF_DEV_HAS_FWMARK) && state->fwmark &&
	    wgquick_has_default(state)) {
		plan->table = state->fwmark;
		for (i = 0; i < 2; i++) {
			a = wgquick_add(plan, WGQUICK_RULE_DEL, "ip %s rule delete table %u",
					wgquick_proto(families[i]), plan->table);
			a->rule.family = families[i];
			a->rule.flags = RULE_HAS_TABLE;
			a->rule.table = plan->table;
			a = wgquick_add(plan, WGQUICK_RULE_DEL, "ip %s rule delete table main suppress_prefixlength 0",
					wgquick_proto(families[i]));
			a->rule.family = families[i];
			a->rule.flags = RULE_HAS_TABLE | RULE_HAS_SUPPRESS_PREFIXLEN;
			a->rule.table = RT_TABLE_MAIN;
		}
	}
	wgquick_add(plan, WGQUICK_LINK_DEL, "ip link delete dev %s", ifname);
	if (conf->first_dns) {
		a = wgquick_add(plan, WGQUICK_DNS, "resolvconf -d %s -f", ifname);
		a->not_applied = true;
	}
	a = wgquick_add(plan, WGQUICK_NFT_DEL, "nft -f /dev/fd/63");
	a->arg = xasprintf("delete table ip wg-quick-%s\ndelete table ip6 wg-quick-%s\n", ifname, ifname);
	wgquick_hooks(plan, conf, WGCONF_POST_DOWN, ifname);
	return plan;
}
