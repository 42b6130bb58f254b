/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_RUN_AUTOSERVE_H
#define LAB_RUN_AUTOSERVE_H

#include <stdint.h>

struct addr;
struct run;

/*
 * `reaches ADDR tcp|udp PORT` needs something listening: the lab listens
 * itself on the node that owns ADDR (proto: enum serve_proto), unless the
 * scenario serves that port anywhere or that node serves anything or runs
 * a program in the background anywhere in the file.  0 or -errno (the
 * message in the run).
 */
int run_auto_serve(struct run *r, int proto, const struct addr *dst, uint16_t port);

#endif
