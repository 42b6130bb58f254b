/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_ADDR_H
#define NETNS_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

struct netns;
struct nlmsghdr;

/* An IPv4 or IPv6 address with a prefix length (32/128 when none given). */
struct addr {
	int family; /* AF_INET or AF_INET6 */
	uint8_t prefixlen;
	union {
		struct in_addr v4;
		struct in6_addr v6;
		uint8_t bytes[16];
	};
};

/* Longest text addr_format() writes: an IPv6 address, '/', 3 digits. */
#define ADDR_STRLEN (INET6_ADDRSTRLEN + 4)

enum {
	ADDR_PARSE_PREFIX = 1U << 0,	/* "/len" allowed */
	ADDR_PARSE_NEED_PREFIX = 1U << 1,/* "/len" required */
};

/* Parses "10.0.0.1", "10.0.0.0/24", "fd00::1/64".  -EINVAL when malformed,
 * -ERANGE when the prefix length is too long for the family. */
int addr_parse(const char *s, unsigned int flags, struct addr *ret);
/* Writes the address, with "/len" when with_prefix. */
const char *addr_format(const struct addr *a, bool with_prefix, char *buf, size_t len);
size_t addr_len(int family);
bool addr_equal(const struct addr *a, const struct addr *b);
/* The network of a (host bits cleared). */
void addr_network(const struct addr *a, struct addr *ret);
/* True when b (as a host) lies inside the prefix a. */
bool addr_contains(const struct addr *a, const struct addr *b);
bool addr_is_any(const struct addr *a);

/* On interface ifname of ns.  IPv6 addresses are added with nodad so nothing
 * waits on duplicate address detection.  0 or -errno (see netns_extack()). */
int addr_add(struct netns *ns, const char *ifname, const struct addr *a);
int addr_del(struct netns *ns, const char *ifname, const struct addr *a);

/* The family's addresses of interface ifname, in the kernel's order (that
 * of `ip -o addr show dev IF`): *ret (caller frees) with *ret_n of them.
 * 0 or -errno (-ENODEV: no such interface). */
int addr_list(struct netns *ns, const char *ifname, int family, struct addr **ret, size_t *ret_n);

/* The RTM_NEWADDR/RTM_DELADDR (type) message for a on interface ifindex,
 * built into buf (size bytes) without a kernel: IFA_LOCAL and IFA_ADDRESS,
 * and IFA_F_NODAD (in ifa_flags and IFA_FLAGS) for IPv6.  Header flags are
 * NLM_F_REQUEST|NLM_F_ACK|flags, sequence number 0.  NULL with errno
 * EMSGSIZE (buf too small) or EAFNOSUPPORT. */
struct nlmsghdr *addr_build(void *buf, size_t size, uint16_t type, uint16_t flags,
			    const struct addr *a, int ifindex);

#endif
