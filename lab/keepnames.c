// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* Whether the names a kept lab's nodes would take are free (up, apply). */
#include "lab/keepnames.h"
#include "lab/cli.h"
#include "lab/host/labdir.h"
#include "lab/lang/model.h"
#include "netns/nsmount.h"
#include "netns/util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* Who has mount (at where), as the rest of a message. */
static char *keepnames_owner(const char *where, const char *mount, const char *choose)
{
	char *owner = NULL, *why;
	bool alive = false;

	if (labdir_mount_owner(mount, &owner, &alive) < 0)
		why = xasprintf("would be kept as %s/%s, which is there and not made by wglab (%s)", where, mount,
				choose);
	else if (alive)
		why = xasprintf("would be kept as %s/%s, which lab '%s' holds (%s)", where, mount, owner, choose);
	else
		why = xasprintf("would be kept as %s/%s, which the dead lab '%s' left (`%s down %s` removes it)",
				where, mount, owner, prog_name, owner);
	free(owner);
	return why;
}

const struct stmt *keepnames_taken(const struct stmt *from, const char *name, bool etc, const char *choose,
				   char **ret_why)
{
	char mount[256];

	for (const struct stmt *s = from; s; s = s->next) {
		const char *node = s->kind == STMT_NODE ? s->node.name : s->kind == STMT_LAN ? s->lan.name : NULL;
		char *owner = NULL;
		bool alive = false, own;
		int taken[2];

		if (!node || labdir_mount_name(name, node, s->kind == STMT_LAN, mount, sizeof(mount)) < 0)
			continue;
		taken[0] = netns_name_taken(mount);
		taken[1] = etc ? netns_etc_taken(mount) : 0;
		if (!taken[0] && !taken[1])
			continue;
		own = !labdir_mount_owner(mount, &owner, &alive) && !strcmp(owner, name) && !alive;
		free(owner);
		if (own)
			continue;
		*ret_why = keepnames_owner(taken[0] ? netns_run_dir() : "/etc/netns", mount, choose);
		return s;
	}
	return NULL;
}
