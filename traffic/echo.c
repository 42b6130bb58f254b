// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "traffic/echo.h"
#include "traffic/sock.h"
#include "netns/util/now.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <netinet/icmp6.h>
#include <sys/random.h>

/* linux/icmp.h clashes with netinet/ip_icmp.h; ICMP_FILTER is one number. */
#ifndef ICMP_FILTER
#define ICMP_FILTER 1
#endif

static const uint8_t echo_magic[8] = "wglab-e";

int echo_socket(struct netns *ns, int family)
{
	int fd, ret;

	fd = traffic_socket(ns, family, SOCK_RAW, family == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
	if (fd < 0)
		return fd;
	if (family == AF_INET6) {
		struct icmp6_filter f;

		ICMP6_FILTER_SETBLOCKALL(&f);
		ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
		ICMP6_FILTER_SETPASS(ICMP6_DST_UNREACH, &f);
		ICMP6_FILTER_SETPASS(ICMP6_PACKET_TOO_BIG, &f);
		ICMP6_FILTER_SETPASS(ICMP6_TIME_EXCEEDED, &f);
		ICMP6_FILTER_SETPASS(ICMP6_PARAM_PROB, &f);
		ret = setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof(f));
	} else {
		/* Bits set are types the kernel drops before queueing. */
		uint32_t mask = ~((1U << ICMP_ECHOREPLY) | (1U << ICMP_DEST_UNREACH) |
				  (1U << ICMP_TIME_EXCEEDED) | (1U << ICMP_PARAMETERPROB));

		ret = setsockopt(fd, SOL_RAW, ICMP_FILTER, &mask, sizeof(mask));
	}
	if (ret) {
		ret = -errno;
		close(fd);
		return ret;
	}
	return fd;
}

static uint16_t echo_checksum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

size_t echo_build(int family, uint16_t id, uint16_t seq, uint64_t nonce, uint64_t sent_us,
		  uint8_t *buf)
{
	uint16_t n16, sum;

	memset(buf, 0, ECHO_PACKET_LEN);
	buf[0] = family == AF_INET6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO;
	n16 = htons(id);
	memcpy(buf + 4, &n16, 2);
	n16 = htons(seq);
	memcpy(buf + 6, &n16, 2);
	memcpy(buf + 8, echo_magic, sizeof(echo_magic));
	memcpy(buf + 16, &nonce, sizeof(nonce));
	memcpy(buf + 24, &sent_us, sizeof(sent_us));
	if (family == AF_INET) {
		sum = echo_checksum(buf, ECHO_PACKET_LEN);
		memcpy(buf + 2, &sum, 2);
	}
	return ECHO_PACKET_LEN;
}

static uint16_t echo_get16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return ntohs(v);
}

/* Matches an echo message (request quoted in an error, or a reply): its
 * id, and the nonce when enough of the payload is there. */
static bool echo_match(const uint8_t *icmp, size_t len, uint16_t id, uint64_t nonce,
		       uint16_t *ret_seq, uint64_t *ret_sent)
{
	uint64_t n;

	if (len < 8 || echo_get16(icmp + 4) != id)
		return false;
	*ret_seq = echo_get16(icmp + 6);
	*ret_sent = 0;
	if (len < 8 + 24)
		return true;
	if (memcmp(icmp + 8, echo_magic, sizeof(echo_magic)))
		return false;
	memcpy(&n, icmp + 16, sizeof(n));
	if (n != nonce)
		return false;
	memcpy(ret_sent, icmp + 24, sizeof(*ret_sent));
	return true;
}

static int echo_parse4(const uint8_t *pkt, size_t len, uint16_t id, uint64_t nonce,
		       struct echo_got *got)
{
	const uint8_t *icmp, *inner;
	size_t ihl, iihl;

	if (len < 20 || (pkt[0] >> 4) != 4 || pkt[9] != IPPROTO_ICMP)
		return 0;
	ihl = (size_t)(pkt[0] & 0xf) * 4;
	if (ihl < 20 || len < ihl + 8)
		return 0;
	icmp = pkt + ihl;
	len -= ihl;
	if (icmp[0] == ICMP_ECHOREPLY) {
		if (!echo_match(icmp, len, id, nonce, &got->seq, &got->sent_us) || !got->sent_us)
			return 0;
		got->kind = ECHO_REPLY;
		return 1;
	}
	if (icmp[0] != ICMP_DEST_UNREACH && icmp[0] != ICMP_TIME_EXCEEDED &&
	    icmp[0] != ICMP_PARAMETERPROB)
		return 0;
	inner = icmp + 8;
	if (len < 8 + 20 || (inner[0] >> 4) != 4 || inner[9] != IPPROTO_ICMP)
		return 0;
	iihl = (size_t)(inner[0] & 0xf) * 4;
	if (iihl < 20 || len < 8 + iihl + 8 || inner[iihl] != ICMP_ECHO)
		return 0;
	if (!echo_match(inner + iihl, len - 8 - iihl, id, nonce, &got->seq, &got->sent_us))
		return 0;
	got->kind = ECHO_ERROR;
	got->err.family = AF_INET;
	got->err.type = icmp[0];
	got->err.code = icmp[1];
	if (icmp[0] == ICMP_DEST_UNREACH && icmp[1] == ICMP_FRAG_NEEDED)
		got->err.info = echo_get16(icmp + 6);
	got->err.err = icmp[0] == ICMP_TIME_EXCEEDED ? EHOSTUNREACH :
		       icmp[0] == ICMP_PARAMETERPROB ? EPROTO :
		       icmp[1] == ICMP_NET_UNREACH || icmp[1] == ICMP_NET_UNKNOWN ? ENETUNREACH :
		       icmp[1] == ICMP_PORT_UNREACH || icmp[1] == ICMP_PROT_UNREACH ? ECONNREFUSED :
		       icmp[1] == ICMP_FRAG_NEEDED ? EMSGSIZE : EHOSTUNREACH;
	return 1;
}

static int echo_parse6(const uint8_t *pkt, size_t len, uint16_t id, uint64_t nonce,
		       struct echo_got *got)
{
	const uint8_t *inner;
	uint32_t mtu;

	if (len < 8)
		return 0;
	if (pkt[0] == ICMP6_ECHO_REPLY) {
		if (!echo_match(pkt, len, id, nonce, &got->seq, &got->sent_us) || !got->sent_us)
			return 0;
		got->kind = ECHO_REPLY;
		return 1;
	}
	if (pkt[0] != ICMP6_DST_UNREACH && pkt[0] != ICMP6_PACKET_TOO_BIG &&
	    pkt[0] != ICMP6_TIME_EXCEEDED && pkt[0] != ICMP6_PARAM_PROB)
		return 0;
	inner = pkt + 8;
	/* Extension headers in the quoted packet are not followed: probes
	 * send none. */
	if (len < 8 + 40 + 8 || (inner[0] >> 4) != 6 || inner[6] != IPPROTO_ICMPV6 ||
	    inner[40] != ICMP6_ECHO_REQUEST)
		return 0;
	if (!echo_match(inner + 40, len - 48, id, nonce, &got->seq, &got->sent_us))
		return 0;
	got->kind = ECHO_ERROR;
	got->err.family = AF_INET6;
	got->err.type = pkt[0];
	got->err.code = pkt[1];
	if (pkt[0] == ICMP6_PACKET_TOO_BIG) {
		memcpy(&mtu, pkt + 4, 4);
		got->err.info = ntohl(mtu);
	}
	got->err.err = pkt[0] == ICMP6_TIME_EXCEEDED ? EHOSTUNREACH :
		       pkt[0] == ICMP6_PACKET_TOO_BIG ? EMSGSIZE :
		       pkt[0] == ICMP6_PARAM_PROB ? EPROTO :
		       pkt[1] == ICMP6_DST_UNREACH_NOROUTE ? ENETUNREACH :
		       pkt[1] == ICMP6_DST_UNREACH_NOPORT ? ECONNREFUSED :
		       pkt[1] == ICMP6_DST_UNREACH_ADMIN ? EACCES : EHOSTUNREACH;
	return 1;
}

int echo_parse(int family, const uint8_t *pkt, size_t len, const struct addr *from, uint16_t id,
	       uint64_t nonce, struct echo_got *ret)
{
	struct echo_got got = { 0 };
	int ok;

	ok = family == AF_INET6 ? echo_parse6(pkt, len, id, nonce, &got) :
				  echo_parse4(pkt, len, id, nonce, &got);
	if (ok <= 0)
		return 0;
	got.from = *from;
	if (got.kind == ECHO_ERROR)
		got.err.from = *from;
	*ret = got;
	return 1;
}

int echo_peek_id(int family, const uint8_t *pkt, size_t len, uint16_t *ret)
{
	const uint8_t *icmp = pkt, *inner;
	size_t ihl, iihl;

	if (family == AF_INET6) {
		if (len >= 8 && pkt[0] == ICMP6_ECHO_REPLY) {
			*ret = echo_get16(pkt + 4);
			return 1;
		}
		if (len < 8 + 40 + 8 || pkt[0] == ICMP6_ECHO_REQUEST)
			return 0;
		*ret = echo_get16(pkt + 48 + 4);
		return 1;
	}
	if (len < 20 || (pkt[0] >> 4) != 4)
		return 0;
	ihl = (size_t)(pkt[0] & 0xf) * 4;
	if (ihl < 20 || len < ihl + 8)
		return 0;
	icmp = pkt + ihl;
	len -= ihl;
	if (icmp[0] == ICMP_ECHOREPLY) {
		*ret = echo_get16(icmp + 4);
		return 1;
	}
	inner = icmp + 8;
	if (icmp[0] == ICMP_ECHO || len < 8 + 20)
		return 0;
	iihl = (size_t)(inner[0] & 0xf) * 4;
	if (iihl < 20 || len < 8 + iihl + 8)
		return 0;
	*ret = echo_get16(inner + iihl + 4);
	return 1;
}

uint64_t echo_random(void)
{
	uint64_t v = 0;

	if (getrandom(&v, sizeof(v), GRND_NONBLOCK) != sizeof(v))
		v = now_us() * 0x9e3779b97f4a7c15ULL ^ (uint64_t)getpid();
	return v;
}

int echo_recv(int fd, int family, uint16_t id, uint64_t nonce, struct echo_got *ret)
{
	struct sockaddr_storage from;
	uint8_t buf[1500];
	socklen_t fromlen;
	struct addr a;
	ssize_t n;

	for (;;) {
		fromlen = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fromlen);
		if (n < 0)
			return 0;
		if (traffic_sockaddr_parse((struct sockaddr *)&from, fromlen, &a, NULL) == 0 &&
		    echo_parse(family, buf, (size_t)n, &a, id, nonce, ret))
			return 1;
	}
}
