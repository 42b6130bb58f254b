// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* Statements that must be refused. */
#include "lab/run/exec_refused.h"
#include "lab/run/run_ctx.h"
#include "netns/util/now.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int exec_refused(struct run *r, const struct stmt *s, int (*exec)(struct run *, const struct stmt *))
{
	uint64_t t0 = now_ms();
	char why[sizeof(r->err)];
	int err;

	r->err[0] = '\0';
	err = exec(r, s);
	if (err == -EINTR)
		return err;
	if (err < 0) {
		snprintf(why, sizeof(why), "%s", r->err[0] ? r->err : strerror(-err));
		r->err[0] = '\0';
		run_add_result(r, s, "refused", true, (double)(now_ms() - t0), "refused as it must be: %s",
			       why);
		return 0;
	}
	run_add_result(r, s, "refused", false, (double)(now_ms() - t0),
		       "accepted, but it must be refused");
	return 0;
}
