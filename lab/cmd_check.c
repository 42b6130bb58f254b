// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include <stdio.h>
#include <string.h>

#include "lab/cli.h"
#include "lab/commands.h"
#include "lab/lang/diag.h"
#include "lab/lang/model.h"
#include "lab/lang/scenario.h"

static void check_usage(FILE *f)
{
	fprintf(f, "Usage: %s check FILE|DIR...\n\n", prog_name);
	fprintf(f, "Parses and validates scenarios without building anything (no privileges\n");
	fprintf(f, "needed).  Every error is printed as FILE:LINE:COL: MESSAGE; the exit status\n");
	fprintf(f, "is 2 when there is any.\n");
}

int check_main(int argc, const char *argv[])
{
	size_t i, n = 0, bad = 0;
	char **files = NULL;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		check_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_PASS;
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
			printf("%s: ok (lab '%s', %zu nodes, %zu expectations)\n", files[i], lab->name,
			       lab->n_nodes, lab->n_expects);
		}
		diag_free(&d);
		lab_free(lab);
	}
	cli_free_files(files, n);
	return bad || !n ? EXIT_USAGE : EXIT_PASS;
}
