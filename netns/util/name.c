// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "netns/util/name.h"

#include <string.h>

bool name_valid(const char *s)
{
	return name_valid_max(s, NAME_MAX_LEN);
}

bool name_valid_max(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;

	if (!n || n > max || s[0] == '-' || s[0] == '.')
		return false;
	/* Not isalnum(): the locale must not widen the rule. */
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '-' || *s == '_' || *s == '.'))
			return false;
	return true;
}

bool name_lab_valid(const char *s)
{
	return name_valid(s) && strlen(s) <= NAME_MAX_LAB;
}
