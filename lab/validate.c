// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * Cross-statement checks, in statement order (a statement may only refer to
 * what earlier statements made): nodes and interfaces exist and are not
 * made twice, addresses are not given twice, labels are unique, twins name
 * real statements.
 */
#include "lab/parse.h"
#include "lab/scenario.h"
#include "netns/fw.h"
#include "netns/wgconf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct sym {
	const char *node;
	const char *ifname;		/* NULL for a node or lan */
	const struct loc *loc;
	bool lan;
	bool wg;			/* a WireGuard interface */
};

struct fwset {
	const char *node;
	struct fw_ruleset *rs;
};

struct symtab {
	struct sym *v;
	size_t n;
	struct diags *d;
	struct lab *lab;
	struct fwset *fw;		/* each node's rules, as they accumulate */
	size_t n_fw;
};

static struct fw_ruleset *node_fw(struct symtab *st, const char *node)
{
	struct fwset *v;

	for (size_t i = 0; i < st->n_fw; i++)
		if (!strcmp(st->fw[i].node, node))
			return st->fw[i].rs;
	v = realloc(st->fw, (st->n_fw + 1) * sizeof(*v));
	if (!v)
		abort();
	st->fw = v;
	v[st->n_fw].node = node;
	v[st->n_fw].rs = fw_ruleset_new();
	if (!v[st->n_fw].rs)
		abort();
	return v[st->n_fw++].rs;
}

/* The rules, parsed in order into the node's set, for the positions of
 * their errors (the run parses them again, twins' dropped lines aside). */
static void validate_firewall(struct symtab *st, const struct stmt *s)
{
	struct fw_ruleset *rs = node_fw(st, s->firewall.node);
	struct fw_error e = { 0 };
	const char *line, *eol;
	unsigned int ln;

	if (s->firewall.rule) {
		if (fw_parse_line(rs, AF_INET, s->firewall.rule, s->loc.line, &e) < 0) {
			struct loc l = { s->loc.file, s->loc.line, s->firewall.rule_col + (e.column ? e.column - 1 : 0) };

			diag_add(st->d, &l, "%s", e.msg);
		}
		return;
	}
	ln = s->block.first_line;
	for (line = s->block.text; *line; line = *eol ? eol + 1 : eol, ln++) {
		char *one;

		eol = strchrnul(line, '\n');
		one = strndup(line, (size_t)(eol - line));
		if (!one)
			abort();
		if (fw_parse_line(rs, AF_INET, one, ln, &e) < 0) {
			struct loc l = { s->loc.file, ln, e.column };

			diag_add(st->d, &l, "%s", e.msg);
		}
		free(one);
	}
	if (fw_parse_finish(rs, &e) < 0) {
		struct loc l = { s->loc.file, e.line ? e.line : s->loc.line, e.column };

		diag_add(st->d, &l, "%s", e.msg);
	}
}

static struct sym *sym_find(struct symtab *st, const char *node, const char *ifname)
{
	size_t i;

	for (i = 0; i < st->n; i++) {
		struct sym *s = &st->v[i];

		if (strcmp(s->node, node))
			continue;
		if ((!ifname && !s->ifname) || (ifname && s->ifname && !strcmp(ifname, s->ifname)))
			return s;
	}
	return NULL;
}

static void sym_add(struct symtab *st, const char *node, const char *ifname, const struct loc *loc,
		    bool lan)
{
	st->v = realloc(st->v, (st->n + 1) * sizeof(*st->v));
	if (!st->v)
		abort();
	st->v[st->n++] = (struct sym){ node, ifname, loc, lan, false };
}

static bool need_node(struct symtab *st, const char *node, const struct loc *loc)
{
	struct sym *s = sym_find(st, node, NULL);

	if (s && !s->lan)
		return true;
	if (s)
		diag_add(st->d, loc, "'%s' is a lan, not a node", node);
	else
		diag_add(st->d, loc, "unknown node '%s'", node);
	return false;
}

static bool need_if(struct symtab *st, const struct ifref *r)
{
	if (!need_node(st, r->node, &r->loc))
		return false;
	if (sym_find(st, r->node, r->ifname))
		return true;
	diag_add(st->d, &r->loc, "node '%s' has no interface '%s'", r->node, r->ifname);
	return false;
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
	s = sym_find(st, r->node, r->ifname);
	if (s) {
		diag_add(st->d, &r->loc, "interface '%s:%s' already exists (%s:%u)", r->node, r->ifname,
			 s->loc->file, s->loc->line);
		return;
	}
	if (!strcmp(r->ifname, "lo")) {
		diag_add(st->d, &r->loc, "'lo' exists in every node; pick another interface name");
		return;
	}
	sym_add(st, r->node, r->ifname, &r->loc, false);
}

static void validate_labels(struct lab *lab, struct diags *d)
{
	struct stmt *s, *o;

	for (s = lab->first_stmt; s; s = s->next) {
		if (!s->label)
			continue;
		for (o = lab->first_stmt; o != s; o = o->next) {
			if (o->label && !strcmp(o->label, s->label)) {
				diag_add(d, &s->loc, "label '@%s' is already used at line %u", s->label,
					 o->loc.line);
				break;
			}
		}
	}
}

static struct stmt *find_label(struct lab *lab, const char *label)
{
	struct stmt *s;

	for (s = lab->first_stmt; s; s = s->next)
		if (s->label && !strcmp(s->label, label))
			return s;
	return NULL;
}

static bool block_has_line(const char *text, const char *want)
{
	const char *line, *eol;
	size_t n = strlen(want);

	for (line = text; line && *line; line = *eol ? eol + 1 : NULL) {
		const char *a = line, *z;

		eol = strchrnul(line, '\n');
		z = eol;
		while (a < z && (*a == ' ' || *a == '\t'))
			a++;
		while (z > a && (z[-1] == ' ' || z[-1] == '\t' || z[-1] == '\r'))
			z--;
		if ((size_t)(z - a) == n && !memcmp(a, want, n))
			return true;
	}
	return false;
}

static void validate_twins(struct lab *lab, struct diags *d)
{
	struct twin *t, *o;
	size_t i;

	for (t = lab->first_twin; t; t = t->next) {
		for (o = lab->first_twin; o != t; o = o->next)
			if (!strcmp(o->name, t->name))
				diag_add(d, &t->loc, "twin '%s' is already defined at line %u", t->name,
					 o->loc.line);
		for (i = 0; i < t->n_drop; i++)
			if (!find_label(lab, t->drop[i]))
				diag_add(d, &t->loc, "twin '%s' drops '@%s', which labels nothing", t->name,
					 t->drop[i]);
		for (i = 0; i < t->n_drop_line; i++) {
			struct stmt *s;
			bool found = false;

			for (s = lab->first_stmt; s && !found; s = s->next)
				found = s->block.text && block_has_line(s->block.text, t->drop_line[i]);
			if (!found)
				diag_add(d, &t->loc, "twin '%s' drops the line \"%s\", which is in no block",
					 t->name, t->drop_line[i]);
		}
		for (i = 0; i < t->n_fails; i++) {
			struct stmt *s = find_label(lab, t->fails[i]);

			if (!s)
				diag_add(d, &t->loc, "twin '%s': '@%s' labels nothing", t->name, t->fails[i]);
			else if (s->kind != STMT_EXPECT)
				diag_add(d, &t->loc, "twin '%s': '@%s' is not an expectation", t->name,
					 t->fails[i]);
		}
	}
}

/* An address given twice on one node would be refused by the kernel; say
 * where the first one was. */
static void addr_seen(struct symtab *st, struct addr_list *seen, const char **owners,
		      const struct ifref *r, const struct addr_list *l)
{
	size_t i, k;

	(void)owners;
	for (i = 0; i < l->n; i++) {
		for (k = 0; k < seen->n; k++) {
			if (addr_equal(&seen->v[k], &l->v[i]) && !strcmp(owners[k], r->node)) {
				char buf[ADDR_STRLEN];

				diag_add(st->d, &r->loc, "address %s is already on node '%s'",
					 addr_format(&l->v[i], false, buf, sizeof(buf)), r->node);
			}
		}
	}
}

/* Every WireGuard interface the scenario defines, wherever: keys are made
 * before the run, so a peer may name an interface defined further down. */
static bool wg_defined(struct lab *lab, const char *node, const char *ifname)
{
	for (struct stmt *s = lab->first_stmt; s; s = s->next) {
		const struct ifref *r = s->kind == STMT_WIREGUARD ? &s->wireguard.ref :
					s->kind == STMT_WGQUICK ? &s->wgquick.ref : NULL;

		if (r && !strcmp(r->node, node) && !strcmp(r->ifname, ifname))
			return true;
	}
	return false;
}

/* "@node:if" names an interface's public key. */
static void wg_check_ref(struct symtab *st, struct lab *lab, const struct loc *loc, const char *ref,
			 const char *what)
{
	const char *colon = strchr(ref, ':');
	char node[64];

	if (!colon || ref[0] != '@' || (size_t)(colon - ref - 1) >= sizeof(node)) {
		diag_add(st->d, loc, "%s '%s' is neither a key nor @NODE:IF", what, ref);
		return;
	}
	memcpy(node, ref + 1, (size_t)(colon - ref - 1));
	node[colon - ref - 1] = '\0';
	if (!wg_defined(lab, node, colon + 1))
		diag_add(st->d, loc, "%s '%s': the scenario defines no WireGuard interface %s", what, ref,
			 ref + 1);
}

static bool endpoint_ok(struct lab *lab, const char *host)
{
	struct addr a;

	if (!host || addr_parse(host, 0, &a) == 0)
		return true;
	for (struct stmt *s = lab->first_stmt; s; s = s->next)
		if (s->kind == STMT_NODE && !strcmp(s->node.name, host))
			return true;
	return false;
}

static void validate_wgquick(struct symtab *st, struct lab *lab, struct stmt *s)
{
	const struct wgconf_device *d = s->wgquick.conf;

	if (d->private_key_ref && strcmp(d->private_key_ref, "@generate"))
		diag_add(st->d, &s->loc, "PrivateKey '%s': only @generate or a key", d->private_key_ref);
	for (const struct wgconf_peer *p = d->first_peer; p; p = p->next) {
		struct loc l = { s->loc.file, s->block.first_line + (p->line ? p->line - 1 : 0), 1 };

		if (p->public_key_ref)
			wg_check_ref(st, lab, &l, p->public_key_ref, "PublicKey");
		if (!endpoint_ok(lab, p->endpoint_host))
			diag_add(st->d, &l, "Endpoint host '%s' is neither an address nor a node", p->endpoint_host);
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

static void validate_stmt(struct symtab *st, struct stmt *s)
{
	size_t i;

	switch (s->kind) {
	case STMT_NODE: {
		struct sym *o = sym_find(st, s->node.name, NULL);

		if (o)
			diag_add(st->d, &s->loc, "'%s' is already defined at %s:%u", s->node.name,
				 o->loc->file, o->loc->line);
		else
			sym_add(st, s->node.name, NULL, &s->loc, false);
		break;
	}
	case STMT_LINK:
		if (!strcmp(s->link.end[0].ref.node, s->link.end[1].ref.node) &&
		    !strcmp(s->link.end[0].ref.ifname, s->link.end[1].ref.ifname)) {
			diag_add(st->d, &s->link.end[1].ref.loc, "both ends are '%s:%s'",
				 s->link.end[1].ref.node, s->link.end[1].ref.ifname);
			break;
		}
		new_if(st, &s->link.end[0].ref);
		new_if(st, &s->link.end[1].ref);
		break;
	case STMT_LINK_SET:
		need_if(st, &s->link_set.ref);
		break;
	case STMT_LAN: {
		struct sym *o = sym_find(st, s->lan.name, NULL);

		if (o)
			diag_add(st->d, &s->loc, "'%s' is already defined at %s:%u", s->lan.name,
				 o->loc->file, o->loc->line);
		else
			sym_add(st, s->lan.name, NULL, &s->loc, true);
		for (i = 0; i < s->lan.n_members; i++)
			new_if(st, &s->lan.members[i].ref);
		break;
	}
	case STMT_ADDRESS:
		need_if(st, &s->address.ref);
		break;
	case STMT_ROUTE:
		if (need_node(st, s->route.node, &s->loc) && (s->route.r.flags & ROUTE_HAS_DEV)) {
			struct ifref r = { s->route.node, "", s->loc };

			strcpy(r.ifname, s->route.r.dev);
			need_if(st, &r);
		}
		break;
	case STMT_RULE:
		need_node(st, s->rule.node, &s->loc);
		break;
	case STMT_SYSCTL:
		need_node(st, s->sysctl.node, &s->loc);
		break;
	case STMT_RUN:
		need_node(st, s->run.node, &s->loc);
		break;
	case STMT_SERVE:
		need_node(st, s->serve.node, &s->loc);
		break;
	case STMT_EXPECT: {
		const struct stmt_expect *e = &s->expect;
		bool wg = e->kind == EXPECT_HANDSHAKE || e->kind == EXPECT_ENDPOINT ||
			  e->kind == EXPECT_TRANSFER;

		if (wg)
			need_wg_if(st, &e->ref);
		else if (e->ref.node)
			need_if(st, &e->ref);
		else
			need_node(st, e->node, &s->loc);
		if (wg && e->wg.peer.node && !wg_defined(st->lab, e->wg.peer.node, e->wg.peer.ifname))
			diag_add(st->d, &e->wg.peer.loc, "the scenario defines no WireGuard interface '%s:%s'",
				 e->wg.peer.node, e->wg.peer.ifname);
		break;
	}
	case STMT_WIREGUARD: {
		struct sym *o;

		if (!need_node(st, s->wireguard.ref.node, &s->wireguard.ref.loc))
			break;
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
			need_node(st, s->wireguard.created_in, &s->loc);
		break;
	}
	case STMT_WGQUICK:
		new_wg_if(st, &s->wgquick.ref);
		validate_wgquick(st, st->lab, s);
		break;
	case STMT_FIREWALL:
		if (need_node(st, s->firewall.node, &s->loc))
			validate_firewall(st, s);
		break;
	case STMT_NFT:
		need_node(st, s->firewall.node, &s->loc);
		break;
	case STMT_NAT: {
		struct ifref r = { s->nat.node, "", s->loc };

		if (!need_node(st, s->nat.node, &s->loc))
			break;
		snprintf(r.ifname, sizeof(r.ifname), "%s", s->nat.argv[0]);
		r.loc.col = s->nat.cols[0];
		need_if(st, &r);
		break;
	}
	case STMT_CONNTRACK:
		need_node(st, s->conntrack.node, &s->loc);
		break;
	case STMT_CAPTURE:
		need_if(st, &s->conntrack.ref);
		break;
	case STMT_PEER:
		need_wg_if(st, &s->peer.ref);
		if (s->peer.peer.node && !wg_defined(st->lab, s->peer.peer.node, s->peer.peer.ifname))
			diag_add(st->d, &s->peer.peer.loc, "the scenario defines no WireGuard interface '%s:%s'",
				 s->peer.peer.node, s->peer.peer.ifname);
		if (!endpoint_ok(st->lab, s->peer.conf->endpoint_host))
			diag_add(st->d, &s->loc, "endpoint host '%s' is neither an address nor a node",
				 s->peer.conf->endpoint_host);
		break;
	default:
		break;
	}
}

int scenario_validate(struct lab *lab, struct diags *d)
{
	struct symtab st = { NULL, 0, d, lab, NULL, 0 };
	struct addr_list seen = { 0 };
	const char **owners = NULL;
	size_t before = d->n;
	struct stmt *s;

	for (s = lab->first_stmt; s; s = s->next) {
		const struct ifref *r = NULL;
		const struct addr_list *l = NULL;
		size_t i;

		validate_stmt(&st, s);
		/* Addresses per node, to catch one given twice. */
		for (i = 0; i < (s->kind == STMT_LINK ? 2 : s->kind == STMT_LAN ? s->lan.n_members : 1); i++) {
			if (s->kind == STMT_LINK) {
				r = &s->link.end[i].ref;
				l = &s->link.end[i].addrs;
			} else if (s->kind == STMT_LAN) {
				r = &s->lan.members[i].ref;
				l = &s->lan.members[i].addrs;
			} else if (s->kind == STMT_ADDRESS && s->address.op == OP_ADD) {
				r = &s->address.ref;
				l = &s->address.addrs;
			} else {
				break;
			}
			addr_seen(&st, &seen, owners, r, l);
			for (size_t k = 0; k < l->n; k++) {
				addr_list_push(&seen, &l->v[k]);
				owners = realloc(owners, seen.n * sizeof(*owners));
				if (!owners)
					abort();
				owners[seen.n - 1] = r->node;
			}
		}
	}
	if (!lab->n_nodes && !d->n) {
		struct loc l = { lab->files ? lab->files[0] : "-", 0, 0 };

		diag_add(d, &l, "the scenario defines no node");
	}
	validate_labels(lab, d);
	validate_twins(lab, d);
	for (size_t i = 0; i < st.n_fw; i++)
		fw_ruleset_free(st.fw[i].rs);
	free(st.fw);
	free(st.v);
	free(seen.v);
	free(owners);
	return d->n > before ? -EINVAL : 0;
}
