/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_WG_WGCONF_VALUE_H
#define NETNS_WG_WGCONF_VALUE_H

#include <stdint.h>

#include "netns/wg/wgconf.h"
#include "netns/wg/wgkey.h"

/*
 * Value parsers, shared by the wg-quick parser and the scenario statements.
 * They return 0 or -EINVAL/-ERANGE and, on error, a message and the
 * 0-based offset in value where the fault starts.
 */
struct wgconf_error {
	unsigned int line;	/* 1-based line within the block (0: none) */
	unsigned int column;	/* 1-based column (or offset + 1 for values) */
	char message[160];
};

/* A key: 44-character base64, or a reference "@..." kept in *ret_ref
 * (allocated, the caller frees it).  On success exactly one of key /
 * *ret_ref is set. */
int wgconf_parse_key(const char *value, uint8_t key[static WGKEY_LEN], char **ret_ref,
		     struct wgconf_error *err);
/* "10.0.0.1/24, fd00::1" appended to dev's addresses (prefix optional). */
int wgconf_parse_addresses(struct wgconf_device *dev, const char *value, struct wgconf_error *err);
/* "10.0.0.0/24,fd00::/64" (prefix optional; "+"/"-" prefixes accepted and
 * make the change incremental, as wg does).  Sets REPLACE_ALLOWEDIPS
 * unless a "+"/"-" was seen. */
int wgconf_parse_allowedips(struct wgconf_peer *peer, const char *value, struct wgconf_error *err);
/* "host:port" or "[v6]:port"; a literal address is resolved at once. */
int wgconf_parse_endpoint(struct wgconf_peer *peer, const char *value, struct wgconf_error *err);
int wgconf_parse_port(const char *value, uint16_t *ret, struct wgconf_error *err);
/* Number, 0x-hex, or "off" (= 0). */
int wgconf_parse_fwmark(const char *value, uint32_t *ret, struct wgconf_error *err);
/* Seconds or "off" (= 0). */
int wgconf_parse_keepalive(const char *value, uint16_t *ret, struct wgconf_error *err);
/* "auto", "off", a number, or main/local/default. */
int wgconf_parse_table(const char *value, enum wgconf_table *mode, uint32_t *table,
		       struct wgconf_error *err);
int wgconf_parse_mtu(const char *value, unsigned int *ret, struct wgconf_error *err);

#endif
