// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * The scenario parser and validator on arbitrary text, as `wglab check`
 * runs them: scenario_load_text() parses (lexer, statement parsers, the
 * wg-quick and iptables blocks) and validates.  Besides the sanitizers,
 * every error must be positioned inside the input: a line that exists
 * and a column at most one past its end.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab/lang/diag.h"
#include "lab/lang/model.h"
#include "lab/lang/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Length of line n (1-based) of text, or -1 when there is no such line. */
static long line_len(const char *text, size_t size, unsigned int n)
{
	const char *s = text, *end = text + size, *eol;

	for (unsigned int i = 1; s <= end; i++) {
		eol = memchr(s, '\n', (size_t)(end - s));
		if (!eol)
			eol = end;
		if (i == n)
			return eol - s;
		if (eol == end)
			break;
		s = eol + 1;
	}
	return -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diags d = { 0 };
	struct lab *lab = NULL;

	if (!scenario_load_text("fuzz.lab", (const char *)data, size, &lab, &d))
		lab_free(lab);
	diag_sort(&d);
	for (const struct diag *e = d.first; e; e = e->next) {
		long len;

		if (strcmp(e->file, "fuzz.lab") || !e->line)
			continue;
		len = line_len((const char *)data, size, e->line);
		if (len < 0 || e->col > (unsigned long)len + 1) {
			fprintf(stderr, "misplaced error %u:%u (line length %ld): %s\n", e->line, e->col,
				len, e->msg);
			abort();
		}
	}
	diag_free(&d);
	return 0;
}
