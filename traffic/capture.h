/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef TRAFFIC_CAPTURE_H
#define TRAFFIC_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "traffic/capture_decode.h"

struct loop;
struct netns;

/*
 * Packet capture (libpcap) on an interface inside a node, driven by the
 * lab's loop.  Every packet taken is kept in memory (up to CAPTURE_MEM_MAX,
 * then only counted) and decoded, and optionally written to a pcap file
 * that tcpdump -r reads.  Filters use tcpdump's syntax and run over the
 * stored packets, so one capture answers many questions after the fact
 * (traffic/capture_filter.h).  A kernel filter and a short snapshot length
 * keep the kernel's ring for the packets that matter: what the ring could
 * not hold is counted (capture_stats()), never silently lost.  What a
 * packet decodes to, and matching a packet rewritten by a NAT, are in
 * traffic/capture_decode.h.
 */
struct capture;

#define CAPTURE_MEM_MAX (256U << 20)
#define CAPTURE_SNAPLEN 262144
#define CAPTURE_RING (32U << 20)	/* default kernel ring */
#define CAPTURE_RING_MIN (256U << 10)	/* one TPACKET_V3 block */
#define CAPTURE_RING_MAX (1U << 30)

struct capture_opts {
	const char *filter;		/* kernel filter (tcpdump syntax); NULL or "": all */
	unsigned int snaplen;		/* bytes kept of each packet; 0: CAPTURE_SNAPLEN */
	size_t ring;			/* kernel ring, bytes; 0: CAPTURE_RING */
};

/* Starts capturing on ifname ("any" for every interface) inside ns (NULL:
 * here): the packet socket is opened inside the node, non-blocking,
 * watched by l, with opts (NULL: every packet, whole).  pcap_path (NULL:
 * none) gets a pcap file.  0 or -errno: -ENODEV no such interface,
 * -ENETDOWN the interface is not up (libpcap refuses those: start
 * captures after the links), -EPERM, -EINVAL a bad filter; libpcap's
 * message is in capture_last_error().  If the interface goes away later
 * the capture stops by itself (capture_stats().error). */
int capture_start(struct capture **ret, struct loop *l, struct netns *ns, const char *ifname,
		  const char *pcap_path, const struct capture_opts *opts);
/* The message of the last failed capture_start() in this process, or "". */
const char *capture_last_error(void);
/* Stops, flushes the file, frees every packet.  NULL-safe; before loop_free(). */
void capture_free(struct capture *cap);

/* Memory kept for packets (default CAPTURE_MEM_MAX); past it packets are
 * only counted (and still written to the file). */
void capture_set_limit(struct capture *cap, size_t bytes);
/* Reads what the kernel has handed over now (the loop does it too).  0 or
 * -errno. */
int capture_poll(struct capture *cap);
/* on: a thread of its own reads the capture as packets come, for while
 * the loop does not run (a throughput measurement holds it); off: stops
 * it (and the loop reads again).  Nothing else may touch the capture
 * meanwhile but capture_poll().  0 or -errno. */
int capture_drain(struct capture *cap, bool on);
/* Reads every packet the kernel took until now, also those it holds back
 * in a block not yet handed over (waits for it, at most a few tens of ms,
 * running the loop).  0, -ETIMEDOUT when some are still not readable, or
 * the capture's error. */
int capture_sync(struct capture *cap);
/* Reads what the kernel took (capture_sync()), stops watching and flushes
 * the file; the stored packets stay for counting.  0 or -errno. */
int capture_stop(struct capture *cap);

struct capture_stats {
	uint64_t seen;			/* packets read from the kernel */
	uint64_t stored;		/* kept in memory */
	uint64_t not_stored;		/* over CAPTURE_MEM_MAX: counted only */
	uint64_t kernel_taken;		/* passed the kernel filter (pcap ps_recv) */
	uint64_t kernel_drops;		/* taken, but the ring was full (ps_drop) */
	size_t mem;			/* bytes kept */
	unsigned int snaplen;		/* bytes kept of each packet at most */
	size_t ring;			/* kernel ring asked for */
	bool filtered;			/* a kernel filter chooses the packets */
	int error;			/* -ENETDOWN once the interface failed, else 0 */
	const char *message;		/* libpcap's words for it, or "" */
};

void capture_stats(struct capture *cap, struct capture_stats *ret);
int capture_linktype(const struct capture *cap);
/* The stored packets, oldest first (valid until the next loop run). */
size_t capture_packets(const struct capture *cap, const struct capture_pkt *const **ret);

/* Counts stored packets matching a tcpdump filter (NULL or "": all), after
 * capture_sync().  A bad filter is -EINVAL with pcap's message in err. */
int capture_count(struct capture *cap, const char *filter, unsigned int *ret, char *err,
		  size_t errlen);
/* The first stored packet matching filter (after capture_sync()): 0,
 * -ENOENT, -EINVAL. */
int capture_first(struct capture *cap, const char *filter, const struct capture_pkt **ret,
		  char *err, size_t errlen);
/* Runs the loop until count packets match filter or the monotonic deadline
 * (now_ms() based) passes: 0, -ETIMEDOUT, -EINVAL (bad filter); ret
 * (may be NULL) gets the number matched either way. */
int capture_wait(struct capture *cap, const char *filter, unsigned int count,
		 uint64_t deadline_ms, unsigned int *ret, char *err, size_t errlen);

/* capture_match_rewrite over two captures, from their stored packets
 * in_from and out_from on (windows: 0 for all), after reading what is
 * queued (capture_sync() first for everything taken until now). */
int capture_find_rewrite(struct capture *in, size_t in_from, struct capture *out, size_t out_from,
			 const struct rewrite_pattern *p, struct rewrite_match *ret);

#endif
