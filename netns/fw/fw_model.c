// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * The ruleset as the kernel has it (committed) plus the changes parsed since
 * the last transaction (ops).  Each op is applied to the model at once, so
 * later lines see earlier ones, and can be undone in reverse order when the
 * kernel refuses the transaction.
 */
#include "netns/fw/fw_model.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netfilter.h>

struct fw_table *fw_table_find(struct fw_ruleset *rs, int family, enum fw_table_kind kind)
{
	struct fw_table *t;

	for (t = rs->first_table; t; t = t->next)
		if (t->family == family && t->kind == kind)
			return t;
	return NULL;
}

struct fw_chain *fw_chain_find(struct fw_table *t, const char *name)
{
	struct fw_chain *c;

	if (!t)
		return NULL;
	for (c = t->first_chain; c; c = c->next)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static struct fw_op *fw_op_new(struct fw_ruleset *rs, enum fw_op_kind kind, unsigned int src_line)
{
	struct fw_op *op = xcalloc(1, sizeof(*op));

	op->kind = kind;
	op->src_line = src_line;
	op->prev = rs->last_op;
	if (rs->last_op)
		rs->last_op->next = op;
	else
		rs->first_op = op;
	rs->last_op = op;
	rs->nops++;
	return op;
}

static void fw_op_unlink(struct fw_ruleset *rs, struct fw_op *op)
{
	if (op->prev)
		op->prev->next = op->next;
	else
		rs->first_op = op->next;
	if (op->next)
		op->next->prev = op->prev;
	else
		rs->last_op = op->prev;
	rs->nops--;
}

struct fw_table *fw_table_get(struct fw_ruleset *rs, int family, enum fw_table_kind kind,
			      unsigned int src_line)
{
	struct fw_table *t = fw_table_find(rs, family, kind);
	struct fw_op *op;

	if (t)
		return t;
	t = xcalloc(1, sizeof(*t));
	op = fw_op_new(rs, FW_OP_ADD_TABLE, src_line);
	t->family = family;
	t->kind = kind;
	op->table = t;
	if (rs->last_table)
		rs->last_table->next = t;
	else
		rs->first_table = t;
	rs->last_table = t;
	return t;
}

struct fw_chain *fw_chain_add(struct fw_ruleset *rs, struct fw_table *t, const char *name,
			      int hook, unsigned int src_line)
{
	struct fw_chain *c = xcalloc(1, sizeof(*c));
	struct fw_op *op = fw_op_new(rs, FW_OP_ADD_CHAIN, src_line);

	c->table = t;
	c->hook = hook;
	c->policy = NF_ACCEPT;
	strncpy(c->name, name, sizeof(c->name) - 1);
	op->table = t;
	op->chain = c;
	if (t->last_chain)
		t->last_chain->next = c;
	else
		t->first_chain = c;
	t->last_chain = c;
	return c;
}

void fw_op_policy(struct fw_ruleset *rs, struct fw_chain *c, uint32_t policy, unsigned int src_line)
{
	struct fw_op *op = fw_op_new(rs, FW_OP_POLICY, src_line);

	op->table = c->table;
	op->chain = c;
	op->old_policy = c->policy;
	op->new_policy = policy;
	c->policy = policy;
}

struct fw_rule *fw_rule_nth(struct fw_chain *c, unsigned int n)
{
	struct fw_rule *r;

	for (r = c->first_rule; r && n > 1; r = r->next)
		n--;
	return n == 1 ? r : NULL;
}

static void fw_rule_link_after(struct fw_chain *c, struct fw_rule *r, struct fw_rule *after)
{
	r->chain = c;
	r->prev = after;
	r->next = after ? after->next : c->first_rule;
	if (r->next)
		r->next->prev = r;
	else
		c->last_rule = r;
	if (after)
		after->next = r;
	else
		c->first_rule = r;
	c->nrules++;
}

static void fw_rule_unlink(struct fw_rule *r)
{
	struct fw_chain *c = r->chain;

	if (r->prev)
		r->prev->next = r->next;
	else
		c->first_rule = r->next;
	if (r->next)
		r->next->prev = r->prev;
	else
		c->last_rule = r->prev;
	c->nrules--;
}

void fw_op_add_rule(struct fw_ruleset *rs, struct fw_chain *c, struct fw_rule *r, unsigned int pos)
{
	struct fw_op *op = fw_op_new(rs, FW_OP_ADD_RULE, r->src_line);
	unsigned int k;

	op->column = r->column;
	op->table = c->table;
	op->chain = c;
	op->rule = r;
	for (k = 0; k < r->nkern; k++) {
		r->handle[k] = 0;
		r->id[k] = ++rs->next_id;
	}
	if (!pos) {
		op->append = true;
		op->after = c->last_rule;
	} else {
		op->after = pos > 1 ? fw_rule_nth(c, pos - 1) : NULL;
	}
	fw_rule_link_after(c, r, op->after);
}

void fw_op_del_rule(struct fw_ruleset *rs, struct fw_rule *r, unsigned int src_line,
		    unsigned int column)
{
	struct fw_op *op = fw_op_new(rs, FW_OP_DEL_RULE, src_line);

	op->column = column;
	op->table = r->chain->table;
	op->chain = r->chain;
	op->rule = r;
	/* Where it goes back if the transaction fails. */
	op->after = r->prev;
	fw_rule_unlink(r);
	r->gone = true;
}

static bool fw_addr_equal(const struct addr *a, const struct addr *b)
{
	return a->family == b->family && a->prefixlen == b->prefixlen &&
	       !memcmp(a->bytes, b->bytes, addr_len(a->family));
}

static bool fw_range_equal(const struct fw_range *a, const struct fw_range *b)
{
	return a->lo == b->lo && a->hi == b->hi;
}

/* iptables -D deletes the first rule with the same matches and target;
 * fields that do not apply are zero in both. */
bool fw_spec_equal(const struct fw_spec *a, const struct fw_spec *b)
{
	unsigned int i;

	if (a->has != b->has || a->inv != b->inv || a->target != b->target)
		return false;
	if (strcmp(a->iif, b->iif) || a->iif_wild != b->iif_wild || strcmp(a->oif, b->oif) ||
	    a->oif_wild != b->oif_wild)
		return false;
	if (!fw_addr_equal(&a->src, &b->src) || !fw_addr_equal(&a->dst, &b->dst))
		return false;
	if (a->proto != b->proto || !fw_range_equal(&a->sport, &b->sport) ||
	    !fw_range_equal(&a->dport, &b->dport) || !fw_range_equal(&a->length, &b->length))
		return false;
	if (a->n_mports != b->n_mports || a->mport_dir != b->mport_dir)
		return false;
	for (i = 0; i < a->n_mports; i++)
		if (!fw_range_equal(&a->mports[i], &b->mports[i]))
			return false;
	if (a->state != b->state || a->ctstate != b->ctstate || a->ctstatus != b->ctstatus || a->mark != b->mark ||
	    a->mark_mask != b->mark_mask || a->icmp_type != b->icmp_type ||
	    a->icmp_code != b->icmp_code || strcmp(a->comment, b->comment))
		return false;
	if (strcmp(a->chain, b->chain) || a->reject_type != b->reject_type ||
	    a->reject_code != b->reject_code || strcmp(a->log_prefix, b->log_prefix) ||
	    a->log_level != b->log_level)
		return false;
	if (a->nat_has != b->nat_has || !fw_addr_equal(&a->nat_min, &b->nat_min) ||
	    !fw_addr_equal(&a->nat_max, &b->nat_max) || a->nat_port_min != b->nat_port_min ||
	    a->nat_port_max != b->nat_port_max || a->nat_flags != b->nat_flags)
		return false;
	return a->mark_keep == b->mark_keep && a->mark_xor == b->mark_xor &&
	       a->connmark_op == b->connmark_op;
}

bool fw_spec_split_mport(const struct fw_spec *s)
{
	return (s->has & FW_M_MPORT) && s->mport_dir == FW_MPORT_ANY && !(s->inv & FW_M_MPORT);
}

static bool fw_spec_split_nocase(const struct fw_spec *s)
{
	uint32_t may = FW_CT_STATES;

	if (!(s->has & FW_M_CTSTATUS) || !(s->inv & FW_M_CTSTATUS))
		return false;
	if (s->has & FW_M_STATE)
		may &= s->inv & FW_M_STATE ? ~s->state : s->state;
	if (s->has & FW_M_CTSTATE)
		may &= s->inv & FW_M_CTSTATE ? ~s->ctstate : s->ctstate;
	return may & FW_CT_NOCONN;
}

unsigned int fw_spec_nkern(const struct fw_spec *s)
{
	return (fw_spec_split_mport(s) ? 2U : 1U) * (fw_spec_split_nocase(s) ? 2U : 1U);
}

struct fw_rule *fw_rule_find(struct fw_chain *c, const struct fw_spec *s)
{
	struct fw_rule *r;

	for (r = c->first_rule; r; r = r->next)
		if (fw_spec_equal(&r->spec, s))
			return r;
	return NULL;
}

void fw_ops_commit(struct fw_ruleset *rs)
{
	struct fw_op *op;

	while ((op = rs->first_op)) {
		switch (op->kind) {
		case FW_OP_ADD_TABLE:
			op->table->committed = true;
			break;
		case FW_OP_ADD_CHAIN:
			op->chain->committed = true;
			break;
		case FW_OP_DEL_RULE:
			free(op->rule);
			break;
		case FW_OP_POLICY:
		case FW_OP_ADD_RULE:
			break;
		}
		fw_op_unlink(rs, op);
		free(op);
	}
	rs->next_id = 0;
}

static void fw_table_unlink(struct fw_ruleset *rs, struct fw_table *t)
{
	struct fw_table **p;

	for (p = &rs->first_table; *p; p = &(*p)->next) {
		if (*p != t)
			continue;
		*p = t->next;
		break;
	}
	rs->last_table = NULL;
	for (t = rs->first_table; t; t = t->next)
		rs->last_table = t;
}

static void fw_chain_unlink(struct fw_chain *c)
{
	struct fw_table *t = c->table;
	struct fw_chain **p, *i;

	for (p = &t->first_chain; *p; p = &(*p)->next) {
		if (*p != c)
			continue;
		*p = c->next;
		break;
	}
	t->last_chain = NULL;
	for (i = t->first_chain; i; i = i->next)
		t->last_chain = i;
}

/* Reverse order: each op sees the model exactly as it left it. */
void fw_ops_undo_to(struct fw_ruleset *rs, struct fw_op *mark)
{
	struct fw_op *op;

	while ((op = rs->last_op) && op != mark) {
		switch (op->kind) {
		case FW_OP_ADD_TABLE:
			fw_table_unlink(rs, op->table);
			free(op->table);
			break;
		case FW_OP_ADD_CHAIN:
			fw_chain_unlink(op->chain);
			free(op->chain);
			break;
		case FW_OP_POLICY:
			op->chain->policy = op->old_policy;
			break;
		case FW_OP_ADD_RULE:
			fw_rule_unlink(op->rule);
			free(op->rule);
			break;
		case FW_OP_DEL_RULE:
			fw_rule_link_after(op->chain, op->rule, op->after);
			op->rule->gone = false;
			break;
		}
		fw_op_unlink(rs, op);
		free(op);
	}
}

void fw_ops_undo(struct fw_ruleset *rs)
{
	fw_ops_undo_to(rs, NULL);
	rs->next_id = 0;
}

struct fw_ruleset *fw_ruleset_new(void)
{
	return xcalloc(1, sizeof(struct fw_ruleset));
}

void fw_discard(struct fw_ruleset *rs)
{
	fw_ops_undo(rs);
	rs->in_section = false;
}

unsigned int fw_pending(const struct fw_ruleset *rs)
{
	return rs->nops;
}

void fw_ruleset_free(struct fw_ruleset *rs)
{
	struct fw_table *t, *tn;
	struct fw_chain *c, *cn;
	struct fw_rule *r, *rn;

	if (!rs)
		return;
	/* Undo frees what pending ops hold (deleted rules), then the model
	 * is only what the kernel has. */
	fw_ops_undo(rs);
	for (t = rs->first_table; t; t = tn) {
		tn = t->next;
		for (c = t->first_chain; c; c = cn) {
			cn = c->next;
			for (r = c->first_rule; r; r = rn) {
				rn = r->next;
				free(r);
			}
			free(c);
		}
		free(t);
	}
	free(rs);
}
