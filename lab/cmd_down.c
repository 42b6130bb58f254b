// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lab/cli.h"
#include "lab/commands.h"
#include "lab/host/labdir.h"

#define DOWN_WAIT_MS 15000

static void down_usage(FILE *f)
{
	fprintf(f, "Usage: %s down NAME...\n\n", prog_name);
	fprintf(f, "Tears down labs started with `%s up` (or kept by --keep-on-fail): stops\n", prog_name);
	fprintf(f, "their keeper, which removes every node, process and mount.\n");
}

/* Asks the keeper to tear down and waits until it has exited.  The pidfd
 * pins the process: once it is open and the start time still matches,
 * no reused pid can get the signal. */
static int down_stop(pid_t pid, unsigned long long start)
{
	struct pollfd pfd = { .events = POLLIN };
	int fd = (int)syscall(SYS_pidfd_open, pid, 0), ret = 0;

	if (fd < 0)
		return errno == ESRCH ? 0 : -errno;
	if (!labdir_pid_alive(pid, start))
		goto cleanup;
	if (syscall(SYS_pidfd_send_signal, fd, SIGTERM, NULL, 0) && errno != ESRCH) {
		ret = -errno;
		goto cleanup;
	}
	pfd.fd = fd;
	if (poll(&pfd, 1, DOWN_WAIT_MS) == 0) {
		/* A keeper stuck in teardown: its processes die with it. */
		syscall(SYS_pidfd_send_signal, fd, SIGKILL, NULL, 0);
		poll(&pfd, 1, DOWN_WAIT_MS);
		ret = -ETIMEDOUT;
	}
cleanup:
	close(fd);
	return ret;
}

int down_main(int argc, const char *argv[])
{
	int i, ret = EXIT_PASS;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		down_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_PASS;
	}
	/* Every name first: none reaches a path or a signal unchecked. */
	for (i = 1; i < argc; i++)
		if (!cli_name_ok("lab", argv[i]))
			return EXIT_USAGE;
	for (i = 1; i < argc; i++) {
		struct labinfo *li = NULL;
		int err = labdir_read(argv[i], &li);

		if (err == -ENOENT) {
			fprintf(stderr, "No lab '%s' is up\n", argv[i]);
			ret = EXIT_FAILED;
			continue;
		}
		if (err < 0) {
			fprintf(stderr, "Unable to read lab '%s': %s\n", argv[i], strerror(-err));
			ret = EXIT_FAILED;
			continue;
		}
		if (li->alive) {
			err = down_stop(li->pid, li->start);
			if (err == -ETIMEDOUT)
				fprintf(stderr, "Lab '%s': its keeper did not stop in time and was killed\n",
					argv[i]);
			else if (err < 0)
				fprintf(stderr, "Unable to stop lab '%s' (pid %d): %s\n", argv[i], (int)li->pid,
					strerror(-err));
		}
		/* The keeper removes its record; a dead keeper's is ours. */
		err = labdir_remove(argv[i]);
		if (err == -EBUSY) {
			fprintf(stderr, "Lab '%s': a new keeper holds the name now; left alone\n", argv[i]);
			ret = EXIT_FAILED;
		} else if (err < 0) {
			fprintf(stderr, "Unable to remove what lab '%s' left: %s\n", argv[i], strerror(-err));
			ret = EXIT_FAILED;
		} else {
			printf("Lab '%s' is down\n", argv[i]);
		}
		labinfo_free(li);
	}
	return ret;
}
