// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "netns/util/strmap.h"
#include "netns/util/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static size_t strmap_hash(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (size_t)h;
}

/* key's slot, or the empty one where it would go. */
static size_t strmap_index(const struct strmap *m, const char *key)
{
	size_t i = strmap_hash(key) & (m->cap - 1);

	while (m->keys[i] && strcmp(m->keys[i], key))
		i = (i + 1) & (m->cap - 1);
	return i;
}

void **strmap_get(const struct strmap *m, const char *key)
{
	size_t i;

	if (!m->cap)
		return NULL;
	i = strmap_index(m, key);
	return m->keys[i] ? &m->vals[i] : NULL;
}

static void strmap_grow(struct strmap *m)
{
	struct strmap bigger = { NULL, NULL, m->cap ? m->cap * 2 : 64, m->n };

	bigger.keys = xcalloc(bigger.cap, sizeof(*bigger.keys));
	bigger.vals = xcalloc(bigger.cap, sizeof(*bigger.vals));
	for (size_t i = 0; i < m->cap; i++) {
		size_t k;

		if (!m->keys[i])
			continue;
		k = strmap_index(&bigger, m->keys[i]);
		bigger.keys[k] = m->keys[i];
		bigger.vals[k] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	*m = bigger;
}

void **strmap_put(struct strmap *m, const char *key, void *val)
{
	void **slot = strmap_get(m, key);
	size_t i;

	if (slot)
		return slot;
	if ((m->n + 1) * 2 > m->cap)
		strmap_grow(m);
	i = strmap_index(m, key);
	m->keys[i] = xstrdup(key);
	m->vals[i] = val;
	m->n++;
	return &m->vals[i];
}

void strmap_free(struct strmap *m, void (*free_val)(void *))
{
	for (size_t i = 0; i < m->cap; i++) {
		if (m->keys[i] && free_val)
			free_val(m->vals[i]);
		free(m->keys[i]);
	}
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}
