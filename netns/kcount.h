/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_KCOUNT_H
#define NETNS_KCOUNT_H

#include <stddef.h>
#include <stdint.h>

struct netns;

/*
 * The kernel's counters of lost packets, read before and after something
 * that could fail, so that a failure's evidence says which moved: the
 * host's neighbour tables (shared by every namespace on the machine:
 * table_fulls of /proc/net/stat/arp_cache and ndisc_cache), the host's
 * softnet backlog drops, and for the namespaces read, conntrack insert
 * failures and drops, UDP datagrams dropped at a full socket buffer (a
 * WireGuard program's socket too: a lost handshake waits 5 s for its
 * retry) and every interface's dropped packets.
 */
struct kcount {
	uint64_t neigh4_full, neigh6_full;	/* host: neighbour table overflows */
	uint64_t softnet_drop, softnet_squeeze;	/* host: backlog drops, budget runs out */
	uint64_t ct_insert_failed, ct_drop, ct_early_drop;
	struct kcount_if *ifs;			/* interfaces of the namespaces read */
	size_t n_ifs;
	struct kcount_ns *nss;			/* the namespaces read */
	size_t n_nss;
};

/* UDP over IPv4 and IPv6 (/proc/net/snmp, snmp6) of one namespace. */
struct kcount_ns {
	char name[64];				/* the node */
	uint64_t udp_rcvbuf;			/* RcvbufErrors: the socket's queue was full */
	uint64_t udp_sndbuf;			/* SndbufErrors */
	uint64_t udp_in_errors;			/* InErrors (RcvbufErrors among them) */
};

struct kcount_if {
	char name[64];				/* "NODE:IF" */
	uint64_t rx_dropped, tx_dropped;
};

/* Zeroes k (kcount_free() first when it was used) and reads the host-wide counters.  0 or -errno (a kernel
 * without one of the files leaves its counters at 0). */
int kcount_host(struct kcount *k);
/* Adds the conntrack and UDP statistics of ns and the drops of its
 * interfaces, name (the node) naming them. */
int kcount_add_ns(struct kcount *k, struct netns *ns, const char *name);
/* What moved from before to after (the same namespaces read in the same
 * order), as one clause: "the host's IPv4 neighbour table was full 523
 * times (net.ipv4.neigh.default.gc_thresh3 = 1024); a:eth0 dropped 2
 * packets it sent; p11 dropped 3 UDP datagrams at a full socket receive
 * buffer"; "" when nothing moved. */
void kcount_describe(const struct kcount *before, const struct kcount *after, char *buf, size_t len);
void kcount_free(struct kcount *k);

#endif
