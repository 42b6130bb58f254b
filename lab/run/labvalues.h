/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_RUN_LABVALUES_H
#define LAB_RUN_LABVALUES_H

struct rnode;
struct run;
struct wgconf_str;

/*
 * The lab's facts a product needs, inside node n, before a program of the
 * node starts (run, daemon):
 *  - files in the node's own mount namespace: /etc/wireguard/NODE:IF.pub
 *    for every WireGuard interface of the lab, IF.key (0600) and IF.pub for
 *    each of the node's own (no other private key is ever there; written
 *    here, before the node's first program, not when the interface is
 *    made: a node no program runs in needs no mount namespace, which costs
 *    a kernel interface's start more than the interface itself),
 *    /run/wglab-hosts bound on the node's /etc/hosts (node
 *    names to their addresses by the rule of lab/lang/resolve.h, seen from
 *    n), /run/wglab.env (the variables below, for `. /run/wglab.env`);
 *  - the environment: WGLAB_LAB, WGLAB_NODE, TMPDIR=/run/tmp, and
 *    WGLAB_PUB_<NODE>_<IF> (every byte not a letter or digit as '_') for
 *    each interface's public key.  Never a private key.
 */
int run_labvalues_write(struct run *r, struct rnode *n);
/* run_labvalues_write() in every node: a kept lab, where `wglab exec` may
 * start a program in any node, also one no program of the lab ran in
 * (its hosts, resolv.conf, wglab.env and every NODE:IF.pub; a node written
 * already is written again only for keys added since). */
int run_labvalues_all(struct run *r);
/* NULL-terminated NAME=VALUE list; free with run_labvalues_env_free(). */
char **run_labvalues_env(struct run *r, const struct rnode *n);
void run_labvalues_env_free(char **env);
/* A kept lab (`up`, published as name): each bound node's hosts also at
 * /etc/netns/NAME-NODE/hosts, for `ip netns exec` (removed with the lab's
 * record, lab/host/labdir.c).  Nothing without root. */
int run_labvalues_publish(struct run *r, const char *name);
/* The hosts text for node `from` (NULL: as the host sees the lab, every
 * name by the rule without a resolving node); caller frees. */
char *run_labvalues_hosts(struct run *r, const char *from);
/* wg-quick's DNS = (addresses and search domains, as written) as node n's
 * /etc/resolv.conf, as resolvconf would make it; -ENOENT when the host
 * has no /etc/resolv.conf for the node's to cover. */
int run_labvalues_dns(struct run *r, struct rnode *n, const struct wgconf_str *dns);

#endif
