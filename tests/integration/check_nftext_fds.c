// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * libnftables waits with select(): with the lab's descriptors past
 * FD_SETSIZE (a lab of a few hundred nodes) it would abort the process.
 * nftext_apply() then runs it in a child: rules still apply, errors still
 * come back, and so does what nft prints (nftext_output()).
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>

#include "netns/nftext.h"
#include "netns/ns.h"
#include "tests/integration/netns_testlib.h"

START_TEST(test_nftext_with_high_descriptors)
{
	struct rlimit old, rl;
	struct netns *ns = netns_new(0);
	int fds[1100], n = 0, ret;
	char err[256], out[256], *listed = NULL;

	ck_assert_ptr_nonnull(ns);
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &old), 0);
	rl = old;
	if (rl.rlim_cur < 4096) {
		rl.rlim_cur = 4096;
		if (rl.rlim_max < 4096)
			rl.rlim_max = 4096;
		ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	}
	while (n < 1100) {
		fds[n] = open("/dev/null", O_RDONLY | O_CLOEXEC);
		ck_assert_int_ge(fds[n], 0);
		n++;
	}
	ck_assert_int_ge(fds[n - 1], 1024);
	ret = nftext_apply(ns, "add table ip wglabfds\n", err, sizeof(err));
	ck_assert_msg(ret == 0, "%d: %s", ret, err);
	ret = nftext_apply(ns, "add chain ip nosuchtable c\n", err, sizeof(err));
	ck_assert_int_eq(ret, -EINVAL);
	ck_assert_msg(strstr(err, "No such file or directory") || strstr(err, "Error"), "%s", err);
	/* What nft prints comes back through the child too (the NAT check
	 * lists the inside node's chains so). */
	ret = nftext_output(ns, "add chain ip wglabfds c { type filter hook input priority 0; }\n",
			    0, NULL, err, sizeof(err));
	ck_assert_msg(ret == 0, "%d: %s", ret, err);
	ret = nftext_output(ns, "{\"nftables\":[{\"list\":{\"chains\":null}}]}", NFTEXT_JSON, &listed,
			    err, sizeof(err));
	ck_assert_msg(ret == 0, "%d: %s", ret, err);
	ck_assert_msg(strstr(listed, "\"table\": \"wglabfds\", \"name\": \"c\""), "%s", listed);
	free(listed);
	while (n > 0)
		close(fds[--n]);
	ck_assert_int_eq(nt_sh(ns, out, sizeof(out), "nft list tables"), 0);
	ck_assert_msg(strstr(out, "table ip wglabfds"), "%s", out);
	setrlimit(RLIMIT_NOFILE, &old);
	netns_free(ns);
}
END_TEST

extern Suite *nftext_fds_suite(void);
Suite *nftext_fds_suite(void)
{
	Suite *s = suite_create("nftext_fds");
	TCase *tc = tcase_create("nftext_fds");

	tcase_add_test(tc, test_nftext_with_high_descriptors);
	suite_add_tcase(s, tc);
	return s;
}
