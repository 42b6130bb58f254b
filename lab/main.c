// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "lab/cli.h"
#include "lab/commands.h"
#include "lab/host/rootless.h"
#include "lab/host/version.h"


static const struct {
	const char *name;
	int (*fn)(int argc, const char *argv[]);
	const char *description;
} commands[] = {
	{ "run", run_main, "Build scenarios, run their steps and expectations, tear down" },
	{ "mutate", mutate_main, "Mutation testing: which lines of a scenario no expectation depends on" },
	{ "check", check_main, "Parse and validate scenarios without building them" },
	{ "up", up_main, "Build a scenario and keep it running" },
	{ "down", down_main, "Tear down a lab started with up" },
	{ "apply", apply_main, "Run statements on a lab that is up" },
	{ "expect", expect_main, "Evaluate expectations on a lab that is up" },
	{ "list", list_main, "List the labs that are up" },
	{ "exec", exec_main, "Run a command inside a node of a running lab" },
	{ "shell", shell_main, "Open a shell inside a node of a running lab" },
	{ "show", show_main, "Show the WireGuard interfaces of a running lab (as wg show)" },
	{ "graph", graph_main, "Print a scenario's topology as Graphviz DOT (or SVG)" },
	{ "report", report_main, "Merge JSON reports of shards into one (report merge)" },
	{ "reap", reap_main, "Remove what dead wglab runs left behind" },
	{ "bench", bench_main, "Measure throughput, latency and build phases of scenarios" },
	{ "genkey", genkey_main, "Generate a private key (as wg genkey)" },
	{ "pubkey", pubkey_main, "Read a private key on stdin, print its public key" },
	{ "genpsk", genpsk_main, "Generate a preshared key (as wg genpsk)" },
	{ "help", help_main, "Show usage of wglab or of a command" },
};

static void show_usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: %s COMMAND [ARGUMENTS]\n\n", prog_name);
	fprintf(f, "wglab builds WireGuard topologies from network namespaces, drives traffic\n");
	fprintf(f, "through them and checks what happened.  Commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].description);
	fprintf(f, "\n`%s help COMMAND` shows a command's options; `%s --version` the version.\n",
		prog_name, prog_name);
}

int help_main(int argc, const char *argv[])
{
	size_t i;

	if (argc < 2) {
		show_usage(stdout);
		return 0;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		const char *help_argv[] = { argv[1], "--help", NULL };

		if (!strcmp(argv[1], commands[i].name) && commands[i].fn != help_main)
			return commands[i].fn(2, help_argv);
	}
	fprintf(stderr, "Invalid subcommand: '%s'\n", argv[1]);
	show_usage(stderr);
	return 2;
}

int main(int argc, const char *argv[])
{
	char why[512];
	size_t i;

	prog_name = argv[0];
	if (sodium_init() < 0) {
		fprintf(stderr, "Unable to initialise libsodium\n");
		return 1;
	}
	if (argc < 2) {
		show_usage(stderr);
		return 2;
	}
	/* Without root, labs are kept under the user's runtime directory. */
	if (rootless_paths(why, sizeof(why)) < 0)
		fprintf(stderr, "%s\n", why);
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("wglab %s\n", LAB_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		show_usage(stdout);
		return 0;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "Invalid subcommand: '%s'\n", argv[1]);
	show_usage(stderr);
	return 2;
}
