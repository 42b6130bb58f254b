/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_RUN_JOBS_H
#define LAB_RUN_JOBS_H

#include <stddef.h>

/*
 * Work in parallel, one process per job (`run --jobs`, `mutate --jobs`):
 * at most `max` at once, each a fork that writes what it found to a memfd;
 * the parent hears of each job in order (job i once i and every job before
 * it finished).  A signal (lab/run/interrupt.h) stops starting jobs and
 * sends SIGTERM to the running ones, which tear their labs down and end.
 */
struct jobs {
	size_t n;
	unsigned int max;
	/* In the child: does job i, writes its output to fd, returns the
	 * exit status (the child exits with it). */
	int (*work)(size_t i, int fd, void *data);
	/* In the parent, in order: fd holds job i's output (read it with
	 * pread from 0), status is waitpid()'s.  Every job started is done. */
	void (*done)(size_t i, int fd, int status, void *data);
	void *data;
};

/* 0, or -errno when a worker could not be started (the jobs started are
 * still collected). */
int jobs_run(const struct jobs *j);

#endif
