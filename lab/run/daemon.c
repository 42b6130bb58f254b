// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* Daemons: background programs with a readiness condition and deadline. */
#include "lab/run/background.h"
#include "lab/run/daemon.h"
#include "lab/run/interrupt.h"
#include "lab/run/run_ctx.h"
#include "netns/link.h"
#include "netns/proc.h"
#include "netns/sockdiag.h"
#include "netns/util/now.h"
#include "netns/util/xalloc.h"
#include "netns/wg/uapi.h"
#include "netns/wg/wgconf.h"
#include "netns/wg/wggenl.h"
#include "traffic/loop.h"

#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

/* Between two looks at a condition (the loop keeps serving meanwhile). */
#define DAEMON_POLL_MS 50
/* A `ready command` gets this long per try. */
#define DAEMON_COMMAND_MS 2000

static char *daemon_what(const struct run_ready *rd)
{
	switch (rd->kind) {
	case READY_COMMAND:
		return xasprintf("command '%s' succeeds", rd->command);
	case READY_TCP:
		return xasprintf("tcp port %u listens", rd->port);
	case READY_UDP:
		return xasprintf("udp port %u is bound", rd->port);
	case READY_LINK:
		return xasprintf("interface %s exists and is up", rd->ifname);
	case READY_HANDSHAKE:
		return xasprintf("%s has a handshake with a peer", rd->ifname);
	case READY_STARTED:
		break;
	}
	return xstrdup("started");
}

/* The WireGuard device ifname of the node, whoever made it: wireguard-go's
 * UAPI socket in the node's /run (seen through the daemon's root), else
 * the kernel's. */
static int daemon_wg_get(struct netns *ns, const struct rproc *rp, const char *ifname,
			 struct wgconf_device **ret)
{
	char rel[64], path[128];
	struct stat st;

	snprintf(rel, sizeof(rel), "/run/wireguard/%s.sock", ifname);
	if (proc_root_path(rp->p, rel, path, sizeof(path)) == 0 && !stat(path, &st) &&
	    S_ISSOCK(st.st_mode))
		return uapi_get(path, ret, 1000);
	return wggenl_get(ns, ifname, ret);
}

/* Runs the ready command once: 0 with *ok. */
static int daemon_command(struct run *r, struct netns *ns, const char *cmd, char *const *env,
			  bool *ok)
{
	char *argv[] = { "/bin/sh", "-c", (char *)cmd, NULL };
	struct proc_opts po = { 0 };
	uint64_t end = now_ms() + DAEMON_COMMAND_MS;
	struct proc *p = NULL;
	int err, status = 0;

	po.ns = ns;
	po.flags = PROC_NODE_MOUNTS;
	po.env = env;
	po.stdin_fd = -1;
	po.stdout_fd = -1;
	po.stderr_fd = -1;
	err = proc_spawn(&p, argv, &po);
	if (err < 0)
		return err;
	while ((err = proc_wait(p, 0, &status)) == -ETIMEDOUT && now_ms() < end && !run_interrupted)
		loop_run_once(r->loop, 10);
	*ok = !err && WIFEXITED(status) && WEXITSTATUS(status) == 0;
	proc_free(p);
	return err == -ETIMEDOUT ? 0 : err;
}

static int daemon_ready(struct run *r, struct netns *ns, const struct rproc *rp,
			const struct run_ready *rd, char *const *env, bool *ok)
{
	struct wgconf_device *dev = NULL;
	struct link_info li;
	int err;

	*ok = false;
	switch (rd->kind) {
	case READY_STARTED:
		*ok = true;
		return 0;
	case READY_COMMAND:
		return daemon_command(r, ns, rd->command, env, ok);
	case READY_TCP:
	case READY_UDP:
		return sockdiag_listening(ns, rd->kind == READY_TCP ? IPPROTO_TCP : IPPROTO_UDP,
					  rd->port, ok);
	case READY_LINK:
		err = link_get(ns, rd->ifname, &li);
		if (err == -ENODEV)
			return 0;
		*ok = !err && (li.flags & IFF_UP);
		return err;
	case READY_HANDSHAKE:
		/* not there yet is not an error: the daemon is making it */
		if (daemon_wg_get(ns, rp, rd->ifname, &dev) < 0)
			return 0;
		for (const struct wgconf_peer *pe = dev->first_peer; pe; pe = pe->next)
			if (pe->flags & WGCONF_PEER_HAS_HANDSHAKE)
				*ok = true;
		wgconf_device_free(dev);
		return 0;
	}
	return -EINVAL;
}

int run_daemon_wait(struct run *r, const struct stmt *s, struct rproc *rp, char *const *env)
{
	const struct run_ready *rd = &s->run.ready;
	struct rnode *n = run_node(r, s->run.node);
	unsigned int ms = rd->within_ms;
	char tail[512], why[160] = "";
	uint64_t end;
	bool ok = false;
	int err;

	rp->daemon = true;
	rp->ready_what = daemon_what(rd);
	if (ms > run_left_ms(r))
		ms = run_left_ms(r);
	end = rp->started_ms + ms;
	for (;;) {
		if (run_interrupted)
			return -EINTR;
		run_bg_check(r);
		if (rp->reported)
			return 0;	/* exited: its line is out, with its output */
		err = daemon_ready(r, n->ns, rp, rd, env, &ok);
		if (err < 0)
			snprintf(why, sizeof(why), "; last check: %s", strerror(-err));
		if (ok) {
			rp->ready_ms = now_ms();
			return 0;
		}
		if (now_ms() >= end)
			break;
		loop_run_once(r->loop, DAEMON_POLL_MS);
	}
	/* Not ready: the daemon's one line is this failure; it keeps running
	 * until teardown (a late readiness proves nothing now). */
	run_log_tail(rp->logfd, tail, sizeof(tail));
	run_add_result(r, s, "run", false, (double)(now_ms() - rp->started_ms),
		       "'%s' (daemon) was not ready within %.1f s (%s)%s%s%s", rp->what,
		       ms / 1000.0, rp->ready_what, why, *tail ? "; output: " : "; no output", tail);
	rp->reported = true;
	return 0;
}
