// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "assertions/verdict.h"

#include <stdio.h>
#include <string.h>

static void verdict_vadd(struct verdict *v, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static void verdict_vadd(struct verdict *v, const char *fmt, va_list ap)
{
	size_t n = strlen(v->evidence);

	if (n < sizeof(v->evidence) - 1)
		vsnprintf(v->evidence + n, sizeof(v->evidence) - n, fmt, ap);
}

void verdict_add(struct verdict *v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verdict_vadd(v, fmt, ap);
	va_end(ap);
}

void verdict_set(struct verdict *v, bool held, const char *fmt, ...)
{
	va_list ap;

	v->held = held;
	v->evidence[0] = '\0';
	va_start(ap, fmt);
	verdict_vadd(v, fmt, ap);
	va_end(ap);
}
