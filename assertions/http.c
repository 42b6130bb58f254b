// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "assertions/http.h"
#include "assertions/verdict.h"
#include "traffic/http.h"
#include "netns/util/xalloc.h"

#include <stdlib.h>
#include <string.h>

int expect_gets(struct loop *l, struct netns *from, const char *url, const struct addr *at, unsigned int status,
		const char *body_contains, unsigned int wait_ms, struct verdict *ret)
{
	struct http_result *res = xcalloc(1, sizeof(*res));
	int err;

	err = http_get(l, from, url, at, wait_ms, res);
	if (err < 0) {
		free(res);
		return err;
	}
	verdict_set(ret, res->ok, "%s", res->evidence);
	if (res->ok && status && res->status != status) {
		ret->held = false;
		verdict_add(ret, "; wanted status %u", status);
	}
	if (res->ok && body_contains && !strstr(res->body, body_contains)) {
		ret->held = false;
		verdict_add(ret, "; the body does not contain \"%s\"", body_contains);
	}
	free(res);
	return 0;
}
