// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* Packet captures for `sees` and `rewrites`; saved with the artifacts
 * (lab/run/artifacts.c). */
#include "lab/run/artifacts.h"
#include "lab/run/exec_capture.h"
#include "lab/run/run_ctx.h"
#include "netns/link.h"
#include "netns/util/xalloc.h"
#include "traffic/capture.h"
#include "traffic/capture_filter.h"

#include <errno.h>
#include <stdarg.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static struct rcap *find_cap(struct run *r, const char *node, const char *ifname)
{
	for (struct rcap *c = r->caps; c; c = c->next)
		if (!c->retired && !strcmp(c->node, node) && !strcmp(c->ifname, ifname))
			return c;
	return NULL;
}

static struct rcap *want_cap(struct run *r, const char *node, const char *ifname)
{
	struct rcap *c = find_cap(r, node, ifname);

	if (c)
		return c;
	c = xcalloc(1, sizeof(*c));
	c->node = xstrdup(node);
	snprintf(c->ifname, sizeof(c->ifname), "%s", ifname);
	c->pcapfd = -1;
	c->snaplen = CAPTURE_HEADERS;
	c->next = r->caps;
	r->caps = c;
	return c;
}

/* What no filter of the capture would take: every packet, whole. */
static void cap_take_all(struct rcap *c)
{
	free(c->filter);
	c->filter = xstrdup("");
	c->snaplen = 0;
}

/* One more filter the capture must answer: the kernel filter grows to
 * take its packets too, the snapshot length to keep the bytes it reads.
 * A filter that does not compile takes nothing: its expectation fails
 * with pcap's message. */
static void cap_add_filter(struct rcap *c, const char *filter)
{
	unsigned int bytes;
	char *f;

	if (c->filter && !*c->filter)
		return;
	if (capture_filter_bytes(filter, &bytes, NULL, 0) < 0)
		return;
	if (bytes == CAPTURE_FILTER_WHOLE)
		c->snaplen = 0;
	else if (c->snaplen && bytes > c->snaplen)
		c->snaplen = bytes;
	f = c->filter ? xasprintf("%s or (%s)", c->filter, filter) : xasprintf("(%s)", filter);
	free(c->filter);
	c->filter = f;
}

/* The packets a rewrite expectation compares: every packet of its
 * protocol (NULL: of any), not only those with its addresses and ports.
 * A pair counts only when no other packet could be either side of it
 * (capture_match_rewrite()), so the capture must hold what the NAT made
 * of the packet when that is not the rewrite asked about, and the other
 * flows' packets alike to it. */
static char *rewrite_filter(const struct rewrite_pattern *p)
{
	const char *proto = p->proto == IPPROTO_TCP ? "tcp" : p->proto == IPPROTO_UDP ? "udp" :
			    p->proto == IPPROTO_ICMP ? "icmp" : p->proto == IPPROTO_ICMPV6 ? "icmp6" : NULL;

	return proto ? xstrdup(proto) : NULL;
}

static void plan_rewrite(struct run *r, const struct stmt_expect *e, const char *ifname)
{
	struct rcap *c = want_cap(r, e->node, ifname);
	char *f = rewrite_filter(e->rewrites.p);

	if (f)
		cap_add_filter(c, f);
	else
		cap_take_all(c);
	free(f);
}

void run_capture_plan(struct run *r)
{
	unsigned int bytes;

	for (const struct stmt *s = r->lab->first_stmt; s; s = s->next) {
		if (s->kind == STMT_CAPTURE) {
			struct rcap *c = want_cap(r, s->conntrack.ref.node, s->conntrack.ref.ifname);

			if (s->conntrack.ring > c->ring)
				c->ring = s->conntrack.ring;
		} else if (s->kind == STMT_EXPECT && s->expect.kind == EXPECT_SEES) {
			cap_add_filter(want_cap(r, s->expect.ref.node, s->expect.ref.ifname), s->expect.sees.filter);
		} else if (s->kind == STMT_EXPECT && s->expect.kind == EXPECT_REWRITES) {
			if (s->expect.rewrites.in[0]) {
				plan_rewrite(r, &s->expect, s->expect.rewrites.in);
				plan_rewrite(r, &s->expect, s->expect.rewrites.out);
			} else {
				plan_rewrite(r, &s->expect, "any");
			}
		}
	}
	for (struct rcap *c = r->caps; c; c = c->next) {
		/* Asked to keep every capture (--capture): whole, for
		 * whoever reads the pcap files.  Also when the kernel cannot
		 * take the union (it takes what each part takes). */
		if (r->opts.capture || !c->filter || capture_filter_bytes(c->filter, &bytes, NULL, 0) < 0)
			cap_take_all(c);
	}
}

/* Starts c's capture; index: its interface's (0: "any", -1: not known
 * yet, looked up). */
static int start_cap(struct run *r, struct rcap *c, int index)
{
	struct capture_opts o = { 0 };
	struct link_info info;
	char path[64];
	int err;

	if (c->pcapfd < 0)
		c->pcapfd = memfd_create("wglab-pcap", MFD_CLOEXEC);
	if (c->pcapfd < 0)
		return -errno;
	/* The pcap file goes to memory: it vanishes with the run unless it
	 * is saved as an artifact. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", c->pcapfd);
	o.filter = c->filter;
	o.snaplen = c->snaplen;
	o.ring = c->ring;
	err = capture_start(&c->cap, r->loop, run_node(r, c->node)->ns, c->ifname, path, &o);
	if (err < 0)
		return err;
	/* Which interface: one deleted and made again under its name is
	 * another, that this capture does not see. */
	if (index < 0)
		index = strcmp(c->ifname, "any") && link_get(run_node(r, c->node)->ns, c->ifname, &info) == 0 ?
				info.index : 0;
	c->ifindex = index;
	return 0;
}

/* Whether the capture's interface can be captured now (up), and its index
 * (0: "any"). */
static bool cap_can_start(struct run *r, const struct rcap *c, int *ret_index)
{
	struct link_info info;
	bool has_node = false;

	*ret_index = 0;
	for (size_t i = 0; i < r->n_nodes && !has_node; i++)
		has_node = !strcmp(r->nodes[i].name, c->node);
	if (!has_node)
		return false;
	if (!strcmp(c->ifname, "any"))
		return true;
	if (link_get(run_node(r, c->node)->ns, c->ifname, &info) < 0 || !(info.flags & IFF_UP))
		return false;
	*ret_index = info.index;
	return true;
}

/* The window's first reason not to speak for the whole interface, then
 * the others as they fit. */
static void cap_blind(struct rcap *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void cap_blind(struct rcap *c, const char *fmt, ...)
{
	char *blind = c->window.blind;
	size_t n = strlen(blind), size = sizeof(c->window.blind);
	va_list ap;

	if (n && n + 3 < size) {
		snprintf(blind + n, size - n, "; ");
		n += 2;
	}
	if (n + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(blind + n, size - n, fmt, ap);
	va_end(ap);
}

/* The stopped capture of an interface since recreated stays for its pcap
 * file; c opens a new one. */
static void cap_retire(struct rcap *c)
{
	struct rcap *old = xcalloc(1, sizeof(*old));

	*old = *c;
	old->node = xstrdup(c->node);
	old->filter = c->filter ? xstrdup(c->filter) : NULL;
	old->retired = true;
	capture_stop(old->cap);
	c->cap = NULL;
	c->pcapfd = -1;
	c->gen++;
	c->next = old;
	/* Its window goes on in the new capture, saying what it missed. */
	c->window.from = 0;
	c->window.taken = c->window.lost = 0;
}

static void cap_open(struct run *r, struct rcap *c, int index, const char *late)
{
	const struct stmt *s = r->cur;

	if (start_cap(r, c, index) < 0) {
		run_note(r, "capture on %s:%s did not start: %s", c->node, c->ifname, capture_last_error());
		return;
	}
	if (!late)
		return;
	if (s && c->gen)
		cap_blind(c, "it started again after %s:%u, the interface up again: what crossed it in between is not seen",
			  s->loc.file, s->loc.line);
	else if (s)
		cap_blind(c, "the capture of %s:%s started after %s%s%s:%u brought the interface up: what crossed it before is not seen",
			  c->node, c->ifname, late, late[0] ? " of " : "", s->loc.file, s->loc.line);
	else
		cap_blind(c, "the capture of %s:%s started late: what crossed it before is not seen", c->node,
			  c->ifname);
}

/* A capture whose interface failed (deleted, moved away, down), or whose
 * name is now another interface's: said once, in its window. */
static bool cap_stopped(struct run *r, struct rcap *c, int index)
{
	struct capture_stats st;
	const struct stmt *s = r->cur;

	capture_poll(c->cap);
	capture_stats(c->cap, &st);
	if (!st.error && c->ifindex >= 0 && (!c->ifindex || !index || index == c->ifindex))
		return false;
	if (c->ifindex >= 0) {
		capture_stop(c->cap);
		if (s)
			cap_blind(c, "the capture of %s:%s stopped during %s:%u (its interface failed%s%s)",
				  c->node, c->ifname, s->loc.file, s->loc.line, st.message && st.message[0] ? ": " : "",
				  st.message ? st.message : "");
		else
			cap_blind(c, "the capture of %s:%s stopped (its interface failed)", c->node, c->ifname);
		c->ifindex = -1;	/* said */
	}
	return true;
}

/* Starts c if its interface is up and it does not run (or stopped: a new
 * capture, after a gap); late as for run_capture_now(). */
static void cap_try(struct run *r, struct rcap *c, const char *late)
{
	int index;
	bool can = cap_can_start(r, c, &index);

	if (c->cap && !cap_stopped(r, c, index))
		return;
	if (!can)
		return;
	if (c->cap) {
		cap_retire(c);
		late = late ? late : "";
	}
	cap_open(r, c, index, late);
}

void run_capture_now(struct run *r, const char *node, const char *ifname, const char *late)
{
	for (struct rcap *c = r->caps; c; c = c->next)
		if (!c->retired && !strcmp(c->node, node) && (!ifname || !strcmp(c->ifname, ifname)))
			cap_try(r, c, late);
}

void run_capture_start(struct run *r)
{
	/* Made again, or made by a program, or brought up by one: the
	 * capture starts now, and its window says it started late. */
	for (struct rcap *c = r->caps; c; c = c->next)
		if (!c->retired)
			cap_try(r, c, "");
}

void run_capture_drain(struct run *r, bool on)
{
	for (struct rcap *c = r->caps; c; c = c->next)
		if (c->cap && !c->retired)
			capture_drain(c->cap, on);
}

struct capture *run_capture(struct run *r, const char *node, const char *ifname,
			    const struct sees_window **ret_window)
{
	struct rcap *c = find_cap(r, node, ifname);

	if (ret_window)
		*ret_window = c ? &c->window : NULL;
	return c ? c->cap : NULL;
}

static void save_cap(struct run *r, struct rcap *c, int dirfd)
{
	char name[128];
	int err;

	capture_stop(c->cap);
	if (dirfd < 0)
		return;
	/* An interface made again: its later captures are NODE-IF.2.pcap... */
	if (c->gen)
		snprintf(name, sizeof(name), "%s-%s.%u.pcap", c->node, c->ifname, c->gen + 1);
	else
		snprintf(name, sizeof(name), "%s-%s.pcap", c->node, c->ifname);
	capture_free(c->cap);
	c->cap = NULL;
	err = run_artifact_copy(c->pcapfd, dirfd, name);
	if (err < 0)
		run_note(r, "Unable to save %s/%s: %s", r->artifacts_dir, name, strerror(-err));
}

/* Where c's window starts: after every packet the kernel took until now. */
static void cap_window_now(struct rcap *c)
{
	const struct capture_pkt *const *all;
	struct capture_stats st;

	capture_sync(c->cap);
	capture_stats(c->cap, &st);
	c->window.from = capture_packets(c->cap, &all);
	c->window.taken = st.kernel_taken;
	c->window.lost = st.kernel_drops + st.not_stored;
	/* What it missed before does not matter any more, unless it has
	 * not started again since. */
	if (c->ifindex >= 0)
		c->window.blind[0] = '\0';
}

/* The capture keeps running (the pcap file holds everything); what was
 * captured before this statement stops counting for `sees` and `rewrites`
 * on that interface, and for `rewrites` on the whole node (its "any"
 * capture: no in/out). */
int exec_capture(struct run *r, const struct stmt *s)
{
	struct rcap *c = find_cap(r, s->conntrack.ref.node, s->conntrack.ref.ifname);
	struct rcap *any = find_cap(r, s->conntrack.ref.node, "any");
	int err;

	if (!c->cap) {
		err = start_cap(r, c, -1);
		if (err < 0) {
			snprintf(r->err, sizeof(r->err), "Unable to capture on '%s:%s': %s", c->node, c->ifname,
				 capture_last_error()[0] ? capture_last_error() : strerror(-err));
			return err;
		}
	}
	/* Every packet the kernel took before this statement is read: it
	 * stays out of the window. */
	cap_window_now(c);
	if (any && any->cap)
		cap_window_now(any);
	return 0;
}

void run_capture_teardown(struct run *r)
{
	int dirfd = -1;

	/* A run killed while writing leaves a folder marked incomplete, that
	 * the journal knows of. */
	if (run_artifacts_kept(r))
		dirfd = run_artifacts_begin(r);
	run_logs_save(r, dirfd);
	for (struct rcap *c = r->caps, *next; c; c = next) {
		next = c->next;
		if (c->cap)
			save_cap(r, c, dirfd);
		capture_free(c->cap);
		if (c->pcapfd >= 0)
			close(c->pcapfd);
		free(c->node);
		free(c->filter);
		free(c);
	}
	r->caps = NULL;
	run_artifacts_end(r, dirfd);
}
