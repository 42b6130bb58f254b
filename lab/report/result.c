// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "lab/report/result.h"

#include <stdlib.h>

void scenario_result_free(struct scenario_result *sr)
{
	if (!sr)
		return;
	for (size_t i = 0; i < sr->n_results; i++) {
		free(sr->results[i].file);
		free(sr->results[i].label);
		free(sr->results[i].text);
		free(sr->results[i].evidence);
		free(sr->results[i].set);
	}
	for (size_t i = 0; i < sr->n_notes; i++)
		free(sr->notes[i]);
	free(sr->notes);
	free(sr->results);
	free(sr->file);
	free(sr->name);
	free(sr->description);
	free(sr->twin);
	free(sr->twin_why);
	free(sr->error);
	free(sr->datapath);
	free(sr);
}
