// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab/cli.h"
#include "lab/commands.h"
#include "lab/host/labdir.h"

int list_main(int argc, const char *argv[])
{
	char **names = NULL;
	size_t n = 0;
	int err;

	if (argc > 1) {
		fprintf(argc == 2 && !strcmp(argv[1], "--help") ? stdout : stderr,
			"Usage: %s list\n\nLists the labs that are up, with their nodes.\n", prog_name);
		return argc == 2 && !strcmp(argv[1], "--help") ? EXIT_PASS : EXIT_USAGE;
	}
	err = labdir_list(&names, &n);
	if (err < 0) {
		fprintf(stderr, "Unable to read '%s': %s\n", labdir_root(), strerror(-err));
		return EXIT_FAILED;
	}
	for (size_t i = 0; i < n; i++) {
		struct labinfo *li = NULL;

		if (labdir_read(names[i], &li) < 0)
			continue;
		printf("%s\t%s", li->name, li->alive ? "up" : "stale (keeper gone; `wglab reap`)");
		if (li->alive)
			printf(" (pid %d)", (int)li->pid);
		printf("\t");
		for (size_t k = 0; k < li->n_nodes; k++)
			if (!li->nodes[k].lan)
				printf("%s%s", k ? " " : "", li->nodes[k].node);
		printf("\n");
		labinfo_free(li);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return EXIT_PASS;
}
