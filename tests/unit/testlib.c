// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "tests/unit/testlib.h"

#include <stdio.h>

const char *tl_fixture_path(const char *name)
{
	static char path[4096];

	snprintf(path, sizeof(path), "tests/unit/fixtures/%s", name);
	return path;
}
