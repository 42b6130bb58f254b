/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef TESTS_NETNS_TESTLIB_H
#define TESTS_NETNS_TESTLIB_H

#include <stdbool.h>
#include <stddef.h>

struct netns;

/*
 * Helpers of the netns/ integration tests (prefix nt_).  iproute2, run
 * inside a namespace through nsenter, is the independent witness.
 */

/* Runs the shell command fmt inside ns (NULL: the caller's namespace) with
 * stdout and stderr into out (trailing newlines removed).  Returns the exit
 * status, 128 + signal, or -1. */
int nt_sh(struct netns *ns, char *out, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* `ping -c1 -W2 dst` from ns succeeds. */
bool nt_ping(struct netns *ns, const char *dst);

/* Polls cond every millisecond or so until it holds or timeout_ms passed. */
bool nt_until(bool (*cond)(void *), void *data, int timeout_ms);

/* Waits (asserting, 3 s at most) until ifname in ns is operationally up:
 * the kernel has seen the carrier, and routes and IPv6 follow it. */
void nt_wait_oper_up(struct netns *ns, const char *ifname);

/*
 * client A -- router R -- server B
 *   A eth0 10.0.1.2/24 fd00:1::2/64    R a0 10.0.1.1/24 fd00:1::1/64
 *   B eth0 10.0.2.2/24 fd00:2::2/64    R b0 10.0.2.1/24 fd00:2::1/64
 * A and B route everything (v4 and v6) through R, which forwards.
 */
struct nt_arb {
	struct netns *a, *r, *b;
};

void nt_arb_build(struct nt_arb *t);
void nt_arb_free(struct nt_arb *t);

/* Parses and asserts. */
struct addr;
void nt_addr(const char *s, struct addr *ret);

#endif
