// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "traffic/tput.h"
#include "traffic/tput_recv.h"
#include "traffic/echo.h"
#include "traffic/sock.h"
#include "netns/util/now.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/wait.h>

double tput_bps(uint64_t bytes, uint64_t us)
{
	return us ? (double)bytes * 8e6 / (double)us : 0;
}

const char *tput_format_rate(double bps, char *buf, size_t len)
{
	static const char *const units[] = { "bit/s", "kbit/s", "Mbit/s", "Gbit/s", "Tbit/s" };
	size_t u = 0;
	double v = bps < 0 ? 0 : bps;

	while (v >= 999.5 && u + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1000;
		u++;
	}
	if (v >= 99.95 || u == 0)
		snprintf(buf, len, "%.0f %s", v, units[u]);
	else if (v >= 9.995)
		snprintf(buf, len, "%.1f %s", v, units[u]);
	else
		snprintf(buf, len, "%.2f %s", v, units[u]);
	return buf;
}

uint64_t tput_udp_due(uint64_t rate_bps, unsigned int len, uint64_t elapsed_us)
{
	/* 128-bit intermediate: 10 Gbit/s over an hour overflows 64 bits. */
	unsigned __int128 bits = (unsigned __int128)rate_bps * elapsed_us;

	if (!len)
		return 0;
	return (uint64_t)(bits / ((unsigned __int128)len * 8 * 1000000));
}

const char *tput_format(const struct tput_req *req, const struct tput_result *res, char *buf,
			size_t len)
{
	char rate[32], offered[32];
	double secs = (double)res->duration_us / 1e6;
	int n;

	if (res->proto == TPUT_TCP)
		n = snprintf(buf, len, "tcp %u stream%s %.1f s: %s", res->streams,
			     res->streams == 1 ? "" : "s", secs, tput_format_rate(res->bps, rate, sizeof(rate)));
	else
		n = snprintf(buf, len, "udp %s offered %.1f s: %s",
			     tput_format_rate((double)req->rate_bps, offered, sizeof(offered)), secs,
			     tput_format_rate(res->bps, rate, sizeof(rate)));
	if (n < 0 || (size_t)n >= len)
		return buf;
	if (res->error && !res->bytes) {
		snprintf(buf + n, len - (size_t)n, ", nothing received: %s", traffic_strerror(res->error));
		return buf;
	}
	if (res->proto == TPUT_TCP)
		n += snprintf(buf + n, len - (size_t)n, ", %llu retransmits",
			      (unsigned long long)res->retransmits);
	else
		n += snprintf(buf + n, len - (size_t)n, ", %llu/%llu datagrams lost (%.2f %%)",
			      (unsigned long long)res->dgrams_lost, (unsigned long long)res->dgrams_sent,
			      res->loss * 100);
	/* A full send queue (a shaped link pushing back) is not loss, but
	 * the rate was not offered either. */
	if (res->proto == TPUT_UDP && res->dgrams_offered > res->dgrams_sent && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, ", %llu more not sent (the send queue was full)",
			      (unsigned long long)(res->dgrams_offered - res->dgrams_sent));
	if (n < 0 || (size_t)n >= len)
		return buf;
	n += snprintf(buf + n, len - (size_t)n, ", generator CPU %.1f s",
		      res->cpu_sender_s + res->cpu_receiver_s);
	if (res->error && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " (stopped: %s)", traffic_strerror(res->error));
	return buf;
}
static double cpu_thread_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
/* --- the sender (this process) --- */

struct tput_sender {
	const struct tput_req *req;
	struct netns *from;
	struct sockaddr_storage dst;
	socklen_t dst_len;
	uint32_t run;
	int fds[TPUT_STREAMS_MAX];
	unsigned int n;
	struct tput_result *res;
	uint64_t end_us;
};

static int connect_streams(struct tput_sender *s)
{
	unsigned int streams = s->req->streams ? s->req->streams : 1, pending = 0;
	uint64_t deadline = now_us() + TPUT_CONNECT_MS * 1000ULL;
	struct pollfd pfd[TPUT_STREAMS_MAX];

	while (s->n < streams) {
		int fd = traffic_socket(s->from, s->dst.ss_family, SOCK_STREAM, 0);

		if (fd < 0)
			return fd;
		pfd[s->n].fd = fd;
		pfd[s->n].events = POLLOUT;
		s->fds[s->n++] = fd;
		if (connect(fd, (struct sockaddr *)&s->dst, s->dst_len) < 0 && errno != EINPROGRESS) {
			s->res->error = errno;
			return 0;
		}
		pending++;
	}
	while (pending) {
		int n = poll(pfd, s->n, tput_poll_ms(deadline));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			s->res->error = n ? errno : ETIMEDOUT;
			return 0;
		}
		for (unsigned int i = 0; i < s->n; i++) {
			int err = 0;
			socklen_t el = sizeof(err);

			if (pfd[i].fd < 0 || !pfd[i].revents)
				continue;
			getsockopt(pfd[i].fd, SOL_SOCKET, SO_ERROR, &err, &el);
			if (err) {
				s->res->error = err;
				return 0;
			}
			pfd[i].fd = -1;
			pending--;
		}
	}
	return 0;
}

static void send_tcp(struct tput_sender *s)
{
	struct pollfd pfd[TPUT_STREAMS_MAX];
	unsigned int live = s->n;
	char *buf = xcalloc(1, TPUT_TCP_WRITE);

	for (unsigned int i = 0; i < s->n; i++) {
		pfd[i].fd = s->fds[i];
		pfd[i].events = POLLOUT;
	}
	while (live && now_us() < s->end_us) {
		int n = poll(pfd, s->n, tput_poll_ms(s->end_us));

		if (n <= 0)
			continue;
		for (unsigned int i = 0; i < s->n; i++) {
			ssize_t w;

			if (pfd[i].fd < 0 || !pfd[i].revents)
				continue;
			w = send(pfd[i].fd, buf, TPUT_TCP_WRITE, MSG_NOSIGNAL);
			if (w > 0) {
				s->res->bytes_sent += (uint64_t)w;
			} else if (w < 0 && errno != EAGAIN && errno != EINTR) {
				s->res->error = errno;
				pfd[i].fd = -1;
				live--;
			}
		}
	}
	/* The rest of what is buffered still goes; the receiver reads up to
	 * the FIN. */
	for (unsigned int i = 0; i < s->n; i++)
		shutdown(s->fds[i], SHUT_WR);
	free(buf);
}

static void send_udp(struct tput_sender *s, uint64_t start_us)
{
	unsigned int len = s->req->len ? s->req->len : TPUT_UDP_LEN;
	struct mmsghdr msgs[TPUT_UDP_BATCH];
	struct iovec iov[TPUT_UDP_BATCH];
	char *buf = xcalloc(TPUT_UDP_BATCH, len);
	uint64_t sent = 0, tick = 0;
	int fd = s->fds[0];

	memset(msgs, 0, sizeof(msgs));
	for (size_t i = 0; i < TPUT_UDP_BATCH; i++) {
		struct tput_dgram *d = (struct tput_dgram *)(buf + i * len);

		d->magic = TPUT_MAGIC;
		d->run = s->run;
		iov[i].iov_base = d;
		iov[i].iov_len = len;
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	for (;;) {
		uint64_t now = now_us(), due;
		struct timespec ts;

		if (now >= s->end_us)
			now = s->end_us;
		due = tput_udp_due(s->req->rate_bps, len, now - start_us);
		while (sent < due) {
			unsigned int k, batch = due - sent > TPUT_UDP_BATCH ? TPUT_UDP_BATCH : (unsigned int)(due - sent);
			int n;

			for (k = 0; k < batch; k++)
				((struct tput_dgram *)iov[k].iov_base)->seq = sent + k;
			n = sendmmsg(fd, msgs, batch, MSG_DONTWAIT);
			if (n < 0 && errno == EAGAIN) {
				struct pollfd p = { fd, POLLOUT, 0 };

				/* The socket is full: the generator cannot
				 * offer more; wait for room within the window. */
				if (poll(&p, 1, tput_poll_ms(s->end_us)) <= 0)
					break;
				continue;
			}
			if (n < 0) {
				/* An ICMP error for an earlier datagram
				 * (ECONNREFUSED...): note it, keep offering. */
				if (errno != EINTR)
					s->res->error = errno;
				if (errno != EINTR && errno != ECONNREFUSED && errno != EHOSTUNREACH &&
				    errno != ENETUNREACH && errno != EHOSTDOWN)
					goto out;
				continue;
			}
			sent += (uint64_t)n;
			s->res->bytes_sent += (uint64_t)n * len;
		}
		if (now >= s->end_us)
			break;
		tick++;
		now = start_us + tick * TPUT_UDP_TICK_US;
		ts.tv_sec = (time_t)(now / 1000000);
		ts.tv_nsec = (long)(now % 1000000) * 1000;
		/* Pacing, not waiting for a condition: the next tick of the
		 * offered rate (CLOCK_MONOTONIC, as now_us()). */
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
	}
out:
	/* The end marker, a few times: it may be lost like any datagram. */
	((struct tput_dgram *)iov[0].iov_base)->seq = TPUT_SEQ_END;
	for (int k = 0; k < 3; k++)
		send(fd, iov[0].iov_base, len, MSG_DONTWAIT);
	s->res->dgrams_sent = sent;
	s->res->dgrams_offered = tput_udp_due(s->req->rate_bps, len, s->end_us - start_us);
	free(buf);
}

static void sockaddr_any(int family, uint16_t port, struct sockaddr_storage *ss, socklen_t *len)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)ss;

		in->sin_family = AF_INET;
		in->sin_port = htons(port);
		*len = sizeof(*in);
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		*len = sizeof(*in6);
	}
}

/* The receiver's socket, inside `to`, bound and (TCP) listening. */
static int receiver_socket(struct netns *to, const struct tput_req *req, uint16_t *ret_port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, one = 1, rcv = TPUT_UDP_RCVBUF, ret;

	fd = traffic_socket(to, req->dst.family, req->proto == TPUT_TCP ? SOCK_STREAM : SOCK_DGRAM, 0);
	if (fd < 0)
		return fd;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (req->proto == TPUT_UDP &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof(rcv)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	sockaddr_any(req->dst.family, req->port, &ss, &len);
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 ||
	    (req->proto == TPUT_TCP && listen(fd, TPUT_STREAMS_MAX) < 0) ||
	    getsockname(fd, (struct sockaddr *)&ss, &len) < 0) {
		ret = -errno;
		close(fd);
		return ret;
	}
	*ret_port = ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port :
			  ((struct sockaddr_in6 *)&ss)->sin6_port);
	return fd;
}

static int read_report(int fd, uint64_t deadline_us, struct tput_report *rep)
{
	size_t got = 0;

	while (got < sizeof(*rep)) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t r;
		int n = poll(&p, 1, tput_poll_ms(deadline_us));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n ? -errno : -ETIMEDOUT;
		r = read(fd, (char *)rep + got, sizeof(*rep) - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r ? -errno : -ECHILD;
		got += (size_t)r;
	}
	return 0;
}

static int tput_check(const struct tput_req *req)
{
	if (req->proto != TPUT_TCP && req->proto != TPUT_UDP)
		return -EINVAL;
	if (req->dst.family != AF_INET && req->dst.family != AF_INET6)
		return -EAFNOSUPPORT;
	if (req->streams > TPUT_STREAMS_MAX)
		return -EINVAL;
	if (req->proto == TPUT_UDP &&
	    (!req->rate_bps || (req->len && (req->len < sizeof(struct tput_dgram) || req->len > 65000))))
		return -EINVAL;
	return 0;
}

int tput_run(struct netns *from, struct netns *to, const struct tput_req *req,
	     struct tput_result *ret)
{
	unsigned int duration_ms = req->duration_ms ? req->duration_ms : TPUT_DURATION_MS;
	int rfd = -1, rep_pipe[2] = { -1, -1 }, ctl_pipe[2] = { -1, -1 }, status, err;
	struct tput_result res = { 0 };
	struct tput_sender s = { 0 };
	struct tput_report rep = { 0 };
	uint64_t start, deadline;
	double cpu0;
	uint16_t port = 0;
	pid_t pid = -1;

	err = tput_check(req);
	if (err < 0)
		return err;
	res.proto = req->proto;
	res.streams = req->proto == TPUT_TCP ? (req->streams ? req->streams : 1) : 1;
	rfd = receiver_socket(to, req, &port);
	if (rfd < 0)
		return rfd;
	if (pipe2(rep_pipe, O_CLOEXEC) < 0 || pipe2(ctl_pipe, O_CLOEXEC) < 0) {
		err = -errno;
		goto cleanup;
	}
	s.req = req;
	s.from = from;
	s.res = &res;
	s.run = (uint32_t)echo_random();
	s.dst_len = traffic_sockaddr(&req->dst, port, 0, &s.dst);
	/* The receiver gives up on its own well after the window. */
	deadline = now_us() + (TPUT_CONNECT_MS + duration_ms + TPUT_REPORT_GRACE_MS) * 1000ULL;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		err = -errno;
		goto cleanup;
	}
	if (!pid) {
		close(rep_pipe[0]);
		close(ctl_pipe[1]);
		tput_child(req->proto == TPUT_TCP, req->streams ? req->streams : 1,
			   req->len ? req->len : TPUT_UDP_LEN, rfd, rep_pipe[1], ctl_pipe[0], s.run,
			   deadline);
	}
	close(rfd);
	rfd = -1;
	close(rep_pipe[1]);
	rep_pipe[1] = -1;
	close(ctl_pipe[0]);
	ctl_pipe[0] = -1;

	cpu0 = cpu_thread_s();
	if (req->proto == TPUT_TCP) {
		err = connect_streams(&s);
		if (err < 0)
			goto cleanup;
		start = now_us();
		s.end_us = start + duration_ms * 1000ULL;
		if (!res.error)
			send_tcp(&s);
	} else {
		s.fds[0] = traffic_socket(from, req->dst.family, SOCK_DGRAM, 0);
		if (s.fds[0] < 0) {
			err = s.fds[0];
			goto cleanup;
		}
		s.n = 1;
		start = now_us();
		s.end_us = start + duration_ms * 1000ULL;
		if (connect(s.fds[0], (struct sockaddr *)&s.dst, s.dst_len) < 0)
			res.error = errno;
		else
			send_udp(&s, start);
	}
	res.duration_us = now_us() - start;
	res.cpu_sender_s = cpu_thread_s() - cpu0;
	/* Tell a UDP receiver the sender is done (the end marker may be
	 * lost); a TCP receiver that never got its streams is stopped. */
	close(ctl_pipe[1]);
	ctl_pipe[1] = -1;
	if (res.error && req->proto == TPUT_TCP && !res.bytes_sent)
		kill(pid, SIGKILL);
	if (read_report(rep_pipe[0], deadline, &rep) < 0)
		rep.error = rep.error ? rep.error : ECHILD;
	else
		res.cpu_receiver_s = rep.cpu_s;
	for (unsigned int i = 0; i < s.n && req->proto == TPUT_TCP; i++) {
		struct tcp_info ti;
		socklen_t tl = sizeof(ti);

		memset(&ti, 0, sizeof(ti));
		if (!getsockopt(s.fds[i], IPPROTO_TCP, TCP_INFO, &ti, &tl))
			res.retransmits += ti.tcpi_total_retrans;
	}
	res.bytes = rep.bytes;
	res.window_us = rep.window_us;
	if (req->proto == TPUT_TCP) {
		res.bps = tput_bps(res.bytes, res.window_us);
	} else {
		res.dgrams_received = rep.dgrams;
		res.dgrams_lost = res.dgrams_sent > rep.dgrams ? res.dgrams_sent - rep.dgrams : 0;
		res.loss = res.dgrams_sent ? (double)res.dgrams_lost / (double)res.dgrams_sent : 0;
		res.bps = tput_bps(res.bytes, res.duration_us);
	}
	if (!res.error && !res.bytes && rep.error)
		res.error = rep.error;
	*ret = res;
	err = 0;
cleanup:
	if (pid > 0) {
		if (err < 0)
			kill(pid, SIGKILL);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	for (unsigned int i = 0; i < s.n; i++)
		if (s.fds[i] >= 0)
			close(s.fds[i]);
	if (rfd >= 0)
		close(rfd);
	for (int i = 0; i < 2; i++) {
		if (rep_pipe[i] >= 0)
			close(rep_pipe[i]);
		if (ctl_pipe[i] >= 0)
			close(ctl_pipe[i]);
	}
	return err;
}
