/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_WG_WGCONF_PARSE_H
#define NETNS_WG_WGCONF_PARSE_H

#include <stddef.h>

#include "netns/wg/wgconf_value.h"

struct wgconf_device;

/*
 * The wg-quick configuration parser, fed one line at a time (a line may
 * end in '\n').  It accepts exactly what wg-quick(8) + wg(8) accept on
 * Linux, except that Endpoint host names are not resolved, keys may be
 * "@..." references, and unknown keys are errors with their column.
 * Parsing goes on after an error so that all errors are reported.
 */
struct wgconf_parser;

struct wgconf_parser *wgconf_parser_new(void);
/* 0, or -EINVAL when this line has an error (recorded). */
int wgconf_parser_line(struct wgconf_parser *p, const char *line);
/* The parsed device (caller owns it) when there were no errors; -EINVAL
 * otherwise.  The parser can then only be freed. */
int wgconf_parser_finish(struct wgconf_parser *p, struct wgconf_device **ret);
size_t wgconf_parser_nerrors(const struct wgconf_parser *p);
const struct wgconf_error *wgconf_parser_error(const struct wgconf_parser *p, size_t i);
void wgconf_parser_free(struct wgconf_parser *p);

/* Whole text at once (tests, the CLI).  On error, the first error is
 * copied to err. */
int wgconf_parse_text(const char *text, struct wgconf_device **ret, struct wgconf_error *err);

#endif
