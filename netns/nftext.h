/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_NFTEXT_H
#define NETNS_NFTEXT_H

#include <stddef.h>

struct netns;

/* Runs an nft(8) script (native nftables syntax) inside ns through
 * libnftables, as one transaction.  On failure returns -errno and leaves
 * libnftables' own error text (file:line:col positions relative to the
 * script) in err. */
int nftext_apply(struct netns *ns, const char *script, char *err, size_t errlen);

/* nftext_output() flags: JSON output; echo what was added, with handles. */
#define NFTEXT_JSON 1u
#define NFTEXT_ECHO 2u

/* As nftext_apply(), and what nft printed goes to *out (a string for the
 * caller to free; set only on success). */
int nftext_output(struct netns *ns, const char *script, unsigned int flags, char **out, char *err,
		  size_t errlen);

#endif
