// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * One scenario of a bench, run like `wglab run` does (statements in order,
 * readiness and NAT checks before the first step, teardown at the end) but
 * statement by statement here, so that each build phase is timed and the
 * performance expectations give their figures.  Twins are not run.
 */
#include "assertions/verdict.h"
#include "lab/bench/bench.h"
#include "lab/bench/bench_iperf.h"
#include "lab/bench/bench_matrix.h"
#include "lab/bench/bench_run.h"
#include "lab/lang/diag.h"
#include "lab/lang/perf.h"
#include "lab/lang/scenario.h"
#include "lab/run/exec_fw.h"
#include "lab/run/exec_perf.h"
#include "lab/run/exec_topo.h"
#include "lab/run/exec_wg.h"
#include "lab/run/interrupt.h"
#include "lab/run/needs.h"
#include "lab/run/run_ctx.h"
#include "lab/run/runner.h"
#include "netns/util/now.h"
#include "netns/util/xalloc.h"
#include "netns/wg/wgconf.h"
#include "netns/wg/wgdev.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The build phases a bench reports, in order. */
const char *const bench_phase_names[] = {
	"phase namespaces", "phase links", "phase addresses+routes", "phase firewall",
	"phase wireguard start", "phase first handshake", "phase teardown",
};
const size_t bench_n_phases = sizeof(bench_phase_names) / sizeof(bench_phase_names[0]);

enum bench_phase {
	PH_NS, PH_LINKS, PH_ADDR, PH_FW, PH_WG, PH_HANDSHAKE, PH_TEARDOWN, PH_MAX,
	PH_NONE = -1,
};

static int phase_of(const struct stmt *s)
{
	switch (s->kind) {
	case STMT_NODE:
		return PH_NS;
	case STMT_LINK:
	case STMT_LINK_SET:
	case STMT_LAN:
		return PH_LINKS;
	case STMT_ADDRESS:
	case STMT_ROUTE:
	case STMT_RULE:
	case STMT_SYSCTL:
		return PH_ADDR;
	case STMT_FIREWALL:
	case STMT_NFT:
	case STMT_NAT:
	case STMT_CONNTRACK:
		return PH_FW;
	case STMT_WIREGUARD:
	case STMT_PEER:
	case STMT_WGQUICK:
		return PH_WG;
	default:
		return PH_NONE;
	}
}

/* A step as `wglab run` takes it (run_step(): peers of an interface and
 * reachability expectations together), but no captures (their packets
 * would cost what it measures). */
static int bench_exec(struct run *r, const struct stmt **sp)
{
	if ((*sp)->kind == STMT_CAPTURE)
		return run_error(r, -EOPNOTSUPP, "Unable to run '%s' in a bench", stmt_kind_name((*sp)->kind));
	return run_step(r, sp);
}

struct bench_ctx {
	struct bench *b;
	const struct bench_opts *o;
	const char *scenario;
	char variant[64];
	double phase_ms[PH_MAX];
	bool phase_seen[PH_MAX];	/* the scenario has statements of it */
	bool handshake_seen;
	int64_t wg_done_ns;		/* wall clock at the end of the last WireGuard statement */
	double wg_start_ms;		/* of the statements that made interfaces */
	unsigned int wg_made;		/* how many */
};

/* "a>b": who measures towards whom. */
static void path_name(const struct stmt_expect *e, char *buf, size_t len)
{
	snprintf(buf, len, "%s>%s", e->node, perf_expect_peer(e) ? perf_expect_peer(e) : "?");
}

static int bench_throughput(struct bench_ctx *c, struct run *r, const struct stmt *s, double t0)
{
	const struct stmt_expect *e = &s->expect;
	struct verdict *v = xcalloc(1, sizeof(*v));
	struct tput_result res;
	char measure[160], path[80];
	int err;

	path_name(e, path, sizeof(path));
	err = exec_throughput(r, e, v, &res);
	if (err < 0)
		goto out;
	run_add_result(r, s, "throughput", v->held, now_us() / 1e3 - t0, "%s", v->evidence);
	snprintf(measure, sizeof(measure), "%s %s", res.proto == TPUT_TCP ? "tcp" : "udp", path);
	bench_add(c->b, c->scenario, c->variant, measure, "Mbit/s", true, res.bps / 1e6);
	snprintf(measure, sizeof(measure), "%s %s generator CPU", res.proto == TPUT_TCP ? "tcp" : "udp", path);
	bench_add(c->b, c->scenario, c->variant, measure, "s", false, res.cpu_sender_s + res.cpu_receiver_s);
	if (c->o->iperf3) {
		struct bench_iperf_result ir;
		struct netns *from, *to;
		struct tput_req req;
		char why[256];

		err = exec_throughput_path(r, e, &from, &to, &req);
		if (err < 0)
			goto out;
		err = bench_iperf3(from, to, &req, &ir, why, sizeof(why));
		if (err < 0) {
			bench_error(c->b, "%s %s: iperf3 %s: %s", c->scenario, c->variant, path, why);
			err = 0;
			goto out;
		}
		snprintf(measure, sizeof(measure), "iperf3 %s %s", req.proto == TPUT_TCP ? "tcp" : "udp", path);
		bench_add(c->b, c->scenario, c->variant, measure, "Mbit/s", true, ir.bps / 1e6);
	}
out:
	free(v);
	return err;
}

static int bench_latency(struct bench_ctx *c, struct run *r, const struct stmt *s, double t0)
{
	static const unsigned int pcts[] = { 50, 90, 99 };
	const struct stmt_expect *e = &s->expect;
	struct verdict *v = xcalloc(1, sizeof(*v));
	struct latency_result res;
	char measure[160], path[80];
	int err;

	path_name(e, path, sizeof(path));
	err = exec_latency(r, e, v, &res);
	if (!err) {
		run_add_result(r, s, "latency", v->held, now_us() / 1e3 - t0, "%s", v->evidence);
		for (size_t k = 0; k < 3; k++) {
			double us = pcts[k] == 50 ? res.p50_us : pcts[k] == 90 ? res.p90_us : res.p99_us;

			/* A percentile lost to unanswered requests has no
			 * value to put in a chart. */
			if (us > 1e12)
				continue;
			snprintf(measure, sizeof(measure), "rtt p%u %s", pcts[k], path);
			bench_add(c->b, c->scenario, c->variant, measure, "ms", false, us / 1e3);
		}
	}
	free(v);
	return err;
}

static int64_t wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * The first handshake, from the end of the WireGuard statements before it
 * to the moment WireGuard itself recorded (its last-handshake time, a wall
 * clock with nanoseconds): not how long the expectation happened to wait,
 * since the handshake may complete while links come up.  Negative: unknown.
 */
static double handshake_ms(struct bench_ctx *c, struct run *r, const struct stmt_expect *e)
{
	struct rwg *w = run_wg(r, e->ref.node, e->ref.ifname);
	struct wgconf_device *state = NULL;
	const struct wgconf_peer *p;
	const uint8_t *key = e->wg.key;
	double ms = -1;

	if (e->wg.peer.node) {
		struct rwgkey *k = run_wg_key(r, e->wg.peer.node, e->wg.peer.ifname);

		key = k ? k->pub : NULL;
	}
	if (!w || !key || !c->wg_done_ns || wgdev_get(w->dev, &state) < 0)
		return -1;
	p = wgconf_device_find_peer(state, key);
	if (p && (p->flags & WGCONF_PEER_HAS_HANDSHAKE)) {
		int64_t at = p->last_handshake_sec * 1000000000 + p->last_handshake_nsec;

		ms = at > c->wg_done_ns ? (double)(at - c->wg_done_ns) / 1e6 : 0;
	}
	wgconf_device_free(state);
	return ms;
}

static size_t wg_count(const struct run *r)
{
	size_t n = 0;

	for (const struct rwg *w = r->wgs; w; w = w->next)
		n++;
	return n;
}

static int bench_steps(struct bench_ctx *c, struct run *r)
{
	int err = run_wg_keys(r);

	/* What the host cannot take is refused before building, as in run. */
	if (!err)
		err = run_check_host(r);
	for (const struct stmt *s = r->lab->first_stmt; s && !err; s = s->next) {
		int ph = phase_of(s);
		size_t wgs;
		double t0;

		if (run_interrupted)
			return -EINTR;
		r->cur = s;
		r->err[0] = '\0';
		if (ph == PH_NONE) {
			/* Links come up, NATs are measured: part of the
			 * build, as in `wglab run`. */
			t0 = now_us() / 1e3;
			run_wait_ready(r);
			c->phase_ms[PH_LINKS] += now_us() / 1e3 - t0;
			t0 = now_us() / 1e3;
			run_nat_checks(r, false);
			c->phase_ms[PH_FW] += now_us() / 1e3 - t0;
		}
		wgs = wg_count(r);
		t0 = now_us() / 1e3;
		if (s->kind == STMT_EXPECT && s->expect.kind == EXPECT_THROUGHPUT)
			err = bench_throughput(c, r, s, t0);
		else if (s->kind == STMT_EXPECT && s->expect.kind == EXPECT_LATENCY)
			err = bench_latency(c, r, s, t0);
		else
			err = bench_exec(r, &s);
		if (ph != PH_NONE) {
			c->phase_ms[ph] += now_us() / 1e3 - t0;
			c->phase_seen[ph] = true;
		}
		/* A statement that made an interface (not one that changed it). */
		if (!err && (s->kind == STMT_WIREGUARD || s->kind == STMT_WGQUICK) && wg_count(r) > wgs) {
			c->wg_start_ms += now_us() / 1e3 - t0;
			c->wg_made++;
		}
		if (ph == PH_WG)
			c->wg_done_ns = wall_ns();
		if (!err && s->kind == STMT_EXPECT && s->expect.kind == EXPECT_HANDSHAKE && !s->expect.negate && !s->expect.set &&
		    !c->handshake_seen) {
			double ms = handshake_ms(c, r, &s->expect);

			c->handshake_seen = true;
			if (ms >= 0) {
				c->phase_ms[PH_HANDSHAKE] = ms;
				c->phase_seen[PH_HANDSHAKE] = true;
			}
		}
	}
	/* r->cur stays on a failing statement, for the message. */
	if (!err)
		r->cur = NULL;
	return err;
}

static void progress(const struct bench_opts *o, unsigned int done, unsigned int total, const char *what)
{
	if (!o->progress)
		return;
	fprintf(o->progress, "\r\033[K[%u/%u] %s", done, total, what);
	fflush(o->progress);
}

int bench_scenario(struct bench *b, const char *file, const struct bench_combo *combo, const struct bench_opts *o,
		   unsigned int *done, unsigned int total)
{
	struct run_opts ro = { .wg = combo->wg ? combo->wg : "auto" };
	struct bench_ctx c = { .b = b, .o = o };
	char what[256];
	int err = 0;

	if (combo->wg)
		snprintf(c.variant, sizeof(c.variant), "%s", combo->wg);
	if (combo->mtu)
		snprintf(c.variant + strlen(c.variant), sizeof(c.variant) - strlen(c.variant), "%smtu %u",
			 combo->wg ? " " : "", combo->mtu);
	for (unsigned int rep = 0; rep < o->repeat && !run_interrupted; rep++) {
		const struct scenario_result *sr;
		struct diags d = { 0 };
		struct lab *lab = NULL;
		struct run *r = NULL;
		double t0;

		snprintf(what, sizeof(what), "%s%s%s, run %u/%u", file, c.variant[0] ? " " : "", c.variant,
			 rep + 1, o->repeat);
		progress(o, (*done)++, total, what);
		if (scenario_load(file, &lab, &d) < 0) {
			bench_error(b, "%s: %s:%u:%u: %s", file, d.first ? d.first->file : file,
				    d.first ? d.first->line : 0, d.first ? d.first->col : 0,
				    d.first ? d.first->msg : "unreadable");
			diag_free(&d);
			lab_free(lab);
			return 0;
		}
		c.scenario = lab->name;
		if (combo->mtu)
			bench_override_mtu(lab, combo->mtu);
		memset(c.phase_ms, 0, sizeof(c.phase_ms));
		memset(c.phase_seen, 0, sizeof(c.phase_seen));
		c.handshake_seen = false;
		c.wg_start_ms = 0;
		c.wg_made = 0;
		err = run_new(&r, lab, NULL, &ro, NULL);
		if (err < 0) {
			lab_free(lab);
			return err;
		}
		err = bench_steps(&c, r);
		if (err < 0 && err != -EINTR) {
			const struct stmt *s = r->cur;

			bench_error(b, "%s%s%s: %s:%u: %s", lab->name, c.variant[0] ? " " : "", c.variant,
				    s ? s->loc.file : file, s ? s->loc.line : 0, r->err[0] ? r->err : strerror(-err));
		}
		t0 = now_us() / 1e3;
		run_teardown(r);
		c.phase_ms[PH_TEARDOWN] = now_us() / 1e3 - t0;
		c.phase_seen[PH_TEARDOWN] = true;
		sr = run_result(r);
		bench_env_add_wireguard(&b->env, sr->datapath);
		if (!err) {
			for (int ph = 0; ph < PH_MAX; ph++) {
				if (!c.phase_seen[ph])
					continue;
				bench_add(b, lab->name, c.variant, bench_phase_names[ph], "ms", false, c.phase_ms[ph]);
			}
			if (c.wg_made)
				bench_add(b, lab->name, c.variant, "wireguard start per interface", "ms", false,
					  c.wg_start_ms / c.wg_made);
			if (sr->n_failed)
				bench_error(b, "%s%s%s run %u: %zu expectation(s) failed", lab->name,
					    c.variant[0] ? " " : "", c.variant, rep + 1, sr->n_failed);
		}
		run_free(r);
		lab_free(lab);
		if (err == -EINTR)
			return err;
		if (err < 0)
			break;
	}
	return err == -EINTR ? err : 0;
}
