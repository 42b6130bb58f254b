// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "traffic/sock.h"
#include "traffic/loop.h"
#include "netns/ns.h"
#include "netns/util/now.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <netinet/icmp6.h>
#include <linux/errqueue.h>

int traffic_in_netns(struct netns *ns, int (*fn)(void *data), void *data)
{
	int ret;

	if (!ns)
		return fn(data);
	ret = netns_enter(ns);
	if (ret < 0)
		return ret;
	ret = fn(data);
	netns_leave();
	return ret;
}

struct traffic_socket_args {
	int domain, type, proto;
	int fd;
};

static int traffic_socket_in(void *data)
{
	struct traffic_socket_args *a = data;

	a->fd = socket(a->domain, a->type | SOCK_NONBLOCK | SOCK_CLOEXEC, a->proto);
	return a->fd < 0 ? -errno : 0;
}

int traffic_socket(struct netns *ns, int domain, int type, int proto)
{
	struct traffic_socket_args a = { domain, type, proto, -1 };
	int ret;

	ret = traffic_in_netns(ns, traffic_socket_in, &a);
	if (ret < 0) {
		if (a.fd >= 0)
			close(a.fd);
		return ret;
	}
	return a.fd;
}

struct traffic_ifindex_args {
	const char *ifname;
	unsigned int index;
};

static int traffic_ifindex_in(void *data)
{
	struct traffic_ifindex_args *a = data;

	a->index = if_nametoindex(a->ifname);
	return a->index ? 0 : -errno;
}

int traffic_ifindex(struct netns *ns, const char *ifname)
{
	struct traffic_ifindex_args a = { ifname, 0 };
	int ret = traffic_in_netns(ns, traffic_ifindex_in, &a);

	return ret < 0 ? ret : (int)a.index;
}

socklen_t traffic_sockaddr(const struct addr *a, uint16_t port, uint32_t scope,
			   struct sockaddr_storage *ret)
{
	memset(ret, 0, sizeof(*ret));
	if (a->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ret;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		sin->sin_addr = a->v4;
		return sizeof(*sin);
	}
	if (a->family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ret;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		sin6->sin6_addr = a->v6;
		sin6->sin6_scope_id = scope;
		return sizeof(*sin6);
	}
	return 0;
}

int traffic_sockaddr_parse(const struct sockaddr *sa, socklen_t len, struct addr *ret,
			   uint16_t *ret_port)
{
	struct addr a = { 0 };
	uint16_t port;

	if (sa->sa_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;

		a.family = AF_INET;
		a.prefixlen = 32;
		a.v4 = sin->sin_addr;
		port = ntohs(sin->sin_port);
	} else if (sa->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;

		if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
			a.family = AF_INET;
			a.prefixlen = 32;
			memcpy(&a.v4, &sin6->sin6_addr.s6_addr[12], 4);
		} else {
			a.family = AF_INET6;
			a.prefixlen = 128;
			a.v6 = sin6->sin6_addr;
		}
		port = ntohs(sin6->sin6_port);
	} else {
		return -EAFNOSUPPORT;
	}
	*ret = a;
	if (ret_port)
		*ret_port = port;
	return 0;
}

const char *traffic_endpoint_format(const struct addr *a, uint16_t port, char *buf, size_t len)
{
	char tmp[ADDR_STRLEN];

	addr_format(a, false, tmp, sizeof(tmp));
	if (!port)
		snprintf(buf, len, "%s", tmp);
	else if (a->family == AF_INET6)
		snprintf(buf, len, "[%s]:%u", tmp, port);
	else
		snprintf(buf, len, "%s:%u", tmp, port);
	return buf;
}

int traffic_set_recverr(int fd, int family)
{
	int on = 1;

	if (family == AF_INET6) {
		if (setsockopt(fd, SOL_IPV6, IPV6_RECVERR, &on, sizeof(on)))
			return -errno;
		/* A dual-stack socket also gets errors for IPv4 traffic. */
		setsockopt(fd, SOL_IP, IP_RECVERR, &on, sizeof(on));
		return 0;
	}
	return setsockopt(fd, SOL_IP, IP_RECVERR, &on, sizeof(on)) ? -errno : 0;
}

int traffic_recverr(int fd, struct traffic_icmp *ret, struct sockaddr_storage *orig,
		    void *payload, size_t *payload_len)
{
	union {
		char buf[512];
		struct cmsghdr align;
	} control;
	struct sockaddr_storage name = { 0 };
	struct iovec iov = { payload, payload && payload_len ? *payload_len : 0 };
	struct msghdr msg = {
		.msg_name = &name,
		.msg_namelen = sizeof(name),
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control.buf,
		.msg_controllen = sizeof(control.buf),
	};
	struct traffic_icmp e = { 0 };
	struct cmsghdr *cmsg;
	ssize_t n;

	n = recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
	for (cmsg = CMSG_FIRSTHDR(&msg); cmsg; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
		const struct sock_extended_err *ee;
		const struct sockaddr *off;

		if (!((cmsg->cmsg_level == SOL_IP && cmsg->cmsg_type == IP_RECVERR) ||
		      (cmsg->cmsg_level == SOL_IPV6 && cmsg->cmsg_type == IPV6_RECVERR)))
			continue;
		ee = (const struct sock_extended_err *)CMSG_DATA(cmsg);
		e.err = (int)ee->ee_errno;
		e.type = ee->ee_type;
		e.code = ee->ee_code;
		e.info = ee->ee_info;
		e.local = ee->ee_origin == SO_EE_ORIGIN_LOCAL;
		e.family = ee->ee_origin == SO_EE_ORIGIN_ICMP6 ? AF_INET6 :
			   ee->ee_origin == SO_EE_ORIGIN_ICMP ? AF_INET :
			   cmsg->cmsg_level == SOL_IPV6 ? AF_INET6 : AF_INET;
		off = SO_EE_OFFENDER(ee);
		if (off->sa_family == AF_INET || off->sa_family == AF_INET6)
			traffic_sockaddr_parse(off, sizeof(struct sockaddr_in6), &e.from, NULL);
	}
	if (!e.family)
		return -EBADMSG;
	*ret = e;
	if (orig)
		*orig = name;
	if (payload && payload_len)
		*payload_len = (size_t)n < *payload_len ? (size_t)n : *payload_len;
	return 1;
}

static const char *const icmp4_unreach[] = {
	[ICMP_NET_UNREACH] = "net",
	[ICMP_HOST_UNREACH] = "host",
	[ICMP_PROT_UNREACH] = "protocol",
	[ICMP_PORT_UNREACH] = "port",
	[ICMP_FRAG_NEEDED] = "fragmentation needed",
	[ICMP_SR_FAILED] = "source route failed",
	[ICMP_NET_UNKNOWN] = "net unknown",
	[ICMP_HOST_UNKNOWN] = "host unknown",
	[ICMP_HOST_ISOLATED] = "host isolated",
	[ICMP_NET_ANO] = "net prohibited",
	[ICMP_HOST_ANO] = "host prohibited",
	[ICMP_NET_UNR_TOS] = "net tos",
	[ICMP_HOST_UNR_TOS] = "host tos",
	[ICMP_PKT_FILTERED] = "admin-prohibited",
	[ICMP_PREC_VIOLATION] = "precedence violation",
	[ICMP_PREC_CUTOFF] = "precedence cutoff",
};

static const char *const icmp6_unreach[] = {
	[ICMP6_DST_UNREACH_NOROUTE] = "no route",
	[ICMP6_DST_UNREACH_ADMIN] = "admin-prohibited",
	[ICMP6_DST_UNREACH_BEYONDSCOPE] = "beyond scope",
	[ICMP6_DST_UNREACH_ADDR] = "address",
	[ICMP6_DST_UNREACH_NOPORT] = "port",
	[5] = "source address failed policy",
	[6] = "reject route",
};

const char *traffic_icmp_describe(const struct traffic_icmp *e, char *buf, size_t len)
{
	char from[ADDR_STRLEN + 8] = "";
	const char *what = NULL, *code = NULL;

	if (e->from.family) {
		char a[ADDR_STRLEN];

		snprintf(from, sizeof(from), " from %s", addr_format(&e->from, false, a, sizeof(a)));
	}
	if (e->local) {
		if (e->err == EMSGSIZE)
			snprintf(buf, len, "local error: %s (mtu %u)", traffic_strerror(e->err), e->info);
		else
			snprintf(buf, len, "local error: %s", traffic_strerror(e->err));
		return buf;
	}
	if (e->family == AF_INET) {
		switch (e->type) {
		case ICMP_DEST_UNREACH:
			what = "destination unreachable";
			if (e->code < sizeof(icmp4_unreach) / sizeof(icmp4_unreach[0]))
				code = icmp4_unreach[e->code];
			if (e->code == ICMP_FRAG_NEEDED) {
				snprintf(buf, len, "fragmentation needed (mtu %u)%s", e->info, from);
				return buf;
			}
			break;
		case ICMP_TIME_EXCEEDED:
			what = "time exceeded";
			code = e->code == ICMP_EXC_TTL ? "ttl" : e->code == ICMP_EXC_FRAGTIME ?
			       "reassembly" : NULL;
			break;
		case ICMP_PARAMETERPROB:
			what = "parameter problem";
			break;
		case ICMP_REDIRECT:
			what = "redirect";
			break;
		case ICMP_SOURCE_QUENCH:
			what = "source quench";
			break;
		}
	} else {
		switch (e->type) {
		case ICMP6_DST_UNREACH:
			what = "destination unreachable";
			if (e->code < sizeof(icmp6_unreach) / sizeof(icmp6_unreach[0]))
				code = icmp6_unreach[e->code];
			break;
		case ICMP6_PACKET_TOO_BIG:
			snprintf(buf, len, "packet too big (mtu %u)%s", e->info, from);
			return buf;
		case ICMP6_TIME_EXCEEDED:
			what = "time exceeded";
			code = e->code == ICMP6_TIME_EXCEED_TRANSIT ? "hop limit" :
			       e->code == ICMP6_TIME_EXCEED_REASSEMBLY ? "reassembly" : NULL;
			break;
		case ICMP6_PARAM_PROB:
			what = "parameter problem";
			break;
		}
	}
	if (!what)
		snprintf(buf, len, "icmp%s type %u code %u%s", e->family == AF_INET6 ? "6" : "",
			 e->type, e->code, from);
	else if (code)
		snprintf(buf, len, "%s (%s)%s", what, code, from);
	else
		snprintf(buf, len, "%s (code %u)%s", what, e->code, from);
	return buf;
}

bool traffic_icmp_is_unreach(const struct traffic_icmp *e)
{
	if (e->local)
		return false;
	return e->family == AF_INET ? e->type == ICMP_DEST_UNREACH :
	       e->family == AF_INET6 && e->type == ICMP6_DST_UNREACH;
}

bool traffic_icmp_is_port_unreach(const struct traffic_icmp *e)
{
	return traffic_icmp_is_unreach(e) &&
	       e->code == (e->family == AF_INET ? ICMP_PORT_UNREACH : ICMP6_DST_UNREACH_NOPORT);
}

bool traffic_icmp_is_time_exceeded(const struct traffic_icmp *e)
{
	if (e->local)
		return false;
	return e->family == AF_INET ? e->type == ICMP_TIME_EXCEEDED :
	       e->family == AF_INET6 && e->type == ICMP6_TIME_EXCEEDED;
}

const char *traffic_strerror(int err)
{
	switch (err) {
	case 0:
		return "no error";
	case ECONNREFUSED:
		return "connection refused";
	case ENETUNREACH:
		return "network unreachable (no route)";
	case EHOSTUNREACH:
		return "host unreachable";
	case ETIMEDOUT:
		return "timed out";
	case ECONNRESET:
		return "connection reset";
	case EACCES:
		return "permission denied (prohibited route or firewall)";
	case EPERM:
		return "operation not permitted (firewall)";
	case EMSGSIZE:
		return "message too long";
	case EADDRNOTAVAIL:
		return "address not available";
	case ENOPROTOOPT:
		return "protocol not available";
	case EPROTO:
		return "protocol error";
	case EINVAL:
		return "invalid argument";
	default:
		return strerror(err);
	}
}

int traffic_wait(struct loop *l, uint64_t deadline_ms, const bool *done)
{
	while (!*done) {
		uint64_t now = now_ms();
		int ret;

		if (now >= deadline_ms)
			return -ETIMEDOUT;
		ret = loop_run_once(l, (int)(deadline_ms - now));
		if (ret < 0)
			return ret;
	}
	return 0;
}
