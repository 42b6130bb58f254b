/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_LANG_EXPR_H
#define LAB_LANG_EXPR_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The arithmetic of ${...} in scenario lines and of `if` conditions:
 * 64-bit integers and addresses (an address plus or minus an integer is the
 * address that many further on, keeping its prefix length; the difference
 * of two addresses is an integer), + - * / %, comparisons, && || !, and
 * parentheses.  Names are the scenario's values (lab/lang/expand.c), looked
 * up through a callback.  Kernel-free: unit tests drive it from strings.
 */

/* The value of a name (one word), or NULL when there is none; *ret_list
 * is set when the name is a list of several words. */
typedef const char *(*expr_lookup)(void *data, const char *name, size_t len, bool *ret_list);

struct expr_error {
	size_t at;			/* byte offset in the text */
	char msg[192];
};

/* Evaluates text (len bytes).  0 with *ret (the value as text: decimal,
 * or an address with "/len" when it had one; caller frees), or -EINVAL
 * (-ERANGE on overflow) with e filled. */
int expr_eval(const char *text, size_t len, expr_lookup look, void *data, char **ret,
	      struct expr_error *e);
/* A condition: 0 with *ret (true when the integer is not 0), or -errno
 * with e filled (an address is no condition). */
int expr_test(const char *text, size_t len, expr_lookup look, void *data, bool *ret,
	      struct expr_error *e);

#endif
