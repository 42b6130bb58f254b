// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* A WireGuard interface's configuration, expected. */
#include "assertions/wgdevice.h"
#include "lab/lang/parse_wgdev.h"
#include "lab/run/exec_wg.h"
#include "lab/run/exec_wgdev.h"
#include "lab/run/run_ctx.h"

#include <errno.h>

int exec_wgdevice(struct run *r, const struct stmt_expect *e, struct verdict *v)
{
	const struct expect_wgdevice *x = e->ext;
	struct rwg *w = run_wg(r, e->ref.node, e->ref.ifname);
	struct wgdevice_want want = { 0 };
	char name[80] = "the peer";
	int err;

	if (!w || !x)
		return run_error(r, -ENODEV, "Unable to read '%s:%s'", e->ref.node, e->ref.ifname);
	want.flags = x->flags;
	want.listen_port = x->listen_port;
	want.fwmark = x->fwmark;
	want.peers = x->peers;
	want.allowed = x->allowed.v;
	want.n_allowed = x->allowed.n;
	err = run_wg_peer_key(r, &e->wg, want.peer, name, sizeof(name));
	if (err < 0)
		return err;
	want.peer_name = name;
	want.wait_ms = e->wait_ms < run_left_ms(r) ? e->wait_ms : run_left_ms(r);
	return expect_wgdevice(r->loop, w->dev, &want, v);
}
