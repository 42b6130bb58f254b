/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_LIVE_H
#define LAB_LIVE_H

#include <stddef.h>

struct lab;
struct run;

/*
 * Live labs: a kept lab's keeper answers `wglab apply` and `wglab expect`
 * on a control socket, an abstract unix socket "wglab-live/NAME" of the
 * host's network namespace (nothing on a file system, gone with the
 * keeper), from its own user only (checked with SO_PEERCRED).
 *
 * A request: "apply FILE\n" or "expect FILE\n" (FILE: the name for
 * messages), then the statements, then end of input.  The answer: "json\n"
 * and the JSON report of the statements' results (report_json_write(), one
 * scenario), or "error\n" and the errors, one `file:line:col: message`
 * per line.
 */
/* The keeper: listens on its run's loop; lab and path are what it was
 * built from (kept; the file is read again at each request). */
int live_listen(struct run *r, struct lab *lab, const char *name, const char *path);
/* The client: sends text (named file) to lab `name`'s keeper, returns its
 * answer (malloc'd, NUL-terminated) in *ret.  0 or -errno
 * (-ECONNREFUSED: no keeper listens). */
int live_request(const char *name, const char *verb, const char *file, const char *text,
		 size_t len, char **ret, size_t *ret_len);

#endif
