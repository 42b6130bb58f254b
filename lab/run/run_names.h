/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_RUN_RUN_NAMES_H
#define LAB_RUN_RUN_NAMES_H

struct lab;
struct lab_names;
struct run;

/* The lab's addresses by name (lab/lang/resolve.h), for r->lab, made when
 * first asked. */
const struct lab_names *run_names(struct run *r);
/* Gives the run its lab (r->lab is set here only): the index of names
 * goes with the lab it was made of. */
void run_set_lab(struct run *r, struct lab *lab);

#endif
