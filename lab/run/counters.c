// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "lab/run/counters.h"
#include "lab/run/run_ctx.h"
#include "netns/wg/wghost.h"
#include "netns/kcount.h"
#include "netns/util/xalloc.h"

#include <stdlib.h>
#include <string.h>

void run_counters_read(struct run *r, struct kcount *k, const char *const *nodes, size_t n)
{
	bool *want = xcalloc(r->n_nodes ? r->n_nodes : 1, sizeof(*want));

	for (size_t i = 0; i < n; i++)
		if (nodes[i])
			want[run_node(r, nodes[i]) - r->nodes] = true;
	kcount_host(k);
	for (size_t i = 0; i < r->n_nodes; i++)
		if (want[i] || r->nodes[i].lan || (r->nodes[i].flags & NODE_ROUTER))
			kcount_add_ns(k, r->nodes[i].ns, r->nodes[i].name);
	free(want);
}

char *run_counters_note(struct run *r, const struct kcount *before, const char *const *nodes, size_t n,
			const char *evidence)
{
	struct kcount after;
	char moved[1024], why[64], host[256] = "";

	/* The lab's WireGuard host dead: every userspace interface is a TUN
	 * nothing reads (wglab holds it), so packets into it vanish. */
	if (wghost_exited(r->wghost, why, sizeof(why)))
		snprintf(host, sizeof(host), "; the lab's WireGuard host (wglab-wghost) has exited (%s): "
			 "no userspace WireGuard interface of the lab carries packets", why);
	run_counters_read(r, &after, nodes, n);
	kcount_describe(before, &after, moved, sizeof(moved));
	kcount_free(&after);
	if (!moved[0])
		return xasprintf("%s%s", evidence, host);
	return xasprintf("%s; meanwhile %s%s", evidence, moved, host);
}
