// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "lab/bench/bench_iperf.h"
#include "netns/ns.h"
#include "netns/proc.h"
#include "netns/util/now.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define IPERF_PORT 5201
#define IPERF_READY_MS 5000

/* The number after "key": in the object that starts at the first
 * "section" (NULL: anywhere). */
static int json_number(const char *json, const char *section, const char *key, double *ret)
{
	char pat[64];
	const char *p = json, *end;
	double v;

	if (section) {
		snprintf(pat, sizeof(pat), "\"%s\"", section);
		p = strstr(json, pat);
		if (!p)
			return -EBADMSG;
		p += strlen(pat);
	}
	snprintf(pat, sizeof(pat), "\"%s\"", key);
	p = strstr(p, pat);
	if (!p)
		return -EBADMSG;
	p += strlen(pat);
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == ':')
		p++;
	v = strtod(p, (char **)&end);
	if (end == p)
		return -EBADMSG;
	*ret = v;
	return 0;
}

int bench_iperf3_parse(const char *json, enum tput_proto proto, struct bench_iperf_result *ret,
		       char *err, size_t errlen)
{
	struct bench_iperf_result r = { 0 };
	const char *e = strstr(json, "\"error\"");
	double v;

	if (e) {
		const char *q = strchr(e + 7, '"'), *z = q ? strchr(q + 1, '"') : NULL;

		if (q && z && errlen)
			snprintf(err, errlen, "iperf3: %.*s", (int)(z - q - 1), q + 1);
		return -EPROTO;
	}
	if (proto == TPUT_TCP) {
		if (json_number(json, "sum_received", "bits_per_second", &r.bps) < 0)
			return -EBADMSG;
		if (!json_number(json, "sum_sent", "retransmits", &v))
			r.retransmits = (uint64_t)v;
	} else {
		/* iperf3 >= 3.11 has the receiver's own sum; older ones only
		 * the sender's figure and the loss it was told. */
		if (json_number(json, "sum_received", "bits_per_second", &r.bps) < 0) {
			if (json_number(json, "sum", "bits_per_second", &r.bps) < 0)
				return -EBADMSG;
		}
		if (!json_number(json, "end", "lost_percent", &v))
			r.lost_percent = v;
	}
	if (!json_number(json, "cpu_utilization_percent", "host_total", &v))
		r.cpu_client = v;
	if (!json_number(json, "cpu_utilization_percent", "remote_total", &v))
		r.cpu_server = v;
	*ret = r;
	return 0;
}

/* The server listens on port in its node: /proc/thread-self/net/tcp{,6}
 * (or udp) read from inside. */
static bool iperf_listening(struct netns *ns, uint16_t port)
{
	static const char *const tables[] = { "tcp", "tcp6" };
	bool found = false;

	if (netns_enter(ns) < 0)
		return false;
	for (size_t t = 0; t < 2 && !found; t++) {
		char path[64], line[256];
		FILE *f;

		snprintf(path, sizeof(path), "/proc/thread-self/net/%s", tables[t]);
		f = fopen(path, "re");
		if (!f)
			continue;
		while (!found && fgets(line, sizeof(line), f)) {
			unsigned int lport, state;
			char *colon = strchr(line, ':');

			/* "  0: 00000000:1451 00000000:0000 0A ..." */
			colon = colon ? strchr(colon + 1, ':') : NULL;
			if (colon && sscanf(colon + 1, "%x %*s %x", &lport, &state) == 2 && lport == port &&
			    state == 0x0a)
				found = true;
		}
		fclose(f);
	}
	netns_leave();
	return found;
}

static int read_all(int fd, char **ret)
{
	struct stat st;
	char *buf;
	ssize_t n;

	if (fstat(fd, &st) < 0)
		return -errno;
	buf = xmalloc((size_t)st.st_size + 1);
	n = pread(fd, buf, (size_t)st.st_size, 0);
	if (n < 0) {
		free(buf);
		return -errno;
	}
	buf[n] = '\0';
	*ret = buf;
	return 0;
}

int bench_iperf3(struct netns *from, struct netns *to, const struct tput_req *req,
		 struct bench_iperf_result *ret, char *err, size_t errlen)
{
	unsigned int duration_ms = req->duration_ms ? req->duration_ms : TPUT_DURATION_MS;
	uint16_t port = req->port ? req->port : IPERF_PORT;
	char sport[12], secs[16], streams[12], rate[32], len[16], dst[ADDR_STRLEN];
	char *sargv[] = { "iperf3", "-s", "-1", "-p", sport, NULL };
	char *cargv[20];
	struct proc_opts o = { 0 };
	struct proc *server = NULL, *client = NULL;
	int out = -1, status, r, c = 0;
	char *json = NULL;
	uint64_t deadline;

	if (errlen)
		err[0] = '\0';
	snprintf(sport, sizeof(sport), "%u", port);
	/* iperf3 3.12 reads -t as whole seconds (0 would be forever). */
	snprintf(secs, sizeof(secs), "%u", (duration_ms + 999) / 1000);
	snprintf(streams, sizeof(streams), "%u", req->streams ? req->streams : 1);
	snprintf(rate, sizeof(rate), "%llu", (unsigned long long)req->rate_bps);
	snprintf(len, sizeof(len), "%u", req->len ? req->len : TPUT_UDP_LEN);
	addr_format(&req->dst, false, dst, sizeof(dst));
	cargv[c++] = "iperf3";
	cargv[c++] = "-c";
	cargv[c++] = dst;
	cargv[c++] = "-p";
	cargv[c++] = sport;
	cargv[c++] = "-t";
	cargv[c++] = secs;
	cargv[c++] = "-J";
	if (req->proto == TPUT_UDP) {
		cargv[c++] = "-u";
		cargv[c++] = "-b";
		cargv[c++] = rate;
		cargv[c++] = "-l";
		cargv[c++] = len;
	} else {
		cargv[c++] = "-P";
		cargv[c++] = streams;
	}
	cargv[c] = NULL;

	o.stdin_fd = o.stdout_fd = o.stderr_fd = -1;
	o.ns = to;
	r = proc_spawn(&server, sargv, &o);
	if (r < 0) {
		snprintf(err, errlen, "Unable to start iperf3 -s: %s", strerror(-r));
		goto cleanup;
	}
	deadline = now_us() + IPERF_READY_MS * 1000ULL;
	while (!iperf_listening(to, port)) {
		struct timespec ts = { 0, 1000000 };

		if (!proc_running(server) || now_us() >= deadline) {
			r = -ETIMEDOUT;
			snprintf(err, errlen, "iperf3 -s never listened on port %u", port);
			goto cleanup;
		}
		/* Polling a condition (the listening socket) every ms. */
		nanosleep(&ts, NULL);
	}
	out = memfd_create("wglab-iperf3", MFD_CLOEXEC);
	if (out < 0) {
		r = -errno;
		goto cleanup;
	}
	o.ns = from;
	o.stdout_fd = out;
	r = proc_spawn(&client, cargv, &o);
	if (r < 0) {
		snprintf(err, errlen, "Unable to start iperf3 -c: %s", strerror(-r));
		goto cleanup;
	}
	r = proc_wait(client, (int)duration_ms + 20000, &status);
	if (r < 0) {
		snprintf(err, errlen, "iperf3 -c did not finish: %s", strerror(-r));
		goto cleanup;
	}
	r = read_all(out, &json);
	if (r < 0)
		goto cleanup;
	r = bench_iperf3_parse(json, req->proto, ret, err, errlen);
	if (r == -EBADMSG)
		snprintf(err, errlen, "iperf3 -c exited %d without the figures", WEXITSTATUS(status));
cleanup:
	proc_free(client);
	if (server)
		proc_stop(server, 1000);
	proc_free(server);
	if (out >= 0)
		close(out);
	free(json);
	return r;
}
