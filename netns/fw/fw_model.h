/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_FW_MODEL_H
#define NETNS_FW_MODEL_H

/*
 * The rule model shared by the parser (fw_parse.c, fw_opts.c, fw_values.c),
 * the transaction builder (fw_nft.c, fw_expr.c, fw_batch.c), fw_apply.c and
 * the unit tests: tables, chains and rules as the kernel has them, plus the
 * pending changes (ops).  Not part of the API.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>
#include <linux/netfilter/nf_conntrack_common.h>

#include "netns/addr.h"
#include "netns/fw/fw.h"
#include "netns/fw/fw_hooks.h"

#define FW_CHAIN_NAMESIZ 29	/* iptables' limit: 28 characters */
#define FW_COMMENT_LEN 256
#define FW_LOG_PREFIX_LEN 30	/* 29 bytes: iptables cuts a longer one there */
#define FW_MPORT_MAX 15
#define FW_KRULES_MAX 4
/* iptables' refusal of -j DROP and -P ... DROP in the nat table. */
#define FW_NAT_DROP_MSG \
	"the nat table is not intended for filtering, the use of DROP is therefore inhibited"

/* Matches (fw_spec.has / .inv). */
enum {
	FW_M_IIF = 1U << 0,
	FW_M_OIF = 1U << 1,
	FW_M_SRC = 1U << 2,
	FW_M_DST = 1U << 3,
	FW_M_PROTO = 1U << 4,
	FW_M_SPORT = 1U << 5,
	FW_M_DPORT = 1U << 6,
	FW_M_MPORT = 1U << 7,
	FW_M_CTSTATE = 1U << 8,
	FW_M_CTSTATUS = 1U << 9,
	FW_M_LENGTH = 1U << 10,
	FW_M_MARK = 1U << 11,
	FW_M_ICMP = 1U << 12,
	FW_M_COMMENT = 1U << 13,
	FW_M_STATE = 1U << 14,		/* -m state, apart from -m conntrack's */
};

/* The states of -m state / --ctstate a packet may be in (NF_CT_STATE_*
 * bits); INVALID and UNTRACKED are those of a packet without a connection. */
#define FW_CT_NOCONN (NF_CT_STATE_INVALID_BIT | NF_CT_STATE_UNTRACKED_BIT)
#define FW_CT_STATES (FW_CT_NOCONN | NF_CT_STATE_BIT(IP_CT_ESTABLISHED) | \
		      NF_CT_STATE_BIT(IP_CT_RELATED) | NF_CT_STATE_BIT(IP_CT_NEW))

enum fw_mport_dir { FW_MPORT_SRC, FW_MPORT_DST, FW_MPORT_ANY };

enum fw_target {
	FW_T_NONE,		/* no -j: the rule only counts */
	FW_T_ACCEPT, FW_T_DROP, FW_T_RETURN, FW_T_JUMP, FW_T_GOTO,
	FW_T_REJECT, FW_T_LOG, FW_T_MASQUERADE, FW_T_SNAT, FW_T_DNAT,
	FW_T_MARK, FW_T_CONNMARK,
};

enum fw_connmark_op { FW_CONNMARK_SET, FW_CONNMARK_SAVE, FW_CONNMARK_RESTORE };

enum {
	FW_NAT_ADDR = 1U << 0,	/* an address (range) was given */
	FW_NAT_PORT = 1U << 1,	/* a port (range) was given */
};

struct fw_range {
	uint32_t lo, hi;
};

struct fw_spec {
	unsigned int has;		/* FW_M_* */
	unsigned int inv;		/* FW_M_* given with '!' */
	char iif[IF_NAMESIZE], oif[IF_NAMESIZE];	/* without a trailing '+' */
	bool iif_wild, oif_wild;
	struct addr src, dst;
	uint8_t proto;
	struct fw_range sport, dport, length;
	struct fw_range mports[FW_MPORT_MAX];
	unsigned int n_mports;
	enum fw_mport_dir mport_dir;
	uint32_t state;			/* -m state --state: NF_CT_STATE_* bits */
	uint32_t ctstate;		/* -m conntrack --ctstate: NF_CT_STATE_* bits */
	uint32_t ctstatus;		/* --ctstate SNAT / DNAT: IPS_SRC_NAT / IPS_DST_NAT */
	uint32_t mark, mark_mask;
	int icmp_type, icmp_code;	/* code -1: any */
	char comment[FW_COMMENT_LEN];

	enum fw_target target;
	char chain[FW_CHAIN_NAMESIZ];	/* JUMP, GOTO */
	uint32_t reject_type, reject_code;	/* NFT_REJECT_*, ICMP code */
	char log_prefix[FW_LOG_PREFIX_LEN];
	uint32_t log_level;
	unsigned int nat_has;		/* FW_NAT_* */
	struct addr nat_min, nat_max;
	uint16_t nat_port_min, nat_port_max;
	uint32_t nat_flags;		/* NF_NAT_RANGE_PROTO_RANDOM*, _PERSISTENT */
	/* MARK and CONNMARK --set-*: new = (old & keep) ^ xor */
	uint32_t mark_keep, mark_xor;
	enum fw_connmark_op connmark_op;
};

struct fw_table;
struct fw_chain;

struct fw_rule {
	struct fw_rule *prev, *next;
	struct fw_chain *chain;
	unsigned int src_line, column;
	struct fw_spec spec;
	/* A rule is one kernel rule or a few exclusive ones: see
	 * fw_spec_nkern(). */
	unsigned int nkern;
	uint64_t handle[FW_KRULES_MAX];	/* 0 until the kernel has it */
	uint32_t id[FW_KRULES_MAX];	/* NFTA_RULE_ID while pending */
	bool gone;			/* deleted by a pending op */
};

struct fw_chain {
	struct fw_chain *next;
	struct fw_table *table;
	char name[FW_CHAIN_NAMESIZ];
	int hook;			/* enum fw_hook, FW_HOOK_USER */
	uint32_t policy;		/* NF_ACCEPT or NF_DROP (base chains) */
	bool committed;			/* exists in the kernel */
	struct fw_rule *first_rule, *last_rule;
	unsigned int nrules;
};

struct fw_table {
	struct fw_table *next;
	int family;			/* AF_INET, AF_INET6 */
	enum fw_table_kind kind;
	bool committed;
	struct fw_chain *first_chain, *last_chain;
};

enum fw_op_kind { FW_OP_ADD_TABLE, FW_OP_ADD_CHAIN, FW_OP_POLICY, FW_OP_ADD_RULE, FW_OP_DEL_RULE };

/* One pending change, undone in reverse order when the kernel refuses the
 * transaction. */
struct fw_op {
	struct fw_op *next, *prev;
	enum fw_op_kind kind;
	unsigned int src_line, column;
	struct fw_table *table;
	struct fw_chain *chain;
	struct fw_rule *rule;		/* ADD_RULE; DEL_RULE (owned while unlinked) */
	struct fw_rule *after;		/* ADD_RULE: NULL = at the start */
	bool append;			/* ADD_RULE: at the end */
	uint32_t old_policy;		/* POLICY */
	uint32_t new_policy;
};

struct fw_ruleset {
	struct fw_table *first_table, *last_table;
	struct fw_op *first_op, *last_op;
	unsigned int nops;
	uint32_t next_id;		/* rule and set ids of the pending batch */
	/* `*table` ... COMMIT */
	bool in_section;
	int section_family;
	enum fw_table_kind section_table;
	unsigned int section_line;
};

struct fw_table *fw_table_find(struct fw_ruleset *rs, int family, enum fw_table_kind kind);
struct fw_chain *fw_chain_find(struct fw_table *t, const char *name);
/* Both record FW_OP_ADD_* ops. */
struct fw_table *fw_table_get(struct fw_ruleset *rs, int family, enum fw_table_kind kind,
			      unsigned int src_line);
struct fw_chain *fw_chain_add(struct fw_ruleset *rs, struct fw_table *t, const char *name,
			      int hook, unsigned int src_line);
void fw_op_policy(struct fw_ruleset *rs, struct fw_chain *c, uint32_t policy, unsigned int src_line);
/* Takes ownership of r.  pos: 0 = append, n >= 1 = insert as rule n. */
void fw_op_add_rule(struct fw_ruleset *rs, struct fw_chain *c, struct fw_rule *r, unsigned int pos);
void fw_op_del_rule(struct fw_ruleset *rs, struct fw_rule *r, unsigned int src_line,
		    unsigned int column);
struct fw_rule *fw_rule_nth(struct fw_chain *c, unsigned int n);
struct fw_rule *fw_rule_find(struct fw_chain *c, const struct fw_spec *s);
bool fw_spec_equal(const struct fw_spec *a, const struct fw_spec *b);
/*
 * The kernel rules of a rule, exclusive (a packet takes the target at
 * most once): multiport --ports is two, "sport in S" and "sport not in S,
 * dport in S" (bit 0 of k); '! --ctstate SNAT/DNAT' is two when a packet
 * without a connection (invalid, untracked) may pass the rule's state
 * matches, since xt_conntrack matches such a packet and nftables' "ct
 * status" stops the rule on it: "ct status & S == 0" and "ct state
 * invalid,untracked" (the next bit of k).
 */
bool fw_spec_split_mport(const struct fw_spec *s);
unsigned int fw_spec_nkern(const struct fw_spec *s);
/* After a successful transaction: the pending state becomes known state. */
void fw_ops_commit(struct fw_ruleset *rs);
void fw_ops_undo(struct fw_ruleset *rs);
/* Undoes the ops after mark (the last op before a line's; NULL: all). */
void fw_ops_undo_to(struct fw_ruleset *rs, struct fw_op *mark);

#endif
