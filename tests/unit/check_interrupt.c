// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * Finding 9 (issue 15): a signal that came between run_hold()'s check of
 * run_interrupted and its epoll_wait(-1) was lost until `down` escalated to
 * SIGKILL 15 s later.  The signal now also writes to a self-pipe that the
 * run's loop waits on.
 */
#include <check.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab/lang/diag.h"
#include "lab/lang/model.h"
#include "lab/lang/scenario.h"
#include "lab/run/interrupt.h"
#include "lab/run/run_ctx.h"
#include "lab/run/run_opts.h"
#include "lab/run/runner.h"
#include "traffic/loop.h"

extern Suite *interrupt_suite(void);

static struct lab *tiny_lab(void)
{
	static const char text[] = "lab tiny\nnode a\n";
	struct diags d = { 0 };
	struct lab *lab = NULL;

	ck_assert_int_eq(scenario_load_text("t.lab", text, strlen(text), &lab, &d), 0);
	diag_free(&d);
	return lab;
}

START_TEST(test_interrupt_between_check_and_wait)
{
	struct run_opts o = { .wg = "auto", .artifacts_fd = -1 };
	struct lab *lab = tiny_lab();
	struct run *r = NULL;

	run_interrupted = 0;
	run_install_signals();
	ck_assert_int_ge(run_interrupt_fd(), 0);
	ck_assert_int_eq(run_new(&r, lab, NULL, &o, NULL), 0);
	/* run_hold()'s check has seen no signal... */
	ck_assert_int_eq(run_interrupted, 0);
	/* ...the signal lands here... */
	raise(SIGTERM);
	ck_assert_int_eq(run_interrupted, SIGTERM);
	/* ...and the wait run_hold() then makes, loop_run_once(-1), returns
	 * (before: blocked forever; the test's timeout fails it). */
	ck_assert_int_eq(loop_run_once(r->loop, -1), 1);
	ck_assert_int_eq(run_hold(r), 0);
	run_free(r);
	lab_free(lab);
	run_interrupted = 0;
}
END_TEST

/* A forked worker's signal wakes the worker, never the parent's waits. */
START_TEST(test_interrupt_pipe_per_process)
{
	struct run_opts o = { .wg = "auto", .artifacts_fd = -1 };
	struct lab *lab = tiny_lab();
	struct run *r = NULL;
	int status;
	pid_t pid;

	run_interrupted = 0;
	run_install_signals();
	ck_assert_int_eq(run_new(&r, lab, NULL, &o, NULL), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		struct run *w = NULL;

		raise(SIGTERM);
		/* The worker's own run wakes too. */
		_exit(run_new(&w, lab, NULL, &o, NULL) || run_hold(w) || run_interrupted != SIGTERM);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert_int_eq(run_interrupted, 0);
	/* Nothing woke the parent's loop: it waits out its timeout. */
	ck_assert_int_eq(loop_run_once(r->loop, 50), 0);
	run_free(r);
	lab_free(lab);
}
END_TEST

Suite *interrupt_suite(void)
{
	Suite *s = suite_create("interrupt");
	TCase *tc = tcase_create("self-pipe");

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_interrupt_between_check_and_wait);
	tcase_add_test(tc, test_interrupt_pipe_per_process);
	suite_add_tcase(s, tc);
	return s;
}
