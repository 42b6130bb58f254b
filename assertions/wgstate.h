/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef ASSERTIONS_WGSTATE_H
#define ASSERTIONS_WGSTATE_H

#include <stdbool.h>
#include <stdint.h>

#include "assertions/verdict.h"
#include "netns/addr.h"
#include "netns/wg/wgkey.h"

struct loop;
struct wgdev;

/* What to expect of one peer of a WireGuard interface, read from the
 * interface (UAPI or generic netlink) while the loop runs. */
enum wgstate_kind {
	WGSTATE_HANDSHAKE,	/* a handshake happened (negate: none during the wait) */
	WGSTATE_ENDPOINT,	/* the endpoint it has for the peer */
	WGSTATE_TRANSFER,	/* bytes received and sent, at least */
};

struct wgstate_want {
	enum wgstate_kind kind;
	bool negate;
	uint8_t peer[WGKEY_LEN];
	const char *peer_name;		/* for evidence: "b:wg0" */
	unsigned int wait_ms;
	/* ENDPOINT */
	struct addr endpoint;		/* family 0: none expected */
	uint16_t port;
	bool any_port;
	bool learned;			/* and taken from an authenticated packet */
	/* learned: the peer's counters when its endpoint was last
	 * configured; set_where NULL: when the peer was added (all 0). */
	uint64_t set_rx;
	int64_t set_hs_sec, set_hs_nsec;
	const char *set_where;		/* "t.lab:10", for evidence */
	/* TRANSFER */
	uint64_t rx_min, tx_min;
	uint64_t rx_max, tx_max;	/* UINT64_MAX: no upper bound */
};

int expect_wgstate(struct loop *l, struct wgdev *dev, const struct wgstate_want *want,
		   struct verdict *ret);

/* One of many expectations evaluated together (a set expectation). */
struct wgstate_job {
	struct wgdev *dev;
	struct wgstate_want want;
	struct verdict v;		/* when done and err is 0 */
	bool done;
	int err;			/* -errno: the interface could not be read */
	uint64_t elapsed_ms;		/* from the call until it was done */
};
/* Evaluates every job, each interface read once per round for all its
 * jobs, each job's wait counted from the call (its elapsed_ms: until it
 * held, or its whole wait).  Always 0. */
int expect_wgstate_many(struct loop *l, struct wgstate_job *jobs, size_t n);

/* A handshake initiation on the wire (message type 1), in bytes. */
#define WGSTATE_INITIATION_LEN 148
/* How many handshake initiations a peer without a handshake has received,
 * when its received bytes are those and nothing else; 0 otherwise.  Both
 * WireGuards count a consumed initiation (and answer it) but not a refused
 * answer: N here with no handshake means each answer to its own
 * initiations was refused or lost, as when the two ends' initiations cross
 * (each takes the other's, then refuses the answer to its own). */
uint64_t wgstate_initiations_only(bool handshake, uint64_t rx);

#endif
