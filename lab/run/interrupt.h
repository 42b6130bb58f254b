/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_RUN_INTERRUPT_H
#define LAB_RUN_INTERRUPT_H

#include <signal.h>

/* Set by SIGINT/SIGTERM/SIGHUP (the signal's number); every wait of a run
 * checks it. */
extern volatile sig_atomic_t run_interrupted;
/* Installs the handlers (without SA_RESTART, so a signal wakes every wait)
 * and ignores SIGPIPE. */
void run_install_signals(void);
/* The read end of the self-pipe the handler writes a byte to: a wait that
 * checked run_interrupted and then blocks (epoll_wait, poll) includes it,
 * so a signal between the check and the wait is never lost.  Each
 * process (a forked worker too) gets a pipe of its own.  -1 before
 * run_install_signals(). */
int run_interrupt_fd(void);
/* Empties the pipe (the flag stays set). */
void run_interrupt_drain(void);

#endif
