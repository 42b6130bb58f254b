// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* Signals reach the waits through a self-pipe: the flag alone is lost when
 * it is set between a wait's check and its epoll_wait(-1). */
#include "lab/run/interrupt.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <unistd.h>

volatile sig_atomic_t run_interrupted;

static int run_pipe[2] = { -1, -1 };
/* The process the pipe belongs to: a forked worker must not wake its
 * parent's waits (nor the parent its worker's). */
static volatile pid_t run_pipe_owner;
static bool run_installed;

static void run_on_signal(int sig)
{
	int saved = errno;
	char c = 0;

	run_interrupted = sig;
	if (run_pipe[1] >= 0 && run_pipe_owner == getpid() && write(run_pipe[1], &c, 1) < 0) {
		/* Full: the waits are awake already. */
	}
	errno = saved;
}

/* A pipe for this process (after a fork, a new one). */
static void run_pipe_open(void)
{
	sigset_t all, old;
	char c = 0;

	if (run_pipe_owner == getpid() && run_pipe[0] >= 0)
		return;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	if (run_pipe[0] >= 0)
		close(run_pipe[0]);
	if (run_pipe[1] >= 0)
		close(run_pipe[1]);
	if (pipe2(run_pipe, O_CLOEXEC | O_NONBLOCK))
		run_pipe[0] = run_pipe[1] = -1;
	run_pipe_owner = getpid();
	/* Signalled before the pipe was this process's own. */
	if (run_interrupted && run_pipe[1] >= 0 && write(run_pipe[1], &c, 1) < 0) {
		/* Cannot be full: it is new. */
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
}

void run_install_signals(void)
{
	struct sigaction sa = { 0 };

	run_pipe_open();
	run_installed = true;
	/* No SA_RESTART: a signal must wake every wait. */
	sa.sa_handler = run_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int run_interrupt_fd(void)
{
	if (!run_installed)
		return -1;
	run_pipe_open();
	return run_pipe[0];
}

void run_interrupt_drain(void)
{
	char buf[64];

	if (run_pipe[0] < 0 || run_pipe_owner != getpid())
		return;
	while (read(run_pipe[0], buf, sizeof(buf)) > 0)
		;
}
