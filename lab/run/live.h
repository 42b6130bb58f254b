/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_RUN_LIVE_H
#define LAB_RUN_LIVE_H

#include <stdbool.h>

struct lab;
struct loop;
struct run;
struct scenario_result;
struct stmt;

/*
 * A kept lab's run going on (wglab apply/expect, through its keeper):
 * lab is the scenario with the new statements at its end (from `from`
 * on), validated together; the run takes it as its model from now on (the
 * caller keeps the old model alive: results and programs point into it).
 * The statements run in order as in run_steps(), with their results in a
 * scenario_result of their own (named `name`), returned in *ret (free
 * with scenario_result_free()).  0, or the first statement's error (in
 * (*ret)->error too); *ret_failed is the statement it stopped at (from,
 * when none ran), NULL when none failed: those before it ran, it and
 * those after did not (a failing statement undoes what its own cleanup
 * undoes, as wg-quick's).
 */
int run_more(struct run *r, struct lab *lab, const struct stmt *from, const char *name,
	     struct scenario_result **ret, const struct stmt **ret_failed);
/* The run's event loop (a kept lab's keeper adds its control socket). */
struct loop *run_loop(struct run *r);

#endif
