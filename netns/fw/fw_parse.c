// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * iptables lines into the rule model: iptables-save text and single rule
 * commands.  Kernel-free; every error carries the column of the word at
 * fault.
 */
#include "netns/fw/fw_model.h"
#include "netns/fw/fw_error.h"
#include "netns/fw/fw_opts.h"
#include "netns/util/number.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netfilter.h>

#define FW_MAX_TOKENS 128

struct fw_line {
	char *buf;
	struct fw_token tok[FW_MAX_TOKENS];
	size_t n;
};

/* Splits a line into words the way a shell would for these commands:
 * blanks separate, "..." and '...' quote, \ escapes inside "..." and
 * outside quotes, an unquoted # starts a comment. */
static int fw_tokenize(const char *line, struct fw_line *l, struct fw_error *err)
{
	const char *p = line;
	char *out;

	l->n = 0;
	l->buf = xmalloc(strlen(line) + 1);
	out = l->buf;
	for (;;) {
		char quote = 0;
		unsigned int qcol = 0;

		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (!*p || *p == '#')
			break;
		if (l->n == FW_MAX_TOKENS)
			return fw_err(err, (unsigned int)(p - line) + 1, -E2BIG, "too many words");
		l->tok[l->n].s = out;
		l->tok[l->n].col = (unsigned int)(p - line) + 1;
		for (; *p; p++) {
			if (quote) {
				if (*p == quote) {
					quote = 0;
					continue;
				}
				if (quote == '"' && *p == '\\' && (p[1] == '"' || p[1] == '\\'))
					p++;
				*out++ = *p;
				continue;
			}
			if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
				break;
			if (*p == '"' || *p == '\'') {
				quote = *p;
				qcol = (unsigned int)(p - line) + 1;
				continue;
			}
			if (*p == '\\' && p[1])
				p++;
			*out++ = *p;
		}
		if (quote)
			return fw_err(err, qcol, -EINVAL, "unterminated quote");
		*out++ = '\0';
		l->n++;
	}
	return 0;
}

static bool fw_is_counters(const char *s)
{
	unsigned long a, b;
	char c;

	return sscanf(s, "[%lu:%lu%c", &a, &b, &c) == 3 && c == ']' && s[strlen(s) - 1] == ']';
}

static int fw_check_chain_name(const struct fw_token *t, struct fw_error *err)
{
	const char *s = t->s;

	if (!*s || *s == '-' || *s == '!' || strlen(s) >= FW_CHAIN_NAMESIZ)
		return fw_err(err, t->col, -EINVAL, "bad chain name '%s'", s);
	for (; *s; s++)
		if (*s == ' ' || *s == '\t' || *s == '"' || *s == '\'')
			return fw_err(err, t->col, -EINVAL, "bad chain name '%s'", t->s);
	return 0;
}

static int fw_policy_parse(const struct fw_token *t, uint32_t *ret, struct fw_error *err)
{
	if (!strcmp(t->s, "ACCEPT"))
		*ret = NF_ACCEPT;
	else if (!strcmp(t->s, "DROP"))
		*ret = NF_DROP;
	else
		return fw_err(err, t->col, -EINVAL, "bad policy '%s' (ACCEPT or DROP)", t->s);
	return 0;
}

/* The chain a rule command names: built-in chains appear on first use. */
static struct fw_chain *fw_chain_lookup(struct fw_ruleset *rs, int family,
					enum fw_table_kind kind, const struct fw_token *t,
					bool create, unsigned int src_line, struct fw_error *err)
{
	int hook = fw_hook_parse(t->s);
	struct fw_table *tab = fw_table_find(rs, family, kind);
	struct fw_chain *c = fw_chain_find(tab, t->s);

	if (c)
		return c;
	if (hook == FW_HOOK_USER) {
		fw_err(err, t->col, -ENOENT, "chain '%s' does not exist in table %s", t->s,
		       fw_table_names[kind]);
		return NULL;
	}
	if (!fw_hook_valid(kind, hook)) {
		fw_err(err, t->col, -EINVAL, "table %s has no chain %s", fw_table_names[kind], t->s);
		return NULL;
	}
	if (!create)
		return NULL;
	tab = fw_table_get(rs, family, kind, src_line);
	return fw_chain_add(rs, tab, t->s, hook, src_line);
}

/* `:NAME POLICY [p:b]` of iptables-save. */
static int fw_parse_declare(struct fw_ruleset *rs, int family, enum fw_table_kind kind,
			    struct fw_line *l, unsigned int src_line, struct fw_error *err)
{
	struct fw_token name = { l->tok[0].s + 1, l->tok[0].col + 1 };
	int hook = fw_hook_parse(name.s);
	struct fw_chain *c;
	uint32_t policy;
	int ret;

	if (l->n < 2 || l->n > 3 || (l->n == 3 && !fw_is_counters(l->tok[2].s)))
		return fw_err(err, l->tok[0].col, -EINVAL, "expected ':CHAIN POLICY [packets:bytes]'");
	ret = fw_check_chain_name(&name, err);
	if (ret)
		return ret;
	if (hook == FW_HOOK_USER) {
		if (strcmp(l->tok[1].s, "-"))
			return fw_err(err, l->tok[1].col, -EINVAL, "a user chain's policy is '-'");
		if (fw_chain_find(fw_table_find(rs, family, kind), name.s))
			return 0;
		fw_chain_add(rs, fw_table_get(rs, family, kind, src_line), name.s, FW_HOOK_USER, src_line);
		return 0;
	}
	ret = fw_policy_parse(&l->tok[1], &policy, err);
	if (ret)
		return ret;
	c = fw_chain_lookup(rs, family, kind, &name, true, src_line, err);
	if (!c)
		return err->err;
	if (c->policy != policy)
		fw_op_policy(rs, c, policy, src_line);
	return 0;
}

struct fw_cmd {
	char letter;			/* A I D P N */
	const struct fw_token *tok;	/* the command word */
	const struct fw_token *chain;
	const struct fw_token *arg;	/* -P's policy, -I/-D's number */
	uint32_t num;
};

static const struct {
	const char *s, *l;
	char letter;
} fw_cmds[] = {
	{ "-A", "--append", 'A' }, { "-I", "--insert", 'I' }, { "-D", "--delete", 'D' },
	{ "-P", "--policy", 'P' }, { "-N", "--new-chain", 'N' },
	/* Known, not supported: named in the error. */
	{ "-F", "--flush", 0 }, { "-X", "--delete-chain", 0 }, { "-Z", "--zero", 0 },
	{ "-L", "--list", 0 }, { "-S", "--list-rules", 0 }, { "-R", "--replace", 0 },
	{ "-E", "--rename-chain", 0 }, { "-C", "--check", 0 },
};

static bool fw_is_number(const char *s, uint32_t *ret)
{
	const char *why;

	return number_u32(s, 0, 0, 0xffffff, ret, &why) == 0;
}

static struct fw_rule *fw_rule_parse(int family, enum fw_table_kind kind, int hook,
				     struct fw_table *tab, struct fw_cmd *cmd,
				     const struct fw_token *rest, size_t nrest, unsigned int src_line,
				     struct fw_addr_pick *pick, struct fw_error *err)
{
	struct fw_rule *r = xcalloc(1, sizeof(*r));

	r->src_line = src_line;
	r->column = cmd->tok->col;
	if (fw_opts_parse(&r->spec, family, kind, hook, tab, rest, nrest, pick, err)) {
		free(r);
		return NULL;
	}
	r->nkern = fw_spec_nkern(&r->spec);
	return r;
}

/* A rule with lists of addresses (-s a,b -d c,d) is one rule per pair, in
 * iptables' order (each source with each destination): -A appends them in
 * that order, -I n inserts each at n (as iptables does, so they end up in
 * the reverse order), -D deletes one rule for each, or none when one of
 * them is missing. */
static int fw_run_rule(struct fw_ruleset *rs, int family, enum fw_table_kind kind,
		       struct fw_cmd *cmd, const struct fw_token *rest, size_t nrest,
		       unsigned int src_line, struct fw_error *err)
{
	struct fw_table *tab = fw_table_find(rs, family, kind);
	int hook = fw_hook_parse(cmd->chain->s);
	struct fw_addr_pick pick = { .nsrc = 1, .ndst = 1 };
	struct fw_rule **rules = NULL, *first, *old;
	struct fw_op *mark = rs->last_op;
	struct fw_chain *c;
	size_t n = 0, k;
	int ret = 0;

	if (cmd->letter == 'D' && cmd->arg) {
		if (nrest)
			return fw_err(err, rest[0].col, -EINVAL, "unexpected '%s' after a rule number",
				      rest[0].s);
		c = fw_chain_lookup(rs, family, kind, cmd->chain, false, src_line, err);
		old = c ? fw_rule_nth(c, cmd->num) : NULL;
		if (!old)
			return err->err ? err->err :
			       fw_err(err, cmd->arg->col, -ENOENT, "no rule %u in chain %s",
				      cmd->num, cmd->chain->s);
		fw_op_del_rule(rs, old, src_line, cmd->tok->col);
		return 0;
	}
	/* The first pair tells how many there are. */
	first = fw_rule_parse(family, kind, hook, tab, cmd, rest, nrest, src_line, &pick, err);
	if (!first)
		return err->err;
	n = (size_t)pick.nsrc * pick.ndst;
	rules = xcalloc(n, sizeof(*rules));
	rules[0] = first;
	for (k = 1; k < n; k++) {
		pick.src = (unsigned int)(k / pick.ndst);
		pick.dst = (unsigned int)(k % pick.ndst);
		rules[k] = fw_rule_parse(family, kind, hook, tab, cmd, rest, nrest, src_line, &pick, err);
		if (!rules[k]) {
			ret = err->err;
			goto cleanup;
		}
	}
	if (cmd->letter == 'D') {
		c = fw_chain_lookup(rs, family, kind, cmd->chain, false, src_line, err);
		for (k = 0; k < n; k++) {
			old = c ? fw_rule_find(c, &rules[k]->spec) : NULL;
			if (!old) {
				fw_ops_undo_to(rs, mark);
				ret = err->err ? err->err :
				      fw_err(err, cmd->tok->col, -ENOENT, "no matching rule in chain %s",
					     cmd->chain->s);
				goto cleanup;
			}
			fw_op_del_rule(rs, old, src_line, cmd->tok->col);
		}
		goto cleanup;
	}
	if (cmd->letter == 'I') {
		c = fw_chain_find(tab, cmd->chain->s);
		if (cmd->num < 1 || cmd->num > (c ? c->nrules : 0) + 1) {
			ret = fw_err(err, cmd->arg->col, -EINVAL, "index of insertion too big");
			goto cleanup;
		}
	}
	c = fw_chain_lookup(rs, family, kind, cmd->chain, true, src_line, err);
	if (!c) {
		ret = err->err;
		goto cleanup;
	}
	for (k = 0; k < n; k++) {
		fw_op_add_rule(rs, c, rules[k], cmd->letter == 'I' ? cmd->num : 0);
		rules[k] = NULL;
	}
cleanup:
	for (k = 0; k < n; k++)
		free(rules[k]);
	free(rules);
	return ret;
}

static int fw_run_cmd(struct fw_ruleset *rs, int family, enum fw_table_kind kind,
		      struct fw_cmd *cmd, const struct fw_token *rest, size_t nrest,
		      unsigned int src_line, struct fw_error *err)
{
	int hook = fw_hook_parse(cmd->chain->s);
	struct fw_table *tab;
	struct fw_chain *c;
	uint32_t policy;
	int ret;

	ret = fw_check_chain_name(cmd->chain, err);
	if (ret)
		return ret;
	if (cmd->letter != 'P' && cmd->letter != 'N')
		return fw_run_rule(rs, family, kind, cmd, rest, nrest, src_line, err);
	if (nrest)
		return fw_err(err, rest[0].col, -EINVAL, "unexpected '%s'", rest[0].s);
	if (cmd->letter == 'P') {
		if (hook == FW_HOOK_USER)
			return fw_err(err, cmd->chain->col, -EINVAL,
				      "-P needs a built-in chain, not '%s'", cmd->chain->s);
		ret = fw_policy_parse(cmd->arg, &policy, err);
		if (ret)
			return ret;
		/* As iptables; iptables-restore's ":CHAIN DROP" in *nat is
		 * taken, as iptables-nft-restore takes it. */
		if (policy == NF_DROP && kind == FW_TABLE_NAT)
			return fw_err(err, cmd->arg->col, -EINVAL, FW_NAT_DROP_MSG);
		c = fw_chain_lookup(rs, family, kind, cmd->chain, true, src_line, err);
		if (!c)
			return err->err;
		if (c->policy != policy)
			fw_op_policy(rs, c, policy, src_line);
		return 0;
	}
	if (hook != FW_HOOK_USER)
		return fw_err(err, cmd->chain->col, -EEXIST, "'%s' is a built-in chain",
			      cmd->chain->s);
	if (fw_chain_find(fw_table_find(rs, family, kind), cmd->chain->s))
		return fw_err(err, cmd->chain->col, -EEXIST, "chain '%s' already exists",
			      cmd->chain->s);
	tab = fw_table_get(rs, family, kind, src_line);
	fw_chain_add(rs, tab, cmd->chain->s, FW_HOOK_USER, src_line);
	return 0;
}

/* Picks -t and the command out of the words; the rest are matches and the
 * target. */
static int fw_parse_words(struct fw_ruleset *rs, int family, struct fw_line *l, size_t i,
			  unsigned int src_line, struct fw_error *err)
{
	struct fw_token rest[FW_MAX_TOKENS];
	const struct fw_token *table_tok = NULL;
	struct fw_cmd cmd = { 0 };
	size_t nrest = 0, k;
	int kind;

	for (; i < l->n; i++) {
		const struct fw_token *t = &l->tok[i];

		if (!strcmp(t->s, "-t") || !strcmp(t->s, "--table")) {
			if (table_tok)
				return fw_err(err, t->col, -EINVAL, "option '-t' given twice");
			if (++i == l->n)
				return fw_err(err, t->col, -EINVAL, "option '-t' needs an argument");
			table_tok = &l->tok[i];
			continue;
		}
		for (k = 0; k < sizeof(fw_cmds) / sizeof(fw_cmds[0]); k++)
			if (!strcmp(t->s, fw_cmds[k].s) || !strcmp(t->s, fw_cmds[k].l))
				break;
		if (k == sizeof(fw_cmds) / sizeof(fw_cmds[0])) {
			rest[nrest++] = *t;
			continue;
		}
		if (!fw_cmds[k].letter)
			return fw_err(err, t->col, -EOPNOTSUPP, "unsupported command '%s'", t->s);
		if (cmd.tok)
			return fw_err(err, t->col, -EINVAL, "more than one command ('%s' and '%s')",
				      cmd.tok->s, t->s);
		if (i + 1 == l->n)
			return fw_err(err, t->col, -EINVAL, "'%s' needs a chain name", t->s);
		cmd.letter = fw_cmds[k].letter;
		cmd.tok = t;
		cmd.chain = &l->tok[++i];
		if (cmd.letter == 'P') {
			if (i + 1 == l->n)
				return fw_err(err, t->col, -EINVAL, "'-P' needs a policy");
			cmd.arg = &l->tok[++i];
		} else if ((cmd.letter == 'I' || cmd.letter == 'D') && i + 1 < l->n &&
			   fw_is_number(l->tok[i + 1].s, &cmd.num)) {
			cmd.arg = &l->tok[++i];
			if (!cmd.num)
				return fw_err(err, cmd.arg->col, -EINVAL, "rule numbers start at 1");
		} else if (cmd.letter == 'I') {
			cmd.num = 1;
		}
	}
	if (!cmd.tok)
		return fw_err(err, l->tok[0].col, -EINVAL,
			      "no command (-A, -I, -D, -P or -N) in '%s'", l->tok[0].s);
	if (cmd.letter == 'I' && !cmd.arg)
		cmd.arg = cmd.chain;
	kind = rs->in_section ? (int)rs->section_table : FW_TABLE_FILTER;
	if (table_tok) {
		kind = fw_table_parse(table_tok->s);
		if (kind < 0)
			return fw_err(err, table_tok->col, -EINVAL, "unknown table '%s'", table_tok->s);
		if (rs->in_section && kind != (int)rs->section_table)
			return fw_err(err, table_tok->col, -EINVAL,
				      "'-t %s' inside the *%s section", table_tok->s,
				      fw_table_names[rs->section_table]);
	}
	return fw_run_cmd(rs, family, (enum fw_table_kind)kind, &cmd, rest, nrest, src_line, err);
}

int fw_parse_line(struct fw_ruleset *rs, int family, const char *line, unsigned int src_line,
		  struct fw_error *err)
{
	struct fw_error dummy;
	struct fw_line l = { 0 };
	size_t i = 0;
	int kind, ret;

	if (!err)
		err = &dummy;
	memset(err, 0, sizeof(*err));
	err->line = src_line;
	err->arg = -1;
	if (family != AF_INET && family != AF_INET6)
		return fw_err(err, 0, -EAFNOSUPPORT, "unknown address family");
	ret = fw_tokenize(line, &l, err);
	if (ret || !l.n)
		goto out;
	if (l.tok[0].s[0] == '*') {
		if (l.n > 1) {
			ret = fw_err(err, l.tok[1].col, -EINVAL, "unexpected '%s'", l.tok[1].s);
			goto out;
		}
		if (rs->in_section) {
			ret = fw_err(err, l.tok[0].col, -EINVAL, "COMMIT missing for *%s (line %u)",
				     fw_table_names[rs->section_table], rs->section_line);
			goto out;
		}
		kind = fw_table_parse(l.tok[0].s + 1);
		if (kind < 0) {
			ret = fw_err(err, l.tok[0].col + 1, -EINVAL, "unknown table '%s'",
				     l.tok[0].s + 1);
			goto out;
		}
		rs->in_section = true;
		rs->section_table = (enum fw_table_kind)kind;
		rs->section_family = family;
		rs->section_line = src_line;
		goto out;
	}
	if (!strcmp(l.tok[0].s, "COMMIT")) {
		if (!rs->in_section)
			ret = fw_err(err, l.tok[0].col, -EINVAL, "COMMIT without a *table line");
		else if (l.n > 1)
			ret = fw_err(err, l.tok[1].col, -EINVAL, "unexpected '%s'", l.tok[1].s);
		else
			rs->in_section = false;
		goto out;
	}
	if (l.tok[0].s[0] == ':') {
		if (!rs->in_section)
			ret = fw_err(err, l.tok[0].col, -EINVAL, "'%s' outside a *table section",
				     l.tok[0].s);
		else
			ret = fw_parse_declare(rs, rs->section_family, rs->section_table, &l,
					       src_line, err);
		goto out;
	}
	if (fw_is_counters(l.tok[0].s))
		i++;
	if (i < l.n && !strcmp(l.tok[i].s, "iptables")) {
		family = AF_INET;
		i++;
	} else if (i < l.n && !strcmp(l.tok[i].s, "ip6tables")) {
		family = AF_INET6;
		i++;
	} else if (rs->in_section) {
		family = rs->section_family;
	}
	if (i == l.n) {
		ret = fw_err(err, l.tok[i - 1].col, -EINVAL, "no command after '%s'", l.tok[i - 1].s);
		goto out;
	}
	ret = fw_parse_words(rs, family, &l, i, src_line, err);
out:
	free(l.buf);
	if (!ret) {
		memset(err, 0, sizeof(*err));
		err->arg = -1;
	}
	return ret;
}

int fw_parse_finish(struct fw_ruleset *rs, struct fw_error *err)
{
	unsigned int line = rs->section_line;

	if (err) {
		memset(err, 0, sizeof(*err));
		err->arg = -1;
	}
	if (!rs->in_section)
		return 0;
	rs->in_section = false;
	if (err)
		err->line = line;
	return fw_err(err, 1, -EINVAL, "COMMIT missing for *%s", fw_table_names[rs->section_table]);
}
