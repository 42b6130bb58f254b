// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "netns/ifindex.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>

/* An interface name the lab knows the index of. */
struct ifindex_entry {
	char name[IF_NAMESIZE];
	int index;
};

struct ifindex_cache {
	struct ifindex_entry *e;
	size_t n;
	int next_index;
};

struct ifindex_cache *ifindex_cache_new(int hint)
{
	struct ifindex_cache *c = xcalloc(1, sizeof(*c));

	c->next_index = hint;
	return c;
}

void ifindex_cache_free(struct ifindex_cache *c)
{
	if (!c)
		return;
	free(c->e);
	free(c);
}

int ifindex_hint(const struct ifindex_cache *c)
{
	return c->next_index;
}

void ifindex_hint_set(struct ifindex_cache *c, int next)
{
	if (c->next_index && next > c->next_index)
		c->next_index = next;
}

int ifindex_lookup(const struct ifindex_cache *c, const char *name)
{
	size_t i;

	/* Newest first: a link is usually used right after it was made. */
	for (i = c->n; i-- > 0;)
		if (!strcmp(c->e[i].name, name))
			return c->e[i].index;
	return 0;
}

void ifindex_forget(struct ifindex_cache *c, const char *name)
{
	size_t i;

	for (i = c->n; i-- > 0;) {
		if (strcmp(c->e[i].name, name))
			continue;
		memmove(&c->e[i], &c->e[i + 1], (c->n - i - 1) * sizeof(*c->e));
		c->n--;
		return;
	}
}

int ifindex_remember(struct ifindex_cache *c, const char *name, int index)
{
	struct ifindex_entry *e;
	size_t i, len = strlen(name);

	if (index <= 0 || !len || len >= IF_NAMESIZE)
		return -EINVAL;
	ifindex_hint_set(c, index + 1);
	for (i = c->n; i-- > 0;) {
		if (!strcmp(c->e[i].name, name)) {
			c->e[i].index = index;
			return 0;
		}
	}
	c->e = xgrow(c->e, c->n, sizeof(*c->e));
	e = &c->e[c->n++];
	memcpy(e->name, name, len + 1);
	e->index = index;
	return 0;
}
