/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_BENCH_SVG_H
#define LAB_BENCH_SVG_H

#include <stdio.h>

struct bench;

/* The chart (bench_svg.c): one panel per unit, groups per measure, a bar
 * per scenario variant with min-max error bars. */
int bench_write_svg(FILE *f, const struct bench *b);

#endif
