// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "assertions/icmperr.h"
#include "assertions/verdict.h"
#include "traffic/probe.h"

#include <stdio.h>
#include <netinet/icmp6.h>
#include <netinet/ip_icmp.h>
#include <sys/socket.h>

const char *const icmperr_names[] = {
	[ICMPERR_UNREACHABLE] = "unreachable",
	[ICMPERR_NET_UNREACHABLE] = "net-unreachable",
	[ICMPERR_HOST_UNREACHABLE] = "host-unreachable",
	[ICMPERR_PORT_UNREACHABLE] = "port-unreachable",
	[ICMPERR_ADMIN_PROHIBITED] = "admin-prohibited",
	[ICMPERR_FRAG_NEEDED] = "frag-needed",
	[ICMPERR_TIME_EXCEEDED] = "time-exceeded",
	NULL,
};

static bool icmperr_is(const struct traffic_icmp *e, enum icmperr_type t)
{
	bool v4 = e->family == AF_INET;
	int unreach = v4 ? ICMP_DEST_UNREACH : ICMP6_DST_UNREACH;

	switch (t) {
	case ICMPERR_UNREACHABLE:
		return e->type == unreach;
	case ICMPERR_NET_UNREACHABLE:
		return e->type == unreach && e->code == (v4 ? ICMP_NET_UNREACH : ICMP6_DST_UNREACH_NOROUTE);
	case ICMPERR_HOST_UNREACHABLE:
		return e->type == unreach && e->code == (v4 ? ICMP_HOST_UNREACH : ICMP6_DST_UNREACH_ADDR);
	case ICMPERR_PORT_UNREACHABLE:
		return e->type == unreach && e->code == (v4 ? ICMP_PORT_UNREACH : ICMP6_DST_UNREACH_NOPORT);
	case ICMPERR_ADMIN_PROHIBITED:
		return e->type == unreach &&
		       (v4 ? e->code == ICMP_PKT_FILTERED || e->code == ICMP_HOST_ANO || e->code == ICMP_NET_ANO :
			     e->code == ICMP6_DST_UNREACH_ADMIN);
	case ICMPERR_FRAG_NEEDED:
		return v4 ? e->type == ICMP_DEST_UNREACH && e->code == ICMP_FRAG_NEEDED :
			    e->type == ICMP6_PACKET_TOO_BIG;
	case ICMPERR_TIME_EXCEEDED:
		return e->type == (v4 ? ICMP_TIME_EXCEEDED : ICMP6_TIME_EXCEEDED);
	}
	return false;
}

int expect_icmperr(struct loop *l, struct netns *ns, const struct probe_req *req,
		   enum icmperr_type type, const struct addr *from, struct verdict *ret)
{
	struct probe_req r = *req;
	struct probe_result res = { 0 };
	char ev[PROBE_EVIDENCE_LEN], who[ADDR_STRLEN];
	bool held;
	int err;

	r.stop_on_icmp = true;
	err = probe_run(l, ns, &r, &res);
	if (err < 0)
		return err;
	held = res.last_icmp.family && !res.last_icmp.local && icmperr_is(&res.last_icmp, type) &&
	       (!from->family || addr_equal(&res.last_icmp.from, from));
	verdict_set(ret, held, "%s", probe_format_evidence(&r, &res, ev, sizeof(ev)));
	if (res.ok)
		verdict_add(ret, "; it was answered, no error came back");
	if (!held)
		verdict_add(ret, "; wanted %s%s%s", icmperr_names[type], from->family ? " from " : "",
			    from->family ? addr_format(from, false, who, sizeof(who)) : "");
	return 0;
}
