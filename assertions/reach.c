// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "assertions/reach.h"
#include "assertions/verdict.h"
#include "traffic/probe.h"

int expect_reach(struct loop *l, struct netns *from, const struct probe_req *req, bool negate,
		 struct verdict *ret)
{
	struct probe_result res = { 0 };
	char ev[PROBE_EVIDENCE_LEN];
	int err;

	err = probe_run(l, from, req, &res);
	if (err < 0)
		return err;
	/* A series (count N): reached when every request was answered;
	 * `cannot reach` then means none was. */
	verdict_set(ret, (req->count && negate ? res.replies > 0 : res.ok) != negate, "%s",
		    probe_format_evidence(req, &res, ev, sizeof(ev)));
	return 0;
}
