// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* Carrying out WireGuard statements: wireguard, peer, wg-quick. */
#include "lab/host/rootless.h"
#include "lab/lang/resolve.h"
#include "lab/run/artifacts.h"
#include "lab/run/exec_capture.h"
#include "lab/run/exec_wg.h"
#include "lab/run/labvalues.h"
#include "lab/run/run_ctx.h"
#include "lab/run/run_names.h"
#include "lab/run/wgendpoint.h"
#include "netns/link.h"
#include "netns/ns.h"
#include "netns/nsmount.h"
#include "netns/proc.h"
#include "netns/route.h"
#include "netns/util/xalloc.h"
#include "netns/wg/wgbind.h"
#include "netns/wg/wgconf.h"
#include "netns/wg/wgconf_parse.h"
#include "netns/wg/wgchange.h"
#include "netns/wg/wgdev.h"
#include "netns/wg/wghost.h"
#include "netns/wg/wgkey.h"
#include "netns/wg/wgquick.h"
#include "netns/wg/wgset.h"
#include "netns/wg/wgstart.h"
#include "netns/wg/wgtun.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <sodium.h>

struct rwgkey *run_wg_key(struct run *r, const char *node, const char *ifname)
{
	for (size_t i = 0; i < r->n_keys; i++)
		if (!strcmp(r->keys[i].node, node) && !strcmp(r->keys[i].ifname, ifname))
			return &r->keys[i];
	return NULL;
}

struct rwg *run_wg(struct run *r, const char *node, const char *ifname)
{
	for (struct rwg *w = r->wgs; w; w = w->next)
		if (!strcmp(w->node, node) && !strcmp(w->ifname, ifname))
			return w;
	return NULL;
}

static struct rwgkey *add_key(struct run *r, const struct ifref *ref)
{
	struct rwgkey *k = run_wg_key(r, ref->node, ref->ifname);

	if (k)
		return k;
	k = xrealloc(r->keys, (r->n_keys + 1) * sizeof(*k));
	r->keys = k;
	k = &k[r->n_keys++];
	memset(k, 0, sizeof(*k));
	k->node = xstrdup(ref->node);
	strcpy(k->ifname, ref->ifname);
	return k;
}

static void set_key(struct rwgkey *k, const uint8_t priv[static WGKEY_LEN])
{
	memcpy(k->priv, priv, WGKEY_LEN);
	wgkey_public(k->pub, k->priv);
}

int run_wg_keys(struct run *r)
{
	uint8_t priv[WGKEY_LEN];
	int err;

	for (const struct stmt *s = r->lab->first_stmt; s; s = s->next) {
		const struct wgconf_device *conf = NULL;
		struct rwgkey *k;

		if (s->kind == STMT_WIREGUARD && !run_wg_key(r, s->wireguard.ref.node, s->wireguard.ref.ifname)) {
			const struct stmt_wireguard *w = &s->wireguard;

			k = add_key(r, &w->ref);
			if (!(w->set & WGSET_KEY) || w->key_src == WGKEY_SRC_GENERATE) {
				wgkey_generate_private(priv);
			} else if (w->key_src == WGKEY_SRC_FILE) {
				err = wgkey_read_file(priv, w->key_file);
				if (err < 0) {
					r->cur = s;
					return run_error(r, err, "Unable to read the private key of '%s:%s' from '%s'",
							 w->ref.node, w->ref.ifname, w->key_file);
				}
			} else {
				memcpy(priv, w->conf->private_key, WGKEY_LEN);
			}
			set_key(k, priv);
		} else if (s->kind == STMT_WGQUICK) {
			/* A config without PrivateKey still gets a key: its hooks
			 * may load it from /etc/wireguard/IF.key, as the guides'
			 * do, and peers may name it. */
			conf = s->wgquick.conf;
			k = add_key(r, &s->wgquick.ref);
			if (conf->flags & WGCONF_DEV_HAS_PRIVATE_KEY)
				memcpy(priv, conf->private_key, WGKEY_LEN);
			else
				wgkey_generate_private(priv);
			set_key(k, priv);
		}
	}
	sodium_memzero(priv, sizeof(priv));
	return 0;
}

static const uint8_t *named_psk(struct run *r, const char *name)
{
	struct rpsk *p;

	for (size_t i = 0; i < r->n_psks; i++)
		if (!strcmp(r->psks[i].name, name))
			return r->psks[i].key;
	p = xrealloc(r->psks, (r->n_psks + 1) * sizeof(*p));
	r->psks = p;
	p = &p[r->n_psks++];
	p->name = xstrdup(name);
	wgkey_generate_psk(p->key);
	return p->key;
}

/* The public key "@node:if" names. */
static int ref_key(struct run *r, const char *ref, uint8_t pub[static WGKEY_LEN])
{
	const char *colon = strchr(ref, ':');
	char node[64];
	struct rwgkey *k;

	if (ref[0] != '@' || !colon || (size_t)(colon - ref - 1) >= sizeof(node))
		return -EINVAL;
	memcpy(node, ref + 1, (size_t)(colon - ref - 1));
	node[colon - ref - 1] = '\0';
	k = run_wg_key(r, node, colon + 1);
	if (!k)
		return run_error(r, -ENOKEY, "Unable to resolve '%s': that interface has no private key",
				 ref);
	memcpy(pub, k->pub, WGKEY_LEN);
	return 0;
}

/* An endpoint given as a node name, seen from node `from`: the rule of
 * lab/lang/resolve.h (never a WireGuard address; the address facing us). */
static int resolve_endpoint(struct run *r, const char *from, struct wgconf_peer *p)
{
	union {
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
	} sa = { 0 };
	struct addr tmp, got;
	const struct addr *pick = &got;
	char why[640];
	int err;

	if (!p->endpoint_host || (p->flags & WGCONF_PEER_HAS_ENDPOINT) ||
	    addr_parse(p->endpoint_host, 0, &tmp) == 0)
		return 0;
	err = lab_resolve_node(run_names(r), from, p->endpoint_host, &got, why, sizeof(why));
	if (err < 0)
		return run_error(r, -EDESTADDRREQ, "Unable to resolve endpoint '%s': %s",
				 p->endpoint_host, why);
	if (pick->family == AF_INET) {
		sa.in.sin_family = AF_INET;
		sa.in.sin_addr = pick->v4;
		sa.in.sin_port = htons(p->endpoint_port);
		return wgconf_peer_set_endpoint(p, (struct sockaddr *)&sa.in, sizeof(sa.in));
	}
	sa.in6.sin6_family = AF_INET6;
	sa.in6.sin6_addr = pick->v6;
	sa.in6.sin6_port = htons(p->endpoint_port);
	return wgconf_peer_set_endpoint(p, (struct sockaddr *)&sa.in6, sizeof(sa.in6));
}

static int resolve_peer(struct run *r, const char *from, struct wgconf_peer *p)
{
	uint8_t key[WGKEY_LEN];
	int err;

	if (p->public_key_ref) {
		err = ref_key(r, p->public_key_ref, key);
		if (err < 0)
			return err;
		wgconf_peer_set_public_key(p, key);
	}
	if (p->preshared_key_ref)
		wgconf_peer_set_preshared_key(p, named_psk(r, p->preshared_key_ref + 1));
	if (p->flags & WGCONF_PEER_HAS_PUBLIC_KEY)
		run_add_public(r, p->public_key);
	return resolve_endpoint(r, from, p);
}

/* The CPUs this process may run on (Go's default GOMAXPROCS), 1 at least. */
static int cpus_online(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set))
		return 1;
	return CPU_COUNT(&set) > 0 ? CPU_COUNT(&set) : 1;
}

/*
 * A lab with more than WG_SHARED_PER_CPU userspace interfaces per CPU
 * gives each wireguard-go one (GOMAXPROCS=1): the processes already share
 * every CPU, and Go's scheduler in each, a thread per CPU, only adds
 * hand-offs between threads (futex wake-ups, work stealing's sleeps) to
 * every packet.  On 2 CPUs (tests/bench/README.md): the 100-peer mesh's
 * steps 7.0-7.3 s against 7.8-10.5 s; the 30-peer mesh the same either
 * way; smaller labs pay for it (2 interfaces: 15 % less TCP throughput,
 * 60 % more latency; a 3-interface hub 0.1-0.3 ms more p50 round trip),
 * so they keep Go's default.  GOMAXPROCS in wglab's own environment is
 * passed on as it is instead.
 */
#define WG_SHARED_PER_CPU 16

static void go_maxprocs(struct run *r)
{
	r->n_wg_stmts = 0;
	for (const struct stmt *s = r->lab->first_stmt; s; s = s->next)
		r->n_wg_stmts += s->kind == STMT_WIREGUARD || s->kind == STMT_WGQUICK;
	r->go_maxprocs = !getenv("GOMAXPROCS") && r->n_wg_stmts > WG_SHARED_PER_CPU * (size_t)cpus_online() ? 1 : 0;
}

/* Starts `PATH --version` without waiting for it (it runs while the
 * first interfaces start: a Go program's start-up is about 15 ms here).
 * A program that cannot be executed fails here. */
static int version_begin(struct run *r)
{
	char *argv[] = { r->backend_path, "--version", NULL };
	struct proc_opts po = { .stdin_fd = -1, .stdout_fd = -1, .stderr_fd = -1 };
	int err;

	r->version_fd = memfd_create("wglab-version", MFD_CLOEXEC);
	if (r->version_fd < 0)
		return -errno;
	po.stdout_fd = r->version_fd;
	err = proc_spawn(&r->version_proc, argv, &po);
	if (err < 0) {
		close(r->version_fd);
		r->version_fd = -1;
	}
	return err;
}

/* Its first line, into the result's datapath ("userspace (wireguard-go
 * vX)"; the path alone when it printed nothing within 3 s). */
static void version_end(struct run *r)
{
	char buf[128] = "";
	int status;
	ssize_t n;

	if (r->wghost && r->res && !r->res->datapath) {
		const char *v = wghost_version(r->wghost, 3000);

		r->res->datapath = xasprintf("userspace (%s)", v ? v : r->backend_path);
		return;
	}
	if (!r->version_proc)
		return;
	if (proc_wait(r->version_proc, 3000, &status) == 0) {
		n = pread(r->version_fd, buf, sizeof(buf) - 1, 0);
		buf[n > 0 ? n : 0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
	}
	proc_free(r->version_proc);
	r->version_proc = NULL;
	close(r->version_fd);
	r->version_fd = -1;
	if (r->res) {
		free(r->res->datapath);
		r->res->datapath = r->go_maxprocs ?
			xasprintf("userspace (%s, GOMAXPROCS=%u: %zu interfaces on %d CPU%s)", buf[0] ? buf : r->backend_path,
				  r->go_maxprocs, r->n_wg_stmts, cpus_online(), cpus_online() > 1 ? "s" : "") :
			xasprintf("userspace (%s)", buf[0] ? buf : r->backend_path);
	}
}

/* PATH as given: a name is looked up in $PATH, a path with a '/' taken
 * from wglab's working directory (a node's program starts in the node's
 * mounts, at their root, where a relative path would mean another file). */
static char *backend_path(const char *path)
{
	char *cwd;
	char *abs;

	if (!strchr(path, '/') || path[0] == '/')
		return xstrdup(path);
	cwd = getcwd(NULL, 0);
	if (!cwd)
		return xstrdup(path);
	abs = xasprintf("%s/%s", cwd, path);
	free(cwd);
	return abs;
}

/*
 * wglab-wghost beside wglab's own executable (the build directory, or
 * where `make install` put both), else the build tree's (the test
 * programs), or NULL: without it, a wireguard-go per interface.
 */
static char *wghost_path(void)
{
	char exe[PATH_MAX];
	char *path;
	ssize_t n;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	path = xasprintf("%s/wglab-wghost", dirname(exe));
	if (!access(path, X_OK))
		return path;
	free(path);
#ifdef WGLAB_WGHOST_BUILT
	if (!access(WGLAB_WGHOST_BUILT, X_OK))
		return xstrdup(WGLAB_WGHOST_BUILT);
#endif
	return NULL;
}

/* Userspace interfaces in one process, the lab's WireGuard host, for
 * --wg auto or userspace without a PATH (a PATH is a program per
 * interface, as the user asked) when wglab-wghost was built and wglab
 * runs as root: every interface is the same wireguard-go code, without
 * a Go runtime's start (about 30 ms of CPU here) each.  0 with r->wghost
 * NULL when not used. */
static char *wghost_wanted(const char *wg)
{
	if (strchr(wg, '=') || rootless_active())
		return NULL;
	return wghost_path();
}

bool run_wg_hosted(const struct run *r)
{
	char *path = wghost_wanted(r->opts.wg ? r->opts.wg : "auto");

	free(path);
	return path != NULL;
}

static int wghost_begin(struct run *r, const char *wg)
{
	char *path = wghost_wanted(wg);
	int logfd, err;

	if (!path)
		return 0;
	logfd = memfd_create("wglab-wghost", MFD_CLOEXEC);
	if (logfd >= 0)
		run_keep_log(r, logfd, "wglab-wghost.log");
	err = wghost_start(&r->wghost, path, logfd);
	if (logfd >= 0)
		close(logfd);
	if (err < 0) {
		err = run_error(r, err, "Unable to start the WireGuard host '%s'", path);
		free(path);
		return err;
	}
	free(r->backend_path);
	r->backend_path = path;
	return 0;
}

/* --wg auto|kernel|userspace[=PATH], decided before the build
 * (run_wg_begin()) or at the first interface. */
static int backend_init(struct run *r)
{
	const char *wg = r->opts.wg ? r->opts.wg : "auto";
	int kernel = 0;

	if (r->backend_ready)
		return 0;
	if (!strcmp(wg, "auto") || !strcmp(wg, "kernel")) {
		kernel = wgdev_probe_kernel(NULL);
		if (kernel < 0)
			return run_error(r, kernel, "Unable to probe the kernel for WireGuard");
		if (!kernel && !strcmp(wg, "kernel"))
			return run_error(r, -EPROTONOSUPPORT,
					 "Unable to use kernel WireGuard (--wg kernel): this kernel cannot make wireguard links%s",
					 rootless_active() ? " (without root, only when the wireguard module is loaded)" : "");
	} else if (strcmp(wg, "userspace") && strncmp(wg, "userspace=", 10)) {
		return run_error(r, -EINVAL, "Unable to use --wg '%s' (auto, kernel, userspace[=PATH])", wg);
	}
	r->backend_kind = kernel ? WGDEV_KERNEL : WGDEV_USERSPACE;
	r->backend_path = backend_path(!strncmp(wg, "userspace=", 10) ? wg + 10 : "wireguard-go");
	if (kernel) {
		r->res->datapath = xstrdup("kernel");
	} else {
		int err = wghost_begin(r, wg);

		if (err < 0)
			return err;
		/* The host says its version itself. */
		if (!r->wghost) {
			err = version_begin(r);
			go_maxprocs(r);
		}
		if (err < 0)
			return run_error(r, err, "Unable to run the userspace WireGuard '%s'", r->backend_path);
		/* Without root, a TUN device needs /dev/net/tun open to all. */
		if (rootless_active()) {
			err = rootless_tun_check(r->err, sizeof(r->err));
			if (err < 0)
				return err;
		}
	}
	r->backend_ready = true;
	return 0;
}

void run_wg_begin(struct run *r)
{
	const struct stmt *s;

	for (s = r->lab->first_stmt; s; s = s->next)
		if ((s->kind == STMT_WIREGUARD || s->kind == STMT_WGQUICK) && !run_dropped(r, s))
			break;
	/* On error, the first interface tries again and says why. */
	if (s && backend_init(r) < 0)
		r->err[0] = '\0';
}

int run_wg_peer_key(struct run *r, const struct expect_wg *wg, uint8_t *pub, char *name, size_t len)
{
	struct rwgkey *k;

	if (!wg->peer.node) {
		memcpy(pub, wg->key, WGKEY_LEN);
		snprintf(name, len, "the peer");
		return 0;
	}
	k = run_wg_key(r, wg->peer.node, wg->peer.ifname);
	if (!k)
		return run_error(r, -ENOKEY, "Unable to name peer '%s:%s': it has no key", wg->peer.node,
				 wg->peer.ifname);
	memcpy(pub, k->pub, WGKEY_LEN);
	snprintf(name, len, "%s:%s", wg->peer.node, wg->peer.ifname);
	return 0;
}

static void rwg_drop(struct rwg *w)
{
	free(w->eps);
	wgdev_free(w->dev);
	proc_free(w->hooks);
	if (w->logfd >= 0)
		close(w->logfd);
	free(w->node);
	free(w);
}

/* Makes the interface (userspace: starts its program, waiting for its
 * socket unless no_wait).  NULL with the message in the run. */
static struct rwg *dev_begin(struct run *r, const struct ifref *ref, const char *created_in, bool no_wait, int *ret)
{
	struct wgdev_backend be = { 0 };
	struct rnode *n = run_node(r, ref->node);
	struct rwg *w;
	char why[256] = "";
	int err;

	w = xcalloc(1, sizeof(*w));
	w->node = xstrdup(ref->node);
	strcpy(w->ifname, ref->ifname);
	w->logfd = memfd_create("wglab-wg", MFD_CLOEXEC);
	run_keep_log(r, w->logfd, "%s-%s.log", ref->node, ref->ifname);
	be.kind = (enum wgdev_kind)r->backend_kind;
	be.path = r->backend_path;
	be.log_fd = w->logfd;
	be.no_wait = no_wait;
	be.go_maxprocs = r->go_maxprocs;
	be.host = r->wghost;
	if (created_in) {
		if (be.kind != WGDEV_KERNEL) {
			rwg_drop(w);
			*ret = run_error(r, -EOPNOTSUPP,
					 "Unable to create '%s:%s' in '%s': created-in needs the kernel backend",
					 ref->node, ref->ifname, created_in);
			return NULL;
		}
		be.birth_ns = run_node(r, created_in)->ns;
	}
	err = wgdev_create(&w->dev, n->ns, ref->ifname, &be, why, sizeof(why));
	if (err < 0) {
		rwg_drop(w);
		if (why[0]) {
			snprintf(r->err, sizeof(r->err), "Unable to create WireGuard interface '%s:%s': %s (%s)",
				 ref->node, ref->ifname, why, strerror(-err));
			*ret = err;
			return NULL;
		}
		*ret = run_kernel_error(r, be.birth_ns ? be.birth_ns : n->ns, err,
					"Unable to create WireGuard interface '%s:%s'", ref->node, ref->ifname);
		return NULL;
	}
	*ret = 0;
	return w;
}

/*
 * wireguard-go takes a few milliseconds to open its TUN and socket, most
 * of it its own start-up: the `wireguard` statements that follow this one
 * and make new interfaces get their programs started now, all at once,
 * and each statement then only waits for its own socket.  A failure here
 * is left to the statement itself (it starts its program again).
 */
#define WG_START_AHEAD 128

static void start_ahead(struct run *r, const struct stmt *s)
{
	size_t n = 0;

	if (r->backend_kind != WGDEV_USERSPACE)
		return;
	for (; s && n < WG_START_AHEAD && (s->kind == STMT_WIREGUARD || run_dropped(r, s)); s = s->next) {
		const struct stmt_wireguard *ws = &s->wireguard;
		struct rwg *w;
		bool seen = false;
		int err;

		if (run_dropped(r, s) || ws->created_in || run_wg(r, ws->ref.node, ws->ref.ifname))
			continue;
		for (w = r->wg_started; w && !seen; w = w->next)
			seen = !strcmp(w->node, ws->ref.node) && !strcmp(w->ifname, ws->ref.ifname);
		if (seen)
			continue;
		w = dev_begin(r, &ws->ref, NULL, true, &err);
		if (!w) {
			r->err[0] = '\0';
			break;
		}
		w->next = r->wg_started;
		r->wg_started = w;
		n++;
	}
}

/* why, and the program's last log line after ": " (e.g. wireguard-go's
 * "Failed to listen on uapi socket: too many open files"). */
static void log_tail(int fd, char *why, size_t len)
{
	char line[201] = "";

	proc_log_line(fd, line, sizeof(line));
	if (line[0])
		snprintf(why + strlen(why), len - strlen(why), ": %s", line);
}

/* The interface started ahead for ref, taken off the list, or NULL. */
static struct rwg *take_started(struct run *r, const struct ifref *ref)
{
	for (struct rwg **p = &r->wg_started; *p; p = &(*p)->next) {
		struct rwg *w = *p;

		if (strcmp(w->node, ref->node) || strcmp(w->ifname, ref->ifname))
			continue;
		*p = w->next;
		w->next = NULL;
		return w;
	}
	return NULL;
}

static int create_dev(struct run *r, const struct stmt *s, const struct ifref *ref, const char *created_in,
		      struct rwg **ret)
{
	struct rwg *w;
	char why[256] = "";
	int err;

	err = backend_init(r);
	if (err < 0)
		return err;
	if (s && !created_in)
		start_ahead(r, s);
	w = take_started(r, ref);
	if (w) {
		err = wgstart_wait(w->dev, 5000, why, sizeof(why));
		if (err < 0) {
			log_tail(w->logfd, why, sizeof(why));
			rwg_drop(w);
			snprintf(r->err, sizeof(r->err), "Unable to create WireGuard interface '%s:%s': %s (%s)",
				 ref->node, ref->ifname, why, strerror(-err));
			return err;
		}
	} else {
		w = dev_begin(r, ref, created_in, false, &err);
		if (!w)
			return err;
	}
	w->next = r->wgs;
	r->wgs = w;
	*ret = w;
	/* By now (an interface started) its version has been printed. */
	version_end(r);
	return 0;
}

/* An interface whose bring-up failed (wg-quick's trap deleted it): off
 * the run's, its program and what its hooks left ended, so that the
 * corrected statement makes it anew (wglab apply). */
static void forget_dev(struct run *r, struct rwg *w)
{
	for (struct rwg **p = &r->wgs; *p; p = &(*p)->next) {
		if (*p != w)
			continue;
		*p = w->next;
		break;
	}
	if (w->hooks)
		proc_terminate(w->hooks);
	rwg_drop(w);
}

struct bring_up_ctx {
	struct run *r;
	const struct rwg *w;
};

/* The interface's capture starts once it is up, before a PostUp hook uses
 * it; one that a hook brought up starts after that hook, late. */
static void bring_up_ran(void *data, const struct wgquick_action *a)
{
	const struct bring_up_ctx *b = data;

	if (!b->r->caps)
		return;
	if (a->op != WGQUICK_HOOK)
		run_capture_now(b->r, b->w->node, b->w->ifname, NULL);
	else
		run_capture_now(b->r, b->w->node, b->w->ifname,
				a->hook == WGCONF_PRE_UP ? "wg-quick's PreUp hook" : "wg-quick's PostUp hook");
}

static int bring_up(struct run *r, struct rwg *w, struct wgconf_device *conf)
{
	struct bring_up_ctx b = { .r = r, .w = w };
	struct wgquick_opts o = { .hook_log_fd = w->logfd, .hostname = w->node, .prog_log_fd = w->logfd,
				  .hooks = &w->hooks, .ran = bring_up_ran, .ran_data = &b };
	char why[512] = "";
	int err;

	o.err = why;
	o.errlen = sizeof(why);
	err = wgquick_up(w->dev, conf, &o, NULL);
	if (err < 0) {
		snprintf(r->err, sizeof(r->err), "Unable to bring up '%s:%s' as wg-quick does: %s",
			 w->node, w->ifname, why[0] ? why : strerror(-err));
		return err;
	}
	w->conf = conf;
	/* Its addresses are the node's, for endpoints and auto servers. */
	for (struct wgconf_ip *ip = conf->first_address; ip; ip = ip->next)
		addr_list_push(&run_node(r, w->node)->addrs, &ip->addr);
	return 0;
}

/* A new listen port of a userspace interface that is up: wait for its
 * socket there, or the program's refusal (netns/wg/wgbind.h).  A link
 * taken down by the scenario is left alone: a program may hold no socket
 * then. */
static int bind_wait(struct run *r, struct rwg *w, off_t mark)
{
	struct link_info li;
	char why[320];
	int err;

	if (wgdev_kind(w->dev) != WGDEV_USERSPACE || link_get(run_node(r, w->node)->ns, w->ifname, &li) < 0 ||
	    !(li.flags & IFF_UP))
		return 0;
	err = wgbind_wait(w->dev, w->logfd, mark, 5000, why, sizeof(why));
	if (err < 0)
		snprintf(r->err, sizeof(r->err), "Unable to set the listen port of '%s:%s': %s (%s)", w->node,
			 w->ifname, why, strerror(-err));
	return err;
}

static int wireguard_change(struct run *r, const struct stmt_wireguard *ws, struct rwg *w)
{
	struct rwgkey *k = run_wg_key(r, ws->ref.node, ws->ref.ifname);
	struct netns *ns = run_node(r, w->node)->ns;
	const struct netns *refused = NULL;	/* the kernel's, not the key file's */
	uint8_t priv[WGKEY_LEN];
	int err = 0;

	if (ws->set & WGSET_PORT) {
		off_t mark = wgbind_log_mark(w->logfd);

		err = wgchange_listen_port(w->dev, ws->conf->listen_port);
		if (err < 0)
			return run_kernel_error(r, ns, err, "Unable to set the listen port of '%s:%s'", w->node,
						w->ifname);
		err = bind_wait(r, w, mark);
		if (err < 0)
			return err;
	}
	if ((ws->set & WGSET_FWMARK) && (err = wgchange_fwmark(w->dev, ws->conf->fwmark)) < 0)
		return run_kernel_error(r, ns, err, "Unable to set the fwmark of '%s:%s'", w->node, w->ifname);
	if (ws->set & WGSET_KEY) {
		if (ws->key_src == WGKEY_SRC_GENERATE)
			wgkey_generate_private(priv);
		else if (ws->key_src == WGKEY_SRC_FILE)
			err = wgkey_read_file(priv, ws->key_file);
		else
			memcpy(priv, ws->conf->private_key, WGKEY_LEN);
		if (!err) {
			err = wgchange_private_key(w->dev, priv);
			refused = ns;
		}
		if (!err)
			set_key(k, priv);
		sodium_memzero(priv, sizeof(priv));
		if (err < 0)
			return run_kernel_error(r, refused, err, "Unable to change the private key of '%s:%s'",
						w->node, w->ifname);
		/* The key files that programs may read already: the node's
		 * IF.key and IF.pub, every node's NODE:IF.pub. */
		for (size_t i = 0; i < r->n_nodes && !err; i++)
			if (r->nodes[i].values_keys) {
				r->nodes[i].values_keys = 0;
				err = run_labvalues_write(r, &r->nodes[i]);
			}
	}
	return err;
}

int exec_wireguard(struct run *r, const struct stmt *s)
{
	const struct stmt_wireguard *ws = &s->wireguard;
	struct rwg *w = run_wg(r, ws->ref.node, ws->ref.ifname);
	struct rwgkey *k;
	struct wgconf_device *conf;
	int err;

	if (w)
		return wireguard_change(r, ws, w);
	err = create_dev(r, s, &ws->ref, ws->created_in, &w);
	if (err < 0)
		return err;
	conf = wgconf_device_dup(ws->conf);
	k = run_wg_key(r, ws->ref.node, ws->ref.ifname);
	wgconf_device_set_private_key(conf, k->priv);
	err = bring_up(r, w, conf);
	if (err < 0) {
		wgconf_device_free(conf);
		forget_dev(r, w);
	}
	return err;
}

/* wg-quick's routes for one peer's allowed IPs on an interface a
 * `wireguard` statement made: each prefix not already routed there. */
static int peer_routes(struct run *r, struct rwg *w, const struct wgconf_peer *p)
{
	struct netns *ns = run_node(r, w->node)->ns;
	const struct wgconf_device *d = w->conf;
	char buf[ADDR_STRLEN];
	int err;

	if (d->table_mode == WGCONF_TABLE_OFF)
		return 0;
	for (const struct wgconf_ip *ip = p->first_allowedip; ip; ip = ip->next) {
		struct route rt = { 0 }, got = { 0 };

		if (ip->flags & WGCONF_IP_REMOVE)
			continue;
		addr_network(&ip->addr, &rt.dst);
		if (!ip->addr.prefixlen && d->table_mode == WGCONF_TABLE_AUTO)
			return run_error(r, -EOPNOTSUPP,
					 "Unable to route %s through '%s:%s' from a peer statement: a full tunnel needs wg-quick's policy routing (use a wg-quick block) or a table",
					 addr_format(&ip->addr, true, buf, sizeof(buf)), w->node, w->ifname);
		if (d->table_mode == WGCONF_TABLE_AUTO) {
			struct route q = { 0 };

			q.dst = rt.dst;
			if (!route_get(ns, &q, &got) && !strcmp(got.dev, w->ifname))
				continue;
		}
		strcpy(rt.dev, w->ifname);
		rt.flags = ROUTE_HAS_DEV;
		rt.table = d->table_mode == WGCONF_TABLE_ID ? d->table : 254;
		rt.flags |= ROUTE_HAS_TABLE;
		err = route_add(ns, &rt);
		if (err < 0 && err != -EEXIST)
			return run_kernel_error(r, ns, err, "Unable to add route %s dev %s on '%s'",
						addr_format(&rt.dst, true, buf, sizeof(buf)), w->ifname, w->node);
	}
	return 0;
}

/* The change a `peer` statement makes, as a device holding that one peer
 * (its key named, its endpoint resolved): *ret, or -errno with
 * run_error() called. */
static int peer_delta(struct run *r, const struct stmt_peer *ps, struct rwg *w, struct wgconf_device **ret)
{
	struct wgconf_device *delta = wgconf_device_dup(ps->holder);
	struct wgconf_peer *p = delta->first_peer;
	uint8_t key[WGKEY_LEN];
	int err;

	if (ps->peer.node) {
		struct rwgkey *k = run_wg_key(r, ps->peer.node, ps->peer.ifname);

		if (!k) {
			wgconf_device_free(delta);
			return run_error(r, -ENOKEY, "Unable to name peer '%s:%s': it has no private key",
					 ps->peer.node, ps->peer.ifname);
		}
		memcpy(key, k->pub, WGKEY_LEN);
		wgconf_peer_set_public_key(p, key);
	}
	if (ps->remove)
		p->flags |= WGCONF_PEER_REMOVE;
	err = resolve_peer(r, w->node, p);
	if (err < 0) {
		wgconf_device_free(delta);
		return err;
	}
	*ret = delta;
	return 0;
}

int exec_peer(struct run *r, const struct stmt *s)
{
	const struct stmt_peer *ps = &s->peer;
	struct rwg *w = run_wg(r, ps->ref.node, ps->ref.ifname);
	const struct loc *loc = &s->loc;
	struct wgconf_device *delta, *before = NULL;
	int err;

	if (!w)
		return run_error(r, -ENODEV, "Unable to configure a peer of '%s:%s'", ps->ref.node,
				 ps->ref.ifname);
	err = peer_delta(r, ps, w, &delta);
	if (err < 0)
		return err;
	err = run_wgep_before(r, w, delta, &before);
	if (!err) {
		err = wgdev_set(w->dev, delta);
		if (err < 0)
			run_kernel_error(r, run_node(r, w->node)->ns, err, "Unable to %s peer of '%s:%s'",
					 ps->remove ? "remove a" : "set a", w->node, w->ifname);
	}
	if (!err)
		err = run_wgep_after(r, w, delta, before, &loc);
	if (!err && !ps->remove && (ps->set & PEERSET_ALLOWED))
		err = peer_routes(r, w, delta->first_peer);
	wgconf_device_free(before);
	wgconf_device_free(delta);
	return err;
}

bool exec_peer_joins(const struct stmt *a, const struct stmt *b)
{
	return a->kind == STMT_PEER && b->kind == STMT_PEER && !a->refused && !b->refused &&
	       !strcmp(a->peer.ref.node, b->peer.ref.node) && !strcmp(a->peer.ref.ifname, b->peer.ref.ifname);
}

/* Moves from's peers to the end of into's, in order. */
static void peers_append(struct wgconf_device *into, struct wgconf_device *from)
{
	if (!from->first_peer)
		return;
	if (into->last_peer)
		into->last_peer->next = from->first_peer;
	else
		into->first_peer = from->first_peer;
	into->last_peer = from->last_peer;
	from->first_peer = from->last_peer = NULL;
}

/* Configurations sent at once, each to another interface (a wireguard-go
 * spends about 10 ms of CPU on 99 peers: the CPUs take several at once). */
#define PEERS_IN_FLIGHT 8

/* A batch of `peer` statements of one interface whose configuration is
 * sent, its answer not yet read. */
struct rpeers {
	struct wgset *set;
	struct rwg *w;
	const struct stmt **v;
	size_t n;
	struct wgconf_device *all;	/* the peers as sent, for their routes */
	struct wgconf_device *before;	/* the interface before (run_wgep_before()) */
	struct rpeers *next;
};

static void peers_free(struct rpeers *b)
{
	wgconf_device_free(b->all);
	wgconf_device_free(b->before);
	free(b->v);
	free(b);
}

/* One at a time, so that an error names its statement. */
static int peers_one_by_one(struct run *r, const struct stmt *const *v, size_t n, size_t *ret_done)
{
	for (size_t i = 0; i < n; i++) {
		int err;

		r->cur = v[i];
		err = exec_peer(r, v[i]);
		if (err < 0)
			return err;
		if (ret_done)
			*ret_done = i + 1;
	}
	return 0;
}

/* Reads b's answer (b is off the list): refused, its statements again
 * one at a time; taken, its peers' routes.  Frees b. */
static int peers_end(struct run *r, struct rpeers *b)
{
	const struct loc **locs;
	const struct wgconf_peer *p;
	size_t i;
	int err = 0;

	if (wgset_end(b->set) < 0) {
		err = peers_one_by_one(r, b->v, b->n, NULL);
		peers_free(b);
		return err;
	}
	locs = xcalloc(b->n, sizeof(*locs));
	for (i = 0; i < b->n; i++)
		locs[i] = &b->v[i]->loc;
	r->cur = b->v[b->n - 1];
	err = run_wgep_after(r, b->w, b->all, b->before, locs);
	free(locs);
	for (i = 0, p = b->all->first_peer; i < b->n && p && !err; i++, p = p->next) {
		r->cur = b->v[i];
		if (!b->v[i]->peer.remove && (b->v[i]->peer.set & PEERSET_ALLOWED))
			err = peer_routes(r, b->w, p);
	}
	peers_free(b);
	return err;
}

/* Ends the oldest batches in flight, until at most keep are (and none
 * of interface w, when w).  On an error the rest are ended unread. */
static int peers_settle(struct run *r, size_t keep, const struct rwg *w)
{
	int err = 0;

	for (;;) {
		struct rpeers *b = r->peers_sent, *last = NULL;

		for (struct rpeers *x = b; w && x; x = x->next)
			if (x->w == w)
				last = x;
		if (!b || (r->n_peers_sent <= keep && !last))
			return err;
		r->peers_sent = b->next;
		r->n_peers_sent--;
		if (err < 0) {
			wgset_end(b->set);
			peers_free(b);
		} else {
			err = peers_end(r, b);
		}
		if (err < 0)
			keep = 0, w = NULL;
	}
}

int exec_peers_flush(struct run *r)
{
	return peers_settle(r, 0, NULL);
}

int exec_peers(struct run *r, const struct stmt *const *v, size_t n, size_t *ret_done)
{
	struct rwg *w = run_wg(r, v[0]->peer.ref.node, v[0]->peer.ref.ifname);
	struct wgconf_device *all, *delta, *before = NULL;
	struct rpeers *b, **tail;
	struct wgset *set;
	size_t i;
	int err = 0;

	*ret_done = 0;
	/* An interface's configurations apply in the order written. */
	if (w) {
		err = peers_settle(r, SIZE_MAX, w);
		if (err < 0)
			return err;
	}
	if (n == 1 || !w) {
		r->cur = v[0];
		err = exec_peer(r, v[0]);
		*ret_done = !err;
		return err;
	}
	all = wgconf_device_new();
	for (i = 0; i < n && !err; i++) {
		r->cur = v[i];
		err = peer_delta(r, &v[i]->peer, w, &delta);
		if (!err) {
			peers_append(all, delta);
			wgconf_device_free(delta);
		}
	}
	if (err < 0) {
		wgconf_device_free(all);
		return err;
	}
	err = run_wgep_before(r, w, all, &before);
	if (err < 0) {
		wgconf_device_free(all);
		return err;
	}
	/* One configuration for all; if it cannot be sent, one at a time. */
	if (wgset_begin(w->dev, all, &set) < 0) {
		wgconf_device_free(before);
		wgconf_device_free(all);
		return peers_one_by_one(r, v, n, ret_done);
	}
	b = xcalloc(1, sizeof(*b));
	b->set = set;
	b->w = w;
	b->v = xcalloc(n, sizeof(*b->v));
	memcpy(b->v, v, n * sizeof(*v));
	b->n = n;
	b->all = all;
	b->before = before;
	for (tail = &r->peers_sent; *tail; tail = &(*tail)->next)
		;
	*tail = b;
	r->n_peers_sent++;
	*ret_done = n;
	r->cur = v[n - 1];
	return peers_settle(r, PEERS_IN_FLIGHT, NULL);
}

/* The config as written, less a twin's dropped lines. */
static int wgquick_conf(struct run *r, const struct stmt *s, struct wgconf_device **ret)
{
	struct wgconf_error e = { 0 };
	char *text;
	int err;

	if (!r->twin || !r->twin->n_drop_line) {
		*ret = wgconf_device_dup(s->wgquick.conf);
		return *ret ? 0 : -ENOMEM;
	}
	text = run_block_text(r, s);
	err = wgconf_parse_text(text, ret, &e);
	free(text);
	if (err < 0)
		snprintf(r->err, sizeof(r->err), "Unable to parse the config without the twin's lines: line %u: %s",
			 e.line, e.message);
	return err;
}

int exec_wgquick(struct run *r, const struct stmt *s)
{
	const struct stmt_wgquick *q = &s->wgquick;
	struct wgconf_device *conf = NULL;
	struct rwgkey *k;
	struct rwg *w = NULL;
	int err;

	err = wgquick_conf(r, s, &conf);
	if (err < 0)
		return err;
	k = run_wg_key(r, q->ref.node, q->ref.ifname);
	if (k && (conf->private_key_ref || (conf->flags & WGCONF_DEV_HAS_PRIVATE_KEY)))
		wgconf_device_set_private_key(conf, k->priv);
	for (struct wgconf_peer *p = conf->first_peer; p && !err; p = p->next)
		err = resolve_peer(r, q->ref.node, p);
	if (!err)
		err = create_dev(r, NULL, &q->ref, NULL, &w);
	/* Its hooks are the node's programs: they may read IF.key. */
	for (int h = 0; h < WGCONF_HOOK_MAX && !err; h++)
		if (conf->first_hook[h]) {
			err = run_labvalues_write(r, run_node(r, q->ref.node));
			break;
		}
	if (!err)
		err = bring_up(r, w, conf);
	if (err < 0) {
		if (w)
			forget_dev(r, w);
		wgconf_device_free(conf);
		return err;
	}
	if (conf->first_dns) {
		err = run_labvalues_dns(r, run_node(r, q->ref.node), conf->first_dns);
		if (err == -ENOENT)
			run_note(r, "wg-quick %s:%s: DNS = %s... not applied (this host has no /etc/resolv.conf to cover)",
				 q->ref.node, q->ref.ifname, conf->first_dns->s);
		else if (err < 0) /* conf is the interface's now (bring_up) */
			return run_error(r, err, "Unable to write %s's /etc/resolv.conf for wg-quick's DNS",
					 q->ref.node);
	}
	if (conf->save_config)
		run_note(r, "wg-quick %s:%s: SaveConfig not applied (the lab keeps no config file)",
			 q->ref.node, q->ref.ifname);
	return 0;
}

void run_wg_teardown(struct run *r)
{
	version_end(r);
	/* Left by an error: their answers are not read. */
	while (r->peers_sent) {
		struct rpeers *b = r->peers_sent;

		r->peers_sent = b->next;
		wgset_end(b->set);
		peers_free(b);
	}
	r->n_peers_sent = 0;
	for (struct rwg *w = r->wg_started, *next; w; w = next) {
		next = w->next;
		rwg_drop(w);
	}
	r->wg_started = NULL;
	/* Newest first, wg-quick's `down` for each interface with down
	 * hooks (they run as wg-quick runs them, around the link's removal).
	 * Without hooks, all that `down` undoes (link, routes, rules,
	 * nftables, sysctls) is in the node's namespace, which ends right
	 * after this: its end deletes every interface at once (a kernel
	 * one as it is, a TUN made persistent: netns/wg/wgtun.h). */
	for (struct rwg *w = r->wgs, *next; w; w = next) {
		next = w->next;
		if (w->conf && (w->conf->first_hook[WGCONF_PRE_DOWN] || w->conf->first_hook[WGCONF_POST_DOWN])) {
			struct wgquick_opts o = { .hook_log_fd = w->logfd, .hook_timeout_ms = 5000,
						  .hostname = w->node, .prog_log_fd = -1, .hooks = &w->hooks };

			wgquick_down(w->dev, w->conf, &o, NULL);
		} else {
			wgdev_leave(w->dev);
			wgtun_persist(w->dev);
		}
		if (wgdev_proc(w->dev))
			proc_terminate(wgdev_proc(w->dev));
		/* What the hooks left running ends with its interface. */
		if (w->hooks)
			proc_terminate(w->hooks);
	}
	for (struct rwg *w = r->wgs, *next; w; w = next) {
		next = w->next;
		wgdev_free(w->dev);
		proc_free(w->hooks);
		wgconf_device_free(w->conf);
		free(w->eps);
		if (w->logfd >= 0)
			close(w->logfd);
		free(w->node);
		free(w);
	}
	r->wgs = NULL;
	/* Its interfaces' TUNs are persistent by now (or deleted): they go
	 * with their namespaces. */
	wghost_free(r->wghost);
	r->wghost = NULL;
	for (size_t i = 0; i < r->n_keys; i++) {
		sodium_memzero(r->keys[i].priv, sizeof(r->keys[i].priv));
		free(r->keys[i].node);
	}
	free(r->keys);
	r->keys = NULL;
	r->n_keys = 0;
	for (size_t i = 0; i < r->n_psks; i++) {
		sodium_memzero(r->psks[i].key, sizeof(r->psks[i].key));
		free(r->psks[i].name);
	}
	free(r->psks);
	r->psks = NULL;
	r->n_psks = 0;
	free(r->pubs);
	r->pubs = NULL;
	r->n_pubs = 0;
	free(r->backend_path);
	r->backend_path = NULL;
}
