// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * A userspace WireGuard for the tests (`wglab run --wg userspace=PATH`)
 * that refuses what wireguard-go and the kernel take: a peer whose
 * endpoint port is 9 (discard).  It speaks the UAPI as wireguard-go does
 * (/run/wireguard/IF.sock, `get=1`, `set=1`, lines applied in order up to
 * the refused one, then `errno=-22`), holds a TUN named IF and a UDP socket
 * on its listen port, carries no traffic, and logs every request it
 * answers to stderr:
 *
 *   set: 3 peers, refused at peer 2 (endpoint 10.0.0.2:9)
 *   set: 1 peer, taken
 *
 * It exits when its TUN is deleted (reads fail), or on SIGTERM.
 *   fakewg --version | fakewg -f IFNAME
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define FAKEWG_MAX_PEERS 64
#define FAKEWG_REQ_MAX 65536

struct fakewg_peer {
	char key[65];
	char endpoint[80];
};

struct fakewg {
	char private_key[65];
	unsigned int port;
	int udp4, udp6;
	struct fakewg_peer peers[FAKEWG_MAX_PEERS];
	size_t n_peers;
};

static int fakewg_tun(const char *ifname)
{
	struct ifreq ifr = { 0 };
	int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return -1;
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int fakewg_udp(int family, unsigned int port)
{
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port) };
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int one = 1, fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	if (family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (family == AF_INET ? bind(fd, (struct sockaddr *)&in, sizeof(in)) :
				bind(fd, (struct sockaddr *)&in6, sizeof(in6))) {
		close(fd);
		return -1;
	}
	return fd;
}

static void fakewg_listen_port(struct fakewg *w, unsigned int port)
{
	if (w->udp4 >= 0)
		close(w->udp4);
	if (w->udp6 >= 0)
		close(w->udp6);
	w->port = port;
	w->udp4 = fakewg_udp(AF_INET, port);
	w->udp6 = fakewg_udp(AF_INET6, port);	/* none without IPv6 */
}

static struct fakewg_peer *fakewg_peer(struct fakewg *w, const char *key)
{
	for (size_t i = 0; i < w->n_peers; i++)
		if (!strcmp(w->peers[i].key, key))
			return &w->peers[i];
	if (w->n_peers == FAKEWG_MAX_PEERS)
		return NULL;
	snprintf(w->peers[w->n_peers].key, sizeof(w->peers[0].key), "%s", key);
	return &w->peers[w->n_peers++];
}

/* The lines of a set request after "set=1", applied in order: 0, or
 * -EINVAL at a refused peer (said on stderr). */
static int fakewg_set(struct fakewg *w, char *req)
{
	struct fakewg_peer *p = NULL;
	size_t n = 0, refused = 0;
	char *line, *save = NULL, refused_at[80] = "";

	for (line = strtok_r(req, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(line, '='), *colon;

		if (!eq)
			continue;
		*eq++ = '\0';
		if (!strcmp(line, "private_key")) {
			snprintf(w->private_key, sizeof(w->private_key), "%s", eq);
		} else if (!strcmp(line, "listen_port")) {
			fakewg_listen_port(w, (unsigned int)strtoul(eq, NULL, 10));
		} else if (!strcmp(line, "public_key")) {
			n++;
			p = fakewg_peer(w, eq);
			if (!p) {
				refused = n;
				break;
			}
		} else if (!strcmp(line, "endpoint") && p) {
			colon = strrchr(eq, ':');
			if (colon && !strcmp(colon + 1, "9")) {
				refused = n;
				snprintf(refused_at, sizeof(refused_at), "%s", eq);
				break;
			}
			snprintf(p->endpoint, sizeof(p->endpoint), "%s", eq);
		}
	}
	if (refused) {
		/* Count the peers the request held, for the log. */
		while ((line = strtok_r(NULL, "\n", &save)))
			n += !strncmp(line, "public_key=", 11);
		fprintf(stderr, "set: %zu peer%s, refused at peer %zu (endpoint %s)\n", n, n == 1 ? "" : "s",
			refused, refused_at);
		return -EINVAL;
	}
	fprintf(stderr, "set: %zu peer%s, taken\n", n, n == 1 ? "" : "s");
	return 0;
}

static void fakewg_get(const struct fakewg *w, FILE *out)
{
	if (w->private_key[0])
		fprintf(out, "private_key=%s\n", w->private_key);
	if (w->port)
		fprintf(out, "listen_port=%u\n", w->port);
	for (size_t i = 0; i < w->n_peers; i++) {
		fprintf(out, "public_key=%s\n", w->peers[i].key);
		if (w->peers[i].endpoint[0])
			fprintf(out, "endpoint=%s\n", w->peers[i].endpoint);
		fputs("protocol_version=1\n", out);
	}
}

/* One connection: requests until the client closes. */
static void fakewg_serve(struct fakewg *w, int fd)
{
	static char req[FAKEWG_REQ_MAX];
	size_t len = 0;

	for (;;) {
		ssize_t n = read(fd, req + len, sizeof(req) - 1 - len);
		char *end;
		FILE *out;

		if (n <= 0)
			return;
		len += (size_t)n;
		req[len] = '\0';
		end = strstr(req, "\n\n");
		if (!end) {
			if (len == sizeof(req) - 1)
				return;
			continue;
		}
		end[1] = '\0';
		out = fdopen(dup(fd), "w");
		if (!out)
			return;
		if (!strncmp(req, "get=1\n", 6)) {
			fakewg_get(w, out);
			fputs("errno=0\n\n", out);
		} else if (!strncmp(req, "set=1\n", 6)) {
			fprintf(out, "errno=%d\n\n", fakewg_set(w, req + 6));
		} else {
			fputs("errno=-22\n\n", out);
		}
		fclose(out);
		len -= (size_t)(end + 2 - req);
		memmove(req, end + 2, len);
	}
}

int main(int argc, char **argv)
{
	struct fakewg w = { .udp4 = -1, .udp6 = -1 };
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int tun, lfd;

	if (argc == 2 && !strcmp(argv[1], "--version")) {
		puts("fakewg 1 (wglab tests)");
		return 0;
	}
	if (argc != 3 || strcmp(argv[1], "-f")) {
		fprintf(stderr, "usage: fakewg --version | fakewg -f IFNAME\n");
		return 2;
	}
	setvbuf(stderr, NULL, _IOLBF, 0);
	tun = fakewg_tun(argv[2]);
	if (tun < 0) {
		fprintf(stderr, "cannot make TUN %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	if (mkdir("/run/wireguard", 0755) && errno != EEXIST) {
		fprintf(stderr, "cannot make /run/wireguard: %s\n", strerror(errno));
		return 1;
	}
	snprintf(sa.sun_path, sizeof(sa.sun_path), "/run/wireguard/%s.sock", argv[2]);
	unlink(sa.sun_path);
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, 16)) {
		fprintf(stderr, "cannot listen on %s: %s\n", sa.sun_path, strerror(errno));
		return 1;
	}
	for (;;) {
		struct pollfd pfd[2] = { { .fd = lfd, .events = POLLIN }, { .fd = tun, .events = POLLIN } };
		char pkt[2048];

		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		/* Packets are dropped; a read that fails means the TUN is gone. */
		if ((pfd[1].revents & (POLLIN | POLLERR | POLLHUP)) && read(tun, pkt, sizeof(pkt)) < 0 &&
		    errno != EAGAIN && errno != EINTR) {
			unlink(sa.sun_path);
			return 0;
		}
		if (pfd[0].revents & POLLIN) {
			int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

			if (fd >= 0) {
				fakewg_serve(&w, fd);
				close(fd);
			}
		}
	}
}
