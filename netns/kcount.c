// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "netns/kcount.h"
#include "netns/link.h"
#include "netns/ns.h"
#include "netns/util/file.h"
#include "netns/util/strbuf.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* At most this many interfaces are named in one description. */
#define KCOUNT_NAMED_IFS 3

/* The sum over CPUs of the named column of a /proc/net/stat file (a
 * header line, then one line of hex numbers per CPU). */
static int kcount_stat(const char *path, const char *const *cols, uint64_t *const *ret, size_t n)
{
	char line[1024], *tok, *save;
	int idx[8];
	size_t k;
	FILE *f = fopen(path, "re");

	if (!f)
		return -errno;
	for (k = 0; k < n; k++)
		idx[k] = -1;
	if (fgets(line, sizeof(line), f)) {
		int col = 0;

		for (tok = strtok_r(line, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save), col++)
			for (k = 0; k < n; k++)
				if (!strcmp(tok, cols[k]))
					idx[k] = col;
	}
	while (fgets(line, sizeof(line), f)) {
		int col = 0;

		for (tok = strtok_r(line, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save), col++)
			for (k = 0; k < n; k++)
				if (idx[k] == col)
					*ret[k] += strtoull(tok, NULL, 16);
	}
	fclose(f);
	return 0;
}

/* /proc/net/softnet_stat: per CPU, processed, dropped, time_squeeze. */
static void kcount_softnet(struct kcount *k)
{
	unsigned long long processed, dropped, squeeze;
	char line[512];
	FILE *f = fopen("/proc/net/softnet_stat", "re");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %llx %llx", &processed, &dropped, &squeeze) != 3)
			continue;
		k->softnet_drop += dropped;
		k->softnet_squeeze += squeeze;
	}
	fclose(f);
}

int kcount_host(struct kcount *k)
{
	static const char *const full[] = { "table_fulls" };

	memset(k, 0, sizeof(*k));
	kcount_stat("/proc/net/stat/arp_cache", full, (uint64_t *const[]){ &k->neigh4_full }, 1);
	kcount_stat("/proc/net/stat/ndisc_cache", full, (uint64_t *const[]){ &k->neigh6_full }, 1);
	kcount_softnet(k);
	return 0;
}

struct kcount_walk {
	struct kcount *k;
	const char *node;
};

static int kcount_link(const struct link_info *info, void *data)
{
	struct kcount_walk *w = data;
	struct kcount_if *i;

	w->k->ifs = xgrow(w->k->ifs, w->k->n_ifs, sizeof(*w->k->ifs));
	i = &w->k->ifs[w->k->n_ifs++];
	snprintf(i->name, sizeof(i->name), "%s:%s", w->node, info->name);
	i->rx_dropped = info->rx_dropped;
	i->tx_dropped = info->tx_dropped;
	return 0;
}

/* The "Udp:" counters of /proc/net/snmp (a line of names, then one of
 * values) and the "Udp6..." lines of /proc/net/snmp6 ("NAME VALUE"). */
static void kcount_udp(struct kcount_ns *n)
{
	static const char *const names[] = { "RcvbufErrors", "SndbufErrors", "InErrors" };
	uint64_t *const at[] = { &n->udp_rcvbuf, &n->udp_sndbuf, &n->udp_in_errors };
	char head[512] = "", line[512], *h, *v, *hs, *vs;
	unsigned long long val;
	char name[64];
	FILE *f = fopen("/proc/thread-self/net/snmp", "re");

	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "Udp: ", 5))
			continue;
		if (!head[0]) {
			snprintf(head, sizeof(head), "%s", line);
			continue;
		}
		h = strtok_r(head + 5, " \n", &hs);
		v = strtok_r(line + 5, " \n", &vs);
		for (; h && v; h = strtok_r(NULL, " \n", &hs), v = strtok_r(NULL, " \n", &vs))
			for (size_t i = 0; i < 3; i++)
				if (!strcmp(h, names[i]))
					*at[i] += strtoull(v, NULL, 10);
		break;
	}
	if (f)
		fclose(f);
	f = fopen("/proc/thread-self/net/snmp6", "re");
	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Udp6%63s %llu", name, &val) != 2)
			continue;
		for (size_t i = 0; i < 3; i++)
			if (!strcmp(name, names[i]))
				*at[i] += val;
	}
	if (f)
		fclose(f);
}

int kcount_add_ns(struct kcount *k, struct netns *ns, const char *name)
{
	static const char *const cols[] = { "insert_failed", "drop", "early_drop" };
	struct kcount_walk w = { k, name };
	struct kcount_ns *n;
	int err;

	/* /proc/thread-self/net follows the thread's namespace. */
	err = netns_enter(ns);
	if (err < 0)
		return err;
	kcount_stat("/proc/thread-self/net/stat/nf_conntrack", cols,
		    (uint64_t *const[]){ &k->ct_insert_failed, &k->ct_drop, &k->ct_early_drop }, 3);
	k->nss = xgrow(k->nss, k->n_nss, sizeof(*k->nss));
	n = &k->nss[k->n_nss++];
	memset(n, 0, sizeof(*n));
	snprintf(n->name, sizeof(n->name), "%s", name);
	kcount_udp(n);
	netns_leave();
	return link_walk(ns, kcount_link, &w);
}

static void kcount_sysctl(const char *path, char *buf, size_t len)
{
	if (file_read_text(path, buf, len) < 0 || !buf[0])
		snprintf(buf, len, "?");
}

static void kcount_clause(char *buf, size_t len, size_t *off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void kcount_clause(char *buf, size_t len, size_t *off, const char *fmt, ...)
{
	char one[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(one, sizeof(one), fmt, ap);
	va_end(ap);
	strbuf_appendf(buf, len, off, "%s%s", *off ? "; " : "", one);
}

void kcount_describe(const struct kcount *a, const struct kcount *b, char *buf, size_t len)
{
	char v[32];
	size_t off = 0, named = 0, more = 0;

	if (len)
		buf[0] = '\0';
	if (b->neigh4_full > a->neigh4_full) {
		kcount_sysctl("/proc/sys/net/ipv4/neigh/default/gc_thresh3", v, sizeof(v));
		kcount_clause(buf, len, &off, "the host's IPv4 neighbour table was full %" PRIu64
			      " times (net.ipv4.neigh.default.gc_thresh3 = %s, shared by every namespace)",
			      b->neigh4_full - a->neigh4_full, v);
	}
	if (b->neigh6_full > a->neigh6_full) {
		kcount_sysctl("/proc/sys/net/ipv6/neigh/default/gc_thresh3", v, sizeof(v));
		kcount_clause(buf, len, &off, "the host's IPv6 neighbour table was full %" PRIu64
			      " times (net.ipv6.neigh.default.gc_thresh3 = %s, shared by every namespace)",
			      b->neigh6_full - a->neigh6_full, v);
	}
	if (b->softnet_drop > a->softnet_drop)
		kcount_clause(buf, len, &off, "the host's input backlog dropped %" PRIu64
			      " packets (net.core.netdev_max_backlog)", b->softnet_drop - a->softnet_drop);
	if (b->ct_insert_failed > a->ct_insert_failed || b->ct_drop > a->ct_drop ||
	    b->ct_early_drop > a->ct_early_drop)
		kcount_clause(buf, len, &off, "conntrack failed to insert %" PRIu64 " entries and dropped %" PRIu64
			      " packets (%" PRIu64 " early: the table was full, net.netfilter.nf_conntrack_max)",
			      b->ct_insert_failed - a->ct_insert_failed, b->ct_drop - a->ct_drop,
			      b->ct_early_drop - a->ct_early_drop);
	for (size_t i = 0; i < b->n_nss && i < a->n_nss; i++) {
		const struct kcount_ns *x = &a->nss[i], *y = &b->nss[i];
		uint64_t rcv, snd, in;

		if (strcmp(x->name, y->name))
			continue;
		rcv = y->udp_rcvbuf > x->udp_rcvbuf ? y->udp_rcvbuf - x->udp_rcvbuf : 0;
		snd = y->udp_sndbuf > x->udp_sndbuf ? y->udp_sndbuf - x->udp_sndbuf : 0;
		in = y->udp_in_errors > x->udp_in_errors ? y->udp_in_errors - x->udp_in_errors : 0;
		in = in > rcv ? in - rcv : 0;
		if (!rcv && !snd && !in)
			continue;
		if (named == KCOUNT_NAMED_IFS) {
			more++;
			continue;
		}
		named++;
		if (rcv)
			kcount_clause(buf, len, &off, "%s dropped %" PRIu64
				      " UDP datagrams at a full socket receive buffer", y->name, rcv);
		if (snd)
			kcount_clause(buf, len, &off, "%s failed %" PRIu64
				      " UDP sends at a full socket send buffer", y->name, snd);
		if (in)
			kcount_clause(buf, len, &off, "%s dropped %" PRIu64 " UDP datagrams it received as erroneous",
				      y->name, in);
	}
	for (size_t i = 0; i < b->n_ifs && i < a->n_ifs; i++) {
		const struct kcount_if *x = &a->ifs[i], *y = &b->ifs[i];
		uint64_t rx, tx;

		if (strcmp(x->name, y->name))
			continue;
		rx = y->rx_dropped > x->rx_dropped ? y->rx_dropped - x->rx_dropped : 0;
		tx = y->tx_dropped > x->tx_dropped ? y->tx_dropped - x->tx_dropped : 0;
		if (!rx && !tx)
			continue;
		if (named == KCOUNT_NAMED_IFS) {
			more++;
			continue;
		}
		named++;
		if (rx && tx)
			kcount_clause(buf, len, &off, "%s dropped %" PRIu64 " packets it received and %" PRIu64
				      " it sent", y->name, rx, tx);
		else
			kcount_clause(buf, len, &off, "%s dropped %" PRIu64 " packets it %s", y->name, rx ? rx : tx,
				      rx ? "received" : "sent");
	}
	if (more)
		kcount_clause(buf, len, &off, "and %zu more nodes or interfaces dropped packets", more);
}

void kcount_free(struct kcount *k)
{
	if (!k)
		return;
	free(k->ifs);
	k->ifs = NULL;
	k->n_ifs = 0;
	free(k->nss);
	k->nss = NULL;
	k->n_nss = 0;
}
