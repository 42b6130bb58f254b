/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef TRAFFIC_ECHO_H
#define TRAFFIC_ECHO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netns/addr.h"
#include "traffic/sock.h"

struct netns;

/*
 * ICMP / ICMPv6 echo on raw sockets (internal to traffic/: probes and path
 * traces).  A raw socket sees every ICMP message of its namespace, so each
 * request carries an id, a sequence number and a per-run nonce, and replies
 * and errors are matched on all three.
 */

#define ECHO_PAYLOAD_LEN 32
#define ECHO_PACKET_LEN (8 + ECHO_PAYLOAD_LEN)

/* Raw ICMP (AF_INET) or ICMPv6 (AF_INET6) socket inside ns that passes
 * only echo replies and errors.  fd or -errno. */
int echo_socket(struct netns *ns, int family);
/* Writes an echo request into buf (ECHO_PACKET_LEN bytes); the IPv4
 * checksum is filled, the kernel computes the ICMPv6 one. */
size_t echo_build(int family, uint16_t id, uint16_t seq, uint64_t nonce, uint64_t sent_us,
		  uint8_t *buf);

enum echo_kind {
	ECHO_REPLY = 1,
	ECHO_ERROR,
};

struct echo_got {
	enum echo_kind kind;
	uint16_t seq;
	uint64_t sent_us;	/* from the payload; 0 when an error quoted too little */
	struct addr from;
	struct traffic_icmp err;/* ECHO_ERROR */
};

/* Parses one packet read from an echo_socket() (IPv4: with its IP header;
 * IPv6: the ICMPv6 message, from taken from recvfrom).  1 when it answers a
 * request of (id, nonce), 0 when it is someone else's. */
int echo_parse(int family, const uint8_t *pkt, size_t len, const struct addr *from, uint16_t id,
	       uint64_t nonce, struct echo_got *ret);

/* The id of an echo reply, or of the echo request an ICMP error quotes:
 * 1 with it in *ret, 0 when pkt is neither (as echo_parse() reads it). */
int echo_peek_id(int family, const uint8_t *pkt, size_t len, uint16_t *ret);

/* Reads the non-blocking echo_socket() fd until an answer to (id, nonce):
 * 1 with it in ret (ret->from its sender), 0 when nothing more is queued. */
int echo_recv(int fd, int family, uint16_t id, uint64_t nonce, struct echo_got *ret);

/* Random bits for ids and nonces. */
uint64_t echo_random(void);

#endif
