// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * Cross-statement checks, in statement order (a statement may only refer to
 * what earlier statements made): nodes and interfaces exist and are not
 * made twice, addresses are not given twice, labels are unique, twins name
 * real statements.
 */
#include "lab/lang/resolve.h"
#include "lab/lang/validate.h"
#include "lab/lang/diag.h"
#include "lab/lang/model.h"
#include "lab/lang/parse_fw.h"
#include "lab/lang/perf.h"
#include "netns/fw/fw.h"
#include "netns/wg/wgconf.h"
#include "traffic/http.h"
#include "netns/util/strmap.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* Name lookups go through hash maps (netns/util/strmap.h) so that a
 * scenario of 100 000 lines validates in linear time.  Keys: "NODE",
 * "NODE:IF", "NODE:ADDR", a label, a block line; values are opaque. */

/* "A:B" (b NULL: "A") in buf, or a heap copy when it does not fit. */
static const char *vkey(char *buf, size_t len, char **heap, const char *a, const char *b)
{
	*heap = NULL;
	if (snprintf(buf, len, "%s%s%s", a, b ? ":" : "", b ? b : "") < (int)len)
		return buf;
	*heap = xasprintf("%s%s%s", a, b ? ":" : "", b ? b : "");
	return *heap;
}

struct sym {
	const char *node;
	const char *ifname;		/* NULL for a node or lan */
	const struct loc *loc;
	bool lan;
	bool wg;			/* a WireGuard interface */
	bool no_ipv6;			/* a node with `ipv6 off` */
};

struct fwset {
	const char *node;
	struct fw_ruleset *rs;
};

struct symtab {
	struct sym *v;
	size_t n;
	struct strmap syms;		/* "NODE" / "NODE:IF" -> index + 1 in v */
	struct diags *d;
	struct lab *lab;
	struct fwset *fw;		/* each node's rules, as they accumulate */
	size_t n_fw;
	struct strmap fw_index;		/* NODE -> index + 1 in fw */
	struct strmap defined;		/* every node and WireGuard NODE:IF of the file */
	struct strmap labels;		/* label -> its first statement */
	struct lab_names *names;	/* addresses by name, made at the first lookup */
};

static const struct lab_names *st_names(struct symtab *st)
{
	if (!st->names)
		st->names = lab_names_new(st->lab);
	return st->names;
}

static struct fw_ruleset *node_fw(struct symtab *st, const char *node)
{
	void **slot = strmap_put(&st->fw_index, node, NULL);
	struct fwset *v;

	if (*slot)
		return st->fw[(uintptr_t)*slot - 1].rs;
	v = st->fw = xgrow(st->fw, st->n_fw, sizeof(*v));
	v[st->n_fw].node = node;
	v[st->n_fw].rs = fw_ruleset_new();
	*slot = (void *)(uintptr_t)(st->n_fw + 1);
	return v[st->n_fw++].rs;
}

struct fw_walk {
	struct symtab *st;
	const struct stmt *s;
	struct fw_ruleset *rs;
};

static int validate_firewall_line(void *arg, const char *line, unsigned int ln, int family)
{
	struct fw_walk *w = arg;
	const struct stmt *s = w->s;
	const struct stmt_firewall *f = &s->firewall;
	struct fw_error e = { 0 };
	struct loc l = { s->loc.file, ln, 0, s->loc.iter };

	if (family < 0) {
		l.col = (unsigned int)strspn(line, " \t") + 1;
		diag_add(w->st->d, &l, "%s output in a block marked %s: write firewall %s %s <<",
			 f->family == AF_INET ? "ip6tables-save" : "iptables-save",
			 f->family == AF_INET ? "iptables" : "ip6tables", f->node,
			 f->family == AF_INET ? "ip6tables" : "iptables");
		return 0;
	}
	if (fw_parse_line(w->rs, family, line, ln, &e) < 0) {
		l.col = f->rule ? f->rule_col + (e.column ? e.column - 1 : 0) : e.column;
		diag_add(w->st->d, &l, "%s", e.msg);
	}
	return 0;
}

/* The rules, parsed in order into the node's set, for the positions of
 * their errors (the run parses them again, twins' dropped lines aside). */
static void validate_firewall(struct symtab *st, const struct stmt *s)
{
	struct fw_walk w = { st, s, node_fw(st, s->firewall.node) };
	struct fw_error e = { 0 };

	parse_firewall_lines(s, NULL, validate_firewall_line, &w);
	if (!s->firewall.rule && fw_parse_finish(w.rs, &e) < 0) {
		struct loc l = { s->loc.file, e.line ? e.line : s->loc.line, e.column, s->loc.iter };

		diag_add(st->d, &l, "%s", e.msg);
	}
}

static struct sym *sym_find(struct symtab *st, const char *node, const char *ifname)
{
	char buf[64], *heap;
	void **slot = strmap_get(&st->syms, vkey(buf, sizeof(buf), &heap, node, ifname));

	free(heap);
	return slot ? &st->v[(uintptr_t)*slot - 1] : NULL;
}

static void sym_add(struct symtab *st, const char *node, const char *ifname, const struct loc *loc,
		    bool lan)
{
	char buf[64], *heap;

	st->v = xgrow(st->v, st->n, sizeof(*st->v));
	st->v[st->n++] = (struct sym){ node, ifname, loc, lan, false, false };
	strmap_put(&st->syms, vkey(buf, sizeof(buf), &heap, node, ifname), (void *)(uintptr_t)st->n);
	free(heap);
}

/* Whether a statement with an error would have defined NODE (ifname
 * NULL), NODE:IF, or ("") an interface of NODE: its error is the one to
 * read, not those of every line that names it (lab->broken). */
static bool broken(const struct symtab *st, const char *node, const char *ifname)
{
	char buf[64], *heap;
	bool ret;

	if (!st->lab->broken.n)
		return false;
	ret = strmap_get(&st->lab->broken, vkey(buf, sizeof(buf), &heap, node, ifname));
	free(heap);
	return ret;
}

static bool need_node(struct symtab *st, const char *node, const struct loc *loc)
{
	struct sym *s = sym_find(st, node, NULL);

	if (s && !s->lan)
		return true;
	if (s)
		diag_add(st->d, loc, "'%s' is a lan, not a node", node);
	else if (!broken(st, node, NULL))
		diag_add(st->d, loc, "unknown node '%s'", node);
	return false;
}

/* A node's name or a host name of one, where either stands for an address
 * (a destination, a URL's host).  A dotted name nothing defines is most
 * likely a host name from a pasted config: say how to give it. */
static bool need_host(struct symtab *st, const char *name, const struct loc *loc)
{
	if (lab_names_alias(st_names(st), name))
		return true;
	if (!strchr(name, '.') || sym_find(st, name, NULL) || broken(st, name, NULL))
		return need_node(st, name, loc);
	diag_add(st->d, loc, "unknown node or host name '%s' (the lab has no DNS: `node NODE name %s` gives a node that name)",
		 name, name);
	return false;
}

static bool need_if(struct symtab *st, const struct ifref *r)
{
	if (!need_node(st, r->node, &r->loc))
		return false;
	if (sym_find(st, r->node, r->ifname))
		return true;
	if (!broken(st, r->node, r->ifname))
		diag_add(st->d, &r->loc, "node '%s' has no interface '%s'", r->node, r->ifname);
	return false;
}

/* An IPv6 address for a node with `ipv6 off`: the kernel would refuse it
 * mid-build ("IPv6 is disabled on this device"); say so before. */
static void need_ipv6_ok(struct symtab *st, const char *node, int family, const struct loc *loc)
{
	struct sym *n = sym_find(st, node, NULL);

	if (family == AF_INET6 && n && n->no_ipv6)
		diag_add(st->d, loc, "node '%s' has IPv6 off (%s:%u): no IPv6 address or route in it", node,
			 n->loc->file, n->loc->line);
}

static void need_ipv6_ok_list(struct symtab *st, const char *node, const struct addr_list *l, const struct loc *loc)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].family == AF_INET6) {
			need_ipv6_ok(st, node, AF_INET6, loc);
			return;
		}
}

static void new_if(struct symtab *st, const struct ifref *r)
{
	struct sym *s;

	if (!need_node(st, r->node, &r->loc))
		return;
	if (!strncmp(r->ifname, "wglab", 5)) {
		diag_add(st->d, &r->loc, "interface names starting with 'wglab' are the lab's own");
		return;
	}
	if (!strcmp(r->ifname, "lo")) {
		diag_add(st->d, &r->loc, "'lo' exists in every node; pick another interface name");
		return;
	}
	s = sym_find(st, r->node, r->ifname);
	if (s) {
		diag_add(st->d, &r->loc, "interface '%s:%s' already exists (%s:%u)", r->node, r->ifname,
			 s->loc->file, s->loc->line);
		return;
	}
	sym_add(st, r->node, r->ifname, &r->loc, false);
}

static void validate_labels(struct symtab *st)
{
	struct stmt *s, *prev = NULL;

	for (s = st->lab->first_stmt; s; prev = s, s = s->next) {
		void **slot;

		if (!s->label)
			continue;
		/* @label+ (check --expand's) labels one more statement with
		 * the label of the statement just before. */
		if (s->label_more) {
			if (!prev || !prev->label || strcmp(prev->label, s->label))
				diag_add(st->d, &(struct loc){ s->loc.file, s->loc.line, s->label_col, s->loc.iter },
					 "'@%s+' continues no label: the statement before is not labelled '@%s'",
					 s->label, s->label);
			continue;
		}
		slot = strmap_put(&st->labels, s->label, s);
		/* One label on a repeated statement labels every repetition. */
		if (*slot != s && s->loc.iter && ((struct stmt *)*slot)->loc.iter &&
		    ((struct stmt *)*slot)->loc.line == s->loc.line &&
		    !strcmp(((struct stmt *)*slot)->loc.file, s->loc.file))
			continue;
		if (*slot != s)
			diag_add(st->d, &(struct loc){ s->loc.file, s->loc.line, s->label_col, s->loc.iter },
				 "label '@%s' is already used at line %u", s->label,
				 ((struct stmt *)*slot)->loc.line);
	}
}

static struct stmt *find_label(struct symtab *st, const char *label)
{
	void **slot = strmap_get(&st->labels, label);

	return slot ? *slot : NULL;
}

/* Every line of every block, trimmed as twins' drop-line compares them. */
static void block_lines(struct strmap *m, const char *text)
{
	const char *line, *eol;

	for (line = text; line && *line; line = *eol ? eol + 1 : NULL) {
		const char *a = line, *z;
		char *one;

		eol = strchrnul(line, '\n');
		z = eol;
		while (a < z && (*a == ' ' || *a == '\t'))
			a++;
		while (z > a && (z[-1] == ' ' || z[-1] == '\t' || z[-1] == '\r'))
			z--;
		one = xstrndup(a, (size_t)(z - a));
		strmap_put(m, one, NULL);
		free(one);
	}
}

static void validate_twins(struct symtab *st)
{
	struct strmap names = { 0 }, lines = { 0 };
	struct lab *lab = st->lab;
	struct diags *d = st->d;
	struct twin *t;
	size_t i;

	for (struct stmt *s = lab->first_stmt; s && lab->first_twin; s = s->next)
		if (s->block.text)
			block_lines(&lines, s->block.text);
	for (t = lab->first_twin; t; t = t->next) {
		void **slot = strmap_put(&names, t->name, t);

		if (*slot != t)
			diag_add(d, &t->loc, "twin '%s' is already defined at line %u", t->name,
				 ((struct twin *)*slot)->loc.line);
		for (i = 0; i < t->n_drop; i++)
			if (!find_label(st, t->drop[i]))
				diag_add(d, &t->drop_at[i], "twin '%s' drops '@%s', which labels nothing", t->name,
					 t->drop[i]);
		for (i = 0; i < t->n_add; i++)
			if (!find_label(st, t->add[i]))
				diag_add(d, &t->add_at[i], "twin '%s' adds '@%s', which labels nothing", t->name,
					 t->add[i]);
		for (i = 0; i < t->n_drop_line; i++) {
			if (!strmap_get(&lines, t->drop_line[i]))
				diag_add(d, &t->drop_line_at[i], "twin '%s' drops the line \"%s\", which is in no block",
					 t->name, t->drop_line[i]);
		}
		for (i = 0; i < t->n_fails; i++) {
			struct stmt *s = find_label(st, t->fails[i]);

			if (!s)
				diag_add(d, &t->fails_at[i], "twin '%s': '@%s' labels nothing", t->name, t->fails[i]);
			else if (s->kind != STMT_EXPECT && s->kind != STMT_NAT && !s->refused &&
				 (s->kind != STMT_RUN || (s->run.background && !s->run.daemon)))
				diag_add(d, &t->fails_at[i], "twin '%s': '@%s' is not an expectation (expect, run, nat)",
					 t->name, t->fails[i]);
			/* Nothing that does not run can fail: such a twin
			 * would pass on no evidence. */
			else if (lab_label_in(t->drop, t->n_drop, t->fails[i]))
				diag_add(d, &t->fails_at[i],
					 "twin '%s' drops @%s, which it says must fail: it cannot fail if it does not run",
					 t->name, t->fails[i]);
			else if (!lab_twin_runs(lab, t, s))
				diag_add(d, &t->fails_at[i],
					 "twin '%s' says @%s must fail, but only the twins that add it run it: it cannot fail if it does not run",
					 t->name, t->fails[i]);
		}
	}
	strmap_free(&names, NULL);
	strmap_free(&lines, NULL);
}

/* An address given twice on one node would be refused by the kernel; say
 * where the first one was. */
static void addr_seen(struct symtab *st, struct strmap *seen, const struct ifref *r,
		      const struct addr_list *l)
{
	char buf[ADDR_STRLEN], kbuf[128], *heap;
	const char *key;
	size_t i;

	for (i = 0; i < l->n; i++) {
		key = vkey(kbuf, sizeof(kbuf), &heap, r->node, addr_format(&l->v[i], false, buf, sizeof(buf)));
		if (strmap_get(seen, key))
			diag_add(st->d, &r->loc, "address %s is already on node '%s'", buf, r->node);
		else
			strmap_put(seen, key, NULL);
		free(heap);
	}
}

/* Every node and WireGuard interface the scenario defines, wherever: keys
 * are made before the run, so a peer may name an interface defined further
 * down, and an endpoint a node. */
static void collect_defined(struct symtab *st)
{
	char buf[64], *heap;

	for (struct stmt *s = st->lab->first_stmt; s; s = s->next) {
		const struct ifref *r = s->kind == STMT_WIREGUARD ? &s->wireguard.ref :
					s->kind == STMT_WGQUICK ? &s->wgquick.ref : NULL;

		if (s->kind == STMT_NODE)
			strmap_put(&st->defined, s->node.name, NULL);
		if (!r)
			continue;
		strmap_put(&st->defined, vkey(buf, sizeof(buf), &heap, r->node, r->ifname), NULL);
		free(heap);
	}
}

static bool wg_defined(struct symtab *st, const char *node, const char *ifname)
{
	char buf[64], *heap;
	bool ret = strmap_get(&st->defined, vkey(buf, sizeof(buf), &heap, node, ifname));

	free(heap);
	return ret || broken(st, node, ifname);
}

/* "@node:if" names an interface's public key. */
static void wg_check_ref(struct symtab *st, const struct loc *loc, const char *ref, const char *what)
{
	const char *colon = strchr(ref, ':');
	char node[64];

	if (!colon || ref[0] != '@' || (size_t)(colon - ref - 1) >= sizeof(node)) {
		diag_add(st->d, loc, "%s '%s' is neither a key nor @NODE:IF", what, ref);
		return;
	}
	memcpy(node, ref + 1, (size_t)(colon - ref - 1));
	node[colon - ref - 1] = '\0';
	if (!wg_defined(st, node, colon + 1))
		diag_add(st->d, loc, "%s '%s': the scenario defines no WireGuard interface %s", what, ref,
			 ref + 1);
}

static bool endpoint_ok(struct symtab *st, const char *host)
{
	struct addr a;

	if (!host || addr_parse(host, 0, &a) == 0)
		return true;
	/* A node name has no ':', a WireGuard NODE:IF always has one. */
	return !strchr(host, ':') &&
	       (strmap_get(&st->defined, host) || broken(st, host, NULL) || lab_names_alias(st_names(st), host));
}

/* A node name as endpoint must mean one address from the node that uses
 * it (lab/lang/resolve.h); else the error asks for an address. */
static void endpoint_resolve(struct symtab *st, const struct loc *loc, const char *from,
			     const char *host)
{
	struct addr a;
	char why[640];

	if (!host || addr_parse(host, 0, &a) == 0 || !endpoint_ok(st, host) || broken(st, host, NULL) ||
	    broken(st, host, "") || broken(st, from, ""))
		return;
	if (lab_resolve_node(st_names(st), from, host, &a, why, sizeof(why)) < 0)
		diag_add(st->d, loc, "endpoint %s", why);
}

/* Where a value of a wg-quick block was written, in the scenario file. */
static const struct loc *block_loc(const struct stmt *s, const struct wgconf_pos *pos, struct loc *ret)
{
	if (!pos->line)
		return &s->loc;
	*ret = (struct loc){ s->loc.file, s->block.first_line + pos->line - 1, pos->col, s->loc.iter };
	return ret;
}

static void validate_wgquick(struct symtab *st, struct stmt *s)
{
	const struct wgconf_device *d = s->wgquick.conf;

	struct loc l;

	if (d->private_key_ref && strcmp(d->private_key_ref, "@generate"))
		diag_add(st->d, block_loc(s, &d->private_key_pos, &l), "PrivateKey '%s': only @generate or a key",
			 d->private_key_ref);
	/* wg-quick would add these addresses, and routes for these allowed
	 * IPs: not in a node with IPv6 off. */
	if (d->address_v6_pos.line)
		need_ipv6_ok(st, s->wgquick.ref.node, AF_INET6, block_loc(s, &d->address_v6_pos, &l));
	for (const struct wgconf_peer *p = d->first_peer; p; p = p->next) {
		if (p->allowed_v6_pos.line)
			need_ipv6_ok(st, s->wgquick.ref.node, AF_INET6, block_loc(s, &p->allowed_v6_pos, &l));
		if (p->public_key_ref)
			wg_check_ref(st, block_loc(s, &p->public_key_pos, &l), p->public_key_ref, "PublicKey");
		if (!endpoint_ok(st, p->endpoint_host))
			diag_add(st->d, block_loc(s, &p->endpoint_pos, &l),
				 "Endpoint host '%s' is neither an address nor a node (the lab has no DNS: `node NODE name %s`)",
				 p->endpoint_host, p->endpoint_host);
		else
			endpoint_resolve(st, block_loc(s, &p->endpoint_pos, &l), s->wgquick.ref.node,
					 p->endpoint_host);
	}
}

static void new_wg_if(struct symtab *st, const struct ifref *r)
{
	size_t before = st->n;

	new_if(st, r);
	if (st->n > before)
		st->v[st->n - 1].wg = true;
}

static void need_wg_if(struct symtab *st, const struct ifref *r)
{
	struct sym *s;

	if (!need_if(st, r))
		return;
	s = sym_find(st, r->node, r->ifname);
	if (!s->wg)
		diag_add(st->d, &r->loc, "'%s:%s' is not a WireGuard interface", r->node, r->ifname);
}

static void validate_members(struct symtab *st, const struct set_member *v, size_t n, bool wg)
{
	for (size_t i = 0; i < n; i++) {
		if (v[i].addr.family)
			continue;
		if (wg)
			need_wg_if(st, &v[i].ref);
		else if (v[i].ref.ifname[0])
			need_if(st, &v[i].ref);
		else
			need_node(st, v[i].ref.node, &v[i].ref.loc);
	}
}

/* A node or NODE:IF as destination means one address (lab/lang/resolve.h),
 * in the family of the source address if one is written. */
static void resolve_dest(struct symtab *st, const char *from, const struct ifref *ref, int family,
			 struct addr *ret)
{
	char why[640];
	int err;

	/* a node's name, or a host name of one (lab_resolve_node takes both) */
	if (ref->ifname[0] ? !need_if(st, ref) : !need_host(st, ref->node, &ref->loc))
		return;
	if (ref->ifname[0])
		err = lab_resolve_ifaddr(st_names(st), ref, family, ret, why, sizeof(why));
	else
		err = lab_resolve_node(st_names(st), from, ref->node, ret, why, sizeof(why));
	if (err < 0) {
		if (!broken(st, ref->node, "") && !broken(st, from, ""))
			diag_add(st->d, &ref->loc, "destination %s", why);
	} else if (family && ret->family != family)
		diag_add(st->d, &ref->loc, "destination '%s' is at %s, not of the source address's family: write the address",
			 ref->node, ret->family == AF_INET ? "an IPv4 address" : "an IPv6 address");
}

/* http://NODE[:PORT]/...: the node's address seen from `from` (NODE
 * its name or one of its host names). */
static void resolve_url(struct symtab *st, const struct stmt *s, struct expect_gets *g)
{
	struct http_url u;
	char why[640];

	if (http_url_parse(g->url, &u) < 0 || u.addr.family)
		return;
	if (!need_host(st, u.name, &g->url_loc))
		return;
	if (lab_resolve_node(st_names(st), s->expect.node, u.name, &g->at, why, sizeof(why)) < 0)
		diag_add(st->d, &g->url_loc, "URL host %s", why);
}

static void validate_set(struct symtab *st, const struct stmt_expect *e)
{
	validate_members(st, e->set->src, e->set->n_src, e->kind == EXPECT_HANDSHAKE);
	validate_members(st, e->set->dst, e->set->n_dst, e->kind == EXPECT_HANDSHAKE);
}

/* Where a statement's NODE word is, for errors about that node. */
static const struct loc *node_loc(const struct stmt *s)
{
	return s->node_loc.col ? &s->node_loc : &s->loc;
}

/* `node NODE name HOST`: each host name one node's, and no node's name
 * (a hosts file line, an Endpoint, must mean one node). */
static void validate_aliases(struct symtab *st, const struct stmt *s)
{
	for (size_t i = 0; i < s->node.n_aliases; i++) {
		const char *h = s->node.aliases[i], *owner = lab_names_alias(st_names(st), h);

		if (strmap_get(&st->defined, h))
			diag_add(st->d, node_loc(s), "host name '%s' is the name of a node", h);
		else if (owner && strcmp(owner, s->node.name))
			diag_add(st->d, node_loc(s), "host name '%s' is already a name of node '%s'", h, owner);
	}
}

/*
 * A kept lab binds node N at LAB-N and lan L at LAB-lan-L: node lan-L and
 * lan L would be one name, whatever the lab's (the second made would find
 * the first's there).  name is the statement's (a lan's when lan).
 */
static void validate_mount_name(struct symtab *st, const struct stmt *s, const char *name, bool lan)
{
	char *other = lan ? xasprintf("lan-%s", name) : NULL;
	const char *want = lan ? other : !strncmp(name, "lan-", 4) ? name + 4 : NULL;
	struct sym *o = want ? sym_find(st, want, NULL) : NULL;

	if (o && o->lan != lan)
		diag_add(st->d, node_loc(s), "%s '%s' and %s '%s' (%s:%u) would both be kept as LAB-lan-%s "
			 "(wglab up): rename one", lan ? "lan" : "node", name, lan ? "node" : "lan", o->node,
			 o->loc->file, o->loc->line, lan ? name : want);
	free(other);
}

static void validate_stmt(struct symtab *st, struct stmt *s)
{
	size_t i;

	switch (s->kind) {
	case STMT_NODE: {
		struct sym *o = sym_find(st, s->node.name, NULL);

		if (o)
			diag_add(st->d, node_loc(s), "'%s' is already defined at %s:%u", s->node.name,
				 o->loc->file, o->loc->line);
		else {
			validate_mount_name(st, s, s->node.name, false);
			sym_add(st, s->node.name, NULL, &s->loc, false);
			st->v[st->n - 1].no_ipv6 = s->node.flags & NODE_NO_IPV6;
			/* Every node has a loopback interface. */
			sym_add(st, s->node.name, "lo", &s->loc, false);
		}
		validate_aliases(st, s);
		break;
	}
	case STMT_LINK:
		if (!strcmp(s->link.end[0].ref.node, s->link.end[1].ref.node) &&
		    !strcmp(s->link.end[0].ref.ifname, s->link.end[1].ref.ifname)) {
			diag_add(st->d, &s->link.end[1].ref.loc, "both ends are '%s:%s'",
				 s->link.end[1].ref.node, s->link.end[1].ref.ifname);
			break;
		}
		for (i = 0; i < 2; i++) {
			new_if(st, &s->link.end[i].ref);
			need_ipv6_ok_list(st, s->link.end[i].ref.node, &s->link.end[i].addrs, &s->link.end[i].ref.loc);
		}
		break;
	case STMT_LINK_SET:
		need_if(st, &s->link_set.ref);
		break;
	case STMT_LAN: {
		struct sym *o = sym_find(st, s->lan.name, NULL);

		if (o)
			diag_add(st->d, node_loc(s), "'%s' is already defined at %s:%u", s->lan.name,
				 o->loc->file, o->loc->line);
		else {
			validate_mount_name(st, s, s->lan.name, true);
			sym_add(st, s->lan.name, NULL, &s->loc, true);
		}
		for (i = 0; i < s->lan.n_members; i++) {
			new_if(st, &s->lan.members[i].ref);
			need_ipv6_ok_list(st, s->lan.members[i].ref.node, &s->lan.members[i].addrs,
					  &s->lan.members[i].ref.loc);
		}
		break;
	}
	case STMT_ADDRESS:
		if (need_if(st, &s->address.ref) && s->address.op != OP_DEL)
			need_ipv6_ok_list(st, s->address.ref.node, &s->address.addrs, &s->address.ref.loc);
		break;
	case STMT_ROUTE:
		if (s->route.op != OP_DEL)
			need_ipv6_ok(st, s->route.node, s->route.r.dst.family, node_loc(s));
		if (need_node(st, s->route.node, node_loc(s)) && (s->route.r.flags & ROUTE_HAS_DEV)) {
			struct ifref r = { s->route.node, "", s->route.dev_loc };

			strcpy(r.ifname, s->route.r.dev);
			need_if(st, &r);
		}
		break;
	case STMT_RULE:
		need_node(st, s->rule.node, node_loc(s));
		break;
	case STMT_SYSCTL:
		need_node(st, s->sysctl.node, node_loc(s));
		break;
	case STMT_RUN:
		need_node(st, s->run.node, node_loc(s));
		break;
	case STMT_SERVE:
		need_node(st, s->serve.node, node_loc(s));
		break;
	case STMT_EXPECT: {
		const struct stmt_expect *e = &s->expect;
		bool wg = e->kind == EXPECT_HANDSHAKE || e->kind == EXPECT_ENDPOINT ||
			  e->kind == EXPECT_TRANSFER || e->kind == EXPECT_WGDEVICE;

		if (e->set) {
			validate_set(st, e);
			break;
		}
		if (wg)
			need_wg_if(st, &e->ref);
		else if (e->ref.node)
			need_if(st, &e->ref);
		else
			need_node(st, e->node, node_loc(s));
		if (e->kind == EXPECT_REACH && s->expect.reach.dst_ref.node)
			resolve_dest(st, e->node, &e->reach.dst_ref, e->reach.src.family, &s->expect.reach.dst);
		if (e->kind == EXPECT_GETS)
			resolve_url(st, s, &s->expect.gets);
		if (perf_expect_peer(e))
			need_node(st, perf_expect_peer(e), &s->loc);
		if (wg && e->wg.peer.node && !wg_defined(st, e->wg.peer.node, e->wg.peer.ifname))
			diag_add(st->d, &e->wg.peer.loc, "the scenario defines no WireGuard interface '%s:%s'",
				 e->wg.peer.node, e->wg.peer.ifname);
		break;
	}
	case STMT_WIREGUARD: {
		struct sym *o;

		if (!need_node(st, s->wireguard.ref.node, &s->wireguard.ref.loc))
			break;
		/* One error for the statement, however many IPv6 addresses. */
		for (const struct wgconf_ip *a = s->wireguard.conf->first_address; a; a = a->next)
			if (a->addr.family == AF_INET6) {
				need_ipv6_ok(st, s->wireguard.ref.node, AF_INET6, &s->wireguard.ref.loc);
				break;
			}
		o = sym_find(st, s->wireguard.ref.node, s->wireguard.ref.ifname);
		if (!o)
			new_wg_if(st, &s->wireguard.ref);
		else if (!o->wg)
			diag_add(st->d, &s->wireguard.ref.loc, "'%s:%s' exists and is not a WireGuard interface",
				 s->wireguard.ref.node, s->wireguard.ref.ifname);
		else if (s->wireguard.set & (WGSET_ADDRESS | WGSET_MTU | WGSET_TABLE))
			diag_add(st->d, &s->wireguard.ref.loc,
				 "'%s:%s' exists: change its addresses with `address`, its mtu with `link`",
				 s->wireguard.ref.node, s->wireguard.ref.ifname);
		if (s->wireguard.created_in)
			need_node(st, s->wireguard.created_in, node_loc(s));
		break;
	}
	case STMT_WGQUICK:
		new_wg_if(st, &s->wgquick.ref);
		validate_wgquick(st, s);
		break;
	case STMT_FIREWALL:
		if (need_node(st, s->firewall.node, node_loc(s)))
			validate_firewall(st, s);
		break;
	case STMT_NFT:
		need_node(st, s->firewall.node, node_loc(s));
		break;
	case STMT_NAT: {
		struct ifref r = { s->nat.node, "", s->loc };

		if (!need_node(st, s->nat.node, node_loc(s)))
			break;
		snprintf(r.ifname, sizeof(r.ifname), "%s", s->nat.argv[0]);
		r.loc.col = s->nat.cols[0];
		need_if(st, &r);
		break;
	}
	case STMT_CONNTRACK:
		need_node(st, s->conntrack.node, node_loc(s));
		break;
	case STMT_CAPTURE:
		need_if(st, &s->conntrack.ref);
		break;
	case STMT_PEER:
		need_wg_if(st, &s->peer.ref);
		if (s->peer.peer.node && !wg_defined(st, s->peer.peer.node, s->peer.peer.ifname))
			diag_add(st->d, &s->peer.peer.loc, "the scenario defines no WireGuard interface '%s:%s'",
				 s->peer.peer.node, s->peer.peer.ifname);
		if (!endpoint_ok(st, s->peer.conf->endpoint_host))
			diag_add(st->d, &s->peer.endpoint_loc,
				 "endpoint host '%s' is neither an address nor a node (the lab has no DNS: `node NODE name %s`)",
				 s->peer.conf->endpoint_host, s->peer.conf->endpoint_host);
		else
			endpoint_resolve(st, &s->peer.endpoint_loc, s->peer.ref.node,
					 s->peer.conf->endpoint_host);
		break;
	default:
		break;
	}
}

static void symtab_free(struct symtab *st)
{
	for (size_t i = 0; i < st->n_fw; i++)
		fw_ruleset_free(st->fw[i].rs);
	free(st->fw);
	free(st->v);
	strmap_free(&st->syms, NULL);
	strmap_free(&st->fw_index, NULL);
	strmap_free(&st->defined, NULL);
	strmap_free(&st->labels, NULL);
	lab_names_free(st->names);
}

static void validate_walk(struct symtab *st, const struct twin *t);

/*
 * The statements a twin adds are checked as that twin runs them: after
 * the scenario's statements less those it drops, and without the other
 * twins' additions (so a twin may redefine what it dropped, or add what
 * the scenario alone would refuse).  Its errors are those at its own
 * additions, named after it.
 */
static void validate_twin_runs(struct symtab *main_st)
{
	for (const struct twin *t = main_st->lab->first_twin; t; t = t->next) {
		struct symtab st = { .lab = main_st->lab };
		struct diags d2 = { 0 };

		if (!t->n_add)
			continue;
		st.d = &d2;
		collect_defined(&st);
		validate_walk(&st, t);
		symtab_free(&st);
		for (struct diag *g = d2.first; g; g = g->next) {
			bool ours = false;

			for (const struct stmt *s = main_st->lab->first_stmt; s && !ours; s = s->next)
				ours = s->label && lab_label_in(t->add, t->n_add, s->label) &&
				       g->line == s->loc.line && !strcmp(g->file, s->loc.file);
			if (ours)
				diag_add(main_st->d, &(struct loc){ .file = g->file, .line = g->line, .col = g->col }, "twin '%s': %s",
					 t->name, g->msg);
		}
		diag_free(&d2);
	}
}

static void validate_walk(struct symtab *st, const struct twin *t)
{
	struct strmap seen = { 0 };
	struct stmt *s;

	for (s = st->lab->first_stmt; s; s = s->next) {
		size_t i;

		if (!lab_twin_runs(st->lab, t, s))
			continue;
		validate_stmt(st, s);
		/* Addresses per node, to catch one given twice. */
		if (s->kind == STMT_LINK) {
			for (i = 0; i < 2; i++)
				addr_seen(st, &seen, &s->link.end[i].ref, &s->link.end[i].addrs);
		} else if (s->kind == STMT_LAN) {
			for (i = 0; i < s->lan.n_members; i++)
				addr_seen(st, &seen, &s->lan.members[i].ref, &s->lan.members[i].addrs);
		} else if (s->kind == STMT_ADDRESS && s->address.op == OP_ADD) {
			addr_seen(st, &seen, &s->address.ref, &s->address.addrs);
		}
	}
	strmap_free(&seen, NULL);
}

int scenario_validate(struct lab *lab, struct diags *d)
{
	struct symtab st = { .d = d, .lab = lab };
	struct strmap seen = { 0 };
	size_t before = d->n;
	struct stmt *s;

	collect_defined(&st);
	for (s = lab->first_stmt; s; s = s->next) {
		size_t i;

		if (!lab_twin_runs(lab, NULL, s))
			continue;
		validate_stmt(&st, s);
		/* Addresses per node, to catch one given twice. */
		if (s->kind == STMT_LINK) {
			for (i = 0; i < 2; i++)
				addr_seen(&st, &seen, &s->link.end[i].ref, &s->link.end[i].addrs);
		} else if (s->kind == STMT_LAN) {
			for (i = 0; i < s->lan.n_members; i++)
				addr_seen(&st, &seen, &s->lan.members[i].ref, &s->lan.members[i].addrs);
		} else if (s->kind == STMT_ADDRESS && s->address.op == OP_ADD) {
			addr_seen(&st, &seen, &s->address.ref, &s->address.addrs);
		}
	}
	if (!lab->n_nodes && !d->n) {
		struct loc l = { lab->files ? lab->files[0] : "-", 0, 0, NULL };

		diag_add(d, &l, "the scenario defines no node");
	}
	validate_labels(&st);
	validate_twins(&st);
	validate_twin_runs(&st);
	symtab_free(&st);
	strmap_free(&seen, NULL);
	return d->n > before ? -EINVAL : 0;
}
