// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* Values of wg-quick and wg(8) configuration keys. */
#include "netns/wg/wgconf_value.h"
#include "netns/wg/wgconf.h"
#include "netns/util/number.h"
#include "netns/util/xalloc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <linux/rtnetlink.h>

static int wgconf_fail(struct wgconf_error *err, int ret, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int wgconf_fail(struct wgconf_error *err, int ret, size_t off, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		err->line = 0;
		err->column = (unsigned int)off + 1;
		va_start(ap, fmt);
		vsnprintf(err->message, sizeof(err->message), fmt, ap);
		va_end(ap);
	}
	return ret;
}

static bool wgconf_is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Decimal (or hex too when base 16) in [0, max], the whole string, no
 * leading zero (netns/util/number.h). */
static int wgconf_number(const char *s, int base, unsigned long max, unsigned long *ret)
{
	const char *why;
	uint64_t v;
	int r;

	r = number_u64(s, base == 16 ? NUMBER_HEX : 0, 0, max, &v, &why);
	if (r < 0)
		return r;
	*ret = (unsigned long)v;
	return 0;
}

int wgconf_parse_key(const char *value, uint8_t key[static WGKEY_LEN], char **ret_ref,
		     struct wgconf_error *err)
{
	if (value[0] == '@') {
		if (!value[1])
			return wgconf_fail(err, -EINVAL, 0, "empty key reference '@'");
		*ret_ref = xstrdup(value);
		return 0;
	}
	if (wgkey_from_base64(key, value) < 0)
		/* Never quoted: a mistyped key is still most of a key. */
		return wgconf_fail(err, -EINVAL, 0,
				   "key is not the correct length or format (%zu characters; a key is 44 of base64, ending in '=')",
				   strlen(value));
	return 0;
}

/* Splits value on ',' (and whitespace when ws) and calls fn on each item;
 * empty items are errors unless ws (wg-quick word splitting drops them). */
static int wgconf_split(const char *value, bool ws, int (*fn)(const char *item, size_t off, void *data),
			void *data, struct wgconf_error *err)
{
	const char *p = value;
	char item[256];
	int ret;

	for (;;) {
		size_t len = 0, off;

		while (ws && (*p == ',' || wgconf_is_space(*p)))
			p++;
		if (ws && !*p)
			return 0;
		off = (size_t)(p - value);
		while (p[len] && p[len] != ',' && !(ws && wgconf_is_space(p[len])))
			len++;
		if (!len)
			return wgconf_fail(err, -EINVAL, off, "empty item in list '%s'", value);
		if (len >= sizeof(item))
			return wgconf_fail(err, -EINVAL, off, "item too long in list");
		memcpy(item, p, len);
		item[len] = '\0';
		ret = fn(item, off, data);
		if (ret < 0)
			return ret;
		p += len;
		if (!*p)
			return 0;
		if (!ws)
			p++;	/* the ',' */
	}
}

struct wgconf_split_ctx {
	void *obj;
	struct wgconf_error *err;
};

static int wgconf_address_item(const char *item, size_t off, void *data)
{
	struct wgconf_split_ctx *ctx = data;
	struct wgconf_device *dev = ctx->obj;
	struct addr a;
	int ret;

	ret = addr_parse(item, ADDR_PARSE_PREFIX, &a);
	if (ret < 0)
		return wgconf_fail(ctx->err, -EINVAL, off, "address is not in the correct format: '%s'",
				   item);
	wgconf_device_add_address(dev, &a);
	return 0;
}

int wgconf_parse_addresses(struct wgconf_device *dev, const char *value, struct wgconf_error *err)
{
	struct wgconf_split_ctx ctx = { dev, err };

	return wgconf_split(value, true, wgconf_address_item, &ctx, err);
}

static int wgconf_allowedip_item(const char *item, size_t off, void *data)
{
	struct wgconf_split_ctx *ctx = data;
	struct wgconf_peer *peer = ctx->obj;
	unsigned int flags = 0;
	const char *slash, *ip = item;
	char host[INET6_ADDRSTRLEN + 1];
	unsigned long cidr;
	struct addr a = { 0 };
	size_t hlen;

	if (*ip == '-' || *ip == '+') {
		if (*ip == '-')
			flags |= WGCONF_IP_REMOVE;
		peer->flags &= ~WGCONF_PEER_REPLACE_ALLOWEDIPS;
		ip++;
	}
	slash = strchr(ip, '/');
	hlen = slash ? (size_t)(slash - ip) : strlen(ip);
	if (hlen >= sizeof(host))
		goto bad;
	memcpy(host, ip, hlen);
	host[hlen] = '\0';
	/* As wg: the family is decided by the presence of ':'. */
	if (strchr(host, ':') ? inet_pton(AF_INET6, host, &a.v6) == 1 :
				inet_pton(AF_INET, host, &a.v4) == 1)
		a.family = strchr(host, ':') ? AF_INET6 : AF_INET;
	else
		goto bad;
	cidr = a.family == AF_INET ? 32 : 128;
	if (slash && wgconf_number(slash + 1, 10, cidr, &cidr) < 0)
		goto bad;
	a.prefixlen = (uint8_t)cidr;
	wgconf_peer_add_allowedip(peer, &a, flags);
	return 0;
bad:
	return wgconf_fail(ctx->err, -EINVAL, off, "AllowedIP is not in the correct format: '%s'", item);
}

int wgconf_parse_allowedips(struct wgconf_peer *peer, const char *value, struct wgconf_error *err)
{
	struct wgconf_split_ctx ctx = { peer, err };

	peer->flags |= WGCONF_PEER_REPLACE_ALLOWEDIPS;
	if (!*value)
		return 0;
	return wgconf_split(value, false, wgconf_allowedip_item, &ctx, err);
}

int wgconf_parse_port(const char *value, uint16_t *ret, struct wgconf_error *err)
{
	unsigned long v;

	if (!*value)
		return wgconf_fail(err, -EINVAL, 0, "unable to parse empty port");
	if (wgconf_number(value, 10, UINT16_MAX, &v) < 0)
		return wgconf_fail(err, -EINVAL, 0, "port is not a number from 0 to 65535: '%s'", value);
	*ret = (uint16_t)v;
	return 0;
}

int wgconf_parse_endpoint(struct wgconf_peer *peer, const char *value, struct wgconf_error *err)
{
	const char *host = value, *colon;
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in in = { .sin_family = AF_INET };
	size_t hlen, port_off;
	char *h = NULL;
	uint16_t port;
	int ret;

	if (!*value)
		return wgconf_fail(err, -EINVAL, 0, "unable to parse empty endpoint");
	if (value[0] == '[') {
		host = value + 1;
		colon = strchr(value, ']');
		if (!colon)
			return wgconf_fail(err, -EINVAL, 0,
					   "unable to find matching brace of endpoint: '%s'", value);
		hlen = (size_t)(colon - host);
		if (colon[1] != ':' || !colon[2])
			return wgconf_fail(err, -EINVAL, (size_t)(colon - value) + 1,
					   "unable to find port of endpoint: '%s'", value);
		colon++;
	} else {
		colon = strrchr(value, ':');
		if (!colon || !colon[1])
			return wgconf_fail(err, -EINVAL, colon ? (size_t)(colon - value) : strlen(value),
					   "unable to find port of endpoint: '%s'", value);
		hlen = (size_t)(colon - host);
	}
	port_off = (size_t)(colon - value) + 1;
	if (!hlen)
		return wgconf_fail(err, -EINVAL, 0, "endpoint has no host: '%s'", value);
	ret = wgconf_parse_port(colon + 1, &port, err);
	if (ret < 0) {
		if (err)
			err->column += (unsigned int)port_off;
		return ret;
	}
	h = xstrndup(host, hlen);
	peer->flags &= ~WGCONF_PEER_HAS_ENDPOINT;
	if (inet_pton(AF_INET, h, &in.sin_addr) == 1) {
		in.sin_port = htons(port);
		wgconf_peer_set_endpoint(peer, (struct sockaddr *)&in, sizeof(in));
	} else if (inet_pton(AF_INET6, h, &in6.sin6_addr) == 1) {
		in6.sin6_port = htons(port);
		wgconf_peer_set_endpoint(peer, (struct sockaddr *)&in6, sizeof(in6));
	}
	free(peer->endpoint_host);
	peer->endpoint_host = h;
	peer->endpoint_port = port;
	return 0;
}

int wgconf_parse_fwmark(const char *value, uint32_t *ret, struct wgconf_error *err)
{
	unsigned long v;
	int base = 10;

	if (!strcasecmp(value, "off")) {
		*ret = 0;
		return 0;
	}
	if (strlen(value) > 2 && value[0] == '0' && value[1] == 'x')
		base = 16;
	if (wgconf_number(value, base, UINT32_MAX, &v) < 0)
		return wgconf_fail(err, -EINVAL, 0, "fwmark is neither 0/off nor 0-0xffffffff: '%s'", value);
	*ret = (uint32_t)v;
	return 0;
}

int wgconf_parse_keepalive(const char *value, uint16_t *ret, struct wgconf_error *err)
{
	unsigned long v;

	if (!strcasecmp(value, "off")) {
		*ret = 0;
		return 0;
	}
	if (wgconf_number(value, 10, UINT16_MAX, &v) < 0)
		return wgconf_fail(err, -EINVAL, 0,
				   "persistent keepalive interval is neither 0/off nor 1-65535: '%s'", value);
	*ret = (uint16_t)v;
	return 0;
}

int wgconf_parse_table(const char *value, enum wgconf_table *mode, uint32_t *table,
		       struct wgconf_error *err)
{
	static const struct {
		const char *name;
		uint32_t id;
	} names[] = {
		{ "default", RT_TABLE_DEFAULT }, { "main", RT_TABLE_MAIN }, { "local", RT_TABLE_LOCAL },
	};
	unsigned long v;
	size_t i;

	/* wg-quick compares these case-sensitively (after its parse). */
	if (!*value || !strcmp(value, "auto")) {
		*mode = WGCONF_TABLE_AUTO;
		*table = 0;
		return 0;
	}
	if (!strcmp(value, "off")) {
		*mode = WGCONF_TABLE_OFF;
		*table = 0;
		return 0;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(value, names[i].name)) {
			*mode = WGCONF_TABLE_ID;
			*table = names[i].id;
			return 0;
		}
	}
	if (wgconf_number(value, 10, UINT32_MAX, &v) < 0 || !v)
		return wgconf_fail(err, -EINVAL, 0,
				   "table is neither auto, off, main, local, default nor 1-4294967295: '%s'",
				   value);
	*mode = WGCONF_TABLE_ID;
	*table = (uint32_t)v;
	return 0;
}

int wgconf_parse_mtu(const char *value, unsigned int *ret, struct wgconf_error *err)
{
	unsigned long v;

	if (wgconf_number(value, 10, UINT16_MAX, &v) < 0 || v < 68)
		return wgconf_fail(err, -EINVAL, 0, "MTU is not a number from 68 to 65535: '%s'", value);
	*ret = (unsigned int)v;
	return 0;
}
