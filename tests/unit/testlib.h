/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef TESTS_TESTLIB_H
#define TESTS_TESTLIB_H

#include <stddef.h>

/* Path of a file under tests/unit/fixtures/. */
const char *tl_fixture_path(const char *name);

#endif
