/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_NAT_H
#define NETNS_NAT_H

#include <stdbool.h>
#include <net/if.h>

struct netns;
struct fw_error;

/*
 * A NAT device as data: RFC 4787 mapping and filtering behaviour, built from
 * the nftables constructions measured in research/nat-holepunch.md, in an
 * IPv4 table "wglab-nat-OUT_IF" of its own.
 *
 *   mapping EIM   masquerade (port preserving, reuses a live mapping)
 *   mapping APDM  masquerade fully-random (a new random port per flow)
 *   mapping ADM   not supported: Linux has no address-dependent port choice
 *   filtering APDF  conntrack only
 *   filtering EIF   UDP: a dynamic map learned after SNAT (mapped port ->
 *                   inside ip . port), DNAT of new inbound flows through it
 *   filtering ADF   the same map keyed on mapped port . remote address
 *   drop_unsolicited  new inbound UDP on OUT_IF that is neither DNATed nor
 *                   for a local socket is dropped before conntrack confirms
 *                   it (a home router; without it the first packet of a
 *                   peer poisons the table, research section 2)
 *   hairpin       UDP from inside to the public address:port of another
 *                   inside host is DNATed through the map and SNATed to the
 *                   public address; only what came in from inside is
 *                   SNATed, an outside flow DNATed by the filtering keeps
 *                   its source
 *   udp_timeout   net.netfilter.nf_conntrack_udp_timeout and _stream of the
 *                   namespace (and the map's timeout); a device declared
 *                   again without it restores them (struct nat_timeouts)
 * Filtering and hairpin are about UDP (what hole punching needs); TCP is
 * always conntrack-filtered.
 */
enum nat_mapping { NAT_MAP_EIM, NAT_MAP_ADM, NAT_MAP_APDM };
enum nat_filtering { NAT_FILTER_EIF, NAT_FILTER_ADF, NAT_FILTER_APDF };
enum nat_port { NAT_PORT_PRESERVE, NAT_PORT_RANDOM };

#define NAT_PRESET_LEN 32

struct nat_spec {
	char preset[NAT_PRESET_LEN];	/* the preset it started from */
	char out_if[IF_NAMESIZE];	/* nat_parse's first argument */
	char inside[IF_NAMESIZE];	/* "" = everything not OUT_IF */
	enum nat_mapping mapping;
	enum nat_filtering filtering;
	enum nat_port port;
	bool hairpin;
	unsigned int udp_timeout;	/* seconds, 0: the namespace default */
	bool drop_unsolicited;
};

/*
 * Presets: home and port-restricted (EIM, APDF, port preserving,
 * unsolicited UDP dropped), full-cone (EIM, EIF), restricted-cone (EIM,
 * ADF), symmetric and carrier-random (APDM, APDF, random ports; cgnat is
 * its alias and reports itself as carrier-random), carrier-rfc6888 (EIM,
 * EIF, ports kept when free), masquerade (EIM, APDF, nothing dropped:
 * hostile to hole punching).  0 or -ENOENT.
 */
int nat_preset(const char *name, struct nat_spec *ret);
const char *nat_mapping_name(enum nat_mapping m);
const char *nat_filtering_name(enum nat_filtering f);

/*
 * Parses `OUT_IF [preset NAME] [mapping EIM|ADM|APDM] [filtering
 * EIF|ADF|APDF] [port preserve|random] [hairpin on|off] [udp-timeout S]
 * [drop-unsolicited on|off] [inside IF]`: argv[0] is OUT_IF.  Without a
 * preset the device starts as `home`.  On error err->arg is the index of
 * the faulty argument.
 */
int nat_parse(const char *const *argv, int argc, struct nat_spec *ret, struct fw_error *err);

/* The nft script for spec (pub: OUT_IF's IPv4 address, needed for
 * hairpin).  The caller frees *ret.  0, -EINVAL or -EOPNOTSUPP. */
int nat_script(const char *out_if, const struct nat_spec *spec, const char *pub, char **ret);

/*
 * The UDP conntrack timeouts of a namespace as they were before a NAT
 * device set them (research section 6: per namespace, 30 and 120 in a new
 * one, or what a sysctl step wrote), so that the device declared again
 * without udp-timeout puts them back.  One per namespace, zeroed at first.
 */
struct nat_timeouts {
	bool saved;
	char owner[IF_NAMESIZE];	/* the device whose udp-timeout holds */
	unsigned int set;		/* the seconds it wrote */
	char udp[16], stream[16];	/* before the first change */
};

/* Installs (or replaces) the device on out_if of ns as one transaction, and
 * sets the namespace's UDP conntrack timeouts when spec asks.  With keep,
 * the values they replace are kept there, and the device declared again
 * without udp-timeout restores them, unless something else wrote the
 * sysctls since (then they stay as they are).  keep may be NULL: the
 * timeouts are then only ever set. */
int nat_apply(struct netns *ns, const char *out_if, const struct nat_spec *spec,
	      struct nat_timeouts *keep, struct fw_error *err);
int nat_remove(struct netns *ns, const char *out_if, struct fw_error *err);

#endif
