// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * The wg-quick configuration parser, fed line by line as the scenario's
 * wg-quick blocks are; a parsed device is copied and freed too.  Every
 * error must have a message, a line that exists and a column at most one
 * past that line's end.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netns/wg/wgconf.h"
#include "netns/wg/wgconf_parse.h"

#define FUZZ_MAX_LINES 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wgconf_parser *p = wgconf_parser_new();
	struct wgconf_device *dev = NULL, *copy;
	const char *s = (const char *)data, *end = s + size;
	static size_t len[FUZZ_MAX_LINES];	/* as the parser sees them */
	unsigned int n_lines = 0;
	int ret;

	if (!p)
		abort();
	while (s < end && n_lines < FUZZ_MAX_LINES) {
		const char *eol = memchr(s, '\n', (size_t)(end - s));
		size_t n = eol ? (size_t)(eol - s) : (size_t)(end - s);
		char *line = strndup(s, n);

		if (!line)
			abort();
		len[n_lines++] = strlen(line);
		wgconf_parser_line(p, line);
		free(line);
		s += n + 1;
	}
	ret = wgconf_parser_finish(p, &dev);
	for (size_t i = 0; i < wgconf_parser_nerrors(p); i++) {
		const struct wgconf_error *e = wgconf_parser_error(p, i);

		if (!e->message[0] || !e->line || e->line > n_lines || e->column > len[e->line - 1] + 1) {
			fprintf(stderr, "misplaced error %u:%u: %s\n", e->line, e->column, e->message);
			abort();
		}
	}
	if (!ret) {
		copy = wgconf_device_dup(dev);
		wgconf_device_free(copy);
		wgconf_device_free(dev);
	}
	wgconf_parser_free(p);
	return 0;
}
