// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* `expect NODE icmp-error ADDR TYPE [from ROUTER] [...]`: which ICMP error
 * comes back, and from which router. */
#include "lab/lang/lexer.h"
#include "lab/lang/parse_expect_opts.h"
#include "lab/lang/parse_icmperr.h"
#include "lab/lang/parse_value.h"
#include "lab/lang/pctx.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char *const icmperr_type_names[] = {
	"unreachable", "net-unreachable", "host-unreachable", "port-unreachable",
	"admin-prohibited", "frag-needed", "time-exceeded", NULL,
};

static void icmperr_ext_free(void *p)
{
	free(p);
}

int parse_icmperr(struct pctx *c, struct stmt_expect *e)
{
	struct expect_icmperr *x = xcalloc(1, sizeof(*x));
	struct expect_reach *r = &e->reach;
	const char *w;
	int taken;
	size_t k;

	e->ext = x;
	e->ext_free = icmperr_ext_free;
	r->proto = REACH_ICMP;
	if (!pctx_word(c, "destination address") || parse_addr(c, c->i - 1, 0, &r->dst) < 0)
		return -EINVAL;
	w = pctx_word(c, "an ICMP error (unreachable, net-unreachable, host-unreachable, port-unreachable, admin-prohibited, frag-needed, time-exceeded)");
	if (!w)
		return -EINVAL;
	for (k = 0; icmperr_type_names[k] && strcmp(icmperr_type_names[k], w); k++)
		;
	if (!icmperr_type_names[k]) {
		perr(c, c->i - 1, "unknown ICMP error '%s' (unreachable, net-unreachable, host-unreachable, port-unreachable, admin-prohibited, frag-needed, time-exceeded)", w);
		return -EINVAL;
	}
	x->type = (unsigned int)k;
	while (pctx_more(c)) {
		size_t at = c->i;

		if (pctx_accept(c, "from")) {
			if (!pctx_word(c, "router address") || parse_addr(c, at + 1, 0, &x->from) < 0)
				return -EINVAL;
		} else if (pctx_accept(c, "icmp")) {
			r->proto = REACH_ICMP;
		} else if ((taken = parse_port_proto(c, r)) != 0) {
			if (taken < 0)
				return -EINVAL;
		} else if (pctx_accept(c, "size")) {
			if (!pctx_word(c, "size") || parse_u32(c, at + 1, 0, 65000, &r->size) < 0)
				return -EINVAL;
			r->df = true;
		} else if (parse_wait_opt(c, e, "from ROUTER, icmp, tcp PORT, udp PORT, size N, within D") < 0) {
			return -EINVAL;
		}
	}
	return 0;
}
