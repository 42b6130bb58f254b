/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_UTIL_NAME_H
#define NETNS_UTIL_NAME_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The one rule for the names wglab makes things from (nodes, labs, twins,
 * labels), wherever they come from: a scenario, the command line, a lab
 * record read back.  Letters, digits, '-', '_', '.'; not starting with
 * '-' or '.' (so never ".", "..", an option or a hidden file); at most
 * NAME_MAX_LEN bytes.  Such a name is one path component and one word.
 */
#define NAME_MAX_LEN 32
/* A lab's name, which prefixes its nodes' (LAB-NODE under /run/netns). */
#define NAME_MAX_LAB 24

bool name_valid(const char *s);
bool name_lab_valid(const char *s);
/* The same characters, at most max bytes (names made of names, such as
 * the netns mount LAB-NODE). */
bool name_valid_max(const char *s, size_t max);

#endif
