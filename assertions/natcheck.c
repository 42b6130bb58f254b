// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * The two-reflector NAT probe.  Reflectors and probe sockets live in one
 * process: sockets are created inside their namespaces and stay there, so
 * one poll loop drives both sides.
 */
#include "assertions/natcheck.h"
#include "netns/conntrack.h"
#include "netns/nftext.h"
#include "netns/nftpass.h"
#include "netns/nl.h"
#include "netns/ns.h"
#include "netns/util/now.h"
#include "netns/util/strbuf.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

/* lo is ifindex 1 in every network namespace. */
#define NC_LO_IFINDEX 1
#define NC_RETRIES 3
#define NC_ANSWER_MS 1000	/* natcheck_config.answer_ms 0 */
#define NC_SILENCE_MS 300	/* natcheck_config.silence_ms 0 */

enum { NC_R1P1, NC_R1P2, NC_R2P1, NC_NREFL };

struct nc_state {
	const struct natcheck_config *cfg;
	int refl[NC_NREFL];
	int s1, s2;
	int answer_ms, silence_ms;
	bool addr_added[2];
	bool exempt;
	struct nftpass pass;		/* the inside node's filters, opened */
};

#define NC_EXEMPT_TABLE "wglab-natcheck"

/* RTM_NEWADDR / RTM_DELADDR of a /32 on lo. */
static int nc_lo_addr(struct netns *ns, const struct addr *a, bool add)
{
	struct nl *nl = netns_rtnl(ns);
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;
	size_t len = addr_len(a->family);

	nlh = nl_request(nl, add ? RTM_NEWADDR : RTM_DELADDR, add ? NLM_F_CREATE | NLM_F_EXCL : 0);
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)a->family;
	ifa->ifa_prefixlen = (uint8_t)(len * 8);
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = NC_LO_IFINDEX;
	mnl_attr_put(nlh, IFA_LOCAL, len, a->bytes);
	mnl_attr_put(nlh, IFA_ADDRESS, len, a->bytes);
	if (a->family == AF_INET6)
		mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NODAD);
	return nl_talk(nl, nlh, NULL, NULL);
}

static void nc_sockaddr(const struct addr *a, uint16_t port, struct sockaddr_storage *ss,
			socklen_t *len)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_addr = a->v4;
		sin->sin_port = htons(port);
		*len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = a->v6;
		sin6->sin6_port = htons(port);
		*len = sizeof(*sin6);
	}
}

static void nc_from_sockaddr(const struct sockaddr_storage *ss, struct addr *a, uint16_t *port)
{
	memset(a, 0, sizeof(*a));
	a->family = ss->ss_family;
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const void *)ss;

		a->v4 = sin->sin_addr;
		a->prefixlen = 32;
		*port = ntohs(sin->sin_port);
	} else {
		const struct sockaddr_in6 *sin6 = (const void *)ss;

		a->v6 = sin6->sin6_addr;
		a->prefixlen = 128;
		*port = ntohs(sin6->sin6_port);
	}
}

/* A UDP socket created inside ns, bound to a:port. */
static int nc_socket(struct netns *ns, const struct addr *a, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, ret;

	ret = netns_enter(ns);
	if (ret < 0)
		return ret;
	fd = socket(a->family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	ret = fd < 0 ? -errno : 0;
	netns_leave();
	if (ret)
		return ret;
	nc_sockaddr(a, port, &ss, &len);
	if (bind(fd, (struct sockaddr *)&ss, len)) {
		ret = -errno;
		close(fd);
		return ret;
	}
	return fd;
}

static uint16_t nc_local_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct addr a;
	uint16_t port = 0;

	if (!getsockname(fd, (struct sockaddr *)&ss, &len))
		nc_from_sockaddr(&ss, &a, &port);
	return port;
}

static int nc_send(int fd, const struct addr *a, uint16_t port, const char *msg)
{
	struct sockaddr_storage ss;
	socklen_t len;

	nc_sockaddr(a, port, &ss, &len);
	return sendto(fd, msg, strlen(msg), 0, (struct sockaddr *)&ss, len) < 0 ? -errno : 0;
}

/* Waits until fd has a datagram or the deadline passes; reads it. */
static int nc_recv(int fd, uint64_t deadline, char *buf, size_t len, struct addr *from,
		   uint16_t *port)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct sockaddr_storage ss;
	socklen_t slen = sizeof(ss);
	uint64_t now;
	ssize_t n;

	for (;;) {
		now = now_ms();
		n = poll(&pfd, 1, deadline > now ? (int)(deadline - now) : 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			return -ETIMEDOUT;
		n = recvfrom(fd, buf, len - 1, 0, (struct sockaddr *)&ss, &slen);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n < 0)
			return -errno;
		buf[n] = '\0';
		if (from)
			nc_from_sockaddr(&ss, from, port);
		return 0;
	}
}

/* Sends from s to reflector r until the reflector hears it, answers with
 * what it saw, and s gets the answer.  Fills the observation. */
static int nc_probe(struct nc_state *st, int s, int r, const struct addr *dst, uint16_t dport,
		    struct natcheck_obs *obs)
{
	char buf[128], reply[128], abuf[ADDR_STRLEN];
	struct addr from;
	uint16_t fport;
	int attempt, ret = -ETIMEDOUT;
	uint64_t deadline;

	memset(obs, 0, sizeof(*obs));
	obs->dst = *dst;
	obs->dport = dport;
	obs->sport = nc_local_port(s);
	/* Retries cover a first packet lost to neighbour resolution. */
	for (attempt = 0; attempt < NC_RETRIES && ret == -ETIMEDOUT; attempt++) {
		ret = nc_send(s, dst, dport, "PROBE");
		if (ret)
			return ret;
		deadline = now_ms() + st->answer_ms / NC_RETRIES + 1;
		ret = nc_recv(r, deadline, buf, sizeof(buf), &obs->mapped, &obs->mapped_port);
	}
	if (ret)
		return ret;
	addr_format(&obs->mapped, false, abuf, sizeof(abuf));
	snprintf(reply, sizeof(reply), "OBS %s:%u", abuf, obs->mapped_port);
	ret = nc_send(r, &obs->mapped, obs->mapped_port, reply);
	if (ret)
		return ret;
	ret = nc_recv(s, now_ms() + st->answer_ms, buf, sizeof(buf), &from, &fport);
	if (ret)
		return ret;
	/* The answer must be the reflector's, through the NAT. */
	if (strcmp(buf, reply) || !addr_equal(&from, dst) || fport != dport)
		return -EPROTO;
	return 0;
}

static bool nc_same(const struct natcheck_obs *a, const struct natcheck_obs *b)
{
	return addr_equal(&a->mapped, &b->mapped) && a->mapped_port == b->mapped_port;
}

/* T1..T3 to S2's mapping; which ones arrive within the silence window
 * after the control T1. */
static int nc_filtering(struct nc_state *st, struct natcheck_result *r)
{
	static const char *const tests[] = { "T1", "T2", "T3" };
	const int from[] = { NC_R1P1, NC_R1P2, NC_R2P1 };
	const struct natcheck_config *cfg = st->cfg;
	const struct addr *src[] = { &cfg->reflector[0], &cfg->reflector[0], &cfg->reflector[1] };
	uint16_t p1 = cfg->port[0] ? cfg->port[0] : 3478, p2 = cfg->port[1] ? cfg->port[1] : 3479;
	const uint16_t sport[] = { p1, p2, p1 };
	char buf[64];
	struct addr seen;
	uint16_t seen_port;
	uint64_t deadline;
	int i, ret;

	for (i = 0; i < 3; i++) {
		ret = nc_send(st->refl[from[i]], &r->filt.mapped, r->filt.mapped_port, tests[i]);
		if (ret)
			return ret;
	}
	deadline = now_ms() + st->answer_ms;
	while ((ret = nc_recv(st->s2, deadline, buf, sizeof(buf), &seen, &seen_port)) == 0) {
		for (i = 0; i < 3 && strcmp(buf, tests[i]); i++)
			;
		if (i == 3)
			continue;
		if (!i)
			r->t1 = true;
		else if (i == 1)
			r->t2 = true;
		else
			r->t3 = true;
		/* The others were sent before T1 arrived: wait a little
		 * more for anything still on its way. */
		if (!i)
			deadline = now_ms() + st->silence_ms;
		/* A NAT forwards an inbound datagram with the source it had:
		 * the inside host answers (and WireGuard roams) to it. */
		if (!r->src_rewritten && (!addr_equal(&seen, src[i]) || seen_port != sport[i])) {
			r->src_rewritten = true;
			r->rewritten_test = i + 1;
			r->rewritten_from = seen;
			r->rewritten_port = seen_port;
		}
	}
	if (ret != -ETIMEDOUT)
		return ret;
	return r->t1 ? 0 : -ETIMEDOUT;
}

static bool nc_names(const struct ct_entry *e, const struct addr *a)
{
	return addr_equal(&e->orig.src, a) || addr_equal(&e->orig.dst, a) ||
	       addr_equal(&e->reply.src, a) || addr_equal(&e->reply.dst, a);
}

/* Deletes the entries that name a reflector address. */
static unsigned int nc_forget(struct netns *ns, const struct addr *refl)
{
	struct ct_entry *e = NULL;
	unsigned int deleted = 0;
	size_t n = 0, i;

	if (!ns || conntrack_list(ns, &e, &n))
		return 0;
	for (i = 0; i < n; i++)
		if ((nc_names(&e[i], &refl[0]) || nc_names(&e[i], &refl[1])) &&
		    !conntrack_delete(ns, &e[i]))
			deleted++;
	free(e);
	return deleted;
}

/*
 * The reflectors' datagrams bypass conntrack in the outside namespace, so
 * that a NAT of the outside node (a home router on the same internet lan)
 * neither rewrites their sources nor DNATs the probes: untracked packets
 * skip the nat hooks.  Priority raw runs before conntrack.
 */
static int nc_exempt(struct netns *ns, const struct addr refl[2], bool add)
{
	char a[2][ADDR_STRLEN], *script, msg[256];
	int ret;

	if (!add)
		return nftext_apply(ns, "delete table ip " NC_EXEMPT_TABLE "\n", msg, sizeof(msg));
	addr_format(&refl[0], false, a[0], sizeof(a[0]));
	addr_format(&refl[1], false, a[1], sizeof(a[1]));
	script = xasprintf("table ip " NC_EXEMPT_TABLE " {\n"
			   "\tchain pre {\n\t\ttype filter hook prerouting priority raw; policy accept;\n"
			   "\t\tip daddr { %s, %s } notrack\n\t}\n"
			   "\tchain out {\n\t\ttype filter hook output priority raw; policy accept;\n"
			   "\t\tip saddr { %s, %s } notrack\n\t}\n}\n", a[0], a[1], a[0], a[1]);
	ret = nftext_apply(ns, script, msg, sizeof(msg));
	free(script);
	return ret;
}

static int nc_measure(struct nc_state *st, struct natcheck_result *r)
{
	const struct natcheck_config *cfg = st->cfg;
	const struct addr *r1 = &cfg->reflector[0], *r2 = &cfg->reflector[1];
	uint16_t p1 = cfg->port[0] ? cfg->port[0] : 3478, p2 = cfg->port[1] ? cfg->port[1] : 3479;
	int i, ret;

	for (i = 0; i < 2; i++) {
		ret = nc_lo_addr(cfg->outside, &cfg->reflector[i], true);
		if (ret)
			return ret;
		st->addr_added[i] = true;
	}
	if (cfg->reflector[0].family == AF_INET) {
		ret = nc_exempt(cfg->outside, cfg->reflector, true);
		if (ret)
			return ret;
		st->exempt = true;
	}
	/* What the inside node's own firewall would drop is not the NAT's
	 * doing: the probes pass its filters. */
	r->inside_err = nftpass_open(cfg->inside, cfg->reflector, &st->pass);
	nftpass_describe(&st->pass, true, r->inside_passed, sizeof(r->inside_passed));
	nftpass_describe(&st->pass, false, r->inside_in_way, sizeof(r->inside_in_way));
	st->refl[NC_R1P1] = nc_socket(cfg->outside, r1, p1);
	st->refl[NC_R1P2] = nc_socket(cfg->outside, r1, p2);
	st->refl[NC_R2P1] = nc_socket(cfg->outside, r2, p1);
	st->s1 = nc_socket(cfg->inside, &cfg->inside_addr, 0);
	st->s2 = nc_socket(cfg->inside, &cfg->inside_addr, 0);
	for (i = 0; i < NC_NREFL; i++)
		if (st->refl[i] < 0)
			return st->refl[i];
	if (st->s1 < 0)
		return st->s1;
	if (st->s2 < 0)
		return st->s2;

	ret = nc_probe(st, st->s1, st->refl[NC_R1P1], r1, p1, &r->map[0]);
	if (!ret)
		ret = nc_probe(st, st->s1, st->refl[NC_R1P2], r1, p2, &r->map[1]);
	if (!ret)
		ret = nc_probe(st, st->s1, st->refl[NC_R2P1], r2, p1, &r->map[2]);
	if (!ret)
		ret = nc_probe(st, st->s2, st->refl[NC_R1P1], r1, p1, &r->filt);
	if (!ret)
		ret = nc_filtering(st, r);
	if (ret)
		return ret;
	if (nc_same(&r->map[0], &r->map[1]) && nc_same(&r->map[0], &r->map[2]))
		r->mapping = NAT_MAP_EIM;
	else if (nc_same(&r->map[0], &r->map[1]))
		r->mapping = NAT_MAP_ADM;
	else
		r->mapping = NAT_MAP_APDM;
	r->filtering = r->t3 ? NAT_FILTER_EIF : r->t2 ? NAT_FILTER_ADF : NAT_FILTER_APDF;
	r->port_preserved = r->filt.mapped_port == r->filt.sport;
	for (i = 0; i < 3; i++)
		if (r->map[i].mapped_port != r->map[i].sport)
			r->port_preserved = false;
	return 0;
}

int natcheck_run(const struct natcheck_config *cfg, struct natcheck_result *ret)
{
	struct nc_state st = {
		.cfg = cfg, .refl = { -1, -1, -1 }, .s1 = -1, .s2 = -1,
		.answer_ms = cfg->answer_ms > 0 ? cfg->answer_ms : NC_ANSWER_MS,
		.silence_ms = cfg->silence_ms > 0 ? cfg->silence_ms : NC_SILENCE_MS,
	};
	struct natcheck_result r = { 0 };
	int i, err;

	if (cfg->reflector[0].family != cfg->inside_addr.family ||
	    cfg->reflector[1].family != cfg->inside_addr.family ||
	    addr_equal(&cfg->reflector[0], &cfg->reflector[1]))
		return -EINVAL;
	err = nc_measure(&st, &r);
	for (i = 0; i < NC_NREFL; i++)
		if (st.refl[i] >= 0)
			close(st.refl[i]);
	if (st.s1 >= 0)
		close(st.s1);
	if (st.s2 >= 0)
		close(st.s2);
	for (i = 0; i < 2; i++)
		if (st.addr_added[i])
			nc_lo_addr(cfg->outside, &cfg->reflector[i], false);
	if (st.exempt)
		nc_exempt(cfg->outside, cfg->reflector, false);
	nftpass_close(cfg->inside, &st.pass);
	r.ct_deleted = nc_forget(cfg->nat, cfg->reflector) + nc_forget(cfg->inside, cfg->reflector);
	if (cfg->outside != cfg->nat && cfg->outside != cfg->inside)
		r.ct_deleted += nc_forget(cfg->outside, cfg->reflector);
	if (err) {
		memset(ret, 0, sizeof(*ret));
		memcpy(ret->inside_passed, r.inside_passed, sizeof(r.inside_passed));
		memcpy(ret->inside_in_way, r.inside_in_way, sizeof(r.inside_in_way));
		ret->inside_err = r.inside_err;
		return err;
	}
	*ret = r;
	return 0;
}

const char *natcheck_format(const struct natcheck_result *r, char *buf, size_t len)
{
	static const char *const names[] = { "R1", "R1", "R2" };
	char a[ADDR_STRLEN];
	size_t off = 0;
	int i;

	if (!len)
		return buf;
	buf[0] = '\0';
	strbuf_appendf(buf, len, &off, "mapped");
	for (i = 0; i < 3; i++)
		strbuf_appendf(buf, len, &off, " %s:%u=%s:%u", names[i], r->map[i].dport,
			       addr_format(&r->map[i].mapped, false, a, sizeof(a)), r->map[i].mapped_port);
	strbuf_appendf(buf, len, &off, " (from port %u) -> mapping=%s port-preserved=%s; ",
		       r->map[0].sport, nat_mapping_name(r->mapping), r->port_preserved ? "yes" : "no");
	strbuf_appendf(buf, len, &off, "T1=%s T2=%s T3=%s -> filtering=%s", r->t1 ? "yes" : "no",
		       r->t2 ? "yes" : "no", r->t3 ? "yes" : "no", nat_filtering_name(r->filtering));
	if (r->src_rewritten)
		strbuf_appendf(buf, len, &off, "; T%u arrived from %s:%u, not from its reflector",
			       r->rewritten_test, addr_format(&r->rewritten_from, false, a, sizeof(a)),
			       r->rewritten_port);
	return buf;
}

bool natcheck_agrees(const struct natcheck_result *r, const struct nat_spec *declared, char *why,
		     size_t len)
{
	char a[ADDR_STRLEN];
	bool agrees = true;
	size_t off = 0;

	if (len)
		why[0] = '\0';
	if (r->mapping != declared->mapping) {
		strbuf_appendf(why, len, &off, "mapping: declared %s, measured %s",
			       nat_mapping_name(declared->mapping), nat_mapping_name(r->mapping));
		agrees = false;
	}
	if (r->filtering != declared->filtering) {
		strbuf_appendf(why, len, &off, "%sfiltering: declared %s, measured %s", agrees ? "" : "; ",
			       nat_filtering_name(declared->filtering), nat_filtering_name(r->filtering));
		agrees = false;
	}
	if (r->src_rewritten) {
		strbuf_appendf(why, len, &off, "%sinbound source rewritten to %s:%u", agrees ? "" : "; ",
			       addr_format(&r->rewritten_from, false, a, sizeof(a)), r->rewritten_port);
		agrees = false;
	}
	if ((declared->port == NAT_PORT_PRESERVE) != r->port_preserved) {
		strbuf_appendf(why, len, &off, "%sports: declared %s, measured %s", agrees ? "" : "; ",
			       declared->port == NAT_PORT_PRESERVE ? "preserved" : "random",
			       r->port_preserved ? "preserved" : "changed");
		agrees = false;
	}
	return agrees;
}
