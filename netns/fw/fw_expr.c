// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * A rule's matches and target as nftables expressions, the way
 * iptables-nft writes them (native expressions, no xtables compat): meta,
 * payload, cmp, bitwise, range, ct, a lookup in an anonymous interval set
 * for multiport, counter, then the target.  Registers are NFT_REG_1..4.
 */
#include "netns/fw/fw_expr.h"
#include "netns/fw/fw_batch.h"
#include "netns/fw/fw_model.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libmnl/libmnl.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>

/* nftables' datatype number for inet_service (ports), as nft uses it. */
#define FW_TYPE_INET_SERVICE 13

/* The rule the expressions go into. */
struct fw_rb {
	struct nftnl_rule *r;
};

/* Every name used here is one of libnftnl's built-in expressions, so a NULL
 * from nftnl_expr_alloc() means out of memory. */
static struct nftnl_expr *fw_expr(const char *name)
{
	return xcheck(nftnl_expr_alloc(name));
}

static void fw_add(struct fw_rb *rb, struct nftnl_expr *e)
{
	nftnl_rule_add_expr(rb->r, e);
}

static void fw_meta(struct fw_rb *rb, uint32_t key, bool set)
{
	struct nftnl_expr *e = fw_expr("meta");

	nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, key);
	nftnl_expr_set_u32(e, set ? NFTNL_EXPR_META_SREG : NFTNL_EXPR_META_DREG, NFT_REG_1);
	fw_add(rb, e);
}

static void fw_ct(struct fw_rb *rb, uint32_t key, bool set)
{
	struct nftnl_expr *e = fw_expr("ct");

	nftnl_expr_set_u32(e, NFTNL_EXPR_CT_KEY, key);
	nftnl_expr_set_u32(e, set ? NFTNL_EXPR_CT_SREG : NFTNL_EXPR_CT_DREG, NFT_REG_1);
	fw_add(rb, e);
}

static void fw_payload(struct fw_rb *rb, uint32_t base, uint32_t off, uint32_t len)
{
	struct nftnl_expr *e = fw_expr("payload");

	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, base);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, off);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, len);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, NFT_REG_1);
	fw_add(rb, e);
}

static void fw_cmp(struct fw_rb *rb, bool neq, const void *data, uint32_t len)
{
	struct nftnl_expr *e = fw_expr("cmp");

	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, neq ? NFT_CMP_NEQ : NFT_CMP_EQ);
	nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, data, len);
	fw_add(rb, e);
}

static void fw_bitwise(struct fw_rb *rb, const void *mask, const void *xor, uint32_t len)
{
	struct nftnl_expr *e = fw_expr("bitwise");

	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, len);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_MASK, mask, len);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_XOR, xor, len);
	fw_add(rb, e);
}

static void fw_range(struct fw_rb *rb, bool neq, const void *from, const void *to, uint32_t len)
{
	struct nftnl_expr *e = fw_expr("range");

	nftnl_expr_set_u32(e, NFTNL_EXPR_RANGE_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_RANGE_OP, neq ? NFT_RANGE_NEQ : NFT_RANGE_EQ);
	nftnl_expr_set(e, NFTNL_EXPR_RANGE_FROM_DATA, from, len);
	nftnl_expr_set(e, NFTNL_EXPR_RANGE_TO_DATA, to, len);
	fw_add(rb, e);
}

static void fw_imm(struct fw_rb *rb, uint32_t reg, const void *data, uint32_t len)
{
	struct nftnl_expr *e = fw_expr("immediate");

	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, reg);
	nftnl_expr_set(e, NFTNL_EXPR_IMM_DATA, data, len);
	fw_add(rb, e);
}

static void fw_verdict(struct fw_rb *rb, int verdict, const char *chain)
{
	struct nftnl_expr *e = fw_expr("immediate");

	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, (uint32_t)verdict);
	if (chain)
		nftnl_expr_set_str(e, NFTNL_EXPR_IMM_CHAIN, chain);
	fw_add(rb, e);
}

/* A value in host order compared as a range: nft_range compares bytes, so
 * convert the register to network order first. */
static void fw_host_range(struct fw_rb *rb, bool neq, uint32_t lo, uint32_t hi)
{
	struct nftnl_expr *e = fw_expr("byteorder");
	uint32_t blo = htonl(lo), bhi = htonl(hi);

	nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_DREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_OP, NFT_BYTEORDER_HTON);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_LEN, 4);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_SIZE, 4);
	fw_add(rb, e);
	fw_range(rb, neq, &blo, &bhi, 4);
}

static void fw_match_ifname(struct fw_rb *rb, uint32_t key, const char *name, bool wild, bool neq)
{
	char buf[IF_NAMESIZE] = { 0 };
	size_t len = strlen(name);

	/* "+" alone matches every interface. */
	if (wild && !len)
		return;
	memcpy(buf, name, len);
	fw_meta(rb, key, false);
	fw_cmp(rb, neq, buf, wild ? (uint32_t)len : IF_NAMESIZE);
}

static void fw_match_addr(struct fw_rb *rb, const struct addr *a, bool dst, bool neq)
{
	uint32_t len = (uint32_t)addr_len(a->family);
	uint32_t off = a->family == AF_INET ? (dst ? 16 : 12) : (dst ? 24 : 8);
	uint8_t mask[16] = { 0 }, zero[16] = { 0 };
	unsigned int i;

	if (!a->prefixlen && !neq)
		return;
	fw_payload(rb, NFT_PAYLOAD_NETWORK_HEADER, off, len);
	if (a->prefixlen < len * 8) {
		for (i = 0; i < a->prefixlen; i++)
			mask[i / 8] |= (uint8_t)(0x80 >> (i % 8));
		fw_bitwise(rb, mask, zero, len);
	}
	fw_cmp(rb, neq, a->bytes, len);
}

static void fw_match_port(struct fw_rb *rb, uint32_t off, const struct fw_range *r, bool neq)
{
	uint16_t lo = htons((uint16_t)r->lo), hi = htons((uint16_t)r->hi);

	fw_payload(rb, NFT_PAYLOAD_TRANSPORT_HEADER, off, 2);
	if (r->lo == r->hi)
		fw_cmp(rb, neq, &lo, 2);
	else
		fw_range(rb, neq, &lo, &hi, 2);
}

static void fw_match_bits(struct fw_rb *rb, uint32_t ctkey, uint32_t bits, bool inv)
{
	uint32_t zero = 0;

	fw_ct(rb, ctkey, false);
	fw_bitwise(rb, &bits, &zero, 4);
	/* Any of the bits: != 0; inverted: none of them. */
	fw_cmp(rb, !inv, &zero, 4);
}

static int fw_range_cmp(const void *a, const void *b)
{
	const struct fw_range *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static void fw_elem(struct nftnl_set *s, uint32_t port, bool end)
{
	struct nftnl_set_elem *e = xcheck(nftnl_set_elem_alloc());
	uint16_t key = htons((uint16_t)port);

	nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY, &key, sizeof(key));
	if (end)
		nftnl_set_elem_set_u32(e, NFTNL_SET_ELEM_FLAGS, NFT_SET_ELEM_INTERVAL_END);
	nftnl_set_elem_add(s, e);
}

/* An anonymous interval set of the multiport ports, sent before the rule
 * that binds it (by id) in the same transaction.  Elements as nft sends
 * them: an interval end at 0 unless the first range starts there, then
 * start / end+1 pairs of the merged, sorted ranges. */
static int fw_put_set(struct fw_build *fb, struct fw_op *op, unsigned int k, uint32_t *ret_id)
{
	const struct fw_spec *sp = &op->rule->spec;
	struct fw_range r[FW_MPORT_MAX];
	struct nftnl_set *s;
	struct nlmsghdr *nlh;
	char table[64];
	unsigned int i, n = 0;
	int ret;

	memcpy(r, sp->mports, sp->n_mports * sizeof(r[0]));
	qsort(r, sp->n_mports, sizeof(r[0]), fw_range_cmp);
	for (i = 0; i < sp->n_mports; i++) {
		if (n && r[i].lo <= r[n - 1].hi + 1) {
			if (r[i].hi > r[n - 1].hi)
				r[n - 1].hi = r[i].hi;
			continue;
		}
		r[n++] = r[i];
	}
	fw_table_name(op->table, table, sizeof(table));
	s = xcheck(nftnl_set_alloc());
	*ret_id = ++fb->set_id;
	nftnl_set_set_str(s, NFTNL_SET_TABLE, table);
	nftnl_set_set_str(s, NFTNL_SET_NAME, "__set%d");
	nftnl_set_set_u32(s, NFTNL_SET_ID, *ret_id);
	nftnl_set_set_u32(s, NFTNL_SET_FLAGS, NFT_SET_ANONYMOUS | NFT_SET_CONSTANT | NFT_SET_INTERVAL);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_TYPE, FW_TYPE_INET_SERVICE);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_LEN, 2);
	nlh = fw_msg_hdr(fb, NFT_MSG_NEWSET, op->table->family, NLM_F_CREATE);
	nftnl_set_nlmsg_build_payload(nlh, s);
	ret = fw_batch_append(fb, nlh, op, k);
	if (ret)
		goto cleanup;
	if (r[0].lo)
		fw_elem(s, 0, true);
	for (i = 0; i < n; i++) {
		fw_elem(s, r[i].lo, false);
		if (r[i].hi < UINT16_MAX)
			fw_elem(s, r[i].hi + 1, true);
	}
	nlh = fw_msg_hdr(fb, NFT_MSG_NEWSETELEM, op->table->family, NLM_F_CREATE);
	nftnl_set_elems_nlmsg_build_payload(nlh, s);
	ret = fw_batch_append(fb, nlh, op, k);
cleanup:
	nftnl_set_free(s);
	return ret;
}

static void fw_lookup(struct fw_rb *rb, uint32_t set_id, bool inv)
{
	struct nftnl_expr *e = fw_expr("lookup");

	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SREG, NFT_REG_1);
	nftnl_expr_set_str(e, NFTNL_EXPR_LOOKUP_SET, "__set%d");
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SET_ID, set_id);
	if (inv)
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_FLAGS, NFT_LOOKUP_F_INV);
	fw_add(rb, e);
}

/* Port lookups of multiport.  --ports a,b is "sport in S or dport in S":
 * kernel rule 0 is "sport in S", rule 1 (mk) "sport not in S, dport in S",
 * so a packet takes the target at most once. */
static int fw_match_mports(struct fw_build *fb, struct fw_rb *rb, struct fw_op *op, unsigned int k,
			   unsigned int mk)
{
	const struct fw_spec *sp = &op->rule->spec;
	bool inv = sp->inv & FW_M_MPORT;
	uint32_t id;
	int ret;

	if (sp->mport_dir != FW_MPORT_DST) {
		ret = fw_put_set(fb, op, k, &id);
		if (ret)
			return ret;
		fw_payload(rb, NFT_PAYLOAD_TRANSPORT_HEADER, 0, 2);
		fw_lookup(rb, id, inv || (sp->mport_dir == FW_MPORT_ANY && mk == 1));
	}
	if (sp->mport_dir == FW_MPORT_DST || (sp->mport_dir == FW_MPORT_ANY && (inv || mk == 1))) {
		ret = fw_put_set(fb, op, k, &id);
		if (ret)
			return ret;
		fw_payload(rb, NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2);
		fw_lookup(rb, id, inv);
	}
	return 0;
}

static void fw_set_mark(struct fw_rb *rb, bool ct, uint32_t keep, uint32_t xor)
{
	if (!keep) {
		fw_imm(rb, NFT_REG_1, &xor, 4);
	} else {
		if (ct)
			fw_ct(rb, NFT_CT_MARK, false);
		else
			fw_meta(rb, NFT_META_MARK, false);
		fw_bitwise(rb, &keep, &xor, 4);
	}
	if (ct)
		fw_ct(rb, NFT_CT_MARK, true);
	else
		fw_meta(rb, NFT_META_MARK, true);
}

static void fw_target(struct fw_rb *rb, const struct fw_spec *sp, int family)
{
	uint32_t alen = (uint32_t)addr_len(family);
	uint16_t pmin = htons(sp->nat_port_min), pmax = htons(sp->nat_port_max);
	bool addr_range = memcmp(sp->nat_min.bytes, sp->nat_max.bytes, alen) != 0;
	struct nftnl_expr *e;

	switch (sp->target) {
	case FW_T_NONE:
		break;
	case FW_T_ACCEPT:
		fw_verdict(rb, NF_ACCEPT, NULL);
		break;
	case FW_T_DROP:
		fw_verdict(rb, NF_DROP, NULL);
		break;
	case FW_T_RETURN:
		fw_verdict(rb, NFT_RETURN, NULL);
		break;
	case FW_T_JUMP:
	case FW_T_GOTO:
		fw_verdict(rb, sp->target == FW_T_JUMP ? NFT_JUMP : NFT_GOTO, sp->chain);
		break;
	case FW_T_REJECT:
		e = fw_expr("reject");
		nftnl_expr_set_u32(e, NFTNL_EXPR_REJECT_TYPE, sp->reject_type);
		nftnl_expr_set_u8(e, NFTNL_EXPR_REJECT_CODE, (uint8_t)sp->reject_code);
		fw_add(rb, e);
		break;
	case FW_T_LOG:
		e = fw_expr("log");
		if (sp->log_prefix[0])
			nftnl_expr_set_str(e, NFTNL_EXPR_LOG_PREFIX, sp->log_prefix);
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOG_LEVEL, sp->log_level);
		fw_add(rb, e);
		break;
	case FW_T_MASQUERADE:
		/* A max register only for a real range: the kernel takes
		 * max = min without one, and nft lists it as nft writes it. */
		if (sp->nat_has & FW_NAT_PORT) {
			fw_imm(rb, NFT_REG_1, &pmin, 2);
			if (pmin != pmax)
				fw_imm(rb, NFT_REG_2, &pmax, 2);
		}
		e = fw_expr("masq");
		if (sp->nat_flags)
			nftnl_expr_set_u32(e, NFTNL_EXPR_MASQ_FLAGS, sp->nat_flags);
		if (sp->nat_has & FW_NAT_PORT) {
			nftnl_expr_set_u32(e, NFTNL_EXPR_MASQ_REG_PROTO_MIN, NFT_REG_1);
			if (pmin != pmax)
				nftnl_expr_set_u32(e, NFTNL_EXPR_MASQ_REG_PROTO_MAX, NFT_REG_2);
		}
		fw_add(rb, e);
		break;
	case FW_T_SNAT:
	case FW_T_DNAT:
		if (sp->nat_has & FW_NAT_ADDR) {
			fw_imm(rb, NFT_REG_1, sp->nat_min.bytes, alen);
			if (addr_range)
				fw_imm(rb, NFT_REG_2, sp->nat_max.bytes, alen);
		}
		if (sp->nat_has & FW_NAT_PORT) {
			fw_imm(rb, NFT_REG_3, &pmin, 2);
			if (pmin != pmax)
				fw_imm(rb, NFT_REG_4, &pmax, 2);
		}
		e = fw_expr("nat");
		nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_TYPE,
				   sp->target == FW_T_SNAT ? NFT_NAT_SNAT : NFT_NAT_DNAT);
		nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_FAMILY,
				   family == AF_INET ? NFPROTO_IPV4 : NFPROTO_IPV6);
		if (sp->nat_has & FW_NAT_ADDR) {
			nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_REG_ADDR_MIN, NFT_REG_1);
			if (addr_range)
				nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_REG_ADDR_MAX, NFT_REG_2);
		}
		if (sp->nat_has & FW_NAT_PORT) {
			nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_REG_PROTO_MIN, NFT_REG_3);
			if (pmin != pmax)
				nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_REG_PROTO_MAX, NFT_REG_4);
		}
		if (sp->nat_flags)
			nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_FLAGS, sp->nat_flags);
		fw_add(rb, e);
		break;
	case FW_T_MARK:
		fw_set_mark(rb, false, sp->mark_keep, sp->mark_xor);
		break;
	case FW_T_CONNMARK:
		if (sp->connmark_op == FW_CONNMARK_SET) {
			fw_set_mark(rb, true, sp->mark_keep, sp->mark_xor);
		} else if (sp->connmark_op == FW_CONNMARK_SAVE) {
			fw_meta(rb, NFT_META_MARK, false);
			fw_ct(rb, NFT_CT_MARK, true);
		} else {
			fw_ct(rb, NFT_CT_MARK, false);
			fw_meta(rb, NFT_META_MARK, true);
		}
		break;
	}
}

int fw_rule_exprs(struct fw_build *fb, struct nftnl_rule *r, struct fw_op *op, unsigned int k)
{
	struct fw_rb rbuf = { .r = r }, *rb = &rbuf;
	const struct fw_spec *sp = &op->rule->spec;
	int family = op->table->family;
	bool split = fw_spec_split_mport(sp);
	unsigned int mk = split ? k & 1 : 0, ck = split ? k >> 1 : k;
	uint8_t icmp[2];
	uint32_t v;
	int ret;

	if (sp->has & FW_M_IIF)
		fw_match_ifname(rb, NFT_META_IIFNAME, sp->iif, sp->iif_wild, sp->inv & FW_M_IIF);
	if (sp->has & FW_M_OIF)
		fw_match_ifname(rb, NFT_META_OIFNAME, sp->oif, sp->oif_wild, sp->inv & FW_M_OIF);
	if (sp->has & FW_M_SRC)
		fw_match_addr(rb, &sp->src, false, sp->inv & FW_M_SRC);
	if (sp->has & FW_M_DST)
		fw_match_addr(rb, &sp->dst, true, sp->inv & FW_M_DST);
	if (sp->has & FW_M_PROTO) {
		fw_meta(rb, NFT_META_L4PROTO, false);
		fw_cmp(rb, sp->inv & FW_M_PROTO, &sp->proto, 1);
	}
	if (sp->has & FW_M_SPORT)
		fw_match_port(rb, 0, &sp->sport, sp->inv & FW_M_SPORT);
	if (sp->has & FW_M_DPORT)
		fw_match_port(rb, 2, &sp->dport, sp->inv & FW_M_DPORT);
	if (sp->has & FW_M_MPORT) {
		ret = fw_match_mports(fb, rb, op, k, mk);
		if (ret)
			return ret;
	}
	if ((sp->has & FW_M_ICMP) && sp->icmp_type < 0) {
		/* ! --icmp-type any: no type is outside 0-255. */
		icmp[0] = 0;
		icmp[1] = 255;
		fw_payload(rb, NFT_PAYLOAD_TRANSPORT_HEADER, 0, 1);
		fw_range(rb, true, &icmp[0], &icmp[1], 1);
	} else if (sp->has & FW_M_ICMP) {
		icmp[0] = (uint8_t)sp->icmp_type;
		icmp[1] = (uint8_t)sp->icmp_code;
		fw_payload(rb, NFT_PAYLOAD_TRANSPORT_HEADER, 0, sp->icmp_code >= 0 ? 2 : 1);
		fw_cmp(rb, sp->inv & FW_M_ICMP, icmp, sp->icmp_code >= 0 ? 2 : 1);
	}
	if (sp->has & FW_M_STATE)
		fw_match_bits(rb, NFT_CT_STATE, sp->state, sp->inv & FW_M_STATE);
	if (sp->has & FW_M_CTSTATE)
		fw_match_bits(rb, NFT_CT_STATE, sp->ctstate, sp->inv & FW_M_CTSTATE);
	/* xt_conntrack's '! --ctstate DNAT' holds for a packet without a
	 * connection, on which "ct status" stops the rule: the second kernel
	 * rule (ck) takes those packets. */
	if ((sp->has & FW_M_CTSTATUS) && ck == 1)
		fw_match_bits(rb, NFT_CT_STATE, FW_CT_NOCONN, false);
	else if (sp->has & FW_M_CTSTATUS)
		fw_match_bits(rb, NFT_CT_STATUS, sp->ctstatus, sp->inv & FW_M_CTSTATUS);
	if (sp->has & FW_M_LENGTH) {
		fw_meta(rb, NFT_META_LEN, false);
		v = sp->length.lo;
		if (sp->length.lo == sp->length.hi)
			fw_cmp(rb, sp->inv & FW_M_LENGTH, &v, 4);
		else
			fw_host_range(rb, sp->inv & FW_M_LENGTH, sp->length.lo, sp->length.hi);
	}
	if (sp->has & FW_M_MARK) {
		fw_meta(rb, NFT_META_MARK, false);
		if (sp->mark_mask != 0xffffffff) {
			v = 0;
			fw_bitwise(rb, &sp->mark_mask, &v, 4);
		}
		fw_cmp(rb, sp->inv & FW_M_MARK, &sp->mark, 4);
	}
	fw_add(rb, fw_expr("counter"));
	fw_target(rb, sp, family);
	return 0;
}

