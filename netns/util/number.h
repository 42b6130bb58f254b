/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_UTIL_NUMBER_H
#define NETNS_UTIL_NUMBER_H

#include <stdint.h>

/*
 * The one reader of numbers written by users (scenarios, pasted configs,
 * firewall rules).  A number is the whole string: decimal digits, no sign,
 * no blanks, and no leading zero ("0" itself is fine), because iproute2
 * reads "01500" as octal where wg and humans read decimal; such a number is
 * refused rather than guessed.  Hexadecimal ("0x1f") only with NUMBER_HEX:
 * marks and masks, which ip and wg print in hex.
 *
 * Each returns 0, -EINVAL (not such a value: *ret_why says why, a phrase
 * like "has a leading zero") or -ERANGE (outside [min, max]).
 */
enum {
	NUMBER_HEX = 1U << 0,
};
/* The *ret_why of a value without its unit, and of a leading zero. */
extern const char number_no_unit[];
extern const char number_leading_zero[];

int number_u64(const char *s, unsigned int flags, uint64_t min, uint64_t max, uint64_t *ret,
	       const char **ret_why);
int number_u32(const char *s, unsigned int flags, uint32_t min, uint32_t max, uint32_t *ret,
	       const char **ret_why);
/* DIGITS[.DIGITS]UNIT with unit ms, s, m or min (a unit is required);
 * at most 24 h. */
int number_duration_ms(const char *s, uint64_t *ret_ms, const char **ret_why);
/* DIGITS[.DIGITS]UNIT with unit bit, kbit, mbit, gbit, bps, kbps, mbps,
 * gbps, k, m, g (any case, "/s" allowed: "Mbit/s"); a unit is required. */
int number_rate_bps(const char *s, uint64_t *ret_bps, const char **ret_why);
/* DIGITS[UNIT]: bytes, B, K/KiB (1024), KB (1000), M/MiB, MB, G/GiB, GB. */
int number_size(const char *s, uint64_t *ret, const char **ret_why);

#endif
