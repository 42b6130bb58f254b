/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_RUN_EXEC_REFUSED_H
#define LAB_RUN_EXEC_REFUSED_H

struct run;
struct stmt;

/* `refused STATEMENT`: runs s with exec; a refusal (the kernel's extack,
 * nftables' or wireguard-go's error) is the passing result, with the
 * refusal as evidence, and the run goes on; acceptance is a failing
 * result.  0, or -EINTR. */
int exec_refused(struct run *r, const struct stmt *s, int (*exec)(struct run *, const struct stmt *));

#endif
