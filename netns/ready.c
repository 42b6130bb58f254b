// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "netns/link.h"
#include "netns/ns.h"
#include "netns/ready.h"

#include "netns/util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
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

struct snap_link {
	char name[IF_NAMESIZE];
	unsigned int flags;
};

struct snap_addr {
	char name[IF_NAMESIZE + 1];
	char tail[7];			/* the address's last 24 bits, hex */
	bool tentative, link_local;
};

struct ready_snap {
	struct snap_link *links;
	size_t n_links;
	struct snap_addr *addrs;	/* sorted by name; NULL: no IPv6 */
	size_t n_addrs;
	bool ipv6;
	char (*groups)[IF_NAMESIZE + 34]; /* "IFNAME GROUP" of igmp6, sorted */
	size_t n_groups;
};

static int snap_link_cb(const struct link_info *li, void *data)
{
	struct ready_snap *s = data;

	s->links = xgrow(s->links, s->n_links, sizeof(*s->links));
	snprintf(s->links[s->n_links].name, IF_NAMESIZE, "%s", li->name);
	s->links[s->n_links].flags = li->flags;
	s->n_links++;
	return 0;
}

static int snap_name_cmp(const void *a, const void *b)
{
	return strcmp(a, b);		/* name is the first member of each */
}

static int snap_group_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void snap_read_ipv6(struct ready_snap *s, struct netns *ns)
{
	char line[256], name[IF_NAMESIZE + 1], a[33], g[33];
	unsigned int index, plen, scope, flags;
	FILE *f = ready_proc_net(ns, "if_inet6");

	if (!f)
		return;
	s->ipv6 = true;
	while (fgets(line, sizeof(line), f)) {
		struct snap_addr *v;

		if (sscanf(line, "%32s %x %x %x %x %16s", a, &index, &plen, &scope, &flags, name) != 6 ||
		    strlen(a) != 32)
			continue;
		s->addrs = xgrow(s->addrs, s->n_addrs, sizeof(*s->addrs));
		v = &s->addrs[s->n_addrs++];
		snprintf(v->name, sizeof(v->name), "%s", name);
		memcpy(v->tail, a + 26, 6);
		v->tail[6] = '\0';
		v->tentative = flags & IFA_F_TENTATIVE;
		v->link_local = scope == READY_IPV6_ADDR_LINKLOCAL;
	}
	fclose(f);
	qsort(s->addrs, s->n_addrs, sizeof(*s->addrs), snap_name_cmp);
	f = ready_proc_net(ns, "igmp6");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*d %16s %32s", name, g) != 2)
			continue;
		s->groups = xgrow(s->groups, s->n_groups, sizeof(*s->groups));
		snprintf(s->groups[s->n_groups++], sizeof(*s->groups), "%s %s", name, g);
	}
	fclose(f);
	qsort(s->groups, s->n_groups, sizeof(*s->groups), snap_group_cmp);
}

int ready_snap_take(struct netns *ns, struct ready_snap **ret)
{
	struct ready_snap *s = xcalloc(1, sizeof(*s));
	int err = link_walk(ns, snap_link_cb, s);

	if (err < 0) {
		ready_snap_free(s);
		return err;
	}
	qsort(s->links, s->n_links, sizeof(*s->links), snap_name_cmp);
	snap_read_ipv6(s, ns);
	*ret = s;
	return 0;
}

int ready_snap_if(const struct ready_snap *s, const char *ifname, bool *ret)
{
	char key[IF_NAMESIZE] = { 0 }, group[IF_NAMESIZE + 34];
	const struct snap_link *l;
	bool noarp, link_local = false, ready = true;
	size_t lo = 0, hi = s->n_addrs;

	snprintf(key, sizeof(key), "%s", ifname);
	l = bsearch(key, s->links, s->n_links, sizeof(*s->links), snap_name_cmp);
	if (!l)
		return -ENODEV;
	*ret = false;
	if (!(l->flags & IFF_RUNNING))
		return 0;
	if (!s->ipv6) {
		*ret = true;
		return 0;
	}
	noarp = l->flags & IFF_NOARP;
	/* The first address of ifname. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(s->addrs[mid].name, ifname) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; ready && i < s->n_addrs && !strcmp(s->addrs[i].name, ifname); i++) {
		const struct snap_addr *a = &s->addrs[i];

		link_local |= a->link_local;
		snprintf(group, sizeof(group), "%s ff0200000000000000000001ff%s", ifname, a->tail);
		ready = !a->tentative &&
			(noarp || bsearch(group, s->groups, s->n_groups, sizeof(*s->groups), snap_group_cmp));
	}
	*ret = (link_local || noarp) && ready;
	return 0;
}

void ready_snap_free(struct ready_snap *s)
{
	if (!s)
		return;
	free(s->links);
	free(s->addrs);
	free(s->groups);
	free(s);
}
