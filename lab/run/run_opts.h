/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_RUN_OPTS_H
#define LAB_RUN_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netns/addr.h"

struct stmt;

/* Whether the lab listened itself for proto dst:port (lab/run/autoserve.h),
 * as a run decided it at its first expectation of that socket. */
struct run_listen {
	int proto;			/* enum serve_proto */
	struct addr dst;
	uint16_t port;
	bool listened;
};

/* How to run a scenario: given by the commands (lab/run/runner.h), kept by the
 * run (lab/run/run_ctx.h). */
struct run_opts {
	const char *wg;			/* "auto", "kernel", "userspace[=PATH]" */
	const char *artifacts;		/* directory for logs and pcaps, or NULL */
	int artifacts_fd;		/* with artifacts: its descriptor, verified
					 * by the command (lab/host/safedir.h) */
	unsigned int timeout_ms;	/* whole scenario; 0: none */
	bool capture;			/* keep every capture, not only on failure */
	bool raise_limits;		/* raise host limits the lab needs (lab/run/needs.h) */
	int verbose;
	/* Stop at the first result that fails (wglab mutate): what follows is
	 * reported as not run, except the expectations keep_going() (if
	 * set) keeps, which are still evaluated, with the statements before
	 * them. */
	bool stop_at_fail;
	/* wglab up --no-expect: expectations are reported as not evaluated. */
	bool no_expect;
	bool (*keep_going)(const struct stmt *s, void *data);
	void *keep_data;
	/* The lab's own listeners as another run decided them (wglab
	 * mutate: the unmutated file's, run_listened()), taken instead of
	 * deciding from this run's file, so that a mutant changes the
	 * network and not where wglab listens; a socket not among them is
	 * decided from the file.  NULL: every one is. */
	const struct run_listen *listens;
	size_t n_listens;
};

#endif
