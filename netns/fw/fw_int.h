/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_FW_INT_H
#define NETNS_FW_INT_H

/*
 * The rule model shared by fw_parse.c, fw_opts.c, fw_model.c, fw_nft.c and
 * fw_apply.c (and the unit tests).  Not part of the API.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>

#include "netns/addr.h"
#include "netns/fw/fw.h"

enum fw_table_kind { FW_TABLE_FILTER, FW_TABLE_NAT, FW_TABLE_MANGLE, FW_TABLE_RAW, FW_TABLE_MAX };
enum fw_hook { FW_HOOK_PREROUTING, FW_HOOK_INPUT, FW_HOOK_FORWARD, FW_HOOK_OUTPUT,
	       FW_HOOK_POSTROUTING, FW_HOOK_MAX, FW_HOOK_USER = -1 };

#define FW_CHAIN_NAMESIZ 29	/* iptables' limit: 28 characters */
#define FW_COMMENT_LEN 256
#define FW_LOG_PREFIX_LEN 30	/* 29 characters, as iptables */
#define FW_MPORT_MAX 15
#define FW_KRULES_MAX 2

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
};

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
	uint32_t ctstate;		/* NF_CT_STATE_* bits */
	uint32_t ctstatus;		/* IPS_SRC_NAT / IPS_DST_NAT */
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
	/* A rule is one kernel rule, or two for multiport --ports (the source
	 * and the destination port tried in two exclusive rules). */
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

/* fw_model.c */
extern const char *const fw_table_names[FW_TABLE_MAX];
extern const char *const fw_hook_names[FW_HOOK_MAX];
int fw_table_parse(const char *name);
int fw_hook_parse(const char *name);
bool fw_hook_valid(enum fw_table_kind t, int hook);
/* nftables hook number, priority and chain type of a built-in chain. */
void fw_hook_info(enum fw_table_kind t, int hook, unsigned int *hooknum, int *prio,
		  const char **type);
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
/* After a successful transaction: the pending state becomes known state. */
void fw_ops_commit(struct fw_ruleset *rs);
void fw_ops_undo(struct fw_ruleset *rs);

/* fw_parse.c / fw_opts.c */
struct fw_token {
	char *s;
	unsigned int col;
};
int fw_err(struct fw_error *err, unsigned int col, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Parses the match and target options of tok[0..n) into s; table and hook
 * (FW_HOOK_USER for user chains) give the context. */
int fw_opts_parse(struct fw_spec *s, int family, enum fw_table_kind table, int hook,
		  struct fw_table *t, const struct fw_token *tok, size_t n, struct fw_error *err);

/* fw_values.c: option values; 0 or -EINVAL (-EAFNOSUPPORT for an
 * address of the other family, -E2BIG for too many ports). */
int fw_val_uint(const char *s, unsigned long max, uint32_t *ret);
int fw_val_mark(const char *s, uint32_t *value, uint32_t *mask, bool *has_mask);
/* "a", "a:b", ":b", "a:" with sep ':' (matches) or "a-b" with '-' (NAT);
 * ports by number or service name. */
int fw_val_range(const char *s, char sep, uint8_t proto, bool ports, struct fw_range *ret);
int fw_val_cidr(const char *s, int family, struct addr *ret);
int fw_val_ifname(const char *s, char *name, bool *wild);
int fw_val_icmp(const char *s, bool v6, int *type, int *code);
int fw_val_nat_to(const char *s, int family, struct fw_spec *sp);
int fw_val_mports(const char *s, uint8_t proto, struct fw_spec *sp);
int fw_val_proto(const char *s, uint8_t *ret);
int fw_val_states(const char *s, bool status_ok, uint32_t *state, uint32_t *status);
int fw_val_reject(const char *s, int family, uint32_t *type, uint32_t *code);
int fw_val_log_level(const char *s, uint32_t *ret);

/* fw_nft.c: the transaction as bytes, kernel-free. */
struct fw_batch_msg {
	uint32_t seq;
	uint16_t type;			/* NFT_MSG_* */
	struct fw_op *op;
	unsigned int krule;		/* which kernel rule of op->rule */
};

struct fw_batch {
	char *buf;
	size_t len, cap;
	uint32_t seq_begin, seq_end;	/* the BEGIN and END messages */
	struct fw_batch_msg *msgs;	/* between BEGIN and END, in order */
	size_t nmsgs;
};

struct nlmsghdr;
struct nftnl_rule;

/* A batch being built: messages are written one at a time into scratch
 * (2x the largest message allowed) and appended to b. */
struct fw_build {
	struct fw_batch *b;
	char *scratch;
	uint32_t seq;
	uint32_t set_id;
};

int fw_batch_append(struct fw_build *fb, struct nlmsghdr *nlh, struct fw_op *op,
		    unsigned int krule);
/* Starts a message in fb->scratch with the next seq and NLM_F_ACK. */
struct nlmsghdr *fw_msg_hdr(struct fw_build *fb, uint16_t type, int family, uint16_t flags);
void fw_table_name(const struct fw_table *t, char *buf, size_t len);
/* fw_expr.c: the expressions of kernel rule k of op's rule into r; the
 * anonymous sets it needs are appended to the batch first. */
int fw_rule_exprs(struct fw_build *fb, struct nftnl_rule *r, struct fw_op *op, unsigned int k);

/* Builds BEGIN, one or more messages per pending op, END; seqs start at
 * seq.  0 or -errno. */
int fw_batch_build(struct fw_ruleset *rs, uint32_t seq, struct fw_batch **ret);
void fw_batch_free(struct fw_batch *b);
const struct fw_batch_msg *fw_batch_lookup(const struct fw_batch *b, uint32_t seq);
/* Fills ret for a refusal of message seq (kernel errno and extack). */
void fw_batch_error(const struct fw_batch *b, uint32_t seq, int error, const char *extack,
		    struct fw_error *ret);

/* fw_apply.c: what the replies to a batch say. */
struct fw_replies {
	bool done;			/* the last message's ACK, or a batch-wide error */
	uint32_t err_seq;		/* first refused message (or seq_begin) */
	int error;			/* its -errno, 0: none */
	char extack[FW_MSG_LEN];
};
/* Processes one receive buffer of replies to b: ACKs, errors, and the
 * echoed NEWRULE messages that carry the new rules' handles. */
int fw_replies_process(struct fw_batch *b, const void *buf, size_t len, uint32_t portid,
		       struct fw_replies *st);

#endif
