// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* Firewall and NAT statements: firewall, nft, nat, conntrack. */
#include "lab/lang/parse_fw.h"
#include "lab/lang/lexer.h"
#include "lab/lang/model.h"
#include "lab/lang/parse_value.h"
#include "lab/lang/pctx.h"
#include "netns/fw/fw.h"
#include "netns/fw/nat.h"
#include "netns/util/xalloc.h"
#include "traffic/capture.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* firewall NODE RULE...  |  firewall NODE << rules >>
 * RULE is taken as written (quotes and all), for the iptables parser. */
struct stmt *parse_firewall(struct pctx *c)
{
	struct stmt *s = pctx_stmt(c, STMT_FIREWALL);
	struct stmt_firewall *f = &s->firewall;

	if (!pctx_word(c, "node") || parse_node_name(c, c->i - 1, &f->node) < 0)
		return stmt_fail(s);
	if (c->block) {
		if (pctx_more(c))
			return perr_free(s, c, c->i, "a firewall block takes no rule on its first line");
		return s;
	}
	if (!pctx_more(c))
		return perr_free(s, c, c->i, "missing rule (firewall NODE -A CHAIN ... or a << block >>)");
	f->rule_col = c->t->v[c->i].col;
	/* The rule as written; a repeated one as its words expanded. */
	f->rule = c->line ? xstrdup(c->line + f->rule_col - 1) : lexer_join(c->t, c->i);
	c->i = c->t->n;
	return s;
}

/* nft NODE << native nftables >> */
struct stmt *parse_nft(struct pctx *c)
{
	struct stmt *s = pctx_stmt(c, STMT_NFT);

	if (!pctx_word(c, "node") || parse_node_name(c, c->i - 1, &s->firewall.node) < 0)
		return stmt_fail(s);
	if (!pctx_end(c))
		return stmt_fail(s);
	if (!c->block)
		return perr_free(s, c, 0, "nft needs its rules in a block: nft NODE << ... >>");
	return s;
}

/* nat NODE OUT_IF [preset NAME] [mapping M] [filtering F] [port preserve|random]
 *	[hairpin on|off] [udp-timeout S] [drop-unsolicited on|off] [inside IF] */
struct stmt *parse_nat(struct pctx *c)
{
	struct stmt *s = pctx_stmt(c, STMT_NAT);
	struct stmt_nat *n = &s->nat;
	struct fw_error err = { 0 };
	struct nat_spec spec;
	size_t first;

	if (!pctx_word(c, "node") || parse_node_name(c, c->i - 1, &n->node) < 0)
		return stmt_fail(s);
	if (!pctx_more(c))
		return perr_free(s, c, c->i, "missing the outside interface (nat NODE OUT_IF ...)");
	first = c->i;
	n->argc = (int)(c->t->n - first);
	n->argv = xcalloc((size_t)n->argc + 1, sizeof(*n->argv));
	n->cols = xcalloc((size_t)n->argc, sizeof(*n->cols));
	for (int k = 0; k < n->argc; k++) {
		n->argv[k] = xstrdup(c->t->v[first + (size_t)k].text);
		n->cols[k] = c->t->v[first + (size_t)k].col;
	}
	if (nat_parse((const char *const *)n->argv, n->argc, &spec, &err) < 0) {
		size_t at = err.arg >= 0 ? first + (size_t)err.arg : first;

		return perr_free(s, c, at, "%s", err.msg[0] ? err.msg : "invalid NAT");
	}
	c->i = c->t->n;
	return s;
}

/* conntrack NODE flush */
struct stmt *parse_conntrack(struct pctx *c)
{
	struct stmt *s = pctx_stmt(c, STMT_CONNTRACK);

	if (!pctx_word(c, "node") || parse_node_name(c, c->i - 1, &s->conntrack.node) < 0)
		return stmt_fail(s);
	if (!pctx_accept(c, "flush"))
		return perr_free(s, c, c->i, "conntrack takes 'flush'");
	if (!pctx_end(c))
		return stmt_fail(s);
	return s;
}

/* capture NODE:IF [ring SIZE]: (re)starts the window that `sees`
 * expectations on that interface look at; SIZE is the kernel ring of the
 * capture (the whole run's). */
struct stmt *parse_capture(struct pctx *c)
{
	struct stmt *s = pctx_stmt(c, STMT_CAPTURE);

	if (!pctx_word(c, "NODE:IF") || parse_ifref(c, c->i - 1, &s->conntrack.ref) < 0)
		return stmt_fail(s);
	s->conntrack.node = xstrdup(s->conntrack.ref.node);
	if (pctx_accept(c, "ring")) {
		size_t at = c->i;

		if (!pctx_word(c, "ring size (e.g. 64MiB)") || parse_size(c, at, &s->conntrack.ring) < 0)
			return stmt_fail(s);
		if (s->conntrack.ring < CAPTURE_RING_MIN || s->conntrack.ring > CAPTURE_RING_MAX)
			return perr_free(s, c, at, "ring size must be from 256KiB to 1GiB");
	}
	if (!pctx_end(c))
		return stmt_fail(s);
	return s;
}
