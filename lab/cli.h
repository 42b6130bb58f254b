/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_CLI_H
#define LAB_CLI_H

#include <stdbool.h>
#include <stdio.h>

struct diags;
struct scenario_result;

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

/*
 * A file a command writes (--json, --junit, --svg, report merge): checked
 * when the command starts, before anything runs (and before a rootless
 * run enters its user namespace, where the host's owners no longer show):
 * its directory opened and verified (lab/host/safedir.h), and what is at
 * its name.  Nothing there, or a regular file of the caller's: the report
 * is written to a new temporary in that directory, renamed over the name
 * at the end (never written through a symlink, never over another user's
 * file, never half written).  A FIFO (the caller's or root's) or a
 * character device: opened for writing up front and written into, as a
 * shell's `>` would.  A symlink is followed only to one of those, and only
 * when it is the caller's or root's in a directory no one else may write
 * (not even under the sticky bit: /dev/stdout, /dev/fd/N of `>(cmd)`);
 * anything else is refused, and never removed.
 */
struct cli_out {
	const char *path;
	const char *what;
	int dirfd;
	char *base;
	int fd;			/* the FIFO or device opened up front, or -1 */
	char *tmp;		/* the temporary being written, or NULL */
};
/* 0, or prints why ("Unable to write the WHAT to 'PATH': ...") and
 * returns -errno. */
int cli_out_prepare(struct cli_out *o, const char *path, const char *what);
/* The file, open for writing, or NULL after printing why. */
FILE *cli_out_open(struct cli_out *o);
/* Closes f (from cli_out_open(); fn_ret < 0: its writer failed) and puts
 * the file in place.  0, or -1 after printing why. */
int cli_out_close(struct cli_out *o, FILE *f, int fn_ret);
/* Closes what is open, removes a temporary left.  NULL-safe fields. */
void cli_out_free(struct cli_out *o);
/* Results written by fn (report_json_write(), report_junit_write()) into
 * the prepared o.  0, or -1 after printing why. */
int cli_out_results(struct cli_out *o, int (*fn)(FILE *, const struct scenario_result *const *, size_t),
		    const struct scenario_result *const *v, size_t n);

/* Whether mode is a --wg value (auto, kernel, userspace,
 * userspace=PATH); prints why when it is not. */
bool cli_wg_mode_ok(const char *mode);

/* Whether name, from the command line, is a valid name of its kind ("lab":
 * name_lab_valid(), "node": name_valid(); netns/util/name.h); prints why
 * when it is not. */
bool cli_name_ok(const char *kind, const char *name);

/* True when stdout is a terminal and NO_COLOR is unset. */
bool cli_color(void);

#endif
