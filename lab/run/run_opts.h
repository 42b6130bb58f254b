/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_RUN_OPTS_H
#define LAB_RUN_OPTS_H

#include <stdbool.h>

/* How to run a scenario: given by the commands (lab/run/runner.h), kept by the
 * run (lab/run/run_ctx.h). */
struct run_opts {
	const char *wg;			/* "auto", "kernel", "userspace[=PATH]" */
	const char *artifacts;		/* directory for logs and pcaps, or NULL */
	unsigned int timeout_ms;	/* whole scenario; 0: none */
	bool capture;			/* keep every capture, not only on failure */
	bool raise_limits;		/* raise host limits the lab needs (lab/run/needs.h) */
	int verbose;
};

#endif
