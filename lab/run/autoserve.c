// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* The lab's own listeners for `reaches ... tcp|udp PORT` and `gets`. */
#include "lab/run/autoserve.h"
#include "lab/lang/parse_fw.h"
#include "lab/run/run_ctx.h"
#include "netns/fw/fw.h"
#include "netns/fw/nat.h"
#include "netns/util/xalloc.h"
#include "traffic/loop.h"
#include "traffic/server.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

/* A node's iptables rules as the file writes them. */
struct rdnat_fw {
	const char *node;
	struct fw_ruleset *fw;
};

/* What the file (as written, twins aside) says about destination NAT,
 * read once per run. */
struct rdnat {
	struct rdnat_fw *fw;
	size_t n_fw;
	/* The first nft block, wg-quick hook or command that says dnat or
	 * redirect: what it rewrites is not read (0: none). */
	unsigned int unread_line;
	/* Nodes with a `nat` device that forwards unsolicited UDP (EIF or
	 * ADF filtering, or hairpin) to inside hosts. */
	const struct stmt **udp_nats;
	size_t n_udp_nats;
};

/* TCP echo and HTTP servers are both TCP listeners on their port. */
static bool same_socket(int a, int b)
{
	return (a == SERVE_UDP) == (b == SERVE_UDP);
}

static bool served(struct run *r, int proto, uint16_t port)
{
	for (struct rserver *s = r->servers; s; s = s->next)
		if (!s->automatic && same_socket(s->proto, proto) && s->port == port)
			return true;
	return false;
}

/* Whether the scenario (as written, twins aside) has the node serve or run
 * a program in the background anywhere: then it manages its own ports. */
static bool manages_ports(const struct run *r, const char *node)
{
	for (const struct stmt *s = r->lab->first_stmt; s; s = s->next) {
		if (s->kind == STMT_SERVE && !strcmp(s->serve.node, node))
			return true;
		if (s->kind == STMT_RUN && s->run.background && !strcmp(s->run.node, node))
			return true;
	}
	return false;
}

/* "dnat" or "redirect" as a word of text, in any case. */
static bool says_dnat(const char *text)
{
	static const char *const words[] = { "dnat", "redirect" };

	for (const char *p = text; p && *p; p++) {
		if (p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
			continue;
		for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
			size_t n = strlen(words[i]);

			if (!strncasecmp(p, words[i], n) && !isalnum((unsigned char)p[n]) && p[n] != '_')
				return true;
		}
	}
	return false;
}

static struct fw_ruleset *dnat_node_fw(struct rdnat *d, const char *node)
{
	for (size_t i = 0; i < d->n_fw; i++)
		if (!strcmp(d->fw[i].node, node))
			return d->fw[i].fw;
	d->fw = xrealloc(d->fw, (d->n_fw + 1) * sizeof(*d->fw));
	d->fw[d->n_fw].node = node;
	d->fw[d->n_fw].fw = fw_ruleset_new();
	return d->fw[d->n_fw++].fw;
}

/* Every line of the statement, as written: a line that does not parse (a
 * -D of nothing) is left out, as the run would refuse it. */
static int dnat_read_line(void *arg, const char *line, unsigned int ln, int family)
{
	struct fw_error e;

	if (family > 0)
		fw_parse_line(arg, family, line, ln, &e);
	return 0;
}

static void dnat_read_firewall(struct rdnat *d, const struct stmt *s)
{
	struct fw_ruleset *fw = dnat_node_fw(d, s->firewall.node);
	struct fw_error e;

	parse_firewall_lines(s, NULL, dnat_read_line, fw);
	if (!s->firewall.rule)
		fw_parse_finish(fw, &e);
}

static bool dnat_udp_nat(const struct stmt *s)
{
	struct nat_spec spec;
	struct fw_error e;

	if (nat_parse((const char *const *)s->nat.argv, s->nat.argc, &spec, &e) < 0)
		return false;
	return spec.filtering != NAT_FILTER_APDF || spec.hairpin;
}

static bool dnat_unread(const struct stmt *s)
{
	if (s->kind == STMT_FIREWALL)
		return false;
	if (says_dnat(s->block.text))
		return true;
	if (s->kind == STMT_RUN) {
		if (says_dnat(s->run.script.text))
			return true;
		for (char **a = s->run.argv; a && *a; a++)
			if (says_dnat(*a))
				return true;
	}
	return false;
}

static struct rdnat *dnat_read(struct run *r)
{
	struct rdnat *d;

	if (r->dnat)
		return r->dnat;
	d = r->dnat = xcalloc(1, sizeof(*d));
	for (const struct stmt *s = r->lab->first_stmt; s; s = s->next) {
		if (s->kind == STMT_FIREWALL) {
			dnat_read_firewall(d, s);
		} else if (s->kind == STMT_NAT && dnat_udp_nat(s)) {
			d->udp_nats = xrealloc(d->udp_nats, (d->n_udp_nats + 1) * sizeof(*d->udp_nats));
			d->udp_nats[d->n_udp_nats++] = s;
		} else if (!d->unread_line && dnat_unread(s)) {
			d->unread_line = s->loc.line;
		}
	}
	return d;
}

void run_auto_serve_free(struct run *r)
{
	struct rdnat *d = r->dnat;

	if (!d)
		return;
	for (size_t i = 0; i < d->n_fw; i++)
		fw_ruleset_free(d->fw[i].fw);
	free(d->fw);
	free(d->udp_nats);
	free(d);
	r->dnat = NULL;
}

/*
 * Whether a destination NAT of the file may rewrite what is sent to
 * proto dst:port owned by owner; why says which, "the DNAT rule of line
 * 17".  Any node's: a router on the way rewrites as well as the owner.
 */
static bool dnat_may_rewrite(struct run *r, int proto, const struct addr *dst, uint16_t port,
			     const char *owner, char *why, size_t len)
{
	struct rdnat *d = dnat_read(r);
	uint8_t ipproto = proto == SERVE_UDP ? IPPROTO_UDP : IPPROTO_TCP;

	for (size_t i = 0; i < d->n_fw; i++) {
		int line = fw_dnat_line(d->fw[i].fw, ipproto, dst, port);

		if (line > 0) {
			snprintf(why, len, "the DNAT rule of line %d on '%s' may rewrite it", line, d->fw[i].node);
			return true;
		}
	}
	for (size_t i = 0; proto == SERVE_UDP && i < d->n_udp_nats; i++) {
		if (!strcmp(d->udp_nats[i]->nat.node, owner)) {
			snprintf(why, len, "the NAT of line %u forwards udp to inside hosts",
				 d->udp_nats[i]->loc.line);
			return true;
		}
	}
	if (d->unread_line) {
		snprintf(why, len, "line %u says dnat or redirect, which wglab does not read", d->unread_line);
		return true;
	}
	return false;
}

struct rserver *run_auto_server(struct run *r, int proto, const struct addr *dst, uint16_t port)
{
	for (struct rserver *rs = r->servers; rs; rs = rs->next)
		if (rs->automatic && same_socket(rs->proto, proto) && rs->port == port &&
		    addr_equal(&rs->bind, dst))
			return rs;
	return NULL;
}

uint64_t run_auto_answered(const struct rserver *rs)
{
	struct server_stats st;

	if (!rs)
		return 0;
	server_stats(rs->srv, &st);
	return rs->proto == SERVE_UDP ? st.requests : st.connections;
}

static struct run_listen *listen_find(const struct run_listen *v, size_t n, int proto, const struct addr *dst,
				      uint16_t port)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].proto == proto && v[i].port == port && addr_equal(&v[i].dst, dst))
			return (struct run_listen *)&v[i];
	return NULL;
}

/*
 * Whether the lab listens itself for proto dst:port: as the run's options
 * say another run decided (wglab mutate: the unmutated file's decision, so
 * that a mutant changes the network, not where wglab listens), else as
 * this run's file says.  The first decision for each socket is recorded
 * (run_listened()); owner is the node that owns dst, as built so far.
 */
static bool auto_listens(struct run *r, int proto, const struct addr *dst, uint16_t port,
			 const struct rnode *owner)
{
	const struct run_listen *given = listen_find(r->opts.listens, r->opts.n_listens, proto, dst, port);
	struct run_listen *l;
	char why[160];
	bool yes;

	if (given)
		yes = given->listened;
	else
		yes = !served(r, proto, port) && !manages_ports(r, owner->name) &&
		      !dnat_may_rewrite(r, proto, dst, port, owner->name, why, sizeof(why));
	if (listen_find(r->listened, r->n_listened, proto, dst, port))
		return yes;
	r->listened = xrealloc(r->listened, (r->n_listened + 1) * sizeof(*r->listened));
	l = &r->listened[r->n_listened++];
	memset(l, 0, sizeof(*l));
	l->proto = proto;
	l->dst = *dst;
	l->port = port;
	l->listened = yes;
	return yes;
}

/*
 * `reaches ADDR tcp|udp PORT` needs something listening.  The lab listens
 * itself on the node that owns ADDR, unless the scenario serves that port
 * anywhere (it said who answers, e.g. behind a DNAT) or that node serves
 * anything or runs a program in the background anywhere in the file (it
 * manages its own ports, e.g. to prove one closed, or a daemon's; decided
 * from the file, so that a twin dropping the daemon finds the port closed),
 * or a destination NAT of the file may rewrite ADDR:PORT (then the lab's
 * listener would answer exactly when the NAT does not apply).  Or as the
 * options say another run decided (auto_listens()).
 */
int run_auto_serve(struct run *r, int proto, const struct addr *dst, uint16_t port)
{
	struct server_spec spec = { 0 };
	struct rnode *owner = run_owner(r, dst);
	struct rserver *rs;
	char buf[ADDR_STRLEN];
	int err;

	if (!owner || run_auto_server(r, proto, dst, port) || !auto_listens(r, proto, dst, port, owner))
		return 0;
	spec.kind = proto == SERVE_TCP ? SERVER_TCP_ECHO : proto == SERVE_UDP ? SERVER_UDP_ECHO : SERVER_HTTP;
	spec.flags = SERVER_HAS_ADDR;
	spec.addr = *dst;
	spec.addr.prefixlen = dst->family == AF_INET ? 32 : 128;
	spec.port = port;
	rs = xcalloc(1, sizeof(*rs));
	err = server_start(&rs->srv, r->loop, owner->ns, &spec);
	if (err < 0) {
		free(rs);
		return run_error(r, err, "Unable to listen on %s %s port %u in '%s'",
				 proto == SERVE_UDP ? "udp" : "tcp",
				 addr_format(dst, false, buf, sizeof(buf)), port, owner->name);
	}
	rs->node = xstrdup(owner->name);
	rs->proto = proto;
	rs->bind = *dst;
	rs->port = port;
	rs->automatic = true;
	rs->next = r->servers;
	r->servers = rs;
	return 0;
}

static const char *auto_kind(int proto)
{
	return proto == SERVE_UDP ? "udp echo" : proto == SERVE_TCP ? "tcp echo" : "http";
}

void run_auto_note(struct run *r, const struct rserver *rs, uint64_t before, int proto,
		   const struct addr *dst, uint16_t port, bool answered, char *buf, size_t len)
{
	bool v6 = dst->family == AF_INET6;
	char a[ADDR_STRLEN], why[160];
	struct rnode *owner;

	buf[0] = '\0';
	addr_format(dst, false, a, sizeof(a));
	/* A connection waits in the listener's queue until the loop runs
	 * its accept: read it before counting. */
	if (rs)
		loop_drain(r->loop);
	/* Counts are per listener: another probe of a batch or set may
	 * have been its answer, not this one's, which nothing answered. */
	if (rs && answered && run_auto_answered(rs) > before) {
		snprintf(buf, len, "; answered by wglab's own %s listener on %s %s%s%s:%u", auto_kind(rs->proto),
			 rs->node, v6 ? "[" : "", a, v6 ? "]" : "", port);
		return;
	}
	owner = run_owner(r, dst);
	if (rs || answered || !owner || served(r, proto, port) || manages_ports(r, owner->name))
		return;
	if (dnat_may_rewrite(r, proto, dst, port, owner->name, why, sizeof(why)))
		snprintf(buf, len, "; wglab did not listen on %s %s%s%s:%u itself: %s (a `serve` says what answers)",
			 owner->name, v6 ? "[" : "", a, v6 ? "]" : "", port, why);
}
