/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_LANG_PARSE_VALUE_H
#define LAB_LANG_PARSE_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netns/util/name.h"

struct addr;
struct ifref;
struct pctx;

/* The values statements are made of, read from word i of the line: 0, or
 * -EINVAL (-ERANGE out of range) with an error at that word.  Numbers are
 * read by netns/util/number.h: decimal, no leading zero; parse_u32_hex()
 * also takes 0x hex (marks, masks).  Durations and rates need a unit. */
int parse_u32(struct pctx *c, size_t i, uint32_t min, uint32_t max, uint32_t *ret);
int parse_u32_hex(struct pctx *c, size_t i, uint32_t min, uint32_t max, uint32_t *ret);
/* "2s", "500ms", "1.5s", "1m". */
int parse_duration_ms(struct pctx *c, size_t i, unsigned int *ret);
/* "100mbit", "1gbit", "56kbit"; also "bit/s" forms. */
int parse_rate(struct pctx *c, size_t i, uint64_t *ret);
/* Bytes: 1000, 64K, 64KiB, 64KB, 2M, 2MiB, 2MB. */
int parse_size(struct pctx *c, size_t i, uint64_t *ret);
/* A NODE name (name_valid() of netns/util/name.h). */
int parse_node_name(struct pctx *c, size_t i, char **ret);
/* NODE:IF. */
int parse_ifref(struct pctx *c, size_t i, struct ifref *ret);
bool ifname_valid(const char *s, const char **why);
/* A host name as DNS has them (RFC 1123): labels of 1 to 63 letters,
 * digits and '-' (neither first nor last), joined by '.', at most 253
 * bytes, and not an address. */
bool host_name_valid(const char *h);
/* A destination: an address (into *ret), a NODE (ret_ref->node, ifname
 * empty) or NODE:IF (into *ret_ref), which the validator resolves
 * (lab/lang/resolve.h). */
int parse_dest(struct pctx *c, size_t i, struct addr *ret, struct ifref *ret_ref);
/* An address, with prefix when flags ask (ADDR_PARSE_*). */
int parse_addr(struct pctx *c, size_t i, unsigned int flags, struct addr *ret);
/* "ADDR:PORT", "[V6]:PORT"; port "*" = any (ret_port 0, *ret_any). */
int parse_addr_port(struct pctx *c, size_t i, bool allow_wild, struct addr *ret, uint16_t *ret_port,
		    bool *ret_any_port);

#endif
