// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "netns/link.h"
#include "netns/ns.h"
#include "netns/ready.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/if_addr.h>

/* The scope column of /proc/net/if_inet6 is the kernel's address type
 * (include/net/ipv6.h IPV6_ADDR_LINKLOCAL, not in the UAPI headers), not
 * an RT_SCOPE_* value. */
#define READY_IPV6_ADDR_LINKLOCAL 0x0020U

/* /proc/thread-self/net follows the calling thread's namespace. */
static FILE *ready_proc_net(struct netns *ns, const char *name)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/thread-self/net/%s", name);
	if (netns_enter(ns) < 0)
		return NULL;
	f = fopen(path, "re");
	netns_leave();
	return f;
}

static bool ready_joined(FILE *igmp6, const char *ifname, const char *group)
{
	char line[256], name[IF_NAMESIZE + 1], g[33];

	rewind(igmp6);
	while (fgets(line, sizeof(line), igmp6))
		if (sscanf(line, "%*d %16s %32s", name, g) == 2 && !strcmp(name, ifname) &&
		    !strcmp(g, group))
			return true;
	return false;
}

static bool ready_ipv6(struct netns *ns, const char *ifname, bool noarp)
{
	char line[256], name[IF_NAMESIZE + 1], a[33], group[33];
	unsigned int index, plen, scope, flags;
	bool link_local = false, ready = true;
	FILE *f = ready_proc_net(ns, "if_inet6"), *igmp6 = NULL;

	if (!f)
		return true;	/* no IPv6 */
	if (!noarp)
		igmp6 = ready_proc_net(ns, "igmp6");
	while (ready && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%32s %x %x %x %x %16s", a, &index, &plen, &scope, &flags, name) != 6 ||
		    strcmp(name, ifname))
			continue;
		link_local |= scope == READY_IPV6_ADDR_LINKLOCAL;
		snprintf(group, sizeof(group), "ff0200000000000000000001ff%s", a + 26);
		ready = !(flags & IFA_F_TENTATIVE) && (noarp || (igmp6 && ready_joined(igmp6, ifname, group)));
	}
	fclose(f);
	if (igmp6)
		fclose(igmp6);
	return (link_local || noarp) && ready;
}

int link_ready(struct netns *ns, const char *ifname, bool *ret)
{
	struct link_info info;
	int err = link_get(ns, ifname, &info);

	if (err < 0)
		return err;
	*ret = (info.flags & IFF_RUNNING) && ready_ipv6(ns, ifname, info.flags & IFF_NOARP);
	return 0;
}
