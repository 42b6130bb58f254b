// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* expect SUBJECT KIND ...: one parser per kind, chosen from a table. */
#include "lab/lang/parse_expect_opts.h"
#include "lab/lang/parse_icmperr.h"
#include "lab/lang/parse_rulestate.h"
#include "lab/lang/parse_wgdev.h"
#include "lab/lang/parse_expect.h"
#include "lab/lang/parse_set.h"
#include "lab/lang/lexer.h"
#include "lab/lang/model.h"
#include "lab/lang/parse_value.h"
#include "lab/lang/pctx.h"
#include "lab/lang/perf.h"
#include "netns/conntrack.h"
#include "traffic/capture.h"
#include "traffic/capture_filter.h"
#include "traffic/http.h"
#include "netns/wg/wgkey.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>

#define EXPECT_DEFAULT_WAIT_MS 2000

struct expect_syntax {
	const char *word;		/* first word after the subject */
	const char *word2;		/* second word, or NULL */
	enum expect_kind kind;
	bool negate;
	bool iface;			/* subject is NODE:IF */
	int (*parse)(struct pctx *c, struct stmt_expect *e);
};

/* No option but the wait. */
static int parse_no_opts(struct pctx *c, struct stmt_expect *e, const char *what)
{
	return pctx_more(c) ? parse_wait_opt(c, e, what) : 0;
}

static int parse_reach(struct pctx *c, struct stmt_expect *e)
{
	struct expect_reach *r = &e->reach;
	int taken;

	if (!pctx_word(c, "destination (ADDR, NODE or NODE:IF)"))
		return -EINVAL;
	if (parse_dest(c, c->i - 1, &r->dst, &r->dst_ref) < 0)
		return -EINVAL;
	r->proto = REACH_ICMP;
	while (pctx_more(c)) {
		size_t at = c->i;

		if (pctx_accept(c, "icmp") || pctx_accept(c, "ping")) {
			r->proto = REACH_ICMP;
		} else if ((taken = parse_port_proto(c, r)) != 0) {
			if (taken < 0)
				return -EINVAL;
		} else if (pctx_accept(c, "from")) {
			if (!pctx_word(c, "source address") || parse_addr(c, at + 1, 0, &r->src) < 0)
				return -EINVAL;
			if (r->dst.family && r->src.family != r->dst.family) {
				perr(c, at + 1, "source and destination are of different address families");
				return -EINVAL;
			}
		} else if (pctx_accept(c, "count") || pctx_accept(c, "size")) {
			bool count = !strcmp(c->t->v[at].text, "count");
			uint32_t v;

			if (!pctx_word(c, count ? "count" : "size (payload bytes)") ||
			    parse_u32(c, at + 1, count ? 1 : 0, count ? 10000 : 65000, &v) < 0)
				return -EINVAL;
			if (count)
				r->count = v;
			else
				r->size = v;
		} else if (pctx_accept(c, "df")) {
			r->df = true;
		} else if (pctx_accept(c, "interval")) {
			if (!pctx_word(c, "interval") || parse_duration_ms(c, at + 1, &r->interval_ms) < 0)
				return -EINVAL;
			if (!r->interval_ms) {
				perr(c, at + 1, "an interval is at least 1ms");
				return -EINVAL;
			}
		} else if (parse_wait_opt(c, e, "icmp, tcp PORT, udp PORT, from ADDR, count N, size N, df, interval D, within D") < 0) {
			return -EINVAL;
		}
	}
	if (r->proto != REACH_ICMP && (r->count || r->size || r->df || r->interval_ms)) {
		perr(c, 2, "count, size, df and interval are for icmp");
		return -EINVAL;
	}
	return 0;
}

static int parse_route_expect(struct pctx *c, struct stmt_expect *e)
{
	struct expect_route *r = &e->route;

	if (!pctx_word(c, "destination address") || parse_addr(c, c->i - 1, 0, &r->dst) < 0)
		return -EINVAL;
	while (pctx_more(c)) {
		size_t at = c->i;

		if (pctx_accept(c, "dev")) {
			const char *why, *w = pctx_word(c, "interface");

			if (!w)
				return -EINVAL;
			if (!ifname_valid(w, &why)) {
				perr(c, at + 1, "interface name '%s' %s", w, why);
				return -EINVAL;
			}
			strcpy(r->want.dev, w);
			r->want.flags |= ROUTE_HAS_DEV;
		} else if (pctx_accept(c, "via")) {
			if (!pctx_word(c, "gateway") || parse_addr(c, at + 1, 0, &r->want.gw) < 0)
				return -EINVAL;
			r->want.flags |= ROUTE_HAS_GW;
		} else if (pctx_accept(c, "src")) {
			if (!pctx_word(c, "address") || parse_addr(c, at + 1, 0, &r->want.src) < 0)
				return -EINVAL;
			r->want.flags |= ROUTE_HAS_SRC;
		} else if (pctx_accept(c, "table")) {
			const char *w = pctx_word(c, "table");

			if (!w)
				return -EINVAL;
			if (!strcmp(w, "main"))
				r->want.table = RT_TABLE_MAIN;
			else if (!strcmp(w, "local"))
				r->want.table = RT_TABLE_LOCAL;
			else if (parse_u32(c, at + 1, 1, UINT32_MAX, &r->want.table) < 0)
				return -EINVAL;
			r->want.flags |= ROUTE_HAS_TABLE;
		} else if (pctx_accept(c, "unreachable") || pctx_accept(c, "blackhole") ||
			   pctx_accept(c, "prohibit")) {
			const char *w = c->t->v[at].text;

			r->want.type = !strcmp(w, "unreachable") ? RTN_UNREACHABLE :
				       !strcmp(w, "blackhole") ? RTN_BLACKHOLE : RTN_PROHIBIT;
			r->want.flags |= ROUTE_HAS_TYPE;
		} else if (pctx_accept(c, "from")) {
			if (!pctx_word(c, "source address") || parse_addr(c, at + 1, 0, &r->from) < 0)
				return -EINVAL;
		} else if (pctx_accept(c, "mark")) {
			if (!pctx_word(c, "mark") || parse_u32_hex(c, at + 1, 0, UINT32_MAX, &r->mark) < 0)
				return -EINVAL;
			r->has_mark = true;
		} else if (parse_wait_opt(c, e, "dev, via, src, table, unreachable, from, mark") < 0) {
			return -EINVAL;
		}
	}
	if (!r->want.flags) {
		perr(c, c->i, "say what the route must be (dev IF, via GW, table T, ...)");
		return -EINVAL;
	}
	return 0;
}

/* The peer a WireGuard expectation is about: NODE:IF or a public key. */
static int parse_handshake(struct pctx *c, struct stmt_expect *e)
{
	if (parse_wg_peer(c, e) < 0)
		return -EINVAL;
	return parse_no_opts(c, e, "within D");
}

/* endpoint PEER is ADDR:PORT|ADDR:*|none; endpoint PEER learned
 * ADDR:PORT|ADDR:* (WireGuard took it from an authenticated packet) */
static int parse_endpoint(struct pctx *c, struct stmt_expect *e)
{
	if (parse_wg_peer(c, e) < 0)
		return -EINVAL;
	if (pctx_accept(c, "learned")) {
		e->wg.learned = true;
	} else if (!pctx_accept(c, "is")) {
		perr(c, c->i, "missing 'is ADDRESS:PORT' (or ADDRESS:* or none) or 'learned ADDRESS:PORT'");
		return -EINVAL;
	}
	if (!pctx_word(c, e->wg.learned ? "ADDRESS:PORT or ADDRESS:*" : "ADDRESS:PORT, ADDRESS:* or none"))
		return -EINVAL;
	if (e->wg.learned && !strcmp(c->t->v[c->i - 1].text, "none")) {
		perr(c, c->i - 1, "'learned none' cannot be: use 'is none'");
		return -EINVAL;
	}
	if (strcmp(c->t->v[c->i - 1].text, "none") &&
	    parse_addr_port(c, c->i - 1, true, &e->wg.endpoint, &e->wg.port, &e->wg.any_port) < 0)
		return -EINVAL;
	return parse_no_opts(c, e, "within D");
}

/* transfer PEER [rx >=|<=|= SIZE]... [tx >=|<=|= SIZE]... */
static int parse_transfer(struct pctx *c, struct stmt_expect *e)
{
	bool any = false;

	e->wg.rx_max = e->wg.tx_max = UINT64_MAX;
	if (parse_wg_peer(c, e) < 0)
		return -EINVAL;
	while (pctx_more(c)) {
		size_t at = c->i;

		if (pctx_accept(c, "rx") || pctx_accept(c, "tx")) {
			bool rx = !strcmp(c->t->v[at].text, "rx");
			uint64_t v, *min = rx ? &e->wg.rx_min : &e->wg.tx_min;
			uint64_t *max = rx ? &e->wg.rx_max : &e->wg.tx_max;
			const char *op = pctx_more(c) ? pctx_peek(c) : "";

			if (strcmp(op, ">=") && strcmp(op, "<=") && strcmp(op, "=")) {
				perr(c, c->i, "missing '>=', '<=' or '='");
				return -EINVAL;
			}
			c->i++;
			if (!pctx_word(c, "size") || parse_size(c, c->i - 1, &v) < 0)
				return -EINVAL;
			if (op[0] != '<')
				*min = v;
			if (op[0] != '>')
				*max = v;
			any = true;
			continue;
		}
		if (parse_wait_opt(c, e, "rx >= SIZE, rx <= SIZE, rx = SIZE, tx ..., within D") < 0)
			return -EINVAL;
	}
	if (!any) {
		perr(c, c->i, "say how much: rx >= SIZE, rx <= SIZE, rx = SIZE (and/or tx)");
		return -EINVAL;
	}
	return 0;
}

/* gets URL [status N] [body contains "TEXT"] */
static int parse_gets(struct pctx *c, struct stmt_expect *e)
{
	struct http_url u;

	if (!pctx_word(c, "URL (http://ADDRESS:PORT/PATH)"))
		return -EINVAL;
	if (http_url_parse(c->t->v[c->i - 1].text, &u) < 0) {
		perr(c, c->i - 1, "'%s' is not an http:// URL with an address or a node (http://10.0.0.1:8000/, http://[fd00::1]/, http://server:8000/)",
		     c->t->v[c->i - 1].text);
		return -EINVAL;
	}
	e->gets.url = xstrdup(c->t->v[c->i - 1].text);
	e->gets.url_loc = pctx_loc(c, c->i - 1);
	while (pctx_more(c)) {
		size_t at = c->i;

		if (pctx_accept(c, "status")) {
			if (!pctx_word(c, "status") || parse_u32(c, at + 1, 100, 599, &e->gets.status) < 0)
				return -EINVAL;
		} else if (pctx_accept(c, "body")) {
			if (!pctx_accept(c, "contains")) {
				perr(c, c->i, "missing 'contains'");
				return -EINVAL;
			}
			if (!pctx_word(c, "text"))
				return -EINVAL;
			free(e->gets.body_contains);
			e->gets.body_contains = xstrdup(c->t->v[c->i - 1].text);
		} else if (parse_wait_opt(c, e, "status N, body contains \"TEXT\", within D") < 0) {
			return -EINVAL;
		}
	}
	return 0;
}

/* path ADDR hops H1 H2 ... [icmp|udp] [within D] */
static int parse_path(struct pctx *c, struct stmt_expect *e)
{
	struct expect_path *p = &e->path;

	if (!pctx_word(c, "destination address") || parse_addr(c, c->i - 1, 0, &p->dst) < 0)
		return -EINVAL;
	if (!pctx_accept(c, "hops")) {
		perr(c, c->i, "missing 'hops H1 H2 ...' (the addresses a traceroute shows)");
		return -EINVAL;
	}
	while (pctx_more(c) && strcmp(pctx_peek(c), "icmp") && strcmp(pctx_peek(c), "udp") &&
	       strcmp(pctx_peek(c), "within") && strcmp(pctx_peek(c), "for")) {
		struct addr a;

		if (parse_addr(c, c->i, 0, &a) < 0)
			return -EINVAL;
		if (a.family != p->dst.family) {
			perr(c, c->i, "hop '%s' is not of the destination's address family", pctx_peek(c));
			return -EINVAL;
		}
		p->hops = xrealloc(p->hops, (p->n_hops + 1) * sizeof(*p->hops));
		p->hops[p->n_hops++] = a;
		c->i++;
	}
	if (!p->n_hops) {
		perr(c, c->i, "list the hops (the destination last)");
		return -EINVAL;
	}
	if (!addr_equal(&p->hops[p->n_hops - 1], &p->dst)) {
		perr(c, c->i - 1, "the last hop must be the destination");
		return -EINVAL;
	}
	if (pctx_accept(c, "icmp"))
		p->icmp = true;
	else
		pctx_accept(c, "udp");
	return parse_no_opts(c, e, "icmp, udp, within D");
}

/* sees [no] "FILTER" [at least N | exactly N] [within D] */
static int parse_sees(struct pctx *c, struct stmt_expect *e)
{
	char msg[256];			/* pcap's PCAP_ERRBUF_SIZE */
	unsigned int bytes;
	uint32_t n;

	if (!pctx_word(c, "capture filter, in quotes"))
		return -EINVAL;
	e->sees.filter = xstrdup(c->t->v[c->i - 1].text);
	/* Compiled as the run will (pcap, no capture): a typo is an error
	 * of the file, not of the run. */
	if (capture_filter_bytes(e->sees.filter, &bytes, msg, sizeof(msg)) < 0) {
		perr(c, c->i - 1, "bad capture filter '%s': %s", e->sees.filter, msg);
		return -EINVAL;
	}
	e->sees.count = 1;
	if (pctx_accept(c, "at")) {
		if (!pctx_accept(c, "least")) {
			perr(c, c->i, "missing 'least'");
			return -EINVAL;
		}
		if (!pctx_word(c, "count") || parse_u32(c, c->i - 1, 1, 1000000000, &n) < 0)
			return -EINVAL;
		e->sees.count = n;
	} else if (pctx_accept(c, "exactly")) {
		if (!pctx_word(c, "count") || parse_u32(c, c->i - 1, 0, 1000000000, &n) < 0)
			return -EINVAL;
		e->sees.count = n;
		e->sees.exactly = true;
	}
	if (e->negate && (e->sees.exactly || e->sees.count != 1)) {
		perr(c, c->i - 1, "'sees no' takes no count");
		return -EINVAL;
	}
	return parse_no_opts(c, e, "at least N, exactly N, within D");
}

/* PROTO SRC > DST [to NEW_SRC > NEW_DST]: the flow of a conntrack or
 * rewrites expectation; endpoints are ADDRESS:PORT, ADDRESS:*, *:PORT, *. */
struct flow {
	uint8_t proto;
	struct ct_endpoint ep[4];	/* orig src, orig dst, new src, new dst */
	bool has_new;
};

static int parse_endpoint_word(struct pctx *c, struct ct_endpoint *ret)
{
	if (!pctx_word(c, "ADDRESS:PORT (* for any)"))
		return -EINVAL;
	if (conntrack_endpoint_parse(c->t->v[c->i - 1].text, ret) < 0) {
		perr(c, c->i - 1, "'%s' is not ADDRESS:PORT, ADDRESS:*, *:PORT or *", c->t->v[c->i - 1].text);
		return -EINVAL;
	}
	return 0;
}

static int parse_pair(struct pctx *c, struct ct_endpoint *src, struct ct_endpoint *dst)
{
	if (parse_endpoint_word(c, src) < 0)
		return -EINVAL;
	if (!pctx_accept(c, ">")) {
		perr(c, c->i, "missing '>' between source and destination");
		return -EINVAL;
	}
	return parse_endpoint_word(c, dst);
}

static int parse_flow(struct pctx *c, bool need_new, struct flow *f)
{
	static const struct {
		const char *name;
		uint8_t proto;
	} protos[] = { { "tcp", IPPROTO_TCP }, { "udp", IPPROTO_UDP }, { "icmp", IPPROTO_ICMP },
		       { "icmpv6", IPPROTO_ICMPV6 }, { "any", 0 } };
	const char *proto = pctx_word(c, "protocol (tcp, udp, icmp, icmpv6, any)");
	size_t k;

	if (!proto)
		return -EINVAL;
	for (k = 0; k < sizeof(protos) / sizeof(protos[0]) && strcmp(proto, protos[k].name); k++)
		;
	if (k == sizeof(protos) / sizeof(protos[0])) {
		perr(c, c->i - 1, "unknown protocol '%s' (tcp, udp, icmp, icmpv6, any)", proto);
		return -EINVAL;
	}
	f->proto = protos[k].proto;
	if (parse_pair(c, &f->ep[0], &f->ep[1]) < 0)
		return -EINVAL;
	if (!pctx_accept(c, "to")) {
		if (!need_new)
			return 0;
		perr(c, c->i, "missing 'to SRC > DST' (the packet as it leaves)");
		return -EINVAL;
	}
	f->has_new = true;
	return parse_pair(c, &f->ep[2], &f->ep[3]);
}

/* conntrack [no] PROTO SRC > DST [to NEW_SRC > NEW_DST]: an entry of the
 * node's conntrack table, and what NAT rewrote it to. */
static int parse_conntrack_expect(struct pctx *c, struct stmt_expect *e)
{
	struct ct_pattern *p = xcalloc(1, sizeof(*p));
	struct flow f = { 0 };

	e->ct = p;
	if (parse_flow(c, false, &f) < 0)
		return -EINVAL;
	p->proto = f.proto;
	p->orig_src = f.ep[0];
	p->orig_dst = f.ep[1];
	p->has_new = f.has_new;
	p->new_src = f.ep[2];
	p->new_dst = f.ep[3];
	return parse_no_opts(c, e, "to SRC > DST, within D");
}

static void to_capture_endpoint(const struct ct_endpoint *ep, struct capture_endpoint *ret)
{
	ret->flags = ((ep->flags & CT_EP_ADDR) ? CAPTURE_EP_ADDR : 0) |
		     ((ep->flags & CT_EP_PORT) ? CAPTURE_EP_PORT : 0);
	ret->addr = ep->addr;
	ret->port = ep->port;
}

/* rewrites PROTO SRC > DST to SRC' > DST' [in IF] [out IF] [within D] */
static int parse_rewrites(struct pctx *c, struct stmt_expect *e)
{
	struct rewrite_pattern *p = xcalloc(1, sizeof(*p));
	struct flow f = { 0 };

	e->rewrites.p = p;
	if (parse_flow(c, true, &f) < 0)
		return -EINVAL;
	p->proto = f.proto;
	to_capture_endpoint(&f.ep[0], &p->orig_src);
	to_capture_endpoint(&f.ep[1], &p->orig_dst);
	to_capture_endpoint(&f.ep[2], &p->new_src);
	to_capture_endpoint(&f.ep[3], &p->new_dst);
	while (pctx_more(c)) {
		size_t at = c->i;

		if (pctx_accept(c, "in") || pctx_accept(c, "out")) {
			char *dst = !strcmp(c->t->v[at].text, "in") ? e->rewrites.in : e->rewrites.out;
			const char *why, *w = pctx_word(c, "interface");

			if (!w)
				return -EINVAL;
			if (!ifname_valid(w, &why)) {
				perr(c, at + 1, "interface name '%s' %s", w, why);
				return -EINVAL;
			}
			strcpy(dst, w);
			continue;
		}
		if (parse_wait_opt(c, e, "in IF, out IF, within D") < 0)
			return -EINVAL;
	}
	if (!e->rewrites.in[0] != !e->rewrites.out[0]) {
		perr(c, c->i, "give both 'in IF' and 'out IF', or neither (the node's every interface)");
		return -EINVAL;
	}
	return 0;
}

static const struct expect_syntax expect_table[] = {
	{ "gets", NULL, EXPECT_GETS, false, false, parse_gets },
	{ "path", NULL, EXPECT_PATH, false, false, parse_path },
	{ "sees", "no", EXPECT_SEES, true, true, parse_sees },
	{ "sees", NULL, EXPECT_SEES, false, true, parse_sees },
	{ "rewrites", NULL, EXPECT_REWRITES, false, false, parse_rewrites },
	{ "conntrack", "no", EXPECT_CONNTRACK, true, false, parse_conntrack_expect },
	{ "conntrack", NULL, EXPECT_CONNTRACK, false, false, parse_conntrack_expect },
	{ "handshake", NULL, EXPECT_HANDSHAKE, false, true, parse_handshake },
	{ "no", "handshake", EXPECT_HANDSHAKE, true, true, parse_handshake },
	{ "endpoint", NULL, EXPECT_ENDPOINT, false, true, parse_endpoint },
	{ "transfer", NULL, EXPECT_TRANSFER, false, true, parse_transfer },
	{ "device", NULL, EXPECT_WGDEVICE, false, true, parse_wgdevice },
	{ "allowed-ips", NULL, EXPECT_WGDEVICE, false, true, parse_allowed_ips },
	{ "reaches", NULL, EXPECT_REACH, false, false, parse_reach },
	{ "icmp-error", NULL, EXPECT_ICMPERR, false, false, parse_icmperr },
	{ "rule", NULL, EXPECT_RULE, false, false, parse_rulestate },
	{ "no", "rule", EXPECT_RULE, true, false, parse_rulestate },
	{ "cannot", "reach", EXPECT_REACH, true, false, parse_reach },
	{ "route", NULL, EXPECT_ROUTE, false, false, parse_route_expect },
	{ "throughput", NULL, EXPECT_THROUGHPUT, false, false, parse_throughput },
	{ "latency", NULL, EXPECT_LATENCY, false, false, parse_latency },
};

/* The statement as written, without "expect", for reports. */
static char *expect_text(const struct tokens *t, size_t from)
{
	size_t k, len = 1;
	char *s, *p;

	for (k = from; k < t->n; k++)
		len += strlen(t->v[k].text) * 2 + 3;
	s = p = xmalloc(len);
	*p = '\0';
	for (k = from; k < t->n; k++) {
		const char *w = t->v[k].text;

		if (k > from)
			*p++ = ' ';
		if (t->v[k].quoted) {
			*p++ = '"';
			for (; *w; w++) {
				if (*w == '"' || *w == '\\')
					*p++ = '\\';
				*p++ = *w;
			}
			*p++ = '"';
		} else {
			p = stpcpy(p, w);
		}
		*p = '\0';
	}
	return s;
}

/* Parses "SUBJECT KIND ..." starting at c->i. */
static struct stmt *parse_expect_words(struct pctx *c, const struct loc *loc)
{
	struct stmt *s = stmt_new(c->lab, STMT_EXPECT, loc);
	struct stmt_expect *e;
	const struct expect_syntax *syn = NULL;
	size_t subj, k;

	e = &s->expect;
	e->wait_ms = EXPECT_DEFAULT_WAIT_MS;
	e->text = expect_text(c->t, c->i);
	subj = c->i;
	if (!pctx_word(c, "subject (NODE or NODE:IF)"))
		goto err;
	if (!pctx_more(c)) {
		perr(c, c->i, "missing what to expect (reaches, cannot reach, route, ...)");
		goto err;
	}
	for (k = 0; k < sizeof(expect_table) / sizeof(expect_table[0]); k++) {
		const struct expect_syntax *x = &expect_table[k];

		if (strcmp(pctx_peek(c), x->word))
			continue;
		if (x->word2 && (c->i + 1 >= c->t->n || strcmp(c->t->v[c->i + 1].text, x->word2)))
			continue;
		syn = x;
		break;
	}
	if (!syn) {
		perr(c, c->i, "unknown expectation '%s'", pctx_peek(c));
		goto err;
	}
	c->i += syn->word2 ? 2 : 1;
	e->kind = syn->kind;
	e->negate = syn->negate;
	/* `sees no` looks at what was captured so far unless told to watch. */
	if (e->kind == EXPECT_SEES && e->negate)
		e->wait_ms = 0;
	if (syn->iface) {
		if (parse_ifref(c, subj, &e->ref) < 0)
			goto err;
		e->node = xstrdup(e->ref.node);
	} else {
		if (strchr(c->t->v[subj].text, ':')) {
			perr(c, subj, "'%s %s' takes a NODE, not NODE:IF", syn->word,
			     syn->word2 ? syn->word2 : "");
			goto err;
		}
		if (parse_node_name(c, subj, &e->node) < 0)
			goto err;
	}
	if (syn->parse(c, e) < 0)
		goto err;
	if (!pctx_end(c))
		goto err;
	return s;
err:
	stmt_free(s);
	return NULL;
}

struct stmt *parse_expect(struct pctx *c)
{
	if (pctx_more(c) && !c->t->v[c->i].quoted && !strcmp(pctx_peek(c), "all"))
		return parse_expect_set(c);
	return parse_expect_words(c, &c->loc);
}
