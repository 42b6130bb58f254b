// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "assertions/route.h"
#include "assertions/verdict.h"
#include "netns/ns.h"
#include "netns/route.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/rtnetlink.h>

static const char *route_type_name(uint8_t type)
{
	switch (type) {
	case RTN_UNICAST:
		return "unicast";
	case RTN_LOCAL:
		return "local";
	case RTN_BLACKHOLE:
		return "blackhole";
	case RTN_UNREACHABLE:
		return "unreachable";
	case RTN_PROHIBIT:
		return "prohibit";
	default:
		return "other";
	}
}

/* "10.0.0.2 via 10.1.0.1 dev eth0 table main src 10.1.0.2", as ip prints. */
static void route_describe(const struct route *q, const struct route *got, char *buf, size_t len)
{
	char a[ADDR_STRLEN];
	int n = 0;

	if (got->type != RTN_UNICAST && got->type != RTN_LOCAL)
		n += snprintf(buf + n, len - (size_t)n, "%s ", route_type_name(got->type));
	n += snprintf(buf + n, len - (size_t)n, "%s", addr_format(&q->dst, false, a, sizeof(a)));
	if (got->flags & ROUTE_HAS_GW)
		n += snprintf(buf + n, len - (size_t)n, " via %s", addr_format(&got->gw, false, a, sizeof(a)));
	if (got->flags & ROUTE_HAS_DEV)
		n += snprintf(buf + n, len - (size_t)n, " dev %s", got->dev);
	if (got->flags & ROUTE_HAS_TABLE) {
		if (got->table == RT_TABLE_MAIN)
			n += snprintf(buf + n, len - (size_t)n, " table main");
		else if (got->table == RT_TABLE_LOCAL)
			n += snprintf(buf + n, len - (size_t)n, " table local");
		else
			n += snprintf(buf + n, len - (size_t)n, " table %u", got->table);
	}
	if ((got->flags & ROUTE_HAS_SRC) && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " src %s", addr_format(&got->src, false, a, sizeof(a)));
}

int expect_route(struct netns *ns, const struct route *q, const struct route *want,
		 struct verdict *ret)
{
	struct route got = { 0 };
	char desc[256], a[ADDR_STRLEN];
	bool held = true;
	int err;

	err = route_get(ns, q, &got);
	if (err < 0) {
		/* A lookup that finds no route is an answer, not a failure
		 * of the lab. */
		if (err != -ENETUNREACH && err != -EHOSTUNREACH && err != -EACCES && err != -EINVAL)
			return err;
		verdict_set(ret, (want->flags & ROUTE_HAS_TYPE) && want->type != RTN_UNICAST,
			    "route get %s: %s%s%s", addr_format(&q->dst, false, a, sizeof(a)),
			    strerror(-err), *netns_extack(ns) ? ": " : "", netns_extack(ns));
		return 0;
	}
	route_describe(q, &got, desc, sizeof(desc));
	verdict_set(ret, true, "route get: %s", desc);
	if ((want->flags & ROUTE_HAS_DEV) && strcmp(want->dev, got.dev)) {
		held = false;
		verdict_add(ret, "; wanted dev %s", want->dev);
	}
	if ((want->flags & ROUTE_HAS_GW) &&
	    (!(got.flags & ROUTE_HAS_GW) || !addr_equal(&want->gw, &got.gw))) {
		held = false;
		verdict_add(ret, "; wanted via %s", addr_format(&want->gw, false, a, sizeof(a)));
	}
	if ((want->flags & ROUTE_HAS_SRC) &&
	    (!(got.flags & ROUTE_HAS_SRC) || !addr_equal(&want->src, &got.src))) {
		held = false;
		verdict_add(ret, "; wanted src %s", addr_format(&want->src, false, a, sizeof(a)));
	}
	if ((want->flags & ROUTE_HAS_TABLE) && want->table != got.table) {
		held = false;
		verdict_add(ret, "; wanted table %u", want->table);
	}
	if ((want->flags & ROUTE_HAS_TYPE) && want->type != got.type) {
		held = false;
		verdict_add(ret, "; wanted %s", route_type_name(want->type));
	}
	ret->held = held;
	return 0;
}
