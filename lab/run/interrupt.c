// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "lab/run/interrupt.h"

#include <signal.h>
#include <stddef.h>

volatile int run_interrupted;

static void run_on_signal(int sig)
{
	run_interrupted = sig;
}

void run_install_signals(void)
{
	struct sigaction sa = { 0 };

	/* No SA_RESTART: a signal must wake every wait. */
	sa.sa_handler = run_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}
