// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab/cli.h"
#include "lab/commands.h"
#include "lab/lang/diag.h"
#include "lab/lang/labkeys.h"
#include "lab/lang/model.h"
#include "lab/lang/notes.h"
#include "lab/lang/scenario.h"

static void check_usage(FILE *f)
{
	fprintf(f, "Usage: %s check FILE|DIR...\n", prog_name);
	fprintf(f, "       %s check --expand FILE\n\n", prog_name);
	fprintf(f, "Parses and validates scenarios without building anything (no privileges\n");
	fprintf(f, "needed).  Every error is printed as FILE:LINE:COL: MESSAGE; the exit status\n");
	fprintf(f, "is 2 when there is any.  A valid scenario may get notes, FILE:LINE:COL: note:\n");
	fprintf(f, "MESSAGE, on what it does that a reader may not expect (a nat device on an\n");
	fprintf(f, "interface with IPv6 applies to IPv4 only).\n\n");
	fprintf(f, "  --expand    print the scenario as it expands: values substituted, every\n");
	fprintf(f, "              repetition written out (each source line as a comment above\n");
	fprintf(f, "              what it made), included files inlined\n");
}

/* check --expand FILE: the expanded scenario on stdout, errors on stderr. */
static int check_expand(const char *path)
{
	struct diags d = { 0 };
	struct lab *lab = NULL;
	char *text = NULL;
	int ret = EXIT_PASS;

	if (scenario_load_expanded(path, &lab, &text, &d) < 0) {
		cli_print_diags(stderr, &d);
		ret = EXIT_USAGE;
	} else {
		/* The scenario's text, keys it writes out included: hidden,
		 * as in every output. */
		labkeys_redact(lab, text);
		fputs(text, stdout);
		if (fflush(stdout)) {
			perror("Unable to write the expanded scenario");
			ret = EXIT_FAILED;
		}
	}
	free(text);
	diag_free(&d);
	lab_free(lab);
	return ret;
}

int check_main(int argc, const char *argv[])
{
	size_t i, n = 0, bad = 0;
	char **files = NULL;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		check_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_PASS;
	}
	if (!strcmp(argv[1], "--expand")) {
		if (argc != 3) {
			check_usage(stderr);
			return EXIT_USAGE;
		}
		return check_expand(argv[2]);
	}
	if (cli_collect_files(argc - 1, argv + 1, &files, &n) < 0)
		return EXIT_USAGE;
	for (i = 0; i < n; i++) {
		struct diags d = { 0 };
		struct lab *lab = NULL;

		if (scenario_load(files[i], &lab, &d) < 0) {
			cli_print_diags(stderr, &d);
			bad++;
		} else {
			struct diags notes = { 0 };

			printf("%s: ok (lab '%s', %zu nodes, %zu expectations)\n", files[i], lab->name,
			       lab->n_nodes, lab->n_expects);
			/* What it does that a reader may not expect. */
			if (lab_notes(lab, &notes))
				cli_print_diags(stdout, &notes);
			diag_free(&notes);
		}
		diag_free(&d);
		lab_free(lab);
	}
	cli_free_files(files, n);
	return bad || !n ? EXIT_USAGE : EXIT_PASS;
}
