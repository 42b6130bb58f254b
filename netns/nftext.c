// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "netns/nftext.h"
#include "netns/ns.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <nftables/libnftables.h>

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
		if (errlen && msg) {
			snprintf(err, errlen, "%s", msg);
			/* One line for the caller: keep the first message. */
			err[strcspn(err, "\n")] = '\0';
		}
	}
	nft_ctx_free(ctx);
	netns_leave();
	return ret;
}
