/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_MUTATE_MUTANT_H
#define LAB_MUTATE_MUTANT_H

#include <stdbool.h>
#include <stddef.h>

struct diags;
struct lab;
struct stmt;

/*
 * The mutants of a scenario file (wglab mutate): each a copy of the file's
 * text with one unit taken out or changed, line numbers kept (a removed
 * line stays as an empty one).  Units: every statement but expectations
 * (with its block), every line of a firewall, nft, wg-quick or run block
 * that has more than one, and cheap operators on those lines: ACCEPT <->
 * DROP (an iptables rule's -j target; accept <-> drop in nft; never the
 * label), a port off by one (ListenPort, Endpoint, listen-port, endpoint,
 * --dport, dport), a PublicKey of another peer.  Units are source lines:
 * a `for` line gets one set of mutants for all it expands to.
 * Twins and the statements only twins add are left out of every mutant
 * (mutants run the scenario itself).  Pure: no kernel, no files.
 *
 * A unit kept on purpose is marked by a comment on the line above it:
 *     # mutate-keep: REASON
 * (inside a block too); REASON is required.
 */

struct mutant {
	unsigned int line, last;	/* the lines changed (1-based, inclusive) */
	char *replace;			/* new text of `line`, or NULL: lines removed */
	char *what;			/* "remove statement", "ACCEPT -> DROP", ... */
	char *orig;			/* the first line as written, trimmed */
	char *keep;			/* the marker's reason, or NULL */
};

struct mutants {
	struct mutant *v;
	size_t n;
	char *base;			/* the file without twins (what the unmutated run runs) */
	size_t base_len;
};

/* The mutants of src (the text of file, parsed as lab).  0, or -EINVAL
 * with positioned errors in d (a marker without a reason). */
int mutate_plan(const char *file, const char *src, size_t len, const struct lab *lab, struct mutants *ret,
		struct diags *d);
/* The text of mutant m (malloc'd, NUL-terminated; its length in *ret_len). */
char *mutate_apply(const struct mutants *ms, const struct mutant *m, size_t *ret_len);
void mutate_free(struct mutants *ms);

#endif
