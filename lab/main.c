// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include <stdio.h>

int main(void)
{
	puts("wglab");
	return 0;
}
