// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "traffic/capture.h"
#include "traffic/capture_filter.h"
#include "traffic/loop.h"
#include "traffic/sock.h"
#include "netns/util/now.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/epoll.h>
#include <pcap/pcap.h>

/*
 * TPACKET_V3 (libpcap uses it unless in immediate mode): the kernel packs
 * packets of any size into 256 KiB blocks, and hands a block over when it
 * is full or CAPTURE_BLOCK_MS after it got its first packet; so a packet
 * is readable at most 2 * CAPTURE_BLOCK_MS after it was taken.
 */
#define CAPTURE_BLOCK_MS 10

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
	unsigned int snaplen;
	size_t ring;
	bool filtered;
	struct pcap_stat last;		/* pcap_stats() as last read, less base */
	struct pcap_stat base;		/* what came before the kernel filter */
	pthread_mutex_t lock;		/* reading: the loop's callback or the drain thread */
	pthread_t drain;		/* capture_drain() */
	bool draining;
	atomic_bool drain_stop;
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

/* Reads what the kernel handed over; -ENETDOWN once the interface failed
 * (stops watching it only when detach: the loop's thread). */
static int capture_read(struct capture *c, bool detach)
{
	int n, rounds = 0;

	pthread_mutex_lock(&c->lock);
	if (c->error)
		goto out;
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
	}
out:
	pthread_mutex_unlock(&c->lock);
	if (c->error && detach)
		capture_detach(c);
	return c->error;
}

int capture_poll(struct capture *c)
{
	if (c->fd < 0)
		return c->error;
	return capture_read(c, true);
}

/* While the loop does not run (a throughput measurement): reads as packets
 * come, so the ring never fills with blocks nobody hands back. */
static void *capture_drain_main(void *data)
{
	struct capture *c = data;
	struct pollfd p = { .fd = c->fd, .events = POLLIN };

	while (!atomic_load(&c->drain_stop)) {
		if (poll(&p, 1, CAPTURE_BLOCK_MS) > 0 && capture_read(c, false) < 0)
			break;
	}
	return NULL;
}

int capture_drain(struct capture *c, bool on)
{
	int err;

	if (on == c->draining)
		return 0;
	if (on) {
		if (c->fd < 0)
			return c->error;
		atomic_store(&c->drain_stop, false);
		err = pthread_create(&c->drain, NULL, capture_drain_main, c);
		if (err)
			return -err;
		c->draining = true;
		return 0;
	}
	atomic_store(&c->drain_stop, true);
	pthread_join(c->drain, NULL);
	c->draining = false;
	/* An error the thread saw: stop watching now, from the loop's thread. */
	return capture_poll(c);
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
	const struct capture_opts *o;
	pcap_t *pcap;
	struct pcap_stat base;
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
	struct bpf_program prog;
	pcap_t *p;
	int status;

	/* NULL only when out of memory: a bad device is pcap_activate()'s
	 * error. */
	p = xcheck(pcap_create(o->ifname, errbuf));
	pcap_set_snaplen(p, (int)o->o->snaplen);
	pcap_set_promisc(p, 0);
	/* Not immediate: libpcap then takes TPACKET_V3, whose blocks hold
	 * packets at their captured size, not at the snapshot length. */
	pcap_set_immediate_mode(p, 0);
	pcap_set_timeout(p, CAPTURE_BLOCK_MS);
	pcap_set_buffer_size(p, (int)o->o->ring);
	pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_MICRO);
	status = pcap_activate(p);
	if (status < 0) {
		snprintf(capture_error, sizeof(capture_error), "%s", pcap_geterr(p));
		pcap_close(p);
		return capture_status_errno(status);
	}
	/* In the kernel: what no expectation looks at never takes ring
	 * space. */
	if (o->o->filter && *o->o->filter) {
		if (pcap_compile(p, &prog, o->o->filter, 1, PCAP_NETMASK_UNKNOWN) < 0 ||
		    pcap_setfilter(p, &prog) < 0) {
			snprintf(capture_error, sizeof(capture_error), "%s", pcap_geterr(p));
			pcap_close(p);
			return -EINVAL;
		}
		pcap_freecode(&prog);
		/* What came between the socket's start and its filter is
		 * counted by the kernel, and libpcap filters it in userland
		 * (what does not match is never handed over): not part of
		 * what the capture took. */
		pcap_stats(p, &o->base);
	}
	o->pcap = p;
	return 0;
}

int capture_start(struct capture **ret, struct loop *l, struct netns *ns, const char *ifname,
		  const char *pcap_path, const struct capture_opts *opts)
{
	struct capture_opts o = { .snaplen = CAPTURE_SNAPLEN, .ring = CAPTURE_RING };
	struct capture_open co = { .ifname = ifname, .o = &o };
	char errbuf[PCAP_ERRBUF_SIZE];
	struct capture *c;
	int err;

	capture_error[0] = '\0';
	if (!ifname || !*ifname || strlen(ifname) >= IF_NAMESIZE)
		return -EINVAL;
	if (opts) {
		o.filter = opts->filter;
		if (opts->snaplen)
			o.snaplen = opts->snaplen < CAPTURE_SNAPLEN ? opts->snaplen : CAPTURE_SNAPLEN;
		if (opts->ring)
			o.ring = opts->ring < CAPTURE_RING_MAX ? opts->ring : CAPTURE_RING_MAX;
	}
	c = xcalloc(1, sizeof(*c));
	pthread_mutex_init(&c->lock, NULL);
	c->l = l;
	c->fd = -1;
	c->mem_max = CAPTURE_MEM_MAX;
	c->snaplen = o.snaplen;
	c->ring = o.ring;
	c->filtered = o.filter && *o.filter;
	err = traffic_in_netns(ns, capture_open_in, &co);
	if (err < 0) {
		if (co.pcap)
			pcap_close(co.pcap);
		goto err;
	}
	c->pcap = co.pcap;
	c->base = co.base;
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

/* libpcap adds up the kernel's counters (which restart at every read). */
static void capture_kernel_stats(struct capture *c)
{
	struct pcap_stat ps;

	if (c->pcap && !pcap_stats(c->pcap, &ps)) {
		c->last.ps_recv = ps.ps_recv >= c->base.ps_recv ? ps.ps_recv - c->base.ps_recv : 0;
		c->last.ps_drop = ps.ps_drop >= c->base.ps_drop ? ps.ps_drop - c->base.ps_drop : 0;
		c->last.ps_ifdrop = ps.ps_ifdrop;
	}
}

/* How long a verdict waits for what the kernel took to be read: it returns
 * as soon as all of it is, so only a slow machine (the emulated guest of
 * make check-kernel once needed more than 60 ms) waits longer. */
#define CAPTURE_SYNC_MS 1000

int capture_sync(struct capture *c)
{
	uint64_t end = now_ms() + CAPTURE_SYNC_MS;
	uint64_t want;

	if (c->fd < 0)
		return c->error;
	capture_kernel_stats(c);
	/* What the kernel took by now and did not drop, read. */
	want = c->last.ps_recv >= c->last.ps_drop ? c->last.ps_recv - c->last.ps_drop : 0;
	for (;;) {
		uint64_t now;

		capture_poll(c);
		if (c->seen >= want || c->fd < 0)
			return c->fd < 0 ? c->error : 0;
		now = now_ms();
		if (now >= end)
			return -ETIMEDOUT;
		loop_run_once(c->l, (int)(end - now < 5 ? end - now : 5));
	}
}

int capture_stop(struct capture *c)
{
	int err;

	capture_drain(c, false);
	if (c->fd < 0)
		return c->error;
	capture_sync(c);
	err = capture_poll(c);
	capture_detach(c);
	return err;
}

void capture_free(struct capture *c)
{
	size_t i;

	if (!c)
		return;
	capture_drain(c, false);
	if (c->fd >= 0)
		loop_del(c->l, c->fd);
	if (c->dumper)
		pcap_dump_close(c->dumper);
	if (c->pcap)
		pcap_close(c->pcap);
	for (i = 0; i < c->npkts; i++)
		free(c->pkts[i]);
	free(c->pkts);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

void capture_stats(struct capture *c, struct capture_stats *ret)
{
	memset(ret, 0, sizeof(*ret));
	if (!c->error)
		capture_kernel_stats(c);
	ret->seen = c->seen;
	ret->stored = c->npkts;
	ret->not_stored = c->not_stored;
	ret->mem = c->mem;
	ret->error = c->error;
	ret->message = c->errmsg;
	ret->kernel_taken = c->last.ps_recv;
	ret->kernel_drops = c->last.ps_drop;
	ret->snaplen = c->snaplen;
	ret->ring = c->ring;
	ret->filtered = c->filtered;
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

int capture_count(struct capture *c, const char *filter, unsigned int *ret, char *err,
		  size_t errlen)
{
	int n;

	capture_sync(c);
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
	size_t first;
	int n;

	capture_sync(c);
	n = capture_filter_scan(c->linktype, (const struct capture_pkt *const *)c->pkts, c->npkts,
				filter, &first, err, errlen);
	if (n < 0)
		return n;
	if (!n)
		return -ENOENT;
	*ret = c->pkts[first];
	return 0;
}

int capture_wait(struct capture *c, const char *filter, unsigned int count,
		 uint64_t deadline_ms, unsigned int *ret, char *err, size_t errlen)
{
	unsigned int matched = 0;
	size_t next = 0;
	int r;

	capture_poll(c);
	for (;;) {
		uint64_t now;

		r = capture_filter_count(c->linktype, (const struct capture_pkt *const *)c->pkts + next,
					 c->npkts - next, filter, err, errlen);
		if (r < 0)
			break;
		matched += (unsigned int)r;
		next = c->npkts;
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
	if (ret && r != -EINVAL)
		*ret = matched;
	return r;
}

int capture_find_rewrite(struct capture *in, size_t in_from, struct capture *out, size_t out_from,
			 const struct rewrite_pattern *p, struct rewrite_match *ret)
{
	capture_poll(in);
	if (out != in)
		capture_poll(out);
	return capture_match_rewrite((const struct capture_pkt *const *)in->pkts, in->npkts,
				     in_from < in->npkts ? in_from : in->npkts,
				     (const struct capture_pkt *const *)out->pkts, out->npkts,
				     out_from < out->npkts ? out_from : out->npkts, p, ret);
}
