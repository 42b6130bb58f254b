// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "lab/lang/notes.h"
#include "lab/lang/diag.h"
#include "lab/lang/model.h"
#include "lab/lang/resolve.h"
#include "netns/addr.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

bool lab_nat_ipv6_note(const struct lab_names *names, const struct stmt *s, char *buf, size_t len)
{
	struct ifref ref = { .node = s->nat.node, .loc = s->loc };
	char a[ADDR_STRLEN], why[256];
	struct addr v6;

	if (s->kind != STMT_NAT || s->nat.argc < 1)
		return false;
	snprintf(ref.ifname, sizeof(ref.ifname), "%s", s->nat.argv[0]);
	if (lab_resolve_ifaddr(names, &ref, AF_INET6, &v6, why, sizeof(why)))
		return false;
	snprintf(buf, len,
		 "nat %s:%s applies to IPv4 only: IPv6 through %s (%s) is neither translated nor "
		 "filtered, unsolicited IPv6 included; filter it with `firewall %s ip6tables` rules",
		 s->nat.node, s->nat.argv[0], s->nat.argv[0], addr_format(&v6, false, a, sizeof(a)),
		 s->nat.node);
	return true;
}

size_t lab_notes(const struct lab *lab, struct diags *ret)
{
	struct lab_names *names = lab_names_new(lab);
	size_t n = 0;
	char msg[512];

	for (const struct stmt *s = lab->first_stmt; s; s = s->next) {
		if (!lab_nat_ipv6_note(names, s, msg, sizeof(msg)))
			continue;
		diag_add(ret, &s->loc, "note: %s", msg);
		n++;
	}
	lab_names_free(names);
	return n;
}
