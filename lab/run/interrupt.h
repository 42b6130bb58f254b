/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_RUN_INTERRUPT_H
#define LAB_RUN_INTERRUPT_H

/* Set by SIGINT/SIGTERM/SIGHUP (the signal's number); every wait of a run
 * checks it. */
extern volatile int run_interrupted;
/* Installs the handlers (without SA_RESTART, so a signal wakes every wait)
 * and ignores SIGPIPE. */
void run_install_signals(void);

#endif
