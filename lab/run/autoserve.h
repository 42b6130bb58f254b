/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_RUN_AUTOSERVE_H
#define LAB_RUN_AUTOSERVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct addr;
struct run;
struct rserver;

/*
 * `reaches ADDR tcp|udp PORT` needs something listening: the lab listens
 * itself on the node that owns ADDR (proto: enum serve_proto), unless the
 * scenario serves that port anywhere, that node serves anything or runs
 * a program in the background anywhere in the file, or a destination NAT
 * of the file may rewrite ADDR:PORT (an iptables DNAT rule of any node
 * whose protocol, destination and port matches may hold; a `nat` device
 * that forwards unsolicited UDP, for UDP to its node; an nft block, hook
 * or command that says dnat or redirect, for everything); for a socket
 * the run's options list (run_opts.listens: wglab mutate), as they say.
 * 0 or -errno (the message in the run).
 */
int run_auto_serve(struct run *r, int proto, const struct addr *dst, uint16_t port);
/* Frees what run_auto_serve() read of the file (not the servers). */
void run_auto_serve_free(struct run *r);
/* The lab's own listener for that socket, or NULL. */
struct rserver *run_auto_server(struct run *r, int proto, const struct addr *dst, uint16_t port);
/* What rs (NULL-safe: 0) has answered: TCP connections, UDP datagrams. */
uint64_t run_auto_answered(const struct rserver *rs);
/*
 * Writes to buf what an expectation's evidence says of the lab's own
 * listener: "; answered by wglab's own tcp echo listener on NODE ADDR:PORT"
 * when the probe was answered and rs answered more than before; or, when nothing answered (answered
 * false) and the lab did not listen because a destination NAT may rewrite
 * ADDR:PORT, that and which one; else "".
 */
void run_auto_note(struct run *r, const struct rserver *rs, uint64_t before, int proto,
		   const struct addr *dst, uint16_t port, bool answered, char *buf, size_t len);

#endif
