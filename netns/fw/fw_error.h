/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_FW_ERROR_H
#define NETNS_FW_ERROR_H

struct fw_error;

/* Fills err (when not NULL) with col, code and the message; returns code.
 * For the parser's, the options' and fw_apply()'s errors.  Not part of the
 * API. */
int fw_err(struct fw_error *err, unsigned int col, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
