/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_RUN_NEEDS_H
#define LAB_RUN_NEEDS_H

struct run;

/*
 * Before anything is built: what the scenario needs of the host's limits
 * (lab/host/hostlim.h) against what is left of them.  Neighbour entries:
 * 2 per link and n x (n - 1) per lan of n members, per address family,
 * but no more than the lab's traffic can resolve (2 per pair of a set
 * expectation and per peer, 16 per other expectation, program or server);
 * open files: 8 per node and lan, 2 per WireGuard interface, and room for
 * the probes in flight; threads and memory: 16 and 16 MiB per userspace
 * WireGuard interface (wireguard-go measured here at 12 threads and 6-10
 * MiB), and one inotify instance each (wireguard-go watches its UAPI
 * socket; fs.inotify.max_user_instances, 128 by default, counts every
 * process of the user on the host); conntrack entries: one per probe, when the scenario has a
 * firewall or NAT.  A limit that would be passed refuses the run with the
 * statement that passes it, the value needed and the knob; with
 * run_opts.raise_limits the lab raises it instead and notes it (host-wide
 * sysctls: every namespace on the machine sees the new value, and it is
 * not restored).  0, or -E2BIG with the message in the run and r->cur at
 * that statement.
 */
int run_check_host(struct run *r);

#endif
