// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "lab/host/labdir.h"
#include "lab/host/rootless.h"
#include "lab/run/run_ctx.h"
#include "netns/nl.h"
#include "netns/ns.h"
#include "netns/nsmount.h"
#include "netns/proc.h"
#include "netns/wg/wgkey.h"
#include "netns/util/xalloc.h"
#include "traffic/loop.h"
#include "traffic/server.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>

volatile int run_interrupted;

static void run_on_signal(int sig)
{
	run_interrupted = sig;
}

void run_install_signals(void)
{
	struct sigaction sa = { 0 };

	/* No SA_RESTART: a signal must wake every wait. */
	sa.sa_handler = run_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int run_error(struct run *r, int ret, const char *fmt, ...)
{
	const char *ext = "";
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(r->err, sizeof(r->err), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(r->err))
		return ret;
	if (*ext)
		snprintf(r->err + n, sizeof(r->err) - (size_t)n, ": %s (%s)", ext, strerror(-ret));
	else
		snprintf(r->err + n, sizeof(r->err) - (size_t)n, ": %s", strerror(-ret));
	return ret;
}

struct rnode *run_node(struct run *r, const char *name)
{
	for (size_t i = 0; i < r->n_nodes; i++)
		if (!strcmp(r->nodes[i].name, name))
			return &r->nodes[i];
	/* Validation guarantees every reference; reaching here is a bug. */
	fprintf(stderr, "wglab: internal error: no node '%s'\n", name);
	abort();
}

struct rnode *run_owner(struct run *r, const struct addr *a)
{
	for (size_t i = 0; i < r->n_nodes; i++)
		for (size_t k = 0; k < r->nodes[i].addrs.n; k++)
			if (addr_equal(&r->nodes[i].addrs.v[k], a))
				return &r->nodes[i];
	return NULL;
}

unsigned int run_left_ms(const struct run *r)
{
	uint64_t now = loop_now_ms();

	if (!r->deadline_ms)
		return UINT32_MAX;
	return now >= r->deadline_ms ? 0 : (unsigned int)(r->deadline_ms - now);
}

static bool twin_lists(char *const *v, size_t n, const char *label)
{
	for (size_t i = 0; label && i < n; i++)
		if (!strcmp(v[i], label))
			return true;
	return false;
}

/* A statement as written, near enough, for reports. */
static char *stmt_text(const struct stmt *s)
{
	size_t len;
	char *t;

	switch (s->kind) {
	case STMT_EXPECT:
		return strdup(s->expect.text);
	case STMT_NAT:
		len = strlen(s->nat.node) + 8;
		for (int i = 0; i < s->nat.argc; i++)
			len += strlen(s->nat.argv[i]) + 1;
		t = malloc(len);
		if (!t)
			abort();
		strcpy(t, "nat ");
		strcat(t, s->nat.node);
		for (int i = 0; i < s->nat.argc; i++) {
			strcat(t, " ");
			strcat(t, s->nat.argv[i]);
		}
		return t;
	case STMT_RUN:
		if (!s->run.argv)
			return xasprintf("run %s << script >>", s->run.node);
		len = strlen(s->run.node) + 16;
		for (char **a = s->run.argv; *a; a++)
			len += strlen(*a) + 1;
		t = malloc(len);
		if (!t)
			abort();
		sprintf(t, "run %s --", s->run.node);
		for (char **a = s->run.argv; *a; a++) {
			strcat(t, " ");
			strcat(t, *a);
		}
		return t;
	default:
		return strdup(stmt_kind_name(s->kind));
	}
}

static struct result *run_push_result(struct run *r, const struct stmt *s, const char *kind)
{
	struct scenario_result *sr = r->res;
	struct result *v = realloc(sr->results, (sr->n_results + 1) * sizeof(*v));

	if (!v)
		abort();
	sr->results = v;
	v = &v[sr->n_results++];
	memset(v, 0, sizeof(*v));
	v->file = strdup(s->loc.file);
	v->line = s->loc.line;
	v->label = s->label ? strdup(s->label) : NULL;
	v->kind = kind;
	v->text = stmt_text(s);
	v->expect_fail = r->twin && twin_lists(r->twin->fails, r->twin->n_fails, s->label);
	return v;
}

static void redact_one(char *text, const char *secret)
{
	size_t n = strlen(secret);
	char *p;

	while ((p = strstr(text, secret))) {
		memcpy(p, "(hidden)", 8);
		memmove(p + 8, p + n, strlen(p + n) + 1);
	}
}

/* Private and preshared keys never reach a report: any that a program
 * printed (wg showconf, a hook's echo) is replaced by "(hidden)". */
void run_redact(const struct run *r, char *text)
{
	char b64[WGKEY_LEN_BASE64], hex[WGKEY_LEN_HEX];

	if (!text)
		return;
	for (size_t i = 0; i < r->n_keys; i++) {
		wgkey_to_base64(b64, r->keys[i].priv);
		wgkey_to_hex(hex, r->keys[i].priv);
		redact_one(text, b64);
		redact_one(text, hex);
	}
	for (size_t i = 0; i < r->n_psks; i++) {
		wgkey_to_base64(b64, r->psks[i].key);
		wgkey_to_hex(hex, r->psks[i].key);
		redact_one(text, b64);
		redact_one(text, hex);
	}
	sodium_memzero(b64, sizeof(b64));
	sodium_memzero(hex, sizeof(hex));
}

struct result *run_add_result(struct run *r, const struct stmt *s, const char *kind, bool held,
			      double ms, const char *fmt, ...)
{
	struct result *v = run_push_result(r, s, kind);
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&v->evidence, fmt, ap) < 0)
		abort();
	va_end(ap);
	run_redact(r, v->evidence);
	v->held = held;
	v->passed = held != v->expect_fail;
	v->duration_ms = ms;
	if (v->passed)
		r->res->n_passed++;
	else
		r->res->n_failed++;
	if (r->rep.result)
		r->rep.result(r->rep.data, r->res, v);
	return v;
}

int run_new(struct run **ret, struct lab *lab, const struct twin *twin, const struct run_opts *o,
	    const struct reporter *rep)
{
	struct run *r = calloc(1, sizeof(*r));
	struct scenario_result *sr;

	if (!r)
		return -ENOMEM;
	r->lab = lab;
	r->twin = twin;
	r->opts = *o;
	if (rep)
		r->rep = *rep;
	r->loop = loop_new();
	sr = r->res = calloc(1, sizeof(*r->res));
	if (!r->loop || !sr) {
		run_free(r);
		return -ENOMEM;
	}
	sr->file = strdup(lab->files[0]);
	sr->name = strdup(lab->name);
	sr->description = lab->description ? strdup(lab->description) : NULL;
	if (twin) {
		sr->twin = strdup(twin->name);
		sr->twin_why = strdup(twin->why);
	}
	r->started_ms = loop_now_ms();
	if (o->timeout_ms)
		r->deadline_ms = r->started_ms + o->timeout_ms;
	*ret = r;
	return 0;
}

/* Statements a twin drops, and statements only a twin adds: any twin's
 * `add` keeps a statement out of the scenario itself and of other twins. */
static bool run_dropped(const struct run *r, const struct stmt *s)
{
	if (!s->label)
		return false;
	if (r->twin && twin_lists(r->twin->drop, r->twin->n_drop, s->label))
		return true;
	if (r->twin && twin_lists(r->twin->add, r->twin->n_add, s->label))
		return false;
	for (const struct twin *t = r->lab->first_twin; t; t = t->next)
		if (twin_lists(t->add, t->n_add, s->label))
			return true;
	return false;
}

static bool stmt_is_build(const struct stmt *s)
{
	switch (s->kind) {
	case STMT_RUN:
	case STMT_SERVE:
	case STMT_WAIT:
	case STMT_EXPECT:
	case STMT_CAPTURE:
	case STMT_CONNTRACK:
		return false;
	default:
		return true;
	}
}

int run_stmt(struct run *r, const struct stmt *s)
{
	switch (s->kind) {
	case STMT_NODE:
		return exec_node(r, s);
	case STMT_LINK:
		return exec_link(r, s);
	case STMT_LINK_SET:
		return exec_link_set(r, s);
	case STMT_LAN:
		return exec_lan(r, s);
	case STMT_ADDRESS:
		return exec_address(r, s);
	case STMT_ROUTE:
		return exec_route(r, s);
	case STMT_RULE:
		return exec_rule(r, s);
	case STMT_SYSCTL:
		return exec_sysctl(r, s);
	case STMT_RUN:
		return exec_run(r, s);
	case STMT_SERVE:
		return exec_serve(r, s);
	case STMT_WAIT:
		return exec_wait(r, s);
	case STMT_EXPECT:
		return exec_expect(r, s);
	case STMT_WIREGUARD:
		return exec_wireguard(r, s);
	case STMT_PEER:
		return exec_peer(r, s);
	case STMT_WGQUICK:
		return exec_wgquick(r, s);
	case STMT_FIREWALL:
		return exec_firewall(r, s);
	case STMT_NFT:
		return exec_nft(r, s);
	case STMT_NAT:
		return exec_nat(r, s);
	case STMT_CONNTRACK:
		return exec_conntrack(r, s);
	case STMT_CAPTURE:
		return exec_capture(r, s);
	default:
		return run_error(r, -EOPNOTSUPP, "Unable to run '%s'", stmt_kind_name(s->kind));
	}
}

/* Expectations after a stop are reported as not run, so that a report
 * always lists every expectation of the scenario. */
static void run_skip_rest(struct run *r, const struct stmt *from, const char *why)
{
	for (const struct stmt *s = from; s; s = s->next) {
		struct result *v;

		if (s->kind != STMT_EXPECT || run_dropped(r, s))
			continue;
		v = run_push_result(r, s, lab_expect_kind_name(s->expect.kind));
		v->skipped = true;
		v->evidence = strdup(why);
		r->res->n_failed++;
		if (r->rep.result)
			r->rep.result(r->rep.data, r->res, v);
	}
}

int run_steps(struct run *r)
{
	struct scenario_result *sr = r->res;
	const struct stmt *s;
	int err = 0;

	if (r->rep.begin)
		r->rep.begin(r->rep.data, sr);
	run_capture_plan(r);
	err = run_wg_keys(r);
	if (err < 0) {
		s = r->cur;
		sr->error = xasprintf("%s:%u:%u: %s", s->loc.file, s->loc.line, s->loc.col, r->err);
		run_skip_rest(r, r->lab->first_stmt, "not run: the scenario stopped at an error");
		return err;
	}
	for (s = r->lab->first_stmt; s; s = s->next) {
		uint64_t t0;

		if (run_dropped(r, s))
			continue;
		if (run_interrupted) {
			err = -EINTR;
			sr->error = xasprintf("%s:%u: interrupted by signal %d before this statement",
					      s->loc.file, s->loc.line, run_interrupted);
			run_skip_rest(r, s, "not run: interrupted");
			break;
		}
		if (r->deadline_ms && !run_left_ms(r)) {
			err = -ETIMEDOUT;
			sr->error = xasprintf("%s:%u: the scenario's time limit (%.1f s) ran out before this statement",
					      s->loc.file, s->loc.line, r->opts.timeout_ms / 1000.0);
			run_skip_rest(r, s, "not run: time limit");
			break;
		}
		r->cur = s;
		r->err[0] = '\0';
		/* Declared NATs are measured before the first step that
		 * could depend on them. */
		if (!stmt_is_build(s)) {
			t0 = loop_now_ms();
			run_wait_ready(r);
			sr->build_ms += (double)(loop_now_ms() - t0);
			run_nat_checks(r);
		}
		t0 = loop_now_ms();
		err = run_stmt(r, s);
		if (stmt_is_build(s))
			sr->build_ms += (double)(loop_now_ms() - t0);
		else
			sr->steps_ms += (double)(loop_now_ms() - t0);
		if (r->caps && !err)
			run_capture_start(r);
		if (err < 0) {
			if (err == -EINTR && !r->err[0])
				snprintf(r->err, sizeof(r->err), "interrupted by signal %d", run_interrupted);
			run_redact(r, r->err);
			sr->error = xasprintf("%s:%u:%u: %s", s->loc.file, s->loc.line, s->loc.col,
					      r->err[0] ? r->err : strerror(-err));
			run_skip_rest(r, s->next, err == -EINTR ? "not run: interrupted" :
				      "not run: the scenario stopped at an earlier error");
			break;
		}
	}
	r->cur = NULL;
	if (!err)
		run_nat_checks(r);
	sr->passed = !sr->error && !sr->n_failed;
	return err;
}

int run_publish(struct run *r, const char *name)
{
	char mount[256];
	int err;

	err = labdir_create(name);
	if (err < 0)
		return run_error(r, err, "Unable to record lab '%s' under %s", name, labdir_root());
	r->published = strdup(name);
	for (size_t i = 0; i < r->n_nodes; i++) {
		if (r->nodes[i].lan)
			snprintf(mount, sizeof(mount), "%s-lan-%s", name, r->nodes[i].name);
		else
			snprintf(mount, sizeof(mount), "%s-%s", name, r->nodes[i].name);
		err = netns_mount(r->nodes[i].ns, mount);
		if (err < 0)
			return run_error(r, err, "Unable to bind node '%s' at %s/%s", r->nodes[i].name,
					 netns_run_dir(), mount);
		/* `exec` enters the node's mounts through the keeper's fd; a
		 * keeper without root sits in a PID namespace of its own, where
		 * its pid is not the one the record holds. */
		err = labdir_add_node(name, r->nodes[i].name, mount, r->nodes[i].lan,
				      r->nodes[i].lan || rootless_active() ? -1 :
				      netns_mnt_fd(r->nodes[i].ns));
		if (err < 0)
			return run_error(r, err, "Unable to record node '%s' of lab '%s'", r->nodes[i].name,
					 name);
	}
	return labdir_set_pid(name, rootless_holder());
}

int run_hold(struct run *r)
{
	while (!run_interrupted)
		loop_run_once(r->loop, -1);
	return 0;
}

void run_note(struct run *r, const char *fmt, ...)
{
	struct scenario_result *sr = r->res;
	char **v = realloc(sr->notes, (sr->n_notes + 1) * sizeof(*v));
	va_list ap;

	if (!v)
		abort();
	sr->notes = v;
	va_start(ap, fmt);
	if (vasprintf(&v[sr->n_notes], fmt, ap) < 0)
		abort();
	va_end(ap);
	run_redact(r, v[sr->n_notes]);
	sr->n_notes++;
}

/* A line a twin drops: same text, blanks around it aside. */
static bool run_line_dropped(const struct run *r, const char *a, const char *z)
{
	while (a < z && (*a == ' ' || *a == '\t'))
		a++;
	while (z > a && (z[-1] == ' ' || z[-1] == '\t' || z[-1] == '\r'))
		z--;
	for (size_t i = 0; r->twin && i < r->twin->n_drop_line; i++)
		if (strlen(r->twin->drop_line[i]) == (size_t)(z - a) &&
		    !memcmp(r->twin->drop_line[i], a, (size_t)(z - a)))
			return true;
	return false;
}

char *run_block_text(const struct run *r, const struct stmt *s)
{
	const char *line, *eol, *text = s->block.text ? s->block.text : "";
	char *out = malloc(strlen(text) + 1), *o = out;

	if (!out)
		abort();
	for (line = text; *line; line = *eol ? eol + 1 : eol) {
		eol = strchrnul(line, '\n');
		/* A dropped line stays as an empty one, so that line
		 * numbers in messages still match the file. */
		if (!run_line_dropped(r, line, eol)) {
			memcpy(o, line, (size_t)(eol - line));
			o += eol - line;
		}
		if (*eol)
			*o++ = '\n';
	}
	*o = '\0';
	return out;
}

const struct scenario_result *run_result(const struct run *r)
{
	return r->res;
}

struct scenario_result *run_take_result(struct run *r)
{
	struct scenario_result *sr = r->res;

	r->res = NULL;
	return sr;
}

void run_teardown(struct run *r)
{
	uint64_t t0;

	if (!r || r->torn_down)
		return;
	r->torn_down = true;
	t0 = loop_now_ms();
	/* Programs first (they may hold sockets in the nodes), then the
	 * lab's own servers, then the namespaces. */
	run_capture_teardown(r);
	for (struct rproc *p = r->procs, *next; p; p = next) {
		next = p->next;
		proc_stop(p->p, 1000);
		proc_free(p->p);
		if (p->logfd >= 0)
			close(p->logfd);
		free(p->what);
		free(p);
	}
	r->procs = NULL;
	for (struct rserver *s = r->servers, *next; s; s = next) {
		next = s->next;
		server_free(s->srv);
		free(s->node);
		free(s);
	}
	r->servers = NULL;
	run_wg_teardown(r);
	run_fw_teardown(r);
	if (r->published)
		labdir_remove(r->published);
	for (size_t i = 0; i < r->n_nodes; i++) {
		netns_free(r->nodes[i].ns);
		free(r->nodes[i].name);
		free(r->nodes[i].addrs.v);
	}
	free(r->nodes);
	r->nodes = NULL;
	r->n_nodes = 0;
	free(r->published);
	r->published = NULL;
	free(r->reflectors.v);
	r->reflectors.v = NULL;
	r->reflectors.n = 0;
	if (r->res)
		r->res->teardown_ms = (double)(loop_now_ms() - t0);
}

void run_free(struct run *r)
{
	if (!r)
		return;
	run_teardown(r);
	loop_free(r->loop);
	scenario_result_free(r->res);
	free(r);
}
