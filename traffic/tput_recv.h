/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef TRAFFIC_TPUT_RECV_H
#define TRAFFIC_TPUT_RECV_H

/* The generator's receiving child (tput_recv.c) and the wire format it
 * shares with the sender (tput.c).  Nothing outside traffic/tput*.c sees
 * it; it knows nothing of struct tput_req, so tput.c alone depends on it. */

#include <stdbool.h>
#include <stdint.h>

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

/* The receiving child: reads the traffic from rfd (TCP: listening, for
 * streams connections; UDP: bound, datagrams of len bytes, ctl_fd telling
 * it the sender is done), writes a struct tput_report to rep_fd and exits.
 * Never returns. */
void tput_child(bool tcp, unsigned int streams, unsigned int len, int rfd, int rep_fd, int ctl_fd,
		uint32_t run, uint64_t deadline_us) __attribute__((noreturn));

#endif
