/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef TRAFFIC_STAMP_H
#define TRAFFIC_STAMP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>

/*
 * When an answer arrived, not when a busy loop got to read it: the kernel
 * stamps what a socket receives (SO_TIMESTAMPNS), and a read gives the
 * stamp of the last packet it took (a datagram; a stream's newest bytes)
 * on the monotonic clock of netns/util/now.h.  Waits decide "in time" by
 * it, and round trips end at it.
 */

/*
 * The kernel stamps packets as they arrive only while some socket of the
 * machine asks for stamps (a switch it turns on in a work item, a moment
 * after the first such socket); a packet that came while it was off is
 * stamped when it is read, as if it had just arrived.  So the process
 * keeps one stamped socket open from early on (a run's start, before its
 * build): stamp_keep() makes it, once; stamp_enable() calls it too.
 */
void stamp_keep(void);
/* Turns stamping on for fd: 0 or -errno. */
int stamp_enable(int fd);
/* recvmsg(2) into buf with flags; from (may be NULL, then fromlen too)
 * gets the sender.  *at_us: the arrival of what was read, in now_us()
 * microseconds, or the time of the read when the kernel gave no stamp.
 * Returns what recvmsg returned. */
ssize_t stamp_recv(int fd, void *buf, size_t len, int flags, struct sockaddr_storage *from, socklen_t *fromlen,
		   uint64_t *at_us);
/* When the answer to a connect started at sent_us (its SYN-ACK) arrived,
 * in now_us() microseconds: TCP_INFO's age of the last ACK received, or
 * now.  That age counts in the kernel's ticks (4 or 10 ms), so it can
 * reach back before the SYN was sent: never earlier than sent_us. */
uint64_t stamp_tcp_answer(int fd, uint64_t sent_us);
/* How late an arrival at at_us is for a wait that ended at deadline_ms
 * (now_ms() milliseconds): 0 in time, else at least 1. */
uint64_t stamp_late_ms(uint64_t at_us, uint64_t deadline_ms);

#endif
