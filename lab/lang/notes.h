/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_LANG_NOTES_H
#define LAB_LANG_NOTES_H

#include <stdbool.h>
#include <stddef.h>

struct diags;
struct lab;
struct lab_names;
struct stmt;

/*
 * Remarks on a valid scenario: what it does that a reader may not expect,
 * with nothing wrong to refuse.  `wglab check` prints them, a run gives
 * them as notes.  For now one: a `nat` device is IPv4 only (a `table ip`),
 * so on an outside interface the scenario gives an IPv6 address, IPv6
 * passes it neither translated nor filtered.
 */

/* The note on s (a STMT_NAT) in buf: true when there is one. */
bool lab_nat_ipv6_note(const struct lab_names *names, const struct stmt *s, char *buf, size_t len);

/* Every note of lab, each at its statement, into ret; how many. */
size_t lab_notes(const struct lab *lab, struct diags *ret);

#endif
