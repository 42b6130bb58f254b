// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * The scenario parser and validator on arbitrary text, as `wglab check`
 * runs them: scenario_load_text() parses (lexer, statement parsers, the
 * wg-quick and iptables blocks) and validates.
 */
#include <stddef.h>
#include <stdint.h>

#include "lab/diag.h"
#include "lab/model.h"
#include "lab/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diags d = { 0 };
	struct lab *lab = NULL;

	if (!scenario_load_text("fuzz.lab", (const char *)data, size, &lab, &d))
		lab_free(lab);
	diag_sort(&d);
	diag_free(&d);
	return 0;
}
