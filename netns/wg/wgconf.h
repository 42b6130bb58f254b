/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_WGCONF_H
#define NETNS_WGCONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "netns/addr.h"
#include "netns/wg/wgkey.h"

/*
 * The WireGuard device and peer model, shared by the wg-quick config parser
 * (wgconf_parse.h, wgconf_value.h), the scenario's `wireguard`/`peer` statements, both backends
 * (UAPI and generic netlink) for setting a device, and for reading its
 * state back.  Unset is never mistaken for 0: every optional field has a
 * *_HAS_* flag.
 *
 * A key may be a reference instead of bytes ("@generate", "@node:wg0"):
 * then *_key_ref holds the string and the *_HAS_* flag for the bytes is
 * clear until the caller resolves it (wgconf_*_set_*_key()).
 */

enum {
	WGCONF_IP_REMOVE = 1U << 0,	/* allowed IP: "-prefix", remove it */
};

/* An address (Address =) or a prefix (AllowedIPs =).  AllowedIPs are kept
 * as written; the backends send them as they are and the kernel masks. */
struct wgconf_ip {
	struct addr addr;
	unsigned int flags;	/* WGCONF_IP_* */
	struct wgconf_ip *next;
};

struct wgconf_str {
	char *s;
	struct wgconf_str *next;
};

enum {
	WGCONF_PEER_HAS_PUBLIC_KEY = 1U << 0,
	WGCONF_PEER_HAS_PRESHARED_KEY = 1U << 1,
	WGCONF_PEER_HAS_ENDPOINT = 1U << 2,	/* endpoint (an address) is set */
	WGCONF_PEER_HAS_KEEPALIVE = 1U << 3,
	WGCONF_PEER_REPLACE_ALLOWEDIPS = 1U << 4,
	WGCONF_PEER_REMOVE = 1U << 5,
	WGCONF_PEER_UPDATE_ONLY = 1U << 6,
	/* State read back (wgdev_get): */
	/* A handshake has happened: last_handshake_* is a time, not the
	 * zero both APIs give for "never" (the one test of it: every
	 * reader of a device's state asks this flag). */
	WGCONF_PEER_HAS_HANDSHAKE = 1U << 7,
	WGCONF_PEER_HAS_STATS = 1U << 8,	/* rx_bytes, tx_bytes present */
	WGCONF_PEER_HAS_PROTOCOL = 1U << 9,
};

/* Where a value was written in a config: 1-based; line 0 when unknown. */
struct wgconf_pos {
	unsigned int line, col;
};

struct wgconf_peer {
	unsigned int flags;		/* WGCONF_PEER_* */
	uint8_t public_key[WGKEY_LEN];
	uint8_t preshared_key[WGKEY_LEN];
	char *public_key_ref;		/* owned; "@..." or NULL */
	char *preshared_key_ref;	/* owned; "@generate" or NULL */
	/* Endpoint as written ("93.184.216.34", "my-server.example.com",
	 * "fd00::1"), owned, and its port.  A literal address is resolved
	 * by the parser; a name is left to the caller, who fills endpoint
	 * with wgconf_peer_set_endpoint(). */
	char *endpoint_host;
	uint16_t endpoint_port;
	union {
		struct sockaddr sa;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
	} endpoint;
	uint16_t persistent_keepalive;	/* seconds, 0 = off */
	/* State. */
	int64_t last_handshake_sec, last_handshake_nsec;
	uint64_t rx_bytes, tx_bytes;
	uint32_t protocol_version;

	unsigned int line;		/* where the [Peer] began, 1-based; 0 if none */
	struct wgconf_pos public_key_pos, endpoint_pos;	/* of the values, for errors */
	struct wgconf_pos allowed_v6_pos;	/* the first IPv6 AllowedIP's line (line 0: none) */
	struct wgconf_ip *first_allowedip, *last_allowedip;
	struct wgconf_peer *next;
};

enum {
	WGCONF_DEV_HAS_PRIVATE_KEY = 1U << 0,
	WGCONF_DEV_HAS_PUBLIC_KEY = 1U << 1,	/* state, or derived from the private key */
	WGCONF_DEV_HAS_LISTEN_PORT = 1U << 2,
	WGCONF_DEV_HAS_FWMARK = 1U << 3,
	WGCONF_DEV_REPLACE_PEERS = 1U << 4,
	/* wg-quick keys: */
	WGCONF_DEV_HAS_MTU = 1U << 5,
	WGCONF_DEV_HAS_TABLE = 1U << 6,
	WGCONF_DEV_HAS_SAVE_CONFIG = 1U << 7,
};

/* The parts of a device's configuration an expectation names (`expect
 * NODE:IF device ...` in lab/lang, checked by assertions/wgdevice.c). */
enum {
	WGCONF_WANT_PORT = 1U << 0,
	WGCONF_WANT_FWMARK = 1U << 1,
	WGCONF_WANT_PEERS = 1U << 2,
	WGCONF_WANT_ALLOWED = 1U << 3,
};

enum wgconf_table {
	WGCONF_TABLE_AUTO = 0,	/* unset or "auto" */
	WGCONF_TABLE_OFF,	/* "off": no routes */
	WGCONF_TABLE_ID,	/* a number (or main/local/default) in table */
};

enum wgconf_hook_kind {
	WGCONF_PRE_UP,
	WGCONF_POST_UP,
	WGCONF_PRE_DOWN,
	WGCONF_POST_DOWN,
	WGCONF_HOOK_MAX,
};

struct wgconf_device {
	unsigned int flags;		/* WGCONF_DEV_* */
	char ifname[IF_NAMESIZE];	/* state only */
	uint8_t private_key[WGKEY_LEN];
	uint8_t public_key[WGKEY_LEN];
	char *private_key_ref;		/* owned; "@generate" or NULL */
	struct wgconf_pos private_key_pos;
	struct wgconf_pos address_v6_pos;	/* the first IPv6 Address's line (line 0: none) */
	uint16_t listen_port;
	uint32_t fwmark;		/* 0 = off */

	/* wg-quick's own keys. */
	struct wgconf_ip *first_address, *last_address;
	unsigned int mtu;
	enum wgconf_table table_mode;
	uint32_t table;
	bool save_config;		/* kept so a report can say "not applied" */
	struct wgconf_str *first_dns, *last_dns;	/* as written: IPs and search domains */
	struct wgconf_str *first_hook[WGCONF_HOOK_MAX], *last_hook[WGCONF_HOOK_MAX];

	struct wgconf_peer *first_peer, *last_peer;
};

/* Lifecycle (out of memory is fatal: netns/util/xalloc.h); free functions
 * are NULL-safe and wipe keys. */
struct wgconf_device *wgconf_device_new(void);
void wgconf_device_free(struct wgconf_device *dev);
/* A deep copy. */
struct wgconf_device *wgconf_device_dup(const struct wgconf_device *dev);
/* A new, empty peer appended to dev (dev owns it). */
struct wgconf_peer *wgconf_device_add_peer(struct wgconf_device *dev);
/* Unlinks and frees peer from dev. */
void wgconf_device_remove_peer(struct wgconf_device *dev, struct wgconf_peer *peer);
struct wgconf_peer *wgconf_device_find_peer(const struct wgconf_device *dev,
					    const uint8_t key[static WGKEY_LEN]);
/* Sets the private key (and the public key derived from it), drops any
 * reference. */
void wgconf_device_set_private_key(struct wgconf_device *dev, const uint8_t key[static WGKEY_LEN]);
void wgconf_peer_set_public_key(struct wgconf_peer *peer, const uint8_t key[static WGKEY_LEN]);
void wgconf_peer_set_preshared_key(struct wgconf_peer *peer, const uint8_t key[static WGKEY_LEN]);
/* Sets the resolved endpoint (AF_INET/AF_INET6 sockaddr, port included). */
int wgconf_peer_set_endpoint(struct wgconf_peer *peer, const struct sockaddr *sa, socklen_t len);
/* Appends an address (Address =). */
void wgconf_device_add_address(struct wgconf_device *dev, const struct addr *a);
/* Appends a prefix. */
void wgconf_peer_add_allowedip(struct wgconf_peer *peer, const struct addr *a, unsigned int flags);
void wgconf_peer_clear_allowedips(struct wgconf_peer *peer);
/* Appends a copy of s[0..len) to a list (DNS, hooks). */
void wgconf_str_append(struct wgconf_str **first, struct wgconf_str **last, const char *s, size_t len);
/* Number of allowed IPs. */
size_t wgconf_peer_count_allowedips(const struct wgconf_peer *peer);

#endif
