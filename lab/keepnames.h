/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_KEEPNAMES_H
#define LAB_KEEPNAMES_H

#include <stdbool.h>

struct stmt;

/*
 * The names a kept lab's nodes and lans take: LAB-NODE under the run dir
 * (netns_run_dir()), and /etc/netns/LAB-NODE when etc (written for `ip
 * netns exec`, as root only).  One name for several labs (lab h3x's node
 * b-c, lab h3x-b's node c), and for other tools (ip netns add, a user's
 * /etc/netns files).  What a dead record of lab `name` itself left is not
 * in the way (up removes it first); its live one's is (apply).
 *
 * The first node or lan statement from `from` on whose name is
 * another's, NULL when none; *ret_why (malloc'd) is then the rest of a
 * message, "would be kept as DIR/MOUNT, which ...", ending with `choose`
 * (a hint, "choose another name with --name") when another holds it.
 */
const struct stmt *keepnames_taken(const struct stmt *from, const char *name, bool etc, const char *choose,
				   char **ret_why);

#endif
