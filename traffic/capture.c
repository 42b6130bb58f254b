// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "traffic/capture.h"
#include "traffic/loop.h"
#include "traffic/sock.h"
#include "netns/util/now.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/epoll.h>
#include <pcap/pcap.h>

#define CAPTURE_BUFFER_SIZE (8 << 20)	/* kernel ring */

struct capture {
	struct loop *l;
	pcap_t *pcap;
	pcap_dumper_t *dumper;
	int fd;				/* selectable fd, -1 once stopped */
	int linktype;
	struct capture_pkt **pkts;
	size_t npkts;
	size_t mem, mem_max;
	uint64_t seen, not_stored;
	int error;			/* first read error, -errno */
	char errmsg[PCAP_ERRBUF_SIZE];
};

static char capture_error[PCAP_ERRBUF_SIZE];

const char *capture_last_error(void)
{
	return capture_error;
}

static void capture_store(struct capture *c, const struct pcap_pkthdr *h, const uint8_t *data)
{
	uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000 + (uint64_t)h->ts.tv_usec;
	size_t need = sizeof(struct capture_pkt) + h->caplen;
	struct capture_pkt *p;
	uint8_t *copy;

	c->seen++;
	if (c->dumper)
		pcap_dump((u_char *)c->dumper, h, data);
	if (c->mem + need > c->mem_max)
		goto full;
	c->pkts = xgrow(c->pkts, c->npkts, sizeof(*c->pkts));
	p = xmalloc(need);
	copy = (uint8_t *)(p + 1);
	memcpy(copy, data, h->caplen);
	capture_decode(c->linktype, copy, h->caplen, h->len, ts, p);
	c->pkts[c->npkts++] = p;
	c->mem += need;
	return;
full:
	c->not_stored++;
}

static void capture_handler(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
	capture_store((struct capture *)user, h, data);
}

static void capture_detach(struct capture *c)
{
	if (c->fd < 0)
		return;
	loop_del(c->l, c->fd);
	c->fd = -1;
	if (c->dumper)
		pcap_dump_flush(c->dumper);
}

int capture_poll(struct capture *c)
{
	int n, rounds = 0;

	if (c->fd < 0)
		return c->error;
	/* Bounded: a busy link must not keep the loop here forever. */
	do {
		n = pcap_dispatch(c->pcap, -1, capture_handler, (u_char *)c);
	} while (n > 0 && ++rounds < 64);
	if (c->dumper)
		pcap_dump_flush(c->dumper);
	if (n == PCAP_ERROR) {
		/* The interface went down or away: the socket stays readable
		 * with its error, so stop watching it. */
		c->error = -ENETDOWN;
		snprintf(c->errmsg, sizeof(c->errmsg), "%s", pcap_geterr(c->pcap));
		capture_detach(c);
		return c->error;
	}
	return 0;
}

static void capture_cb(int fd, uint32_t events, void *data)
{
	(void)fd;
	(void)events;
	capture_poll(data);
}

void capture_set_limit(struct capture *c, size_t bytes)
{
	c->mem_max = bytes;
}

struct capture_open {
	const char *ifname;
	pcap_t *pcap;
	int err;
};

static int capture_status_errno(int status)
{
	switch (status) {
	case PCAP_ERROR_NO_SUCH_DEVICE:
		return -ENODEV;
	case PCAP_ERROR_PERM_DENIED:
		return -EPERM;
	case PCAP_ERROR_IFACE_NOT_UP:
		return -ENETDOWN;
	default:
		return -EIO;
	}
}

/* Runs inside the node: the packet socket is created by pcap_activate. */
static int capture_open_in(void *data)
{
	struct capture_open *o = data;
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p;
	int status;

	/* NULL only when out of memory: a bad device is pcap_activate()'s
	 * error. */
	p = xcheck(pcap_create(o->ifname, errbuf));
	pcap_set_snaplen(p, CAPTURE_SNAPLEN);
	pcap_set_promisc(p, 0);
	pcap_set_immediate_mode(p, 1);
	pcap_set_buffer_size(p, CAPTURE_BUFFER_SIZE);
	pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_MICRO);
	status = pcap_activate(p);
	if (status < 0) {
		snprintf(capture_error, sizeof(capture_error), "%s", pcap_geterr(p));
		pcap_close(p);
		return capture_status_errno(status);
	}
	o->pcap = p;
	return 0;
}

int capture_start(struct capture **ret, struct loop *l, struct netns *ns, const char *ifname,
		  const char *pcap_path)
{
	struct capture_open o = { .ifname = ifname };
	char errbuf[PCAP_ERRBUF_SIZE];
	struct capture *c;
	int err;

	capture_error[0] = '\0';
	if (!ifname || !*ifname || strlen(ifname) >= IF_NAMESIZE)
		return -EINVAL;
	c = xcalloc(1, sizeof(*c));
	c->l = l;
	c->fd = -1;
	c->mem_max = CAPTURE_MEM_MAX;
	err = traffic_in_netns(ns, capture_open_in, &o);
	if (err < 0) {
		if (o.pcap)
			pcap_close(o.pcap);
		goto err;
	}
	c->pcap = o.pcap;
	c->linktype = pcap_datalink(c->pcap);
	if (pcap_setnonblock(c->pcap, 1, errbuf) < 0) {
		snprintf(capture_error, sizeof(capture_error), "%s", errbuf);
		err = -EIO;
		goto err;
	}
	if (pcap_path) {
		errno = 0;
		c->dumper = pcap_dump_open(c->pcap, pcap_path);
		if (!c->dumper) {
			err = errno ? -errno : -EIO;
			snprintf(capture_error, sizeof(capture_error), "%s", pcap_geterr(c->pcap));
			goto err;
		}
	}
	c->fd = pcap_get_selectable_fd(c->pcap);
	if (c->fd < 0) {
		err = -EOPNOTSUPP;
		goto err;
	}
	err = loop_add(l, c->fd, EPOLLIN, capture_cb, c);
	if (err < 0) {
		c->fd = -1;
		goto err;
	}
	*ret = c;
	return 0;
err:
	capture_free(c);
	return err;
}

int capture_stop(struct capture *c)
{
	int err;

	if (c->fd < 0)
		return c->error;
	err = capture_poll(c);
	capture_detach(c);
	return err;
}

void capture_free(struct capture *c)
{
	size_t i;

	if (!c)
		return;
	if (c->fd >= 0)
		loop_del(c->l, c->fd);
	if (c->dumper)
		pcap_dump_close(c->dumper);
	if (c->pcap)
		pcap_close(c->pcap);
	for (i = 0; i < c->npkts; i++)
		free(c->pkts[i]);
	free(c->pkts);
	free(c);
}

void capture_stats(struct capture *c, struct capture_stats *ret)
{
	struct pcap_stat ps;

	memset(ret, 0, sizeof(*ret));
	ret->seen = c->seen;
	ret->stored = c->npkts;
	ret->not_stored = c->not_stored;
	ret->mem = c->mem;
	ret->error = c->error;
	ret->message = c->errmsg;
	if (!c->error && !pcap_stats(c->pcap, &ps))
		ret->kernel_drops = ps.ps_drop;
}

int capture_linktype(const struct capture *c)
{
	return c->linktype;
}

size_t capture_packets(const struct capture *c, const struct capture_pkt *const **ret)
{
	*ret = (const struct capture_pkt *const *)c->pkts;
	return c->npkts;
}

static int capture_compile(int linktype, const char *filter, struct bpf_program *prog, char *err,
			   size_t errlen)
{
	/* NULL only when out of memory. */
	pcap_t *dead = xcheck(pcap_open_dead(linktype, CAPTURE_SNAPLEN));
	int ret = 0;

	if (pcap_compile(dead, prog, filter ? filter : "", 1, PCAP_NETMASK_UNKNOWN) < 0) {
		if (errlen)
			snprintf(err, errlen, "%s", pcap_geterr(dead));
		ret = -EINVAL;
	}
	pcap_close(dead);
	return ret;
}

static bool capture_prog_match(const struct bpf_program *prog, const struct capture_pkt *p)
{
	struct pcap_pkthdr h = { .caplen = p->caplen, .len = p->len };

	h.ts.tv_sec = (time_t)(p->ts_us / 1000000);
	h.ts.tv_usec = (suseconds_t)(p->ts_us % 1000000);
	return pcap_offline_filter(prog, &h, p->data) != 0;
}

int capture_filter_scan(int linktype, const struct capture_pkt *const *pkts, size_t n,
			const char *filter, size_t *first, char *err, size_t errlen)
{
	struct bpf_program prog;
	size_t i;
	int ret, count = 0;

	ret = capture_compile(linktype, filter, &prog, err, errlen);
	if (ret < 0)
		return ret;
	if (first)
		*first = n;
	for (i = 0; i < n; i++) {
		if (!capture_prog_match(&prog, pkts[i]))
			continue;
		if (!count++ && first)
			*first = i;
	}
	pcap_freecode(&prog);
	return count;
}

int capture_filter_count(int linktype, const struct capture_pkt *const *pkts, size_t n,
			 const char *filter, char *err, size_t errlen)
{
	return capture_filter_scan(linktype, pkts, n, filter, NULL, err, errlen);
}

int capture_count(struct capture *c, const char *filter, unsigned int *ret, char *err,
		  size_t errlen)
{
	int n;

	capture_poll(c);
	n = capture_filter_count(c->linktype, (const struct capture_pkt *const *)c->pkts,
				 c->npkts, filter, err, errlen);
	if (n < 0)
		return n;
	*ret = (unsigned int)n;
	return 0;
}

int capture_first(struct capture *c, const char *filter, const struct capture_pkt **ret,
		  char *err, size_t errlen)
{
	struct bpf_program prog;
	size_t i;
	int r;

	capture_poll(c);
	r = capture_compile(c->linktype, filter, &prog, err, errlen);
	if (r < 0)
		return r;
	r = -ENOENT;
	for (i = 0; i < c->npkts; i++) {
		if (capture_prog_match(&prog, c->pkts[i])) {
			*ret = c->pkts[i];
			r = 0;
			break;
		}
	}
	pcap_freecode(&prog);
	return r;
}

int capture_wait(struct capture *c, const char *filter, unsigned int count,
		 uint64_t deadline_ms, unsigned int *ret, char *err, size_t errlen)
{
	struct bpf_program prog;
	unsigned int matched = 0;
	size_t next = 0;
	int r;

	r = capture_compile(c->linktype, filter, &prog, err, errlen);
	if (r < 0)
		return r;
	capture_poll(c);
	for (;;) {
		uint64_t now;

		for (; next < c->npkts; next++)
			if (capture_prog_match(&prog, c->pkts[next]))
				matched++;
		if (matched >= count) {
			r = 0;
			break;
		}
		now = now_ms();
		if (now >= deadline_ms || c->fd < 0) {
			r = -ETIMEDOUT;
			break;
		}
		r = loop_run_once(c->l, (int)(deadline_ms - now));
		if (r < 0)
			break;
	}
	pcap_freecode(&prog);
	if (ret)
		*ret = matched;
	return r;
}

int capture_find_rewrite(struct capture *in, struct capture *out, const struct rewrite_pattern *p,
			 struct rewrite_match *ret)
{
	capture_poll(in);
	if (out != in)
		capture_poll(out);
	return capture_match_rewrite((const struct capture_pkt *const *)in->pkts, in->npkts,
				     (const struct capture_pkt *const *)out->pkts, out->npkts, p,
				     ret);
}
