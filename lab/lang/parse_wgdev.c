// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* `expect NODE:IF device ...` and `expect NODE:IF allowed-ips PEER is ...`:
 * a WireGuard interface's configuration as `wg show` prints it. */
#include "lab/lang/lexer.h"
#include "lab/lang/parse_expect_opts.h"
#include "lab/lang/parse_value.h"
#include "lab/lang/parse_wgdev.h"
#include "lab/lang/pctx.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void wgdev_ext_free(void *p)
{
	struct expect_wgdevice *x = p;

	if (x)
		free(x->allowed.v);
	free(x);
}

static struct expect_wgdevice *wgdev_ext(struct stmt_expect *e)
{
	if (!e->ext) {
		e->ext = xcalloc(1, sizeof(struct expect_wgdevice));
		e->ext_free = wgdev_ext_free;
	}
	return e->ext;
}

int parse_wgdevice(struct pctx *c, struct stmt_expect *e)
{
	struct expect_wgdevice *x = wgdev_ext(e);

	while (pctx_more(c)) {
		size_t at = c->i;
		uint32_t v;

		if (pctx_accept(c, "listen-port")) {
			if (!pctx_word(c, "port") || parse_u32(c, at + 1, 0, UINT16_MAX, &v) < 0)
				return -EINVAL;
			x->listen_port = (uint16_t)v;
			x->flags |= WGCONF_WANT_PORT;
		} else if (pctx_accept(c, "fwmark")) {
			if (!pctx_word(c, "fwmark (N, 0xN or off)"))
				return -EINVAL;
			if (!strcmp(c->t->v[at + 1].text, "off"))
				v = 0;
			else if (parse_u32_hex(c, at + 1, 0, UINT32_MAX, &v) < 0)
				return -EINVAL;
			x->fwmark = v;
			x->flags |= WGCONF_WANT_FWMARK;
		} else if (pctx_accept(c, "peers")) {
			if (!pctx_word(c, "count") || parse_u32(c, at + 1, 0, 1000000, &v) < 0)
				return -EINVAL;
			x->peers = v;
			x->flags |= WGCONF_WANT_PEERS;
		} else if (parse_wait_opt(c, e, "listen-port P, fwmark M|off, peers N, within D") < 0) {
			return -EINVAL;
		}
	}
	if (!x->flags) {
		perr(c, c->i, "say what: listen-port P, fwmark M|off and/or peers N");
		return -EINVAL;
	}
	return 0;
}

int parse_allowed_ips(struct pctx *c, struct stmt_expect *e)
{
	struct expect_wgdevice *x = wgdev_ext(e);
	const char *w;
	char *list, *tok, *save = NULL;
	size_t at;
	int err = 0;

	if (parse_wg_peer(c, e) < 0)
		return -EINVAL;
	if (!pctx_accept(c, "is")) {
		perr(c, c->i, "missing 'is PREFIX[,PREFIX...]' (or none)");
		return -EINVAL;
	}
	w = pctx_word(c, "PREFIX[,PREFIX...] or none");
	if (!w)
		return -EINVAL;
	at = c->i - 1;
	x->flags |= WGCONF_WANT_ALLOWED;
	if (strcmp(w, "none")) {
		list = xstrdup(w);
		for (tok = strtok_r(list, ",", &save); tok && !err; tok = strtok_r(NULL, ",", &save)) {
			struct addr a;

			if (addr_parse(tok, ADDR_PARSE_PREFIX, &a) < 0) {
				perr(c, at, "'%s' is not an address or prefix", tok);
				err = -EINVAL;
			} else {
				addr_list_push(&x->allowed, &a);
			}
		}
		free(list);
		if (err < 0)
			return err;
	}
	return pctx_more(c) ? parse_wait_opt(c, e, "within D") : 0;
}
