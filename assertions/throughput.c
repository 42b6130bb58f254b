// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "assertions/throughput.h"
#include "assertions/verdict.h"

#include <string.h>

void expect_throughput_req(const struct tput_req *req, uint64_t min_bps, struct tput_req *ret)
{
	*ret = *req;
	if (ret->proto == TPUT_UDP && !ret->rate_bps)
		ret->rate_bps = min_bps + min_bps / 10;
}

int expect_throughput(struct netns *from, struct netns *to, const struct tput_req *req,
		      uint64_t min_bps, struct verdict *ret, struct tput_result *ret_res)
{
	struct tput_result res;
	struct tput_req r;
	char text[512], want[32];
	int err;

	expect_throughput_req(req, min_bps, &r);
	err = tput_run(from, to, &r, &res);
	if (err < 0)
		return err;
	verdict_set(ret, res.bps >= (double)min_bps, "%s; wanted >= %s", tput_format(&r, &res, text, sizeof(text)),
		    tput_format_rate((double)min_bps, want, sizeof(want)));
	if (ret_res)
		*ret_res = res;
	return 0;
}
