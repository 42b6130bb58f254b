/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_MODEL_H
#define LAB_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>

#include "netns/addr.h"
#include "netns/util/strmap.h"
#include "netns/route.h"
#include "netns/rule.h"
#include "netns/wg/wgkey.h"

/*
 * A scenario as data: the statements in the order written (they run in that
 * order), plus the lab's name.  Every statement keeps its position for
 * messages.  Strings are owned by the model; lab_free() frees everything.
 */

struct loc {
	const char *file;	/* owned by struct lab's file list */
	unsigned int line;
	unsigned int col;
	const char *iter;	/* a repeated statement's iteration ("i=3, j=7"),
				 * owned by struct lab; NULL otherwise */
};

/* NODE:IF */
struct ifref {
	char *node;
	char ifname[IF_NAMESIZE];
	struct loc loc;
};

struct addr_list {
	struct addr *v;
	size_t n;
};

/* A block of text between << and >>, with the line it starts on. */
struct block {
	char *text;
	unsigned int first_line;	/* line of the first text line */
	unsigned int indent;		/* columns stripped from every line */
};

enum stmt_kind {
	STMT_NODE,
	STMT_LINK,
	STMT_LINK_SET,
	STMT_LAN,
	STMT_ADDRESS,
	STMT_ROUTE,
	STMT_RULE,
	STMT_SYSCTL,
	STMT_RUN,
	STMT_SERVE,
	STMT_WAIT,
	STMT_EXPECT,
	STMT_WIREGUARD,
	STMT_PEER,
	STMT_WGQUICK,
	STMT_FIREWALL,
	STMT_NFT,
	STMT_NAT,
	STMT_CONNTRACK,
	STMT_CAPTURE,
};

/* NODE_NO_IPV6: `ipv6 off`, the node's namespace has IPv6 disabled. */
enum { NODE_ROUTER = 1U << 0, NODE_NO_IPV6 = 1U << 1 };

struct stmt_node {
	char *name;
	unsigned int flags;		/* NODE_* */
	/* `name HOST`: host names that stand for the node wherever a node
	 * name does as an address (an Endpoint, the hosts file), as written */
	char **aliases;
	size_t n_aliases;
};

struct link_end {
	struct ifref ref;
	struct addr_list addrs;
};

enum {
	LINK_HAS_MTU = 1U << 0,
	LINK_HAS_RATE = 1U << 1,
	LINK_HAS_DELAY = 1U << 2,
	LINK_HAS_LOSS = 1U << 3,
};

struct stmt_link {
	struct link_end end[2];
	unsigned int flags;		/* LINK_HAS_* */
	unsigned int mtu;
	uint64_t rate_bps;
	unsigned int delay_us, jitter_us;
	unsigned int loss_ppm;
};

enum link_op { LINK_UP, LINK_DOWN, LINK_MTU };

struct stmt_link_set {
	struct ifref ref;
	enum link_op op;
	unsigned int mtu;
};

struct lan_member {
	struct ifref ref;
	struct addr_list addrs;
};

struct stmt_lan {
	char *name;
	struct addr_list subnets;
	struct lan_member *members;
	size_t n_members;
	unsigned int mtu;
};

enum addr_op { OP_ADD, OP_DEL, OP_REPLACE };

struct stmt_address {
	struct ifref ref;
	enum addr_op op;
	struct addr_list addrs;
};

struct stmt_route {
	char *node;
	enum addr_op op;
	struct route r;
	struct loc dev_loc;		/* of the dev IF word */
};

struct stmt_rule {
	char *node;
	enum addr_op op;
	struct rule r;
};

struct sysctl_kv {
	char *key;
	char *value;
};

struct stmt_sysctl {
	char *node;
	struct sysctl_kv *kv;
	size_t n;
};

/* What a daemon's readiness is (run ... daemon ready ...). */
enum ready_kind {
	READY_STARTED,			/* no condition: ready once started */
	READY_COMMAND,			/* a shell command in the node exits 0 */
	READY_TCP,			/* a TCP socket of the node listens on port */
	READY_UDP,			/* a UDP socket of the node is bound to port */
	READY_LINK,			/* ifname exists and is up */
	READY_HANDSHAKE,		/* WireGuard ifname has a handshake with a peer */
};

struct run_ready {
	enum ready_kind kind;
	char *command;
	uint16_t port;
	char ifname[IF_NAMESIZE];
	unsigned int within_ms;
};

struct stmt_run {
	char *node;
	char **argv;			/* NULL-terminated, or NULL with script */
	struct block script;		/* run by sh -e */
	unsigned int timeout_ms;
	int exit_status;		/* expected; -1: any */
	bool exit_given;		/* `exit` written: a background program may exit so */
	bool background;
	bool daemon;			/* background, ready (run_ready) before the next step */
	struct run_ready ready;
};

enum serve_proto { SERVE_TCP, SERVE_UDP, SERVE_HTTP };

struct stmt_serve {
	char *node;
	enum serve_proto proto;
	struct addr bind;		/* family 0: any address */
	uint16_t port;
	unsigned int status;
	char *body;
	uint64_t size;			/* `size N`: a body of N bytes; 0: body */
	bool has_size;
};

struct stmt_wait {
	unsigned int ms;
};

enum expect_kind {
	EXPECT_REACH,
	EXPECT_GETS,
	EXPECT_PATH,
	EXPECT_ROUTE,
	EXPECT_SEES,
	EXPECT_REWRITES,
	EXPECT_CONNTRACK,
	EXPECT_HANDSHAKE,
	EXPECT_ENDPOINT,
	EXPECT_TRANSFER,
	EXPECT_THROUGHPUT,
	EXPECT_LATENCY,
	EXPECT_NAT,
	EXPECT_WGDEVICE,
	EXPECT_ICMPERR,
	EXPECT_RULE,
	EXPECT__MAX
};

enum reach_proto { REACH_ICMP, REACH_TCP, REACH_UDP };

struct expect_reach {
	struct addr dst;		/* as written, or resolved from dst_ref */
	struct ifref dst_ref;		/* NODE or NODE:IF as written (node NULL: an address) */
	enum reach_proto proto;
	uint16_t port;
	struct addr src;		/* family 0: the kernel chooses */
	/* ICMP series: count requests (0: one answer is enough), payload
	 * size (0: default), don't fragment, interval (0: default) */
	unsigned int count, size, interval_ms;
	bool df;
};

struct expect_route {
	struct addr dst;
	struct route want;		/* ROUTE_HAS_* says what is checked */
	struct addr from;
	uint32_t mark;
	bool has_mark;
};

struct wgconf_device;
struct wgconf_peer;

enum {
	WGSET_ADDRESS = 1U << 0,
	WGSET_PORT = 1U << 1,
	WGSET_KEY = 1U << 2,
	WGSET_MTU = 1U << 3,
	WGSET_FWMARK = 1U << 4,
	WGSET_TABLE = 1U << 5,
};

enum wg_key_source { WGKEY_SRC_GENERATE, WGKEY_SRC_LITERAL, WGKEY_SRC_FILE };

/* wireguard NODE:IF ...: creates the interface, or changes it when it
 * exists (roaming port, new key). */
struct stmt_wireguard {
	struct ifref ref;
	unsigned int set;		/* WGSET_*: what the statement says */
	struct wgconf_device *conf;	/* addresses, port, fwmark, mtu, table, literal key */
	enum wg_key_source key_src;
	char *key_file;
	char *created_in;		/* node whose namespace holds the UDP socket */
};

enum {
	PEERSET_ALLOWED = 1U << 0,
	PEERSET_ENDPOINT = 1U << 1,
	PEERSET_KEEPALIVE = 1U << 2,
	PEERSET_PSK = 1U << 3,
};

/* peer NODE:IF PEER ...: adds or changes (or removes) one peer. */
struct stmt_peer {
	struct ifref ref;
	struct ifref peer;		/* peer.node NULL: a literal key in conf */
	unsigned int set;		/* PEERSET_* */
	bool remove;
	struct wgconf_device *holder;	/* owns conf */
	struct wgconf_peer *conf;	/* allowed IPs, endpoint, keepalive, psk (ref) */
	struct loc endpoint_loc;	/* of the endpoint HOST:PORT word */
};

/* firewall NODE RULE | firewall NODE [iptables|ip6tables] << rules >>: the
 * text is parsed (by netns/fw) when it runs, into the node's rule set;
 * validation parses it too, in order, for the positions of errors. */
struct stmt_firewall {
	char *node;
	char *rule;			/* one rule, or NULL with the block */
	unsigned int rule_col;		/* column of the rule in its line */
	int family;			/* block: AF_INET (iptables), AF_INET6
					 * (ip6tables); 0: its save headers say */
};

/* nat NODE OUT_IF [preset NAME] ... */
struct stmt_nat {
	char *node;
	char **argv;			/* OUT_IF and options, for nat_parse() */
	int argc;
	unsigned int *cols;		/* column of each argument */
};

/* conntrack NODE flush; capture NODE:IF [ring SIZE] (starts the window
 * again) */
struct stmt_conntrack {
	char *node;
	struct ifref ref;
	uint64_t ring;			/* capture: kernel ring in bytes; 0: default */
};

/* wg-quick NODE:IF << config >> */
struct stmt_wgquick {
	struct ifref ref;
	struct wgconf_device *conf;
};

struct ct_pattern;
struct rewrite_pattern;

/* gets URL [status N] [body contains "TEXT"] */
struct expect_gets {
	char *url;
	struct addr at;			/* the URL's host when it names a node, resolved */
	struct loc url_loc;		/* of the URL word, for errors */
	unsigned int status;		/* 0: any 2xx-5xx answer will do */
	char *body_contains;
};

/* path ADDR hops H1 H2 ... [icmp|udp] */
struct expect_path {
	struct addr dst;
	struct addr *hops;
	size_t n_hops;
	bool icmp;
};

/* NODE:IF sees [no] "FILTER" [at least N | exactly N] */
struct expect_sees {
	char *filter;
	unsigned int count;
	bool exactly;
};

/* NODE rewrites PROTO SRC > DST to SRC' > DST' [in IF] [out IF] */
struct expect_rewrites {
	struct rewrite_pattern *p;
	char in[IF_NAMESIZE], out[IF_NAMESIZE];	/* "" : the node's "any" capture */
};

/* handshake, no handshake, endpoint, transfer: of one peer. */
struct expect_wg {
	struct ifref peer;		/* peer.node NULL: key below */
	uint8_t key[WGKEY_LEN];
	struct addr endpoint;		/* endpoint: family 0 means none */
	uint16_t port;
	bool any_port;
	bool learned;			/* endpoint ... learned: from an authenticated packet */
	uint64_t rx_min, tx_min;
	uint64_t rx_max, tx_max;	/* transfer `<=` / `=`; UINT64_MAX: none */
};

/* A member of a set expectation: NODE, NODE:IF or (as a destination) an
 * address. */
struct set_member {
	struct ifref ref;		/* ref.ifname "": the node itself */
	struct addr addr;		/* family 0: not an address */
};

/* expect all SET... reach|cannot reach|handshake|no handshake each other|SET2...:
 * one expectation per ordered pair, members of one node never paired. */
struct expect_set {
	struct set_member *src, *dst;
	size_t n_src, n_dst;		/* n_dst 0: each other */
	int family;			/* 0: IPv4, else IPv6; AF_INET/AF_INET6: only that */
	size_t n_pairs;
};

struct stmt_expect {
	enum expect_kind kind;
	bool negate;			/* "cannot reach", "no handshake", "sees no" */
	char *node;
	struct ifref ref;		/* for NODE:IF kinds */
	unsigned int wait_ms;
	char *text;			/* the statement as written, for reports */
	union {
		struct expect_reach reach;
		struct expect_route route;
		struct expect_wg wg;
		struct ct_pattern *ct;		/* conntrack */
		struct expect_gets gets;
		struct expect_path path;
		struct expect_sees sees;
		struct expect_rewrites rewrites;
	};
	void *ext;			/* kind-specific data owned by its module */
	void (*ext_free)(void *);
	struct expect_set *set;		/* a set expectation (reach, handshake), or NULL */
};

struct stmt {
	enum stmt_kind kind;
	struct loc loc;
	struct loc node_loc;		/* of its NODE word, for errors (col 0: none) */
	char *label;			/* @label, or NULL */
	unsigned int label_col;		/* where @label was written */
	bool label_more;		/* written @label+: one more of the statements before */
	bool refused;			/* `refused STATEMENT`: it must be refused */
	char *refused_text;		/* that line, for reports */
	union {
		struct stmt_node node;
		struct stmt_link link;
		struct stmt_link_set link_set;
		struct stmt_lan lan;
		struct stmt_address address;
		struct stmt_route route;
		struct stmt_rule rule;
		struct stmt_sysctl sysctl;
		struct stmt_run run;
		struct stmt_serve serve;
		struct stmt_wait wait;
		struct stmt_expect expect;
		struct stmt_wireguard wireguard;
		struct stmt_peer peer;
		struct stmt_wgquick wgquick;
		struct stmt_firewall firewall;
		struct stmt_nat nat;
		struct stmt_conntrack conntrack;
	};
	void *ext;			/* data of statements parsed by modules */
	void (*ext_free)(void *);
	struct block block;		/* statements with << >> text */
	struct stmt *next;
};

struct twin {
	char *name;
	char *why;
	struct loc loc;
	char **drop;			/* labels of statements to remove */
	size_t n_drop;
	char **drop_line;		/* exact lines (trimmed) to remove in blocks */
	size_t n_drop_line;
	char **add;			/* labels of statements only twins run */
	size_t n_add;
	char **fails;			/* labels of the expectations that must fail */
	size_t n_fails;
	/* Where each was written, for errors: drop_at[i] for drop[i]... */
	struct loc *drop_at, *drop_line_at, *add_at, *fails_at;
	struct twin *next;
};

struct lab {
	char *name;
	char *description;
	struct loc name_loc;
	char **files;			/* every file read, for loc.file */
	size_t n_files;
	char **strings;			/* lab_intern(): iterations, for loc.iter */
	size_t n_strings;
	struct stmt *first_stmt, *last_stmt;
	struct twin *first_twin, *last_twin;
	size_t n_nodes, n_expects;
	/* What a statement with an error would have defined ("NODE",
	 * "NODE:IF", and "NODE:" for a node that lost an interface), so
	 * that what names it is not an error too (scenario.c, validate.c). */
	struct strmap broken;
};

/* Whether label (NULL: none) is among v[0..n), a twin's list. */
bool lab_label_in(char *const *v, size_t n, const char *label);
/* Whether a run of twin t (NULL: the scenario itself) runs s: a twin's
 * `add` is run by that twin only, its `drop` by every run but its own. */
bool lab_twin_runs(const struct lab *lab, const struct twin *t, const struct stmt *s);
/* Whether some twin adds s (`add @label`: only twins run it), or names it
 * as failing (`fails @label`) and runs it. */
bool lab_twin_adds(const struct lab *lab, const struct stmt *s);
bool lab_twin_fails(const struct lab *lab, const struct stmt *s);

/* Appends a copy of a (aborts when out of memory). */
void addr_list_push(struct addr_list *l, const struct addr *a);

struct lab *lab_new(void);
void lab_free(struct lab *lab);
struct stmt *stmt_new(struct lab *lab, enum stmt_kind kind, const struct loc *loc);
void lab_append(struct lab *lab, struct stmt *s);
/* A copy of s that lives as long as lab (for struct loc's iter). */
const char *lab_intern(struct lab *lab, const char *s);
void stmt_free(struct stmt *s);

const char *stmt_kind_name(enum stmt_kind kind);
/* Every ordered pair of a set, in the order the statement lists them:
 * ret (set->n_pairs entries, the caller's) gets the source's index in
 * set->src and the destination's in set->dst (set->src for each other).
 * Returns the count. */
size_t expect_set_pairs(const struct expect_set *set, uint32_t (*ret)[2]);
/* One pair as reports name it: "p1 reaches p2:wg0", "p1:wg0 handshake
 * p2:wg0" (caller frees). */
char *expect_pair_text(const struct stmt_expect *e, const struct set_member *src,
		       const struct set_member *dst);
const char *lab_expect_kind_name(enum expect_kind kind);

#endif
