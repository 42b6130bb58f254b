// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "lab/lang/parse_value.h"
#include "lab/lang/pctx.h"
#include "lab/lang/lexer.h"
#include "netns/util/number.h"
#include "netns/util/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

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

bool host_name_valid(const char *h)
{
	size_t n = strlen(h), label = 0;
	struct addr a;

	if (!n || n > 253 || addr_parse(h, 0, &a) == 0)
		return false;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || h[i] == '.') {
			if (!label || h[i - 1] == '-')
				return false;
			label = 0;
		} else if (isalnum((unsigned char)h[i]) || (h[i] == '-' && label)) {
			if (++label > 63)
				return false;
		} else {
			return false;
		}
	}
	return true;
}

int parse_dest(struct pctx *c, size_t i, struct addr *ret, struct ifref *ret_ref)
{
	const char *s = c->t->v[i].text, *colon = strchr(s, ':');

	if (addr_parse(s, 0, ret) == 0)
		return 0;
	if (colon && !strchr(colon + 1, ':') && isalpha((unsigned char)s[0]))
		return parse_ifref(c, i, ret_ref);
	if (!colon && isalpha((unsigned char)s[0]) && !strchr(s, '/')) {
		/* a node, or a host name of one (`node NODE name HOST`) */
		if (!name_valid(s) && !host_name_valid(s)) {
			perr(c, i, "invalid node name '%s' (letters, digits, '-', '_', '.'; at most 32 bytes)", s);
			return -EINVAL;
		}
		*ret_ref = (struct ifref){ .node = xstrdup(s), .loc = pctx_loc(c, i) };
		return 0;
	}
	return parse_addr(c, i, 0, ret);
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
	const char *why;
	uint32_t p;
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
	if (number_u32(port, 0, 1, UINT16_MAX, &p, &why) < 0)
		goto bad;
	*ret_port = (uint16_t)p;
	return 0;
bad:
	perr(c, i, "'%s' is not ADDRESS:PORT (IPv6 as [ADDRESS]:PORT)", c->t->v[i].text);
	return -EINVAL;
}
