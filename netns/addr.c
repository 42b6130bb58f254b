// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "netns/addr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

size_t addr_len(int family)
{
	return family == AF_INET6 ? 16 : family == AF_INET ? 4 : 0;
}

int addr_parse(const char *s, unsigned int flags, struct addr *ret)
{
	char buf[INET6_ADDRSTRLEN + 8];
	struct addr a = { 0 };
	const char *slash;
	unsigned long len;
	char *end;

	slash = strchr(s, '/');
	if (slash) {
		if (!(flags & (ADDR_PARSE_PREFIX | ADDR_PARSE_NEED_PREFIX)))
			return -EINVAL;
		if ((size_t)(slash - s) >= sizeof(buf))
			return -EINVAL;
		memcpy(buf, s, slash - s);
		buf[slash - s] = '\0';
	} else {
		if (flags & ADDR_PARSE_NEED_PREFIX)
			return -EINVAL;
		if (strlen(s) >= sizeof(buf))
			return -EINVAL;
		strcpy(buf, s);
	}
	if (inet_pton(AF_INET, buf, &a.v4) == 1)
		a.family = AF_INET;
	else if (inet_pton(AF_INET6, buf, &a.v6) == 1)
		a.family = AF_INET6;
	else
		return -EINVAL;
	a.prefixlen = a.family == AF_INET ? 32 : 128;
	if (slash) {
		if (slash[1] < '0' || slash[1] > '9')
			return -EINVAL;
		errno = 0;
		len = strtoul(slash + 1, &end, 10);
		if (*end || errno || end - (slash + 1) > 3)
			return -EINVAL;
		if (len > a.prefixlen)
			return -ERANGE;
		a.prefixlen = (uint8_t)len;
	}
	*ret = a;
	return 0;
}

const char *addr_format(const struct addr *a, bool with_prefix, char *buf, size_t len)
{
	char tmp[INET6_ADDRSTRLEN];

	if (!inet_ntop(a->family, a->bytes, tmp, sizeof(tmp)))
		snprintf(tmp, sizeof(tmp), "?");
	if (with_prefix)
		snprintf(buf, len, "%s/%u", tmp, a->prefixlen);
	else
		snprintf(buf, len, "%s", tmp);
	return buf;
}

bool addr_equal(const struct addr *a, const struct addr *b)
{
	return a->family == b->family && !memcmp(a->bytes, b->bytes, addr_len(a->family));
}

void addr_network(const struct addr *a, struct addr *ret)
{
	size_t i, n = addr_len(a->family);
	unsigned int bits = a->prefixlen;

	*ret = *a;
	for (i = 0; i < n; i++) {
		if (bits >= 8) {
			bits -= 8;
			continue;
		}
		ret->bytes[i] &= (uint8_t)(0xff << (8 - bits));
		bits = 0;
	}
}

bool addr_contains(const struct addr *a, const struct addr *b)
{
	struct addr na, nb;

	if (a->family != b->family)
		return false;
	addr_network(a, &na);
	nb = *b;
	nb.prefixlen = a->prefixlen;
	addr_network(&nb, &nb);
	return !memcmp(na.bytes, nb.bytes, addr_len(a->family));
}

bool addr_is_any(const struct addr *a)
{
	static const uint8_t zero[16];

	return !memcmp(a->bytes, zero, addr_len(a->family));
}
