/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_LANG_LABKEYS_H
#define LAB_LANG_LABKEYS_H

struct lab;

/* Hides, in text (in place), the literal private and preshared keys the
 * lab's statements hold, and any other word shaped as a key that is not a
 * public key of the lab's (netns/wg/wgkey.h wgkey_redact), for output
 * made of scenario text without a run: the description in `wglab graph`,
 * `wglab check --expand`. */
void labkeys_redact(const struct lab *lab, char *text);

#endif
