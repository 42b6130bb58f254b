// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "netns/fw/fw_error.h"
#include "netns/fw/fw.h"

#include <stdarg.h>
#include <stdio.h>

int fw_err(struct fw_error *err, unsigned int col, int code, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		err->column = col;
		err->err = code;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return code;
}
