// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* Questions about a ruleset that the lab asks without the kernel. */
#include "netns/fw/fw.h"
#include "netns/fw/fw_model.h"

#include <stdbool.h>

/* A match holds when it is absent, or its test gives what '!' asks. */
static bool fw_may(const struct fw_spec *s, unsigned int m, bool test)
{
	return !(s->has & m) || test != !!(s->inv & m);
}

static bool fw_in(const struct fw_range *r, uint16_t port)
{
	return r->lo <= port && port <= r->hi;
}

static bool fw_mports_in(const struct fw_spec *s, uint16_t port)
{
	/* --sports says nothing of the destination; --ports may match
	 * either port, and a source port can be anything. */
	if (s->mport_dir != FW_MPORT_DST)
		return !(s->inv & FW_M_MPORT);
	for (unsigned int i = 0; i < s->n_mports; i++)
		if (fw_in(&s->mports[i], port))
			return true;
	return false;
}

static bool fw_rule_dnats(const struct fw_rule *r, uint8_t proto, const struct addr *dst, uint16_t port)
{
	const struct fw_spec *s = &r->spec;

	if (s->target != FW_T_DNAT)
		return false;
	if (!fw_may(s, FW_M_PROTO, s->proto == proto) || !fw_may(s, FW_M_DPORT, fw_in(&s->dport, port)))
		return false;
	if (!fw_may(s, FW_M_DST, addr_contains(&s->dst, dst)))
		return false;
	return fw_may(s, FW_M_MPORT, fw_mports_in(s, port));
}

static bool fw_in_nat(const struct fw_table *t, const struct addr *dst)
{
	return t->kind == FW_TABLE_NAT && t->family == dst->family;
}

int fw_dnat_line(const struct fw_ruleset *rs, uint8_t proto, const struct addr *dst, uint16_t port)
{
	for (const struct fw_table *t = rs ? rs->first_table : NULL; t; t = t->next) {
		if (!fw_in_nat(t, dst))
			continue;
		for (const struct fw_chain *c = t->first_chain; c; c = c->next)
			for (const struct fw_rule *r = c->first_rule; r; r = r->next)
				if (fw_rule_dnats(r, proto, dst, port))
					return (int)r->src_line;
	}
	/* Rules a pending -D took out of their chain. */
	for (const struct fw_op *op = rs ? rs->first_op : NULL; op; op = op->next)
		if (op->kind == FW_OP_DEL_RULE && fw_in_nat(op->table, dst) &&
		    fw_rule_dnats(op->rule, proto, dst, port))
			return (int)op->rule->src_line;
	return 0;
}
