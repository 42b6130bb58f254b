// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* WireGuard statements: wireguard, peer, wg-quick. */
#include "lab/lang/parse_wg.h"
#include "lab/lang/diag.h"
#include "lab/lang/lexer.h"
#include "lab/lang/model.h"
#include "lab/lang/parse_value.h"
#include "lab/lang/pctx.h"
#include "netns/wg/wgconf.h"
#include "netns/util/xalloc.h"
#include "netns/wg/wgconf_parse.h"
#include "netns/wg/wgconf_value.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A wgconf value parser's error, at word i (its offset into the word). */
static int wg_err(struct pctx *c, size_t i, const struct wgconf_error *e)
{
	struct loc l = pctx_loc(c, i);

	if (e->column > 1)
		l.col += e->column - 1;
	diag_add(c->d, &l, "%s", e->message);
	return -EINVAL;
}

/* wireguard NODE:IF [address A[,A]]... [listen-port P] [private-key generate|KEY|file PATH]
 *	[mtu M] [fwmark F] [table T|off|auto] [created-in NODE] */
struct stmt *parse_wireguard(struct pctx *c)
{
	struct stmt *s = pctx_stmt(c, STMT_WIREGUARD);
	struct stmt_wireguard *w = &s->wireguard;
	struct wgconf_error e = { 0 };

	w->conf = wgconf_device_new();
	if (!pctx_word(c, "NODE:IF") || parse_ifref(c, c->i - 1, &w->ref) < 0)
		return stmt_fail(s);
	while (pctx_more(c)) {
		size_t at = c->i, v = at + 1;

		if (pctx_accept(c, "address")) {
			if (!pctx_word(c, "address"))
				return stmt_fail(s);
			if (wgconf_parse_addresses(w->conf, c->t->v[v].text, &e) < 0)
				return wg_err(c, v, &e), stmt_fail(s);
			w->set |= WGSET_ADDRESS;
		} else if (pctx_accept(c, "listen-port")) {
			if (!pctx_word(c, "port") ||
			    wgconf_parse_port(c->t->v[v].text, &w->conf->listen_port, &e) < 0)
				return e.message[0] ? (wg_err(c, v, &e), stmt_fail(s)) : stmt_fail(s);
			w->conf->flags |= WGCONF_DEV_HAS_LISTEN_PORT;
			w->set |= WGSET_PORT;
		} else if (pctx_accept(c, "private-key")) {
			const char *k = pctx_word(c, "generate, a base64 key, or file PATH");
			uint8_t key[WGKEY_LEN];
			char *ref = NULL;

			if (!k)
				return stmt_fail(s);
			w->set |= WGSET_KEY;
			if (!strcmp(k, "generate")) {
				w->key_src = WGKEY_SRC_GENERATE;
			} else if (!strcmp(k, "file")) {
				if (!pctx_word(c, "key file"))
					return stmt_fail(s);
				w->key_src = WGKEY_SRC_FILE;
				free(w->key_file);
				w->key_file = xstrdup(c->t->v[c->i - 1].text);
			} else {
				if (wgconf_parse_key(k, key, &ref, &e) < 0)
					return wg_err(c, v, &e), stmt_fail(s);
				if (ref) {
					free(ref);
					return perr_free(s, c, v, "private-key takes generate, a key or file PATH");
				}
				wgconf_device_set_private_key(w->conf, key);
				w->key_src = WGKEY_SRC_LITERAL;
			}
		} else if (pctx_accept(c, "mtu")) {
			if (!pctx_word(c, "MTU") || wgconf_parse_mtu(c->t->v[v].text, &w->conf->mtu, &e) < 0)
				return e.message[0] ? (wg_err(c, v, &e), stmt_fail(s)) : stmt_fail(s);
			w->conf->flags |= WGCONF_DEV_HAS_MTU;
			w->set |= WGSET_MTU;
		} else if (pctx_accept(c, "fwmark")) {
			if (!pctx_word(c, "fwmark") ||
			    wgconf_parse_fwmark(c->t->v[v].text, &w->conf->fwmark, &e) < 0)
				return e.message[0] ? (wg_err(c, v, &e), stmt_fail(s)) : stmt_fail(s);
			w->conf->flags |= WGCONF_DEV_HAS_FWMARK;
			w->set |= WGSET_FWMARK;
		} else if (pctx_accept(c, "table")) {
			if (!pctx_word(c, "table") ||
			    wgconf_parse_table(c->t->v[v].text, &w->conf->table_mode, &w->conf->table, &e) < 0)
				return e.message[0] ? (wg_err(c, v, &e), stmt_fail(s)) : stmt_fail(s);
			w->conf->flags |= WGCONF_DEV_HAS_TABLE;
			w->set |= WGSET_TABLE;
		} else if (pctx_accept(c, "created-in")) {
			if (!pctx_word(c, "node") || parse_node_name(c, v, &w->created_in) < 0)
				return stmt_fail(s);
		} else {
			return perr_free(s, c, at,
					 "unknown wireguard option '%s' (address, listen-port, private-key, mtu, fwmark, table, created-in)",
					 c->t->v[at].text);
		}
	}
	return s;
}

/* peer NODE:IF PEER_NODE:IF|PUBLIC_KEY [allowed-ips LIST] [endpoint HOST:PORT]
 *	[persistent-keepalive S|off] [preshared-key KEY|@NAME] [remove] */
struct stmt *parse_peer(struct pctx *c)
{
	struct stmt *s = pctx_stmt(c, STMT_PEER);
	struct stmt_peer *p = &s->peer;
	struct wgconf_error e = { 0 };
	const char *who;

	p->holder = wgconf_device_new();
	p->conf = wgconf_device_add_peer(p->holder);
	if (!pctx_word(c, "NODE:IF") || parse_ifref(c, c->i - 1, &p->ref) < 0)
		return stmt_fail(s);
	who = pctx_word(c, "peer (NODE:IF or its public key)");
	if (!who)
		return stmt_fail(s);
	if (strchr(who, ':')) {
		if (parse_ifref(c, c->i - 1, &p->peer) < 0)
			return stmt_fail(s);
	} else {
		uint8_t key[WGKEY_LEN];
		char *ref = NULL;

		if (wgconf_parse_key(who, key, &ref, &e) < 0)
			return wg_err(c, c->i - 1, &e), stmt_fail(s);
		if (ref) {
			free(ref);
			return perr_free(s, c, c->i - 1, "name the peer as NODE:IF or give its public key");
		}
		wgconf_peer_set_public_key(p->conf, key);
	}
	while (pctx_more(c)) {
		size_t at = c->i, v = at + 1;

		if (pctx_accept(c, "allowed-ips")) {
			if (!pctx_word(c, "prefixes") || wgconf_parse_allowedips(p->conf, c->t->v[v].text, &e) < 0)
				return e.message[0] ? (wg_err(c, v, &e), stmt_fail(s)) : stmt_fail(s);
			p->set |= PEERSET_ALLOWED;
		} else if (pctx_accept(c, "endpoint")) {
			if (!pctx_word(c, "HOST:PORT") || wgconf_parse_endpoint(p->conf, c->t->v[v].text, &e) < 0)
				return e.message[0] ? (wg_err(c, v, &e), stmt_fail(s)) : stmt_fail(s);
			p->set |= PEERSET_ENDPOINT;
			p->endpoint_loc = pctx_loc(c, v);
		} else if (pctx_accept(c, "persistent-keepalive")) {
			if (!pctx_word(c, "seconds") ||
			    wgconf_parse_keepalive(c->t->v[v].text, &p->conf->persistent_keepalive, &e) < 0)
				return e.message[0] ? (wg_err(c, v, &e), stmt_fail(s)) : stmt_fail(s);
			p->conf->flags |= WGCONF_PEER_HAS_KEEPALIVE;
			p->set |= PEERSET_KEEPALIVE;
		} else if (pctx_accept(c, "preshared-key")) {
			uint8_t key[WGKEY_LEN];

			if (!pctx_word(c, "key or @NAME"))
				return stmt_fail(s);
			free(p->conf->preshared_key_ref);
			p->conf->preshared_key_ref = NULL;
			if (wgconf_parse_key(c->t->v[v].text, key, &p->conf->preshared_key_ref, &e) < 0)
				return wg_err(c, v, &e), stmt_fail(s);
			if (!p->conf->preshared_key_ref)
				wgconf_peer_set_preshared_key(p->conf, key);
			p->set |= PEERSET_PSK;
		} else if (pctx_accept(c, "remove")) {
			p->remove = true;
		} else {
			return perr_free(s, c, at,
					 "unknown peer option '%s' (allowed-ips, endpoint, persistent-keepalive, preshared-key, remove)",
					 c->t->v[at].text);
		}
	}
	if (p->remove && p->set)
		return perr_free(s, c, 1, "'remove' takes no other option");
	return s;
}

/* wg-quick NODE:IF << config >>: errors point into the block. */
struct stmt *parse_wgquick(struct pctx *c)
{
	struct stmt *s = pctx_stmt(c, STMT_WGQUICK);
	struct wgconf_parser *wp;
	const char *line, *eol;
	int bad = 0;

	if (!pctx_word(c, "NODE:IF") || parse_ifref(c, c->i - 1, &s->wgquick.ref) < 0)
		return stmt_fail(s);
	if (!pctx_end(c))
		return stmt_fail(s);
	if (!c->block)
		return perr_free(s, c, 0, "wg-quick needs the config in a block: wg-quick NODE:IF << ... >>");
	wp = wgconf_parser_new();
	for (line = c->block->text; *line; line = *eol ? eol + 1 : eol) {
		char *one;

		eol = strchrnul(line, '\n');
		one = xstrndup(line, (size_t)(eol - line));
		wgconf_parser_line(wp, one);
		free(one);
	}
	if (wgconf_parser_finish(wp, &s->wgquick.conf) < 0) {
		for (size_t i = 0; i < wgconf_parser_nerrors(wp); i++) {
			const struct wgconf_error *e = wgconf_parser_error(wp, i);
			struct loc l = { c->loc.file, c->block->first_line + (e->line ? e->line - 1 : 0),
					 e->column, c->loc.iter };

			diag_add(c->d, &l, "%s", e->message);
		}
		bad = 1;
	}
	wgconf_parser_free(wp);
	return bad ? stmt_fail(s) : s;
}
