// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* A run's index of node names, kept with the lab it was made of. */
#include "lab/run/run_names.h"
#include "lab/lang/resolve.h"
#include "lab/run/run_ctx.h"

#include <stddef.h>

const struct lab_names *run_names(struct run *r)
{
	if (!r->names)
		r->names = lab_names_new(r->lab);
	return r->names;
}

void run_set_lab(struct run *r, struct lab *lab)
{
	r->lab = lab;
	lab_names_free(r->names);
	r->names = NULL;
}
