/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_LANG_PARSE_WGDEV_H
#define LAB_LANG_PARSE_WGDEV_H

#include <stdint.h>

#include "lab/lang/model.h"
#include "netns/wg/wgconf.h"

struct pctx;

/* The configuration a WireGuard interface has (EXPECT_WGDEVICE, in the
 * expectation's ext; its peer, for allowed-ips, in e->wg.peer/key). */
struct expect_wgdevice {
	unsigned int flags;		/* WGCONF_WANT_* */
	uint16_t listen_port;
	uint32_t fwmark;
	unsigned int peers;
	struct addr_list allowed;
};

/* device [listen-port P] [fwmark M|off] [peers N] */
int parse_wgdevice(struct pctx *c, struct stmt_expect *e);
/* allowed-ips PEER is PREFIX[,PREFIX...]|none */
int parse_allowed_ips(struct pctx *c, struct stmt_expect *e);

#endif
