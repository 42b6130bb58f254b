/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_UTIL_STRMAP_H
#define NETNS_UTIL_STRMAP_H

#include <stddef.h>

/*
 * A map from strings to opaque values: open addressing, FNV-1a, doubled
 * when half full, so that name lookups in a scenario of 100 000 lines cost
 * the same as in one of ten.  Keys are owned copies; values are the
 * caller's.  A zeroed struct strmap is an empty map.
 */
struct strmap {
	char **keys;
	void **vals;
	size_t cap, n;
};

/* key's value slot, NULL when key is not there. */
void **strmap_get(const struct strmap *m, const char *key);
/* Adds key (copied) with val unless it is there; returns its value slot
 * either way (aborts when out of memory). */
void **strmap_put(struct strmap *m, const char *key, void *val);
/* Frees the keys and the table, and each value with free_val (NULL: the
 * values are the caller's); the map is empty after. */
void strmap_free(struct strmap *m, void (*free_val)(void *));

#endif
