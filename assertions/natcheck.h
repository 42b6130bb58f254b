/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef ASSERTIONS_NATCHECK_H
#define ASSERTIONS_NATCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netns/addr.h"
#include "netns/fw/nat.h"

struct netns;

/*
 * Measures a NAT's RFC 4787 behaviour with the two-reflector probe of
 * research/nat-holepunch.md section 5.1:
 *  - two temporary addresses R1, R2 (from 198.18.0.0/15, given by the
 *    caller) go on lo of the outside namespace, with UDP reflectors on
 *    R1:p1, R1:p2 and R2:p1 that answer each datagram with the source they
 *    saw ("OBS ip:port");
 *  - socket S1 inside sends to all three: equal mappings are EIM, equal
 *    for R1 only ADM, else APDM; mapped port = local port is "preserved";
 *  - socket S2 inside sends to R1:p1 only; then R1:p1 (T1, control), R1:p2
 *    (T2, same address) and R2:p1 (T3, another address) send to S2's
 *    mapping: T3 arriving is EIF, only T2 ADF, neither APDF; each must
 *    arrive from the reflector that sent it (a NAT that rewrites inbound
 *    sources does not agree with any declaration);
 *  - meanwhile the inside node's own filters let the probes through (an
 *    accept rule for R1 and R2 at the head of each base chain, netns/
 *    nftpass.h): what its firewall drops is not the NAT's behaviour;
 * Afterwards the addresses are removed and the conntrack entries that name
 * R1 or R2 are deleted in the NAT, inside and outside namespaces, so the
 * scenario goes on undisturbed.  Single-threaded, poll with deadlines; no
 * event loop.
 */
struct natcheck_config {
	struct netns *inside, *nat, *outside;
	struct addr inside_addr;	/* S1 and S2 bind to it */
	struct addr reflector[2];	/* R1, R2 */
	uint16_t port[2];		/* p1, p2; 0: 3478, 3479 */
	int answer_ms;			/* wait for an expected datagram; 0: 1000 */
	int silence_ms;			/* how long "did not arrive" waits; 0: 300 */
};

struct natcheck_obs {
	struct addr dst;		/* reflector address probed */
	uint16_t dport;
	uint16_t sport;			/* the inside socket's port */
	struct addr mapped;		/* what the reflector saw */
	uint16_t mapped_port;
};

struct natcheck_result {
	enum nat_mapping mapping;
	enum nat_filtering filtering;
	bool port_preserved;
	struct natcheck_obs map[3];	/* S1 to R1:p1, R1:p2, R2:p1 */
	struct natcheck_obs filt;	/* S2 to R1:p1 */
	bool t1, t2, t3;		/* arrived at S2 */
	bool src_rewritten;		/* one arrived from elsewhere than its reflector */
	unsigned int rewritten_test;	/* the first such: 1..3 */
	struct addr rewritten_from;
	uint16_t rewritten_port;
	unsigned int ct_deleted;	/* conntrack entries removed afterwards */
	/* The inside node's filter chains the probes were let through, and
	 * those in their way that they could not be ("ip filter INPUT, ..."),
	 * or inside_err when its chains could not be listed.  Also filled
	 * when natcheck_run() fails. */
	char inside_passed[256];
	char inside_in_way[256];
	int inside_err;
};

/* 0 with ret filled (inside_* also on failure); -ETIMEDOUT when a reflector or the control T1 got no
 * answer (the NAT does not pass traffic at all), -EEXIST when a reflector
 * address is already in use, other -errno. */
int natcheck_run(const struct natcheck_config *cfg, struct natcheck_result *ret);

/* "mapped R1:3478=203.0.113.1:40000 ... -> mapping=EIM port-preserved=yes;
 * T1=yes T2=no T3=no -> filtering=APDF" */
const char *natcheck_format(const struct natcheck_result *r, char *buf, size_t len);

/* True when the measurement agrees with what the scenario declared;
 * otherwise why says what differs ("mapping: declared EIM, measured
 * APDM"). */
bool natcheck_agrees(const struct natcheck_result *r, const struct nat_spec *declared, char *why,
		     size_t len);

#endif
