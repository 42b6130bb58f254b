// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab/cli.h"
#include "lab/commands.h"
#include "lab/host/journal.h"
#include "lab/host/labdir.h"

int reap_main(int argc, const char *argv[])
{
	char **names = NULL;
	size_t n = 0, reaped = 0;
	int err, ret = EXIT_PASS;

	if (argc > 1) {
		bool help = argc == 2 && !strcmp(argv[1], "--help");

		fprintf(help ? stdout : stderr,
			"Usage: %s reap\n\nRemoves what dead wglab labs and runs left behind (netns mounts and\n"
			"records under %s, incomplete artifact folders); labs whose keeper\n"
			"is alive are left alone.\n",
			prog_name, labdir_root());
		return help ? EXIT_PASS : EXIT_USAGE;
	}
	err = labdir_list(&names, &n);
	if (err < 0) {
		fprintf(stderr, "Unable to read '%s': %s\n", labdir_root(), strerror(-err));
		return EXIT_FAILED;
	}
	for (size_t i = 0; i < n; i++) {
		struct labinfo *li = NULL;

		if (labdir_read(names[i], &li) < 0 || li->alive) {
			labinfo_free(li);
			continue;
		}
		err = labdir_remove(names[i]);
		if (err < 0) {
			fprintf(stderr, "Unable to remove lab '%s': %s\n", names[i], strerror(-err));
			ret = EXIT_FAILED;
		} else {
			printf("Removed lab '%s' (%zu nodes)\n", names[i], li->n_nodes);
			reaped++;
		}
		labinfo_free(li);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	labdir_reap_partial();
	err = journal_reap(true);
	if (err > 0)
		reaped += (size_t)err;
	if (!reaped && ret == EXIT_PASS)
		printf("Nothing to reap\n");
	return ret;
}
