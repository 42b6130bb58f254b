// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "lab/lang/parse_value.h"
#include "lab/lang/pctx.h"
#include "lab/lang/lexer.h"
#include "netns/util/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

int parse_u32(struct pctx *c, size_t i, uint32_t min, uint32_t max, uint32_t *ret)
{
	const char *s = c->t->v[i].text;
	unsigned long long v;
	char *end;

	errno = 0;
	if (!isdigit((unsigned char)s[0]))
		goto bad;
	v = strtoull(s, &end, 0);
	if (*end || errno)
		goto bad;
	if (v < min || v > max) {
		perr(c, i, "'%s' is out of range (%u-%u)", s, min, max);
		return -ERANGE;
	}
	*ret = (uint32_t)v;
	return 0;
bad:
	perr(c, i, "'%s' is not a number", s);
	return -EINVAL;
}

static int parse_scaled(const char *s, double *ret, const char **ret_unit)
{
	char *end;
	double v;

	if (!isdigit((unsigned char)s[0]) && s[0] != '.')
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || !isfinite(v) || v < 0)
		return -EINVAL;
	*ret = v;
	*ret_unit = end;
	return 0;
}

int parse_duration_ms(struct pctx *c, size_t i, unsigned int *ret)
{
	static const struct {
		const char *unit;
		double ms;
	} units[] = { { "", 1000 }, { "s", 1000 }, { "ms", 1 }, { "m", 60000 }, { "min", 60000 } };
	const char *s = c->t->v[i].text, *unit;
	double v;
	size_t k;

	if (parse_scaled(s, &v, &unit) < 0)
		goto bad;
	for (k = 0; k < sizeof(units) / sizeof(units[0]); k++) {
		if (strcmp(unit, units[k].unit))
			continue;
		v *= units[k].ms;
		if (v > 24.0 * 3600 * 1000) {
			perr(c, i, "duration '%s' is too long (at most 24 h)", s);
			return -ERANGE;
		}
		*ret = (unsigned int)llround(v);
		return 0;
	}
bad:
	perr(c, i, "'%s' is not a duration (e.g. 2s, 500ms)", s);
	return -EINVAL;
}

int parse_rate(struct pctx *c, size_t i, uint64_t *ret)
{
	static const struct {
		const char *unit;
		double bps;
	} units[] = {
		{ "", 1 }, { "bit", 1 }, { "kbit", 1e3 }, { "mbit", 1e6 }, { "gbit", 1e9 },
		{ "kbps", 8e3 }, { "mbps", 8e6 }, { "gbps", 8e9 }, { "bps", 8 },
		{ "k", 1e3 }, { "m", 1e6 }, { "g", 1e9 },
	};
	const char *s = c->t->v[i].text, *unit;
	char low[16];
	double v;
	size_t k;

	if (parse_scaled(s, &v, &unit) < 0 || strlen(unit) >= sizeof(low))
		goto bad;
	for (k = 0; unit[k]; k++)
		low[k] = (char)tolower((unsigned char)unit[k]);
	low[k] = '\0';
	/* "Mbit/s" reads as "mbit". */
	if (k > 2 && !strcmp(low + k - 2, "/s"))
		low[k - 2] = '\0';
	for (k = 0; k < sizeof(units) / sizeof(units[0]); k++) {
		if (strcmp(low, units[k].unit))
			continue;
		v *= units[k].bps;
		if (v < 1 || v > 1e13)
			break;
		*ret = (uint64_t)llround(v);
		return 0;
	}
bad:
	perr(c, i, "'%s' is not a rate (e.g. 100mbit, 1gbit)", s);
	return -EINVAL;
}

int parse_node_name(struct pctx *c, size_t i, char **ret)
{
	const char *s = c->t->v[i].text;

	if (!name_valid(s)) {
		perr(c, i, "invalid node name '%s' (letters, digits, '-', '_', '.'; at most 32 bytes)", s);
		return -EINVAL;
	}
	if (!c->node_loc.col)
		c->node_loc = pctx_loc(c, i);
	*ret = xstrdup(s);
	return 0;
}

bool ifname_valid(const char *s, const char **why)
{
	size_t n = strlen(s);

	if (!n) {
		*why = "is empty";
		return false;
	}
	if (n >= IF_NAMESIZE) {
		*why = "is longer than 15 bytes";
		return false;
	}
	if (!strcmp(s, ".") || !strcmp(s, "..")) {
		*why = "is reserved";
		return false;
	}
	for (; *s; s++) {
		if (*s == '/' || *s == ':' || isspace((unsigned char)*s) || !isprint((unsigned char)*s)) {
			*why = "has a character the kernel refuses ('/', ':', blanks)";
			return false;
		}
	}
	return true;
}

int parse_ifref(struct pctx *c, size_t i, struct ifref *ret)
{
	const char *s = c->t->v[i].text, *colon = strchr(s, ':'), *why;
	struct ifref r = { 0 };

	if (!colon || colon == s || !colon[1]) {
		perr(c, i, "'%s' is not NODE:INTERFACE", s);
		return -EINVAL;
	}
	r.node = xstrndup(s, (size_t)(colon - s));
	if (!name_valid(r.node)) {
		perr(c, i, "invalid node name '%s'", r.node);
		free(r.node);
		return -EINVAL;
	}
	if (!ifname_valid(colon + 1, &why)) {
		perr(c, i, "interface name '%s' %s", colon + 1, why);
		free(r.node);
		return -EINVAL;
	}
	strcpy(r.ifname, colon + 1);
	r.loc = pctx_loc(c, i);
	*ret = r;
	return 0;
}

int parse_addr(struct pctx *c, size_t i, unsigned int flags, struct addr *ret)
{
	const char *s = c->t->v[i].text;
	int r = addr_parse(s, flags, ret);

	if (r == -ERANGE)
		perr(c, i, "prefix length of '%s' is too long", s);
	else if (r < 0 && (flags & ADDR_PARSE_NEED_PREFIX) && !strchr(s, '/') &&
		 addr_parse(s, 0, ret) == 0)
		perr(c, i, "'%s' needs a prefix length (e.g. %s/24)", s, s);
	else if (r < 0 && strchr(s, '/') && !(flags & (ADDR_PARSE_PREFIX | ADDR_PARSE_NEED_PREFIX)))
		perr(c, i, "'%s': a prefix length is not allowed here", s);
	else if (r < 0)
		perr(c, i, "'%s' is not an IP address", s);
	return r < 0 ? -EINVAL : 0;
}

int parse_addr_port(struct pctx *c, size_t i, bool allow_wild, struct addr *ret, uint16_t *ret_port,
		    bool *ret_any_port)
{
	const char *s = c->t->v[i].text, *port;
	char host[INET6_ADDRSTRLEN + 2];
	unsigned long p;
	char *end;
	size_t n;

	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (!close || close[1] != ':')
			goto bad;
		n = (size_t)(close - s - 1);
		port = close + 2;
		s++;
	} else {
		port = strrchr(s, ':');
		if (!port || memchr(s, ':', (size_t)(port - s)))
			goto bad;
		n = (size_t)(port - s);
		port++;
	}
	if (n >= sizeof(host))
		goto bad;
	memcpy(host, s, n);
	host[n] = '\0';
	if (addr_parse(host, 0, ret) < 0)
		goto bad;
	if (ret_any_port)
		*ret_any_port = false;
	if (allow_wild && !strcmp(port, "*")) {
		*ret_port = 0;
		if (ret_any_port)
			*ret_any_port = true;
		return 0;
	}
	errno = 0;
	p = strtoul(port, &end, 10);
	if (!isdigit((unsigned char)port[0]) || *end || errno || p < 1 || p > UINT16_MAX)
		goto bad;
	*ret_port = (uint16_t)p;
	return 0;
bad:
	perr(c, i, "'%s' is not ADDRESS:PORT (IPv6 as [ADDRESS]:PORT)", c->t->v[i].text);
	return -EINVAL;
}

int parse_size(struct pctx *c, size_t i, uint64_t *ret)
{
	static const struct {
		const char *unit;
		uint64_t mult;
	} units[] = { { "", 1 }, { "B", 1 }, { "K", 1024 }, { "KiB", 1024 }, { "KB", 1000 },
		      { "M", 1048576 }, { "MiB", 1048576 }, { "MB", 1000000 } };
	const char *s = c->t->v[i].text;
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (end != s && !errno && s[0] != '-') {
		for (size_t k = 0; k < sizeof(units) / sizeof(units[0]); k++) {
			if (!strcmp(end, units[k].unit)) {
				*ret = v * units[k].mult;
				return 0;
			}
		}
	}
	perr(c, i, "'%s' is not a size (e.g. 1000, 64K, 2MiB)", s);
	return -EINVAL;
}
