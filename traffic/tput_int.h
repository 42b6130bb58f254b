/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef TRAFFIC_TPUT_INT_H
#define TRAFFIC_TPUT_INT_H

/* Between the generator's sender (tput.c) and its receiving child
 * (tput_recv.c).  Nothing outside traffic/tput*.c sees it. */

#include <stdint.h>

#include "traffic/tput.h"

#define TPUT_RECV_BUF (128 * 1024)	/* per recv(), as iperf3 */
#define TPUT_UDP_BATCH 64
#define TPUT_UDP_TICK_US 1000
#define TPUT_UDP_QUIET_MS 250		/* receiver: sender done and nothing for this long */
#define TPUT_UDP_RCVBUF (8 * 1024 * 1024)
#define TPUT_REPORT_GRACE_MS 10000	/* past the window, for the receiver's report */
#define TPUT_MAGIC 0x77676c74U		/* "wglt" */
#define TPUT_SEQ_END UINT64_MAX

/* The head of every UDP datagram. */
struct tput_dgram {
	uint32_t magic;
	uint32_t run;
	uint64_t seq;
};

/* What the receiving child sends back. */
struct tput_report {
	uint64_t bytes;
	uint64_t dgrams;
	uint64_t window_us;
	double cpu_s;
	int error;
};

/* Milliseconds left until deadline_us (monotonic, now_us()). */
int tput_poll_ms(uint64_t deadline_us);

/* The receiving child: reads req's traffic from rfd (listening for TCP,
 * bound for UDP; ctl_fd tells a UDP receiver the sender is done), writes
 * a struct tput_report to rep_fd and exits.  Never returns. */
void tput_child(const struct tput_req *req, int rfd, int rep_fd, int ctl_fd, uint32_t run,
		uint64_t deadline_us) __attribute__((noreturn));

#endif
