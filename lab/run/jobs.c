// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* One process per job, reported in order (lab/run/jobs.h). */
#include "lab/run/jobs.h"
#include "lab/run/interrupt.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

struct job {
	pid_t pid;
	int pidfd;
	int outfd;			/* memfd: the worker's output */
	bool done;
};

static __attribute__((noreturn)) void jobs_child(const struct jobs *j, size_t i, int fd)
{
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	_exit(j->work(i, fd, j->data));
}

static void jobs_collect(const struct jobs *j, struct job *job, size_t i)
{
	int status = 0;

	while (waitpid(job->pid, &status, 0) < 0 && errno == EINTR)
		;
	close(job->pidfd);
	j->done(i, job->outfd, status, j->data);
	close(job->outfd);
}

int jobs_run(const struct jobs *j)
{
	struct job *jobs = xcalloc(j->n ? j->n : 1, sizeof(*jobs));
	size_t started = 0, reported = 0, running = 0;
	bool stopping = false;
	int ret = 0;

	fflush(NULL);
	while (reported < j->n) {
		struct pollfd pfd[65];
		size_t map[65], np = 0;
		int ifd = run_interrupt_fd();

		while (!run_interrupted && !ret && running < j->max && started < j->n) {
			struct job *job = &jobs[started];

			job->outfd = memfd_create("wglab-job", MFD_CLOEXEC);
			job->pid = job->outfd < 0 ? -1 : fork();
			if (job->pid < 0) {
				ret = -errno;
				if (job->outfd >= 0)
					close(job->outfd);
				break;
			}
			if (!job->pid)
				jobs_child(j, started, job->outfd);
			job->pidfd = (int)syscall(SYS_pidfd_open, job->pid, 0);
			started++;
			running++;
		}
		if ((run_interrupted || ret) && !stopping) {
			/* Each worker tears its lab down and reports. */
			for (size_t i = reported; i < started; i++)
				if (!jobs[i].done)
					kill(jobs[i].pid, SIGTERM);
			stopping = true;
		}
		for (size_t i = reported; i < started && np < 64; i++) {
			if (jobs[i].done)
				continue;
			pfd[np].fd = jobs[i].pidfd;
			pfd[np].events = POLLIN;
			map[np++] = i;
		}
		/* And the self-pipe: a signal after the check above wakes the
		 * poll. */
		if (np && ifd >= 0) {
			pfd[np].fd = ifd;
			pfd[np].events = POLLIN;
			map[np++] = SIZE_MAX;
		}
		if (np && poll(pfd, np, -1) > 0) {
			for (size_t k = 0; k < np; k++) {
				if (!(pfd[k].revents & POLLIN))
					continue;
				if (map[k] == SIZE_MAX) {
					run_interrupt_drain();
					continue;
				}
				jobs[map[k]].done = true;
				running--;
			}
		}
		/* In order: each job once all before it are. */
		while (reported < started && jobs[reported].done) {
			jobs_collect(j, &jobs[reported], reported);
			reported++;
		}
		if ((run_interrupted || ret) && reported == started)
			break;
	}
	free(jobs);
	return ret;
}
