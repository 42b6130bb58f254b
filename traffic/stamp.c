// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "traffic/stamp.h"
#include "netns/util/now.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/uio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

static int stamp_on(int fd)
{
	int on = 1;

	return setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on)) ? -errno : 0;
}

void stamp_keep(void)
{
	static int keeper = -1;

	if (keeper >= 0)
		return;
	/* Never read, closed with the process (close-on-exec). */
	keeper = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (keeper >= 0 && stamp_on(keeper) < 0) {
		close(keeper);
		keeper = -1;
	}
}

int stamp_enable(int fd)
{
	stamp_keep();
	return stamp_on(fd);
}

ssize_t stamp_recv(int fd, void *buf, size_t len, int flags, struct sockaddr_storage *from, socklen_t *fromlen,
		   uint64_t *at_us)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct timespec))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr mh = {
		.msg_name = from, .msg_namelen = from ? sizeof(*from) : 0,
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf),
	};
	ssize_t n = recvmsg(fd, &mh, flags);
	uint64_t now = now_us();

	*at_us = now;
	if (n < 0)
		return n;
	if (fromlen)
		*fromlen = mh.msg_namelen;
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		struct timespec stamp, real;
		int64_t age_us;

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_TIMESTAMPNS)
			continue;
		/* The stamp is on the wall clock: its age, taken from now. */
		memcpy(&stamp, CMSG_DATA(cm), sizeof(stamp));
		clock_gettime(CLOCK_REALTIME, &real);
		age_us = (int64_t)(real.tv_sec - stamp.tv_sec) * 1000000 + (real.tv_nsec - stamp.tv_nsec) / 1000;
		if (age_us > 0 && (uint64_t)age_us < now)
			*at_us = now - (uint64_t)age_us;
	}
	return n;
}

uint64_t stamp_tcp_answer(int fd, uint64_t sent_us)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);
	uint64_t now = now_us(), age, at;

	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) ||
	    len < offsetof(struct tcp_info, tcpi_last_ack_recv) + sizeof(ti.tcpi_last_ack_recv))
		return now;
	age = (uint64_t)ti.tcpi_last_ack_recv * 1000;
	at = age < now ? now - age : now;
	return at < sent_us ? sent_us : at;
}

uint64_t stamp_late_ms(uint64_t at_us, uint64_t deadline_ms)
{
	return at_us / 1000 < deadline_ms ? 0 : at_us / 1000 - deadline_ms + 1;
}
