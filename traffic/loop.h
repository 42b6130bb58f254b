/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef TRAFFIC_LOOP_H
#define TRAFFIC_LOOP_H

#include <stdint.h>

/*
 * The lab's single-threaded event loop (epoll).  Servers the lab runs inside
 * nodes (echo, HTTP, reflectors) register their sockets here; probes run the
 * loop while they wait, so every server keeps answering during every wait.
 */
struct loop;

typedef void (*loop_cb)(int fd, uint32_t events, void *data);

struct loop *loop_new(void);
void loop_free(struct loop *l);
/* Watches fd for events (EPOLLIN...).  The loop does not own fd. */
int loop_add(struct loop *l, int fd, uint32_t events, loop_cb cb, void *data);
int loop_mod(struct loop *l, int fd, uint32_t events);
int loop_del(struct loop *l, int fd);
/* Waits up to timeout_ms (0: poll, -1: forever) and dispatches the ready
 * callbacks once.  Returns the number dispatched or -errno. */
int loop_run_once(struct loop *l, int timeout_ms);
/* Dispatches, without waiting, every callback whose fd is ready until none
 * is (at most LOOP_DRAIN_ROUNDS rounds of up to 64): what has arrived is
 * read before a wait is declared over, however late a busy machine got to
 * it.  0 or -errno. */
#define LOOP_DRAIN_ROUNDS 64
int loop_drain(struct loop *l);

#endif
