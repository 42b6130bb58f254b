// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* What a scenario needs of the host's limits, checked before building. */
#include "lab/run/needs.h"
#include "lab/host/hostlim.h"
#include "lab/lang/model.h"
#include "lab/run/exec_wg.h"
#include "lab/run/run_ctx.h"
#include "netns/wg/wgdev.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#define NEED_FILES_PER_NODE 8
#define NEED_FILES_PER_WG 2
#define NEED_FILES_BASE 600		/* probes in flight (lab/run/exec_set.c), captures, logs */
#define NEED_THREADS_PER_WGGO 16
#define NEED_MEMORY_PER_WGGO (16ULL << 20)
/* An interface of the lab's WireGuard host (one process for all): the
 * threads blocked in its TUN's and sockets' reads (measured: 408 threads
 * and 49 MiB for 100 idle interfaces), its buffers under traffic; no
 * inotify (its UAPI socket is wglab's). */
#define NEED_THREADS_PER_HOSTED 4
#define NEED_MEMORY_PER_HOSTED (2ULL << 20)
#define NEED_NEIGH_PER_FLOW 16		/* a path of a few routers, both ways */

struct need {
	uint64_t v;
	const struct stmt *at;		/* the statement that passed what is left */
	const struct stmt *biggest;	/* the statement needing most of it */
	uint64_t biggest_v;
	char why[160];			/* what biggest needs, in words */
};

static void families(const struct addr_list *l, bool *v4, bool *v6)
{
	for (size_t i = 0; i < l->n; i++) {
		*v4 |= l->v[i].family == AF_INET;
		*v6 |= l->v[i].family == AF_INET6;
	}
}

static void need_add(struct need *n, const struct stmt *s, uint64_t v, uint64_t room)
{
	n->v += v;
	if (!n->at && n->v > room)
		n->at = s;
	if (v > n->biggest_v) {
		n->biggest_v = v;
		n->biggest = s;
		n->why[0] = '\0';
	}
}

/* What WireGuard interfaces will cost the host. */
enum wg_need {
	WG_KERNEL,	/* links of the kernel */
	WG_HOSTED,	/* interfaces of the lab's WireGuard host */
	WG_PROGRAMS,	/* a userspace program (wireguard-go) each */
};

static enum wg_need userspace_wg(const struct run *r)
{
	const char *wg = r->opts.wg ? r->opts.wg : "auto";

	if (!strcmp(wg, "kernel") || (strncmp(wg, "userspace", 9) && wgdev_probe_kernel(NULL) > 0))
		return WG_KERNEL;
	return run_wg_hosted(r) ? WG_HOSTED : WG_PROGRAMS;
}

/* Neighbour entries of a link or lan: at most what it can hold, and no
 * more than the lab's traffic can resolve (flows[0] IPv4, [1] IPv6). */
static void need_neigh(struct need *n, const struct stmt *s, const uint64_t *room, uint64_t *flows, bool v4, bool v6,
		       uint64_t most)
{
	for (int k = HOSTLIM_NEIGH4; k <= HOSTLIM_NEIGH6; k++) {
		uint64_t *f = &flows[k - HOSTLIM_NEIGH4], v;

		if (!(k == HOSTLIM_NEIGH4 ? v4 : v6))
			continue;
		v = most < *f ? most : *f;
		*f -= v;
		if (v)
			need_add(&n[k], s, v, room[k]);
	}
}

static void need_stmt(const struct stmt *s, struct need *n, const uint64_t *room, enum wg_need wggo, bool stateful,
		      uint64_t *flows)
{
	bool v4 = false, v6 = false;

	switch (s->kind) {
	case STMT_NODE:
		need_add(&n[HOSTLIM_NOFILE], s, NEED_FILES_PER_NODE, room[HOSTLIM_NOFILE]);
		break;
	case STMT_LINK:
		families(&s->link.end[0].addrs, &v4, &v6);
		families(&s->link.end[1].addrs, &v4, &v6);
		need_neigh(n, s, room, flows, v4, v6, 2);
		break;
	case STMT_LAN: {
		uint64_t m = s->lan.n_members, e = m * (m ? m - 1 : 0);

		families(&s->lan.subnets, &v4, &v6);
		for (size_t i = 0; i < s->lan.n_members; i++)
			families(&s->lan.members[i].addrs, &v4, &v6);
		need_add(&n[HOSTLIM_NOFILE], s, NEED_FILES_PER_NODE, room[HOSTLIM_NOFILE]);
		need_neigh(n, s, room, flows, v4, v6, e);
		for (int k = HOSTLIM_NEIGH4; k <= HOSTLIM_NEIGH6; k++) {
			if (n[k].biggest == s)
				snprintf(n[k].why, sizeof(n[k].why), "lan '%s' of %" PRIu64 " members: %" PRIu64
					 " x %" PRIu64 " entries", s->lan.name, m, m, m ? m - 1 : 0);
		}
		break;
	}
	case STMT_WIREGUARD:
	case STMT_WGQUICK:
		need_add(&n[HOSTLIM_NOFILE], s, NEED_FILES_PER_WG, room[HOSTLIM_NOFILE]);
		if (wggo == WG_HOSTED) {
			need_add(&n[HOSTLIM_THREADS], s, NEED_THREADS_PER_HOSTED, room[HOSTLIM_THREADS]);
			need_add(&n[HOSTLIM_MEMORY], s, NEED_MEMORY_PER_HOSTED, room[HOSTLIM_MEMORY]);
		} else if (wggo == WG_PROGRAMS) {
			need_add(&n[HOSTLIM_THREADS], s, NEED_THREADS_PER_WGGO, room[HOSTLIM_THREADS]);
			need_add(&n[HOSTLIM_MEMORY], s, NEED_MEMORY_PER_WGGO, room[HOSTLIM_MEMORY]);
			need_add(&n[HOSTLIM_INOTIFY], s, 1, room[HOSTLIM_INOTIFY]);
		}
		break;
	case STMT_EXPECT:
		if (stateful)
			need_add(&n[HOSTLIM_CONNTRACK], s, s->expect.set ? s->expect.set->n_pairs : 1,
				 room[HOSTLIM_CONNTRACK]);
		break;
	default:
		break;
	}
}

/* How many neighbours the lab's traffic can resolve, at most: 2 per pair
 * of a set and per WireGuard peer (both ends of a path learn each other),
 * and NEED_NEIGH_PER_FLOW per other expectation, program or server. */
static uint64_t traffic_flows(const struct lab *lab)
{
	uint64_t v = 0;

	for (const struct stmt *s = lab->first_stmt; s; s = s->next) {
		if (s->kind == STMT_EXPECT && s->expect.set)
			v += 2 * s->expect.set->n_pairs;
		else if (s->kind == STMT_PEER)
			v += 2;
		else if (s->kind == STMT_EXPECT || s->kind == STMT_RUN || s->kind == STMT_SERVE || s->kind == STMT_WGQUICK)
			v += NEED_NEIGH_PER_FLOW;
	}
	return v;
}

static bool has_state(const struct lab *lab)
{
	for (const struct stmt *s = lab->first_stmt; s; s = s->next)
		if (s->kind == STMT_FIREWALL || s->kind == STMT_NFT || s->kind == STMT_NAT || s->kind == STMT_WGQUICK)
			return true;
	return false;
}

/* The refusal is the message itself (no errno text after it). */
static int __attribute__((format(printf, 2, 3))) need_refuse(struct run *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->err, sizeof(r->err), fmt, ap);
	va_end(ap);
	return -E2BIG;
}

static uint64_t round_up(uint64_t v)
{
	return (v + 1023) / 1024 * 1024;
}

int run_check_host(struct run *r)
{
	struct hostlim_value have[HOSTLIM__MAX];
	struct need need[HOSTLIM__MAX];
	uint64_t room[HOSTLIM__MAX];
	bool has_wg = false, stateful = has_state(r->lab);
	enum wg_need wggo;
	uint64_t flows[2];
	const struct stmt *s;
	char cmd[160];
	int k, err;

	memset(need, 0, sizeof(need));
	for (s = r->lab->first_stmt; s; s = s->next)
		has_wg |= s->kind == STMT_WIREGUARD || s->kind == STMT_WGQUICK;
	wggo = has_wg ? userspace_wg(r) : WG_KERNEL;
	for (k = 0; k < HOSTLIM__MAX; k++) {
		hostlim_read(k, &have[k]);
		room[k] = !have[k].known ? UINT64_MAX : have[k].limit > have[k].used ? have[k].limit - have[k].used : 0;
	}
	flows[0] = flows[1] = traffic_flows(r->lab);
	need_add(&need[HOSTLIM_NOFILE], r->lab->first_stmt, NEED_FILES_BASE, room[HOSTLIM_NOFILE]);
	for (s = r->lab->first_stmt; s; s = s->next)
		need_stmt(s, need, room, wggo, stateful, flows);
	for (k = 0; k < HOSTLIM__MAX; k++) {
		uint64_t want;

		if (!need[k].at)
			continue;
		want = need[k].v + have[k].used;
		/* The lab's own open files are its process's, not the host's. */
		if (k == HOSTLIM_NOFILE && hostlim_raise(k, want + 64) == 0)
			continue;
		if (r->opts.raise_limits && hostlim_host_wide(k)) {
			uint64_t to = round_up(want + want / 4);

			err = hostlim_raise(k, to);
			if (err == 0) {
				run_note(r, "raised %s from %" PRIu64 " to %" PRIu64 " for %" PRIu64
					 " %s (--raise-host-limits; host-wide: every namespace on this machine has it now, and it is not restored)",
					 hostlim_knob(k), have[k].limit, to, need[k].v, hostlim_what(k));
				continue;
			}
			r->cur = need[k].at;
			return run_error(r, err, "Unable to raise %s to %" PRIu64, hostlim_knob(k), to);
		}
		r->cur = need[k].biggest && need[k].why[0] ? need[k].biggest : need[k].at;
		if (k == HOSTLIM_MEMORY)
			return need_refuse(r, "this lab needs about %" PRIu64 " MiB for %" PRIu64
					 " userspace WireGuard interfaces%s and the host has %" PRIu64
					 " MiB available (MemAvailable): use fewer, or the kernel's (--wg kernel)",
					 need[k].v >> 20, need[k].v / (uint64_t)(wggo == WG_HOSTED ? NEED_MEMORY_PER_HOSTED :
								       NEED_MEMORY_PER_WGGO),
					 wggo == WG_HOSTED ? "" : " (a wireguard-go each)", have[k].limit >> 20);
		if (hostlim_host_wide(k))
			snprintf(cmd, sizeof(cmd), "sysctl -w %s=%" PRIu64, hostlim_knob(k), round_up(want + want / 4));
		else
			snprintf(cmd, sizeof(cmd), "ulimit -n %" PRIu64, want + 64);
		return need_refuse(r, "this lab needs up to %" PRIu64 " %s%s%s%s, and the host allows %" PRIu64
				 "%s with %" PRIu64 " in use (%s = %" PRIu64 "): raise it (`%s`%s) or run with --raise-host-limits%s",
				 need[k].v, hostlim_what(k), need[k].why[0] ? " (" : "", need[k].why,
				 need[k].why[0] ? ")" : "", have[k].limit,
				 k <= HOSTLIM_NEIGH6 ? " for every namespace on the machine together" :
				 k == HOSTLIM_INOTIFY ? " for every process of the user on the machine together" :
				 hostlim_host_wide(k) ? " for the whole machine" : "", have[k].used,
				 hostlim_knob(k), have[k].limit, cmd, hostlim_host_wide(k) ? ", host-wide" : "",
				 k <= HOSTLIM_NEIGH6 ? ", or connect the nodes over a routed underlay (a /30 each to a router)" : "");
	}
	return 0;
}
