// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* Steps that act rather than build: run, serve, wait. */
#include "lab/lang/parse_steps.h"
#include "lab/lang/lexer.h"
#include "lab/lang/model.h"
#include "lab/lang/parse_value.h"
#include "lab/lang/pctx.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define RUN_DEFAULT_TIMEOUT_MS 10000

/* run NODE [timeout D] [exit N|any] [background|daemon [ready COND] [within D]] [--] CMD ARG...
 * run NODE [timeout D] [exit N|any] [background|daemon ...] << script >> */
struct stmt *parse_run(struct pctx *c)
{
	struct stmt *s = pctx_stmt(c, STMT_RUN);
	struct stmt_run *r = &s->run;
	size_t k, n;

	r->timeout_ms = RUN_DEFAULT_TIMEOUT_MS;
	if (!pctx_word(c, "node") || parse_node_name(c, c->i - 1, &r->node) < 0)
		return stmt_fail(s);
	for (;;) {
		size_t at = c->i;

		if (pctx_accept(c, "timeout")) {
			if (!pctx_word(c, "timeout") || parse_duration_ms(c, at + 1, &r->timeout_ms) < 0)
				return stmt_fail(s);
		} else if (pctx_accept(c, "exit")) {
			uint32_t v;

			if (!pctx_word(c, "exit status (N or any)"))
				return stmt_fail(s);
			if (!strcmp(c->t->v[at + 1].text, "any"))
				r->exit_status = -1;
			else if (parse_u32(c, at + 1, 0, 255, &v) < 0)
				return stmt_fail(s);
			else
				r->exit_status = (int)v;
			r->exit_given = true;
		} else if (pctx_accept(c, "background")) {
			r->background = true;
		} else if (pctx_more(c) && (!strcmp(pctx_peek(c), "daemon") ||
					    !strcmp(pctx_peek(c), "ready") ||
					    !strcmp(pctx_peek(c), "within"))) {
			if (parse_run_daemon(c, r) < 0)
				return stmt_fail(s);
		} else {
			break;
		}
	}
	pctx_accept(c, "--");
	if (c->block) {
		if (pctx_more(c))
			return perr_free(s, c, c->i, "a run with a script block takes no command");
		r->script.text = xstrdup(c->block->text);
		r->script.first_line = c->block->first_line;
		return s;
	}
	if (!pctx_more(c))
		return perr_free(s, c, c->i, "missing command (run NODE -- CMD ARG... or a << script >>)");
	n = c->t->n - c->i;
	r->argv = xcalloc(n + 1, sizeof(*r->argv));
	for (k = 0; k < n; k++)
		r->argv[k] = xstrdup(c->t->v[c->i + k].text);
	c->i = c->t->n;
	return s;
}

/* serve NODE tcp|udp|http [ADDR:]PORT [status N] [body "TEXT" | size N] */
struct stmt *parse_serve(struct pctx *c)
{
	struct stmt *s = pctx_stmt(c, STMT_SERVE);
	struct stmt_serve *v = &s->serve;
	const char *proto, *where;
	uint32_t n;

	v->status = 200;
	if (!pctx_word(c, "node") || parse_node_name(c, c->i - 1, &v->node) < 0)
		return stmt_fail(s);
	proto = pctx_word(c, "protocol (tcp, udp, http)");
	if (!proto)
		return stmt_fail(s);
	if (!strcmp(proto, "tcp"))
		v->proto = SERVE_TCP;
	else if (!strcmp(proto, "udp"))
		v->proto = SERVE_UDP;
	else if (!strcmp(proto, "http"))
		v->proto = SERVE_HTTP;
	else
		return perr_free(s, c, c->i - 1, "unknown protocol '%s' (tcp, udp, http)", proto);
	where = pctx_word(c, "[ADDRESS:]PORT");
	if (!where)
		return stmt_fail(s);
	if (strchr(where, ':')) {
		if (parse_addr_port(c, c->i - 1, false, &v->bind, &v->port, NULL) < 0)
			return stmt_fail(s);
	} else {
		if (parse_u32(c, c->i - 1, 1, UINT16_MAX, &n) < 0)
			return stmt_fail(s);
		v->port = (uint16_t)n;
	}
	while (pctx_more(c)) {
		size_t at = c->i;

		if (v->proto == SERVE_HTTP && pctx_accept(c, "status")) {
			if (!pctx_word(c, "status") || parse_u32(c, at + 1, 100, 599, &v->status) < 0)
				return stmt_fail(s);
		} else if (v->proto == SERVE_HTTP && pctx_accept(c, "body")) {
			if (!pctx_word(c, "body"))
				return stmt_fail(s);
			free(v->body);
			v->body = xstrdup(c->t->v[at + 1].text);
		} else if (v->proto == SERVE_HTTP && pctx_accept(c, "size")) {
			if (!pctx_word(c, "size") || parse_size(c, at + 1, &v->size) < 0)
				return stmt_fail(s);
			v->has_size = true;
		} else {
			return perr_free(s, c, at, "unknown serve option '%s'%s", c->t->v[at].text,
					 v->proto == SERVE_HTTP ? " (status, body, size)" : "");
		}
	}
	if (v->has_size && v->body)
		return perr_free(s, c, c->i, "a served body is either `body \"TEXT\"` or `size N`, not both");
	return s;
}

/* wait DURATION: lets scenario time pass, e.g. beyond a NAT's UDP timeout.
 * Never needed to wait for readiness: expectations wait on conditions. */
struct stmt *parse_wait(struct pctx *c)
{
	struct stmt *s = pctx_stmt(c, STMT_WAIT);

	if (!pctx_word(c, "duration") || parse_duration_ms(c, c->i - 1, &s->wait.ms) < 0)
		return stmt_fail(s);
	if (!pctx_end(c))
		return stmt_fail(s);
	return s;
}
