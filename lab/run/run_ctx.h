/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_RUN_CTX_H
#define LAB_RUN_CTX_H

/* The inside of a run, shared by lab/run/runner.c, which orders it, and
 * the lab/run/exec_*.c files that carry out statements; with the helpers
 * (lab/run/run_ctx.c) every one of them uses.  Nothing outside lab/ sees
 * it. */

#include <stdarg.h>
#include <stdint.h>
#include <sys/types.h>

#include "assertions/capture.h"
#include "lab/lang/model.h"
#include "lab/report/result.h"
#include "lab/run/run_opts.h"

struct lab_names;
struct netns;
struct loop;
struct proc;
struct server;

struct fw_ruleset;
struct nat_timeouts;
struct rdnat;

struct rnode {
	char *name;
	struct netns *ns;
	unsigned int flags;		/* NODE_* */
	struct addr_list addrs;		/* addresses it owns, as built so far */
	bool lan;			/* a lan's hidden namespace (bridge) */
	unsigned int ports;		/* lan: bridge ports made so far */
	struct fw_ruleset *fw;		/* its iptables rules, as applied */
	struct nat_timeouts *nat_tmo;	/* its UDP timeouts before a nat set them */
	size_t values_keys;		/* lab values written with this many keys + 1 (0: not yet) */
	size_t values_nodes;		/* ... and this many nodes */
	char *resolv;			/* its /etc/resolv.conf as written (the lab's, or
					 * wg-quick's DNS =), or NULL: not yet */
	bool bound;			/* at /run/netns/LAB-NODE (run_publish()) */
};

/* What an interface is wired to, for the NAT self-check. */
struct rif {
	char *node;
	char ifname[IF_NAMESIZE];
	char *peer;			/* link: the node at the other end */
	char *lan;			/* lan: its name */
	struct addr_list addrs;		/* given by the link or lan statement */
};

struct capture;

/* A capture the scenario's expectations look at. */
struct rcap {
	char *node;
	char ifname[IF_NAMESIZE];	/* "any": every interface of the node */
	struct capture *cap;		/* NULL until the interface is there */
	int pcapfd;			/* memfd holding the pcap file */
	char *filter;			/* kernel filter: what its expectations look at (NULL: all) */
	unsigned int snaplen;		/* bytes they read of a packet (0: whole) */
	uint64_t ring;			/* `capture ... ring SIZE` (0: default) */
	struct sees_window window;	/* `capture` statement: what came before does not count */
	int ifindex;			/* the interface cap opened (0: "any") */
	unsigned int gen;		/* captures opened before cap (the interface was recreated) */
	bool retired;			/* a stopped capture of an interface since recreated: only its pcap file */
	struct rcap *next;
};

/* Output of a program of the run, kept for the artifacts folder. */
struct rlog {
	char *name;			/* file name in the artifacts folder */
	int fd;				/* memfd */
	struct rlog *next;
};

/* A declared NAT, measured before the scenario's first step. */
struct rnat {
	const struct stmt *s;
	bool checked;
	struct rnat *next;
};

/* A background program (lab/run/background.c keeps them). */
struct rproc {
	struct proc *p;
	const struct stmt *s;		/* its `run ... background` */
	char *what;			/* the command, for evidence */
	int logfd;			/* memfd with its stdout and stderr */
	off_t log_cut;			/* bytes of logfd's start freed (run_log_bound()) */
	struct loop *loop;		/* watching its pidfd while `watched` */
	bool watched;
	uint64_t started_ms, exited_ms;
	bool exited;			/* status holds its wait(2) status (-1: unknown) */
	int status;
	bool reported;			/* its report line is out */
	bool daemon;			/* `daemon`: its readiness is part of its line */
	char *ready_what;		/* the condition, "tcp port 8080 listens" */
	uint64_t ready_ms;		/* 0: not ready (yet) */
	struct rproc *next;
};

struct rserver {
	struct server *srv;
	char *node;
	int proto;			/* enum serve_proto */
	struct addr bind;
	uint16_t port;
	bool automatic;			/* started by the lab for an expectation */
	struct rserver *next;
};

struct wgdev;
struct wgconf_device;

/* The keys of every WireGuard interface, made before the run so that a
 * peer may name an interface defined further down. */
struct rwgkey {
	char *node;
	char ifname[IF_NAMESIZE];
	uint8_t priv[32], pub[32];
};

/* Named preshared keys (@NAME), shared by both sides. */
struct rpsk {
	char *name;
	uint8_t key[32];
};

/* An endpoint a `peer` statement set on a peer its interface already had:
 * the peer's counters right after (lab/run/wgendpoint.h). */
struct rwgep {
	uint8_t peer[32];
	uint64_t rx;
	int64_t hs_sec, hs_nsec;	/* the latest handshake then (0: none) */
	struct loc loc;			/* of the statement */
};

struct rwg {
	char *node;
	char ifname[IF_NAMESIZE];
	struct wgdev *dev;
	struct wgconf_device *conf;	/* as brought up (wg-quick's, or the statement's) */
	int logfd;			/* wireguard-go's output and the hooks' */
	/* The PID namespace of the hooks' background programs (netns/proc.h
	 * keeper), made by the first hook; ended at teardown, after `down`. */
	struct proc *hooks;
	struct rwgep *eps;		/* the endpoints the lab set (wgendpoint.h) */
	size_t n_eps;
	struct rwg *next;
};

struct run {
	struct lab *lab;
	struct lab_names *names;	/* run_names(): of lab, run_names.h */
	/* WireGuard interfaces whose program was started ahead of their
	 * statement (lab/run/exec_wg.c), not yet waited for. */
	struct rwg *wg_started;
	/* Batches of `peer` statements whose configuration is sent, their
	 * answers not yet read (exec_wg.c), oldest first. */
	struct rpeers *peers_sent;
	size_t n_peers_sent;
	const struct twin *twin;
	struct run_opts opts;
	struct reporter rep;
	struct loop *loop;
	struct rnode *nodes;
	size_t n_nodes;
	struct rproc *procs;
	int bg_timer;			/* timerfd bounding their logs, once one started (else 0) */
	struct rserver *servers;
	struct scenario_result *res;
	char *published;
	uint64_t started_ms, deadline_ms;
	const struct stmt *cur;
	char err[1024];
	bool torn_down;
	/* WireGuard. */
	struct rwgkey *keys;
	size_t n_keys;
	uint8_t (*pubs)[32];		/* peers' public keys written as such */
	size_t n_pubs;
	struct rpsk *psks;
	size_t n_psks;
	struct rwg *wgs;
	bool backend_ready;
	int backend_kind;		/* enum wgdev_kind */
	char *backend_path;
	unsigned int go_maxprocs;	/* GOMAXPROCS for each wireguard-go (0: none) */
	/* The lab's WireGuard host (netns/wg/wghost.h), when it makes the
	 * userspace interfaces instead of a wireguard-go for each. */
	struct wghost *wghost;
	size_t n_wg_stmts;		/* interfaces the lab makes, for go_maxprocs */
	/* `wireguard-go --version`, running beside the first interfaces'
	 * start (exec_wg.c), and its output. */
	struct proc *version_proc;
	int version_fd;
	/* Wiring and NAT. */
	struct rif *ifs;
	size_t n_ifs;
	struct rnat *nats;
	size_t ifs_ready;		/* r->ifs[0..ifs_ready) were seen ready */
	struct rcap *caps;
	struct rlog *logs;
	char *artifacts_dir;		/* the artifacts folder's path, for messages */
	struct addr_list reflectors;	/* the NAT self-check's addresses */
	struct rdnat *dnat;		/* the file's destination NAT, for autoserve.c */
	struct run_listen *listened;	/* autoserve.c's decisions, run_listened() */
	size_t n_listened;
};

/* Records the message of a failing step, "Unable to WHAT: cause", the
 * cause being strerror(-ret).  Returns ret. */
int run_error(struct run *r, int ret, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The same for a request the kernel refused about ns (a node's namespace;
 * NULL: none): the cause is "its extack message (strerror(-ret))" when it
 * gave one (netns_extack()), else strerror(-ret).  Returns ret. */
int run_kernel_error(struct run *r, const struct netns *ns, int ret, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The node of that name; it must exist (validation saw to it). */
struct rnode *run_node(struct run *r, const char *name);
/* The node that owns address a (as built so far), or NULL. */
struct rnode *run_owner(struct run *r, const struct addr *a);
/* Milliseconds left before the scenario's deadline (UINT32_MAX: none). */
unsigned int run_left_ms(const struct run *r);
/* Adds a result and reports it. */
struct result *run_add_result(struct run *r, const struct stmt *s, const char *kind, bool held,
			      double ms, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Adds the result of pair i of n of the set expectation s (its text the
 * pair's, e.g. "p1 reaches p2:wg0") and reports it. */
struct result *run_add_pair(struct run *r, const struct stmt *s, const char *pair, size_t i, size_t n,
			    bool held, double ms, const char *evidence);
/* Reports s (an expectation, a `run` step or a NAT check) as not run, why
 * being the evidence. */
void run_skip_stmt(struct run *r, const struct stmt *s, const char *why);
/* Reports as not run the NATs built but not measured yet, then every
 * expectation, `run` step and NAT of the statements from `from` on, so
 * that a report always lists them all. */
void run_skip_rest(struct run *r, const struct stmt *from, const char *why);
/* Reports as failed each label the twin says must fail that gave no
 * result: nothing it labels ran. */
void run_twin_unfailed(struct run *r);
/* Whether this run leaves s out: a twin drops it, or only a twin adds it. */
bool run_dropped(const struct run *r, const struct stmt *s);
/* Replaces every private or preshared key of the run in text (base64 or
 * hex) by "(hidden)", and every other word shaped as a key that is not a
 * public key the run knows (its interfaces', run_add_public()'s). */
void run_redact(const struct run *r, char *text);
/* A peer's public key, written as such in the scenario: evidence shows it. */
void run_add_public(struct run *r, const uint8_t pub[static 32]);
/* Adds a note the report prints. */
void run_note(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The text of s's block, less the lines a twin drops (caller frees). */
char *run_block_text(const struct run *r, const struct stmt *s);

#endif
