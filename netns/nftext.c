// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "netns/nftext.h"
#include "netns/ns.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <nftables/libnftables.h>

/* One line for the caller: the first "Error:" line (not "In file
 * included from"), as is when it is about the script itself; for an
 * included file only its position, since its text may be anything the
 * host holds (`include "/etc/shadow"`). */
static void nftext_error_line(const char *msg, char *err, size_t errlen)
{
	const char *line = msg, *at = strstr(msg, ": Error: ");
	size_t n;

	if (at) {
		while (line < at) {
			const char *nl = strchr(line, '\n');

			if (!nl || nl > at)
				break;
			line = nl + 1;
		}
		if (strncmp(line, "<cmdline>", 9)) {
			snprintf(err, errlen, "%.*s: Error in an included file (not quoted)", (int)(at - line),
				 line);
			return;
		}
	}
	n = strcspn(line, "\n");
	snprintf(err, errlen, "%.*s", (int)n, line);
}

int nftext_apply(struct netns *ns, const char *script, char *err, size_t errlen)
{
	struct nft_ctx *ctx;
	const char *msg;
	int ret;

	if (errlen)
		err[0] = '\0';
	/* libnftables opens its netlink socket in the current namespace. */
	ret = netns_enter(ns);
	if (ret < 0)
		return ret;
	ctx = xcheck(nft_ctx_new(NFT_CTX_DEFAULT));
	nft_ctx_buffer_output(ctx);
	nft_ctx_buffer_error(ctx);
	if (nft_run_cmd_from_buffer(ctx, script)) {
		ret = -EINVAL;
		msg = nft_ctx_get_error_buffer(ctx);
		if (errlen && msg)
			nftext_error_line(msg, err, errlen);
	}
	nft_ctx_free(ctx);
	netns_leave();
	return ret;
}
