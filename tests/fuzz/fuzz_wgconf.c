// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * The wg-quick configuration parser, fed line by line as the scenario's
 * wg-quick blocks are; a parsed device is copied and freed too.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "netns/wgconf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wgconf_parser *p = wgconf_parser_new();
	struct wgconf_device *dev = NULL, *copy;
	const char *s = (const char *)data, *end = s + size;

	if (!p)
		abort();
	while (s < end) {
		const char *eol = memchr(s, '\n', (size_t)(end - s));
		size_t n = eol ? (size_t)(eol - s) : (size_t)(end - s);
		char *line = strndup(s, n);

		if (!line)
			abort();
		wgconf_parser_line(p, line);
		free(line);
		s += n + 1;
	}
	for (size_t i = 0; i < wgconf_parser_nerrors(p); i++)
		if (!wgconf_parser_error(p, i)->message[0])
			abort();
	if (!wgconf_parser_finish(p, &dev)) {
		copy = wgconf_device_dup(dev);
		wgconf_device_free(copy);
		wgconf_device_free(dev);
	}
	wgconf_parser_free(p);
	return 0;
}
