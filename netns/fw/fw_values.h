/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_FW_VALUES_H
#define NETNS_FW_VALUES_H

/* Values of iptables options (fw_values.c), for fw_opts.c.  Not part of
 * the API. */
#include <stdbool.h>
#include <stdint.h>

#include "netns/fw/fw_model.h"

/* Each returns 0 or -EINVAL (-EAFNOSUPPORT for an address of the other
 * family, -E2BIG for too many ports). */
int fw_val_uint(const char *s, unsigned long max, uint32_t *ret);
int fw_val_mark(const char *s, uint32_t *value, uint32_t *mask, bool *has_mask);
/* "a", "a:b", ":b", "a:" with sep ':' (matches) or "a-b" with '-' (NAT);
 * ports by number or service name. */
int fw_val_range(const char *s, char sep, uint8_t proto, bool ports, struct fw_range *ret);
int fw_val_cidr(const char *s, int family, struct addr *ret);
int fw_val_ifname(const char *s, char *name, bool *wild);
int fw_val_icmp(const char *s, bool v6, int *type, int *code);
int fw_val_nat_to(const char *s, int family, struct fw_spec *sp);
/* multiport's "a,b:c": as libxt_multiport, no empty port or open range,
 * a range's first port below its last (-ERANGE), a range counts as two
 * ports toward FW_MPORT_MAX (-E2BIG).  *bad: offset of the faulty port. */
int fw_val_mports(const char *s, uint8_t proto, struct fw_spec *sp, size_t *bad);
int fw_val_proto(const char *s, uint8_t *ret);
int fw_val_states(const char *s, bool status_ok, uint32_t *state, uint32_t *status);
int fw_val_reject(const char *s, int family, uint32_t *type, uint32_t *code);
int fw_val_log_level(const char *s, uint32_t *ret);

#endif
