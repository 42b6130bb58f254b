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

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static struct rcap *find_cap(struct run *r, const char *node, const char *ifname)
{
	for (struct rcap *c = r->caps; c; c = c->next)
		if (!strcmp(c->node, node) && !strcmp(c->ifname, ifname))
			return c;
	return NULL;
}

static void want_cap(struct run *r, const char *node, const char *ifname)
{
	struct rcap *c;

	if (find_cap(r, node, ifname))
		return;
	c = xcalloc(1, sizeof(*c));
	c->node = xstrdup(node);
	snprintf(c->ifname, sizeof(c->ifname), "%s", ifname);
	c->pcapfd = -1;
	c->next = r->caps;
	r->caps = c;
}

void run_capture_plan(struct run *r)
{
	for (const struct stmt *s = r->lab->first_stmt; s; s = s->next) {
		if (s->kind == STMT_CAPTURE) {
			want_cap(r, s->conntrack.ref.node, s->conntrack.ref.ifname);
		} else if (s->kind == STMT_EXPECT && s->expect.kind == EXPECT_SEES) {
			want_cap(r, s->expect.ref.node, s->expect.ref.ifname);
		} else if (s->kind == STMT_EXPECT && s->expect.kind == EXPECT_REWRITES) {
			if (s->expect.rewrites.in[0]) {
				want_cap(r, s->expect.node, s->expect.rewrites.in);
				want_cap(r, s->expect.node, s->expect.rewrites.out);
			} else {
				want_cap(r, s->expect.node, "any");
			}
		}
	}
}

static int start_cap(struct run *r, struct rcap *c)
{
	char path[64];
	int err;

	if (c->pcapfd < 0)
		c->pcapfd = memfd_create("wglab-pcap", MFD_CLOEXEC);
	if (c->pcapfd < 0)
		return -errno;
	/* The pcap file goes to memory: it vanishes with the run unless it
	 * is saved as an artifact. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", c->pcapfd);
	err = capture_start(&c->cap, r->loop, run_node(r, c->node)->ns, c->ifname, path);
	return err;
}

void run_capture_start(struct run *r)
{
	for (struct rcap *c = r->caps; c; c = c->next) {
		struct link_info info;
		bool has_node = false;

		if (c->cap)
			continue;
		for (size_t i = 0; i < r->n_nodes && !has_node; i++)
			has_node = !strcmp(r->nodes[i].name, c->node);
		if (!has_node)
			continue;
		if (strcmp(c->ifname, "any") &&
		    (link_get(run_node(r, c->node)->ns, c->ifname, &info) < 0 || !(info.flags & IFF_UP)))
			continue;
		if (start_cap(r, c) < 0)
			run_note(r, "capture on %s:%s did not start: %s", c->node, c->ifname,
				 capture_last_error());
	}
}

struct capture *run_capture(struct run *r, const char *node, const char *ifname, size_t *ret_window)
{
	struct rcap *c = find_cap(r, node, ifname);

	if (ret_window)
		*ret_window = c ? c->window : 0;
	return c ? c->cap : NULL;
}

static void save_cap(struct run *r, struct rcap *c, int dirfd)
{
	char name[128];
	int err;

	capture_stop(c->cap);
	if (dirfd < 0)
		return;
	snprintf(name, sizeof(name), "%s-%s.pcap", c->node, c->ifname);
	capture_free(c->cap);
	c->cap = NULL;
	err = run_artifact_copy(c->pcapfd, dirfd, name);
	if (err < 0)
		run_note(r, "Unable to save %s/%s: %s", r->artifacts_dir, name, strerror(-err));
}

/* The capture keeps running (the pcap file holds everything); what was
 * captured before this statement stops counting for `sees`. */
int exec_capture(struct run *r, const struct stmt *s)
{
	struct rcap *c = find_cap(r, s->conntrack.ref.node, s->conntrack.ref.ifname);
	const struct capture_pkt *const *all;
	int err;

	if (!c->cap) {
		err = start_cap(r, c);
		if (err < 0) {
			snprintf(r->err, sizeof(r->err), "Unable to capture on '%s:%s': %s", c->node, c->ifname,
				 capture_last_error()[0] ? capture_last_error() : strerror(-err));
			return err;
		}
	}
	capture_poll(c->cap);
	c->window = capture_packets(c->cap, &all);
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
		free(c);
	}
	r->caps = NULL;
	run_artifacts_end(r, dirfd);
}
