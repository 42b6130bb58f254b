// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* exec and shell: enter a node of a running lab, its network namespace
 * and its mount namespace (its /sys, its private /run where wireguard-go's
 * socket is, its /etc/wireguard), then exec in place. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "lab/cli.h"
#include "lab/commands.h"
#include "lab/host/labdir.h"
#include "lab/host/rootless.h"
#include "netns/ns.h"
#include "netns/nsmount.h"

static int enter_mounts(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -1;
	ret = setns(fd, CLONE_NEWNS);
	close(fd);
	return ret;
}

/* A lab whose keeper is gone: as `ip netns exec`, a mount namespace whose
 * /sys shows the node's interfaces. */
static int own_sysfs(const char *node)
{
	if (unshare(CLONE_NEWNS) || mount("", "/", "none", MS_SLAVE | MS_REC, NULL))
		return -1;
	umount2("/sys", MNT_DETACH);
	return mount(node, "/sys", "sysfs", 0, NULL);
}

static int enter_node(const char *lab, const char *node)
{
	struct labinfo *li = NULL;
	char path[4096], mnt[64] = "";
	const char *mount_name = NULL;
	int fd, err;

	if (!cli_name_ok("lab", lab) || !cli_name_ok("node", node))
		return -2;
	err = labdir_read(lab, &li);
	if (err < 0) {
		fprintf(stderr, "No lab '%s' is up (`%s list`)\n", lab, prog_name);
		return -1;
	}
	for (size_t i = 0; i < li->n_nodes; i++) {
		if (strcmp(li->nodes[i].node, node) || li->nodes[i].lan)
			continue;
		mount_name = li->nodes[i].mount;
		/* The keeper holds the node's mount namespace by an fd. */
		if (li->alive && li->nodes[i].mnt_fd >= 0)
			snprintf(mnt, sizeof(mnt), "/proc/%d/fd/%d", (int)li->pid, li->nodes[i].mnt_fd);
	}
	if (!mount_name) {
		fprintf(stderr, "Lab '%s' has no node '%s'\n", lab, node);
		labinfo_free(li);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%s", netns_run_dir(), mount_name);
	/* A lab built without root binds its nodes in its keeper's user and
	 * mount namespaces. */
	err = li->alive ? rootless_join(li->pid) : 0;
	labinfo_free(li);
	if (err < 0) {
		fprintf(stderr, "Unable to join the namespaces of lab '%s': %s\n", lab, strerror(-err));
		return -1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET)) {
		fprintf(stderr, "Unable to enter node '%s' of lab '%s': %s\n", node, lab, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	/* After the network namespace: the node's /run hides /run/netns. */
	if (mnt[0] ? enter_mounts(mnt) : own_sysfs(node)) {
		fprintf(stderr, "Unable to enter the mounts of node '%s' of lab '%s': %s\n", node, lab,
			strerror(errno));
		return -1;
	}
	setenv("WGLAB_LAB", lab, 1);
	setenv("WGLAB_NODE", node, 1);
	return 0;
}

int exec_main(int argc, const char *argv[])
{
	int cmd = 3, err;

	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("Usage: %s exec LAB NODE [--] CMD [ARG...]\n\nRuns CMD inside NODE of a running lab.\n",
		       prog_name);
		return EXIT_PASS;
	}
	if (argc > 3 && !strcmp(argv[3], "--"))
		cmd = 4;
	if (argc <= cmd) {
		fprintf(stderr, "Usage: %s exec LAB NODE [--] CMD [ARG...]\n", prog_name);
		return EXIT_USAGE;
	}
	err = enter_node(argv[1], argv[2]);
	if (err < 0)
		return err == -2 ? EXIT_USAGE : EXIT_FAILED;
	execvp(argv[cmd], (char *const *)argv + cmd);
	fprintf(stderr, "Unable to run '%s': %s\n", argv[cmd], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}

int shell_main(int argc, const char *argv[])
{
	const char *sh = getenv("SHELL");
	char prompt[256];
	int err;

	if (argc != 3) {
		fprintf(argc == 2 && !strcmp(argv[1], "--help") ? stdout : stderr,
			"Usage: %s shell LAB NODE\n\nOpens $SHELL inside NODE of a running lab.\n", prog_name);
		return argc == 2 && !strcmp(argv[1], "--help") ? EXIT_PASS : EXIT_USAGE;
	}
	err = enter_node(argv[1], argv[2]);
	if (err < 0)
		return err == -2 ? EXIT_USAGE : EXIT_FAILED;
	if (!sh || !*sh)
		sh = "/bin/sh";
	snprintf(prompt, sizeof(prompt), "[%s/%s] \\w\\$ ", argv[1], argv[2]);
	setenv("PS1", prompt, 1);
	execl(sh, sh, "-i", (char *)NULL);
	fprintf(stderr, "Unable to run '%s': %s\n", sh, strerror(errno));
	return 126;
}
