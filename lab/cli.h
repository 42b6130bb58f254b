/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_CLI_H
#define LAB_CLI_H

#include <stdbool.h>
#include <stdio.h>

struct diags;

/* argv[0] of wglab, for usage and hints (set by main). */
extern const char *prog_name;

/* Exit statuses of every command. */
enum {
	EXIT_PASS = 0,		/* every expectation held */
	EXIT_FAILED = 1,	/* an expectation failed, or a command failed */
	EXIT_USAGE = 2,		/* bad usage, scenario errors, build errors */
};

/* Prints every message as "file:line:col: message". */
void cli_print_diags(FILE *f, struct diags *d);

/* Expands FILE|DIR arguments into scenario files: directories give their
 * *.lab files (not recursing, sorted).  Errors are printed. */
int cli_collect_files(int argc, const char *argv[], char ***ret, size_t *ret_n);
void cli_free_files(char **files, size_t n);

/* True when stdout is a terminal and NO_COLOR is unset. */
bool cli_color(void);

#endif
