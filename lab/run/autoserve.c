// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* The lab's own listeners for `reaches ... tcp|udp PORT` and `gets`. */
#include "lab/run/autoserve.h"
#include "lab/run/run_ctx.h"
#include "netns/util/xalloc.h"
#include "traffic/server.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* TCP echo and HTTP servers are both TCP listeners on their port. */
static bool same_socket(int a, int b)
{
	return (a == SERVE_UDP) == (b == SERVE_UDP);
}

static bool served(struct run *r, int proto, uint16_t port)
{
	for (struct rserver *s = r->servers; s; s = s->next)
		if (!s->automatic && same_socket(s->proto, proto) && s->port == port)
			return true;
	return false;
}

/* Whether the scenario (as written, twins aside) has the node serve or run
 * a program in the background anywhere: then it manages its own ports. */
static bool manages_ports(const struct run *r, const char *node)
{
	for (const struct stmt *s = r->lab->first_stmt; s; s = s->next) {
		if (s->kind == STMT_SERVE && !strcmp(s->serve.node, node))
			return true;
		if (s->kind == STMT_RUN && s->run.background && !strcmp(s->run.node, node))
			return true;
	}
	return false;
}

/*
 * `reaches ADDR tcp|udp PORT` needs something listening.  The lab listens
 * itself on the node that owns ADDR, unless the scenario serves that port
 * anywhere (it said who answers, e.g. behind a DNAT) or that node serves
 * anything or runs a program in the background anywhere in the file (it
 * manages its own ports, e.g. to prove one closed, or a daemon's; decided
 * from the file, so that a twin dropping the daemon finds the port closed).
 */
int run_auto_serve(struct run *r, int proto, const struct addr *dst, uint16_t port)
{
	struct server_spec spec = { 0 };
	struct rnode *owner;
	struct rserver *rs;
	char buf[ADDR_STRLEN];
	int err;

	if (served(r, proto, port))
		return 0;
	owner = run_owner(r, dst);
	if (!owner || manages_ports(r, owner->name))
		return 0;
	for (rs = r->servers; rs; rs = rs->next)
		if (rs->automatic && same_socket(rs->proto, proto) && rs->port == port &&
		    addr_equal(&rs->bind, dst))
			return 0;
	spec.kind = proto == SERVE_TCP ? SERVER_TCP_ECHO : proto == SERVE_UDP ? SERVER_UDP_ECHO : SERVER_HTTP;
	spec.flags = SERVER_HAS_ADDR;
	spec.addr = *dst;
	spec.addr.prefixlen = dst->family == AF_INET ? 32 : 128;
	spec.port = port;
	rs = xcalloc(1, sizeof(*rs));
	err = server_start(&rs->srv, r->loop, owner->ns, &spec);
	if (err < 0) {
		free(rs);
		return run_error(r, err, "Unable to listen on %s %s port %u in '%s'",
				 proto == SERVE_UDP ? "udp" : "tcp",
				 addr_format(dst, false, buf, sizeof(buf)), port, owner->name);
	}
	rs->node = xstrdup(owner->name);
	rs->proto = proto;
	rs->bind = *dst;
	rs->port = port;
	rs->automatic = true;
	rs->next = r->servers;
	r->servers = rs;
	return 0;
}

