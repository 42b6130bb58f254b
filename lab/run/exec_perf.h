/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_RUN_EXEC_PERF_H
#define LAB_RUN_EXEC_PERF_H

#include "traffic/latency.h"
#include "traffic/tput.h"

struct netns;
struct run;
struct stmt_expect;
struct verdict;

/* Evaluators for exec_expect.c: 0 with the verdict (and the figures in
 * ret, which may be NULL), or -errno with run_error() called. */
int exec_throughput(struct run *r, const struct stmt_expect *e, struct verdict *v,
		    struct tput_result *ret);
int exec_latency(struct run *r, const struct stmt_expect *e, struct verdict *v,
		 struct latency_result *ret);
/* The request exec_throughput() runs (the destination resolved), for
 * running iperf3 on the same path.  0 or -errno with run_error(). */
int exec_throughput_path(struct run *r, const struct stmt_expect *e, struct netns **ret_from,
			 struct netns **ret_to, struct tput_req *ret);

#endif
