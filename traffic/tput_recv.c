// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* The generator's receiving child: counts what arrives, reports, exits. */
#include "traffic/tput_recv.h"
#include "traffic/sock.h"
#include "netns/util/now.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>

static double cpu_process_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

int tput_poll_ms(uint64_t deadline_us)
{
	uint64_t now = now_us();

	return now >= deadline_us ? 0 : (int)((deadline_us - now + 999) / 1000);
}

static void recv_tcp(int lfd, unsigned int streams, uint64_t deadline_us, struct tput_report *rep)
{
	struct pollfd *pfd = xcalloc(streams + 1, sizeof(*pfd));
	unsigned int accepted = 0, open = 0;
	uint64_t first = 0, last = 0;
	char *buf = xmalloc(TPUT_RECV_BUF);

	pfd[0].fd = lfd;
	pfd[0].events = POLLIN;
	while (accepted < streams || open) {
		int n = poll(pfd, 1 + accepted, tput_poll_ms(deadline_us));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rep->error = n ? errno : ETIMEDOUT;
			break;
		}
		if ((pfd[0].revents & POLLIN) && accepted < streams) {
			int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

			if (fd >= 0) {
				accepted++;
				open++;
				pfd[accepted].fd = fd;
				pfd[accepted].events = POLLIN;
				pfd[accepted].revents = 0;
				if (accepted == streams)
					pfd[0].fd = -1;
			}
		}
		for (unsigned int i = 1; i <= accepted; i++) {
			ssize_t got;

			if (pfd[i].fd < 0 || !pfd[i].revents)
				continue;
			got = recv(pfd[i].fd, buf, TPUT_RECV_BUF, 0);
			if (got > 0) {
				last = now_us();
				if (!first)
					first = last;
				rep->bytes += (uint64_t)got;
				continue;
			}
			if (got < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			if (got < 0)
				rep->error = errno;
			else
				last = now_us();
			close(pfd[i].fd);
			pfd[i].fd = -1;
			open--;
		}
	}
	rep->window_us = first ? last - first : 0;
	free(buf);
	free(pfd);
}

static void recv_udp(int fd, int ctl, uint32_t run, unsigned int len, uint64_t deadline_us,
		     struct tput_report *rep)
{
	struct mmsghdr msgs[TPUT_UDP_BATCH];
	struct iovec iov[TPUT_UDP_BATCH];
	uint64_t first = 0, last = 0, quiet_since = 0;
	bool end = false, sender_done = false;
	size_t slot = len + 64;
	char *buf = xmalloc(slot * TPUT_UDP_BATCH);

	for (size_t i = 0; i < TPUT_UDP_BATCH; i++) {
		iov[i].iov_base = buf + i * slot;
		iov[i].iov_len = slot;
		memset(&msgs[i].msg_hdr, 0, sizeof(msgs[i].msg_hdr));
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	for (;;) {
		struct pollfd pfd[2] = { { fd, POLLIN, 0 }, { sender_done ? -1 : ctl, POLLIN, 0 } };
		uint64_t now = now_us();
		int timeout, n;

		if (now >= deadline_us) {
			if (!end && !sender_done)
				rep->error = ETIMEDOUT;
			break;
		}
		if (end) {
			/* Drain what arrived before the end marker. */
			timeout = 0;
		} else if (sender_done) {
			/* The marker was lost: wait until nothing comes. */
			if (now - quiet_since >= TPUT_UDP_QUIET_MS * 1000ULL)
				break;
			timeout = (int)((quiet_since + TPUT_UDP_QUIET_MS * 1000ULL - now + 999) / 1000);
		} else {
			timeout = tput_poll_ms(deadline_us);
		}
		n = poll(pfd, 2, timeout);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rep->error = errno;
			break;
		}
		if (!n) {
			if (end)
				break;
			continue;
		}
		if (pfd[1].revents) {
			sender_done = true;
			quiet_since = now_us();
		}
		if (!(pfd[0].revents & POLLIN))
			continue;
		n = recvmmsg(fd, msgs, TPUT_UDP_BATCH, MSG_DONTWAIT, NULL);
		if (n <= 0)
			continue;
		quiet_since = now_us();
		for (int i = 0; i < n; i++) {
			const struct tput_dgram *d = iov[i].iov_base;

			if (msgs[i].msg_len < sizeof(*d) || d->magic != TPUT_MAGIC || d->run != run)
				continue;
			if (d->seq == TPUT_SEQ_END) {
				end = true;
				continue;
			}
			last = quiet_since;
			if (!first)
				first = last;
			rep->dgrams++;
			rep->bytes += msgs[i].msg_len;
		}
	}
	rep->window_us = first ? last - first : 0;
	free(buf);
}

void tput_child(bool tcp, unsigned int streams, unsigned int len, int rfd, int rep_fd, int ctl_fd,
		uint32_t run, uint64_t deadline_us)
{
	struct tput_report rep = { 0 };
	ssize_t w;

	/* Die with the lab; a Ctrl-C ends the child too. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	if (tcp)
		recv_tcp(rfd, streams, deadline_us, &rep);
	else
		recv_udp(rfd, ctl_fd, run, len, deadline_us, &rep);
	rep.cpu_s = cpu_process_s();
	do
		w = write(rep_fd, &rep, sizeof(rep));
	while (w < 0 && errno == EINTR);
	_exit(w == sizeof(rep) ? 0 : 1);
}
