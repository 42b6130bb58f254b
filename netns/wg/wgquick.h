/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_WGQUICK_H
#define NETNS_WGQUICK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netns/addr.h"
#include "netns/route.h"
#include "netns/rule.h"

struct netns;
struct proc;
struct wgconf_device;
struct wgdev;

/*
 * wg-quick(8)'s `up` and `down` on Linux, reproduced step by step: first a
 * plan (an ordered list of actions, each with its arguments and the command
 * wg-quick would print), computed without a kernel from the configuration
 * and a few facts about the node (the wgquick_env callbacks); then its
 * execution inside the node.
 */

enum wgquick_op {
	WGQUICK_HOOK,		/* hook: PreUp/PostUp/PreDown/PostDown, %i expanded */
	WGQUICK_SET_CONFIG,	/* wg addconf: keys, port, fwmark, peers */
	WGQUICK_ADDR_ADD,	/* addr */
	WGQUICK_MTU_UP,		/* mtu (auto: recomputed when run), then link up */
	WGQUICK_DNS,		/* not applied: the lab has no resolvconf */
	WGQUICK_SET_FWMARK,	/* fwmark */
	WGQUICK_RULE_ADD,	/* rule */
	WGQUICK_ROUTE_ADD,	/* route */
	WGQUICK_SYSCTL,		/* src_valid_mark = 1 */
	WGQUICK_NFT,		/* script, as `nft -f` */
	WGQUICK_SAVE_CONFIG,	/* not applied: the lab keeps no config file */
	WGQUICK_RULE_DEL,	/* every rule matching rule, as wg-quick's while loop */
	WGQUICK_LINK_DEL,	/* ip link delete */
	WGQUICK_NFT_DEL,	/* delete the wg-quick-IF tables */
};

struct wgquick_action {
	enum wgquick_op op;
	char *text;		/* what wg-quick prints after "[#] " */
	bool skipped;		/* planned as wg-quick would not run it */
	bool not_applied;	/* DNS, SaveConfig: reported, not done */
	bool auto_mtu;		/* MTU_UP without MTU=: recomputed when run */
	int hook;		/* enum wgconf_hook_kind */
	char *arg;		/* hook command or nft script */
	struct addr addr;
	struct route route;
	struct rule rule;
	unsigned int mtu;
	uint32_t fwmark;
};

struct wgquick_plan {
	struct wgquick_action *actions;
	size_t n;
	uint32_t table;		/* the full tunnel's table/fwmark, 0: none */
};

/* Facts about the node the plan depends on; each returns 0 or -errno.
 * NULL callbacks mean "no route", "table unused", "src_valid_mark 0". */
struct wgquick_env {
	/* `ip route get DST`: the route's mtu, else its device's MTU; *ret
	 * = 0 when there is no route. */
	int (*route_mtu)(void *data, const struct addr *dst, unsigned int *ret);
	/* The same for `ip route show default` (IPv4). */
	int (*default_mtu)(void *data, unsigned int *ret);
	/* Whether `ip -4/-6 route show table T` lists anything. */
	int (*table_used)(void *data, uint32_t table, bool *ret);
	int (*src_valid_mark)(void *data, bool *ret);
	void *data;
};

/* The `up` plan for conf on ifname.  Caller frees with wgquick_plan_free().
 * 0, or an env callback's error. */
int wgquick_plan_up(const struct wgconf_device *conf, const char *ifname, const struct wgquick_env *env,
		    struct wgquick_plan **ret);
/* The `down` plan: conf for the hooks, Table and DNS; state (the device
 * as read back) for the fwmark and allowed IPs, as wg-quick reads them with
 * `wg show`.  Caller frees with wgquick_plan_free(). */
struct wgquick_plan *wgquick_plan_down(const struct wgconf_device *conf, const struct wgconf_device *state,
				       const char *ifname);
/* wg-quick's MTU choice: explicit MTU, else the smallest route MTU towards
 * the endpoints, else the default route's, else 1500; minus 80. */
int wgquick_auto_mtu(const struct wgconf_device *conf, const struct wgquick_env *env, unsigned int *ret);
void wgquick_plan_free(struct wgquick_plan *plan);
/* wg-quick's nftables script for the full tunnel of one family: its table,
 * chains, the preraw rule of each of addrs of that family (given in the
 * order of `ip -o addr show dev IF`, which wg-quick reads when it adds the
 * firewall) and the mark rules.  Caller frees. */
char *wgquick_nft_script(const char *ifname, int family, uint32_t table, const struct addr *addrs, size_t n);

/* Execution. */
struct wgquick_opts {
	int hook_log_fd;	/* hooks' stdout/stderr, -1: /dev/null */
	int hook_timeout_ms;	/* 0: 30000 */
	const char *hostname;	/* hooks' (in UTS, IPC and PID namespaces of
				 * their own); NULL: the host's name, copied */
	/* The userspace program's log (its stdout and stderr), read for its
	 * refusal to bind after the link goes up (netns/wg/wgbind.h); -1:
	 * none (a refusal is then seen only as a missing socket). */
	int prog_log_fd;
	/* Where the interface's hooks keep what they leave running (a
	 * program put in the background): a keeper (netns/proc.h) made at
	 * the first hook and joined by every later one, `up`'s and
	 * `down`'s, until the caller's proc_free() ends it and everything
	 * in it.  NULL: each hook in a PID namespace of its own, whose end
	 * with the hook ends its background programs too. */
	struct proc **hooks;
	/* Called after each action of `up` that ran (a hook too), so that
	 * the caller may start watching the interface as soon as it is up,
	 * before what comes next uses it (a PostUp hook); NULL: none. */
	void (*ran)(void *data, const struct wgquick_action *a);
	void *ran_data;
	/* Filled on failure: the failing action's text and the reason (a
	 * hook's: "PostUp 'CMD' exited with status 3: " and the last lines
	 * of its output). */
	char *err;
	size_t errlen;
};

/* The env of a real node (kernel lookups inside ns). */
void wgquick_env_node(struct wgquick_env *env, struct netns *ns);

/* Brings dev (created, not configured) up with conf as wg-quick does; a
 * userspace program's `ip link set up` returns once it holds its UDP
 * socket, and fails as the kernel's would when it cannot bind.
 * On failure the interface is torn down as wg-quick's trap does (del_if),
 * and the plan executed so far is still returned in *ret_plan if given. */
int wgquick_up(struct wgdev *dev, const struct wgconf_device *conf, const struct wgquick_opts *opts,
	       struct wgquick_plan **ret_plan);
/* Takes dev down as wg-quick does (hooks, rules, link, firewall); dev is
 * then only to be freed. */
int wgquick_down(struct wgdev *dev, const struct wgconf_device *conf, const struct wgquick_opts *opts,
		 struct wgquick_plan **ret_plan);

#endif
