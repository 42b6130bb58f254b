// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* show: what `wg show` prints for every WireGuard interface of a running
 * lab (or of one node, or one interface), without private keys. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "lab/cli.h"
#include "lab/commands.h"
#include "lab/host/labdir.h"
#include "netns/link.h"
#include "netns/ns.h"
#include "netns/nsmount.h"
#include "netns/wg/uapi.h"
#include "netns/wg/wgconf.h"
#include "netns/wg/wggenl.h"
#include "netns/wg/wgkey.h"

static void show_bytes(uint64_t b)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)b;
	size_t u = 0;

	while (v >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1024;
		u++;
	}
	if (u)
		printf("%.2f %s", v, units[u]);
	else
		printf("%llu B", (unsigned long long)b);
}

static void show_ago(int64_t sec)
{
	int64_t ago = (int64_t)time(NULL) - sec;

	if (ago < 0)
		ago = 0;
	if (ago >= 3600)
		printf("%lld hours, ", (long long)(ago / 3600));
	if (ago >= 60)
		printf("%lld minutes, ", (long long)(ago / 60 % 60));
	printf("%lld seconds ago", (long long)(ago % 60));
}

static void show_device(const char *node, const char *ifname, const char *kind,
			const struct wgconf_device *d)
{
	char b64[WGKEY_LEN_BASE64], buf[ADDR_STRLEN + 8];

	printf("node: %s\ninterface: %s (%s)\n", node, ifname, kind);
	if (d->flags & WGCONF_DEV_HAS_PUBLIC_KEY) {
		wgkey_to_base64(b64, d->public_key);
		printf("  public key: %s\n", b64);
	}
	if (d->flags & WGCONF_DEV_HAS_PRIVATE_KEY)
		printf("  private key: (hidden)\n");
	if (d->flags & WGCONF_DEV_HAS_LISTEN_PORT)
		printf("  listening port: %u\n", d->listen_port);
	if (d->fwmark)
		printf("  fwmark: 0x%x\n", d->fwmark);
	for (const struct wgconf_peer *p = d->first_peer; p; p = p->next) {
		wgkey_to_base64(b64, p->public_key);
		printf("\npeer: %s\n", b64);
		if (p->flags & WGCONF_PEER_HAS_PRESHARED_KEY)
			printf("  preshared key: (hidden)\n");
		if (p->flags & WGCONF_PEER_HAS_ENDPOINT) {
			char ip[INET6_ADDRSTRLEN];

			if (p->endpoint.sa.sa_family == AF_INET6)
				snprintf(buf, sizeof(buf), "[%s]:%u",
					 inet_ntop(AF_INET6, &p->endpoint.in6.sin6_addr, ip, sizeof(ip)),
					 ntohs(p->endpoint.in6.sin6_port));
			else
				snprintf(buf, sizeof(buf), "%s:%u",
					 inet_ntop(AF_INET, &p->endpoint.in.sin_addr, ip, sizeof(ip)),
					 ntohs(p->endpoint.in.sin_port));
			printf("  endpoint: %s\n", buf);
		}
		printf("  allowed ips: ");
		if (!p->first_allowedip)
			printf("(none)");
		for (const struct wgconf_ip *ip = p->first_allowedip; ip; ip = ip->next)
			printf("%s%s", addr_format(&ip->addr, true, buf, sizeof(buf)), ip->next ? ", " : "");
		printf("\n");
		if (p->flags & WGCONF_PEER_HAS_HANDSHAKE) {
			printf("  latest handshake: ");
			show_ago(p->last_handshake_sec);
			printf("\n");
		}
		if ((p->flags & WGCONF_PEER_HAS_STATS) && (p->rx_bytes || p->tx_bytes)) {
			printf("  transfer: ");
			show_bytes(p->rx_bytes);
			printf(" received, ");
			show_bytes(p->tx_bytes);
			printf(" sent\n");
		}
		if (p->persistent_keepalive)
			printf("  persistent keepalive: every %u seconds\n", p->persistent_keepalive);
	}
	printf("\n");
}

struct show_kernel {
	struct netns *ns;
	const char *node, *only;
	int shown;
};

static int show_kernel_link(const struct link_info *li, void *data)
{
	struct show_kernel *k = data;
	struct wgconf_device *d = NULL;

	if (strcmp(li->kind, "wireguard") || (k->only && strcmp(k->only, li->name)))
		return 0;
	if (wggenl_get(k->ns, li->name, &d) == 0) {
		show_device(k->node, li->name, "kernel", d);
		k->shown++;
	}
	wgconf_device_free(d);
	return 0;
}

/* Userspace interfaces: their UAPI sockets in the node's private /run,
 * reached from inside the node's mount namespace. */
static int show_userspace(const char *node, const char *only, const char *mnt)
{
	int self = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC), fd, shown = 0;
	struct dirent *de;
	DIR *d;

	fd = open(mnt, O_RDONLY | O_CLOEXEC);
	if (self < 0 || fd < 0 || setns(fd, CLONE_NEWNS)) {
		if (fd >= 0)
			close(fd);
		if (self >= 0)
			close(self);
		return -errno;
	}
	close(fd);
	d = opendir("/run/wireguard");
	while (d && (de = readdir(d))) {
		char path[512], ifname[IF_NAMESIZE];
		struct wgconf_device *dev = NULL;
		size_t n = strlen(de->d_name);

		if (n < 6 || n - 5 >= sizeof(ifname) || strcmp(de->d_name + n - 5, ".sock"))
			continue;
		memcpy(ifname, de->d_name, n - 5);
		ifname[n - 5] = '\0';
		if (only && strcmp(only, ifname))
			continue;
		snprintf(path, sizeof(path), "/run/wireguard/%s", de->d_name);
		if (uapi_get(path, &dev, 2000) == 0) {
			show_device(node, ifname, "userspace", dev);
			shown++;
		}
		wgconf_device_free(dev);
	}
	if (d)
		closedir(d);
	if (setns(self, CLONE_NEWNS))
		shown = -errno;
	close(self);
	return shown;
}

int show_main(int argc, const char *argv[])
{
	const char *want_node = NULL, *want_if = NULL;
	struct labinfo *li = NULL;
	char sel[64] = "";
	int total = 0, ret = EXIT_PASS;
	bool found = false;

	if (argc < 2 || argc > 3 || !strcmp(argv[1], "--help")) {
		fprintf(argc < 2 || argc > 3 ? stderr : stdout,
			"Usage: %s show LAB [NODE[:IF]]\n\nWhat `wg show` prints for the WireGuard interfaces of a running lab\n(private and preshared keys hidden).\n",
			prog_name);
		return argc < 2 || argc > 3 ? EXIT_USAGE : EXIT_PASS;
	}
	if (argc == 3) {
		char *colon;

		snprintf(sel, sizeof(sel), "%s", argv[2]);
		colon = strchr(sel, ':');
		if (colon) {
			*colon = '\0';
			want_if = colon + 1;
		}
		want_node = sel;
	}
	if (!cli_name_ok("lab", argv[1]) || (want_node && !cli_name_ok("node", want_node)))
		return EXIT_USAGE;
	if (labdir_read(argv[1], &li) < 0 || !li->alive) {
		fprintf(stderr, "No lab '%s' is up (`%s list`)\n", argv[1], prog_name);
		labinfo_free(li);
		return EXIT_FAILED;
	}
	for (size_t i = 0; want_node && i < li->n_nodes && !found; i++)
		found = !li->nodes[i].lan && !strcmp(li->nodes[i].node, want_node);
	if (want_node && !found) {
		fprintf(stderr, "Lab '%s' has no node '%s'\n", argv[1], want_node);
		labinfo_free(li);
		return EXIT_FAILED;
	}
	for (size_t i = 0; i < li->n_nodes; i++) {
		const struct labnode *n = &li->nodes[i];
		struct show_kernel k = { NULL, n->node, want_if, 0 };
		char path[4096], mnt[64];
		int r;

		if (n->lan || (want_node && strcmp(want_node, n->node)))
			continue;
		snprintf(path, sizeof(path), "%s/%s", netns_run_dir(), n->mount);
		k.ns = netns_open(path);
		if (!k.ns) {
			fprintf(stderr, "Unable to open node '%s': %s\n", n->node, strerror(errno));
			ret = EXIT_FAILED;
			continue;
		}
		link_walk(k.ns, show_kernel_link, &k);
		total += k.shown;
		netns_free(k.ns);
		if (n->mnt_fd < 0)
			continue;
		snprintf(mnt, sizeof(mnt), "/proc/%d/fd/%d", (int)li->pid, n->mnt_fd);
		r = show_userspace(n->node, want_if, mnt);
		if (r < 0) {
			fprintf(stderr, "Unable to read the WireGuard sockets of node '%s': %s\n", n->node,
				strerror(-r));
			ret = EXIT_FAILED;
		} else {
			total += r;
		}
	}
	if (!total && ret == EXIT_PASS) {
		fprintf(stderr, "No WireGuard interface%s%s%s%s in lab '%s'\n", want_node ? " on " : "",
			want_node ? want_node : "", want_if ? ":" : "", want_if ? want_if : "", argv[1]);
		ret = EXIT_FAILED;
	}
	labinfo_free(li);
	return ret;
}
