/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_UTIL_NOW_H
#define NETNS_UTIL_NOW_H

#include <stdint.h>

/* The monotonic clock (CLOCK_MONOTONIC): deadlines and durations. */
uint64_t now_ms(void);
uint64_t now_us(void);

#endif
