// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* Options shared by the expectations' parsers. */
#include "lab/lang/lexer.h"
#include "lab/lang/model.h"
#include "lab/lang/parse_expect_opts.h"
#include "lab/lang/parse_value.h"
#include "lab/lang/pctx.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

/* The option at c->i when no kind-specific one matched: `within D` (or
 * `for D`), which every expectation takes, else an unknown option; KNOWN
 * lists what the kind takes. */
int parse_wait_opt(struct pctx *c, struct stmt_expect *e, const char *known)
{
	size_t at = c->i;

	if (!pctx_accept(c, "within") && !pctx_accept(c, "for")) {
		perr(c, at, "unknown option '%s' (%s)", c->t->v[at].text, known);
		return -EINVAL;
	}
	if (!pctx_word(c, "duration"))
		return -EINVAL;
	return parse_duration_ms(c, c->i - 1, &e->wait_ms);
}

int parse_port_proto(struct pctx *c, struct expect_reach *r)
{
	size_t at = c->i;
	uint32_t port;

	if (!pctx_accept(c, "tcp") && !pctx_accept(c, "udp"))
		return 0;
	r->proto = !strcmp(c->t->v[at].text, "tcp") ? REACH_TCP : REACH_UDP;
	if (!pctx_word(c, "port") || parse_u32(c, at + 1, 1, UINT16_MAX, &port) < 0)
		return -EINVAL;
	r->port = (uint16_t)port;
	return 1;
}

int parse_wg_peer(struct pctx *c, struct stmt_expect *e)
{
	const char *w = pctx_word(c, "peer (NODE:IF or its public key)");

	if (!w)
		return -EINVAL;
	if (strchr(w, ':'))
		return parse_ifref(c, c->i - 1, &e->wg.peer);
	if (wgkey_from_base64(e->wg.key, w) < 0) {
		perr(c, c->i - 1, "'%s' is neither NODE:IF nor a public key", w);
		return -EINVAL;
	}
	return 0;
}
