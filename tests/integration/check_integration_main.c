// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * Runs the integration suites: real namespaces, links and sockets.  They
 * need CAP_NET_ADMIN and CAP_SYS_ADMIN; without them the run exits 77
 * (skipped) and says why.  Every test runs in a forked child, so whatever
 * it built dies with the child.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>

#define SUITE(name) Suite *name##_suite(void);
#include "suites.h"
#undef SUITE

static int privileged(void)
{
	int fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	int ok;

	if (fd < 0)
		return 0;
	ok = !unshare(CLONE_NEWNET) && !setns(fd, CLONE_NEWNET);
	close(fd);
	return ok;
}

int main(void)
{
	struct rlimit no_core = { 0, 0 };
	SRunner *sr;
	int failed;

	if (!privileged()) {
		fprintf(stderr, "SKIP: integration tests need root (CAP_NET_ADMIN, CAP_SYS_ADMIN): %s\n",
			strerror(errno));
		return 77;
	}
	setrlimit(RLIMIT_CORE, &no_core);
	sr = srunner_create(NULL);
#define SUITE(name) srunner_add_suite(sr, name##_suite());
#include "suites.h"
#undef SUITE
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
