/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_LANG_VALIDATE_H
#define LAB_LANG_VALIDATE_H

struct diags;
struct lab;

/* Cross-statement checks in statement order: references, duplicates,
 * address families, names.  Adds to d; returns 0 or -EINVAL. */
int scenario_validate(struct lab *lab, struct diags *d);

#endif
