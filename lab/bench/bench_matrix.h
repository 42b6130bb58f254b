/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_BENCH_MATRIX_H
#define LAB_BENCH_MATRIX_H

#include <stdbool.h>
#include <stddef.h>

struct lab;

/* The matrix of `wglab bench` (bench_matrix.c): which WireGuard data
 * paths and tunnel MTUs each scenario runs with. */

/* One combination of the matrix: wg NULL / mtu 0 when the scenario has no
 * WireGuard (they change nothing there). */
struct bench_combo {
	const char *wg;			/* "kernel", "userspace" */
	unsigned int mtu;
};

/* Splits "kernel,userspace" and "1280,1420" (either NULL: the scenario's
 * own) into combinations for a scenario with or without WireGuard.
 * ret is allocated (caller frees), pointing into wg_list's copy in
 * *ret_words (caller frees).  0 or -EINVAL (a bad MTU or wg mode). */
int bench_matrix(const char *wg_list, const char *mtu_list, bool has_wg, struct bench_combo **ret,
		 size_t *ret_n, char **ret_words);
/* Sets the MTU of every WireGuard interface the lab creates (wireguard
 * and wg-quick statements).  Returns how many it changed. */
size_t bench_override_mtu(struct lab *lab, unsigned int mtu);
bool bench_lab_has_wg(const struct lab *lab);

#endif
