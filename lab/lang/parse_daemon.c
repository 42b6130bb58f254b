// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* The daemon words of `run`: a program that outlives its statement, and
 * the condition that says it is ready. */
#include "lab/lang/lexer.h"
#include "lab/lang/model.h"
#include "lab/lang/parse_steps.h"
#include "lab/lang/parse_value.h"
#include "lab/lang/pctx.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#define DAEMON_DEFAULT_WITHIN_MS 10000

static int parse_ready(struct pctx *c, struct run_ready *rd)
{
	const char *w = pctx_word(c, "a readiness condition (tcp PORT, udp PORT, link IF, handshake IF, command \"SHELL\")"), *why;
	size_t at = c->i - 1;
	uint32_t port;

	if (!w)
		return -EINVAL;
	if (rd->kind != READY_STARTED) {
		perr(c, at - 1, "a daemon has one 'ready' condition");
		return -EINVAL;
	}
	if (!strcmp(w, "tcp") || !strcmp(w, "udp")) {
		if (!pctx_word(c, "port") || parse_u32(c, at + 1, 1, UINT16_MAX, &port) < 0)
			return -EINVAL;
		rd->kind = !strcmp(w, "tcp") ? READY_TCP : READY_UDP;
		rd->port = (uint16_t)port;
	} else if (!strcmp(w, "link") || !strcmp(w, "handshake")) {
		const char *ifname = pctx_word(c, "interface");

		if (!ifname)
			return -EINVAL;
		if (!ifname_valid(ifname, &why)) {
			perr(c, at + 1, "interface name '%s' %s", ifname, why);
			return -EINVAL;
		}
		rd->kind = !strcmp(w, "link") ? READY_LINK : READY_HANDSHAKE;
		strcpy(rd->ifname, ifname);
	} else if (!strcmp(w, "command")) {
		const char *cmd = pctx_word(c, "a shell command (quoted)");

		if (!cmd)
			return -EINVAL;
		if (!*cmd) {
			perr(c, at + 1, "empty command");
			return -EINVAL;
		}
		rd->kind = READY_COMMAND;
		rd->command = xstrdup(cmd);
	} else {
		perr(c, at, "unknown readiness condition '%s' (tcp PORT, udp PORT, link IF, handshake IF, command \"SHELL\")", w);
		return -EINVAL;
	}
	return 0;
}

int parse_run_daemon(struct pctx *c, struct stmt_run *r)
{
	size_t at = c->i;

	if (pctx_accept(c, "daemon")) {
		if (r->background || r->daemon) {
			perr(c, at, "a run is either 'background' or 'daemon', once");
			return -EINVAL;
		}
		r->daemon = r->background = true;
		if (!r->ready.within_ms)
			r->ready.within_ms = DAEMON_DEFAULT_WITHIN_MS;
		return 0;
	}
	if (pctx_accept(c, "ready")) {
		if (!r->daemon) {
			perr(c, at, "'ready' is for a daemon: run NODE daemon ready ...");
			return -EINVAL;
		}
		return parse_ready(c, &r->ready);
	}
	if (pctx_accept(c, "within")) {
		if (!r->daemon) {
			perr(c, at, "'within' is for a daemon: run NODE daemon ready ... within D");
			return -EINVAL;
		}
		if (!pctx_word(c, "duration") || parse_duration_ms(c, at + 1, &r->ready.within_ms) < 0)
			return -EINVAL;
		return 0;
	}
	perr(c, at, "expected daemon, ready or within");
	return -EINVAL;
}
