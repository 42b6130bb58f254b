/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_LANG_PARSE_ICMPERR_H
#define LAB_LANG_PARSE_ICMPERR_H

#include "lab/lang/model.h"

struct pctx;

/* `expect NODE icmp-error ADDR TYPE [from ROUTER] [icmp|tcp PORT|udp PORT]`
 * (EXPECT_ICMPERR): probes as e->reach says; ext holds what must come
 * back.  type indexes icmperr_type_names, in the order of
 * assertions/icmperr.h's enum. */
struct expect_icmperr {
	unsigned int type;
	struct addr from;		/* family 0: any router */
};

extern const char *const icmperr_type_names[];

int parse_icmperr(struct pctx *c, struct stmt_expect *e);

#endif
