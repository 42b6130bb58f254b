// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * The run journal names runs by their pid as the host sees it: a run in a
 * PID namespace of its own (rootless) is not pid 1 to `reap`, so reap
 * leaves its folders alone while it lives and removes them once it died.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "lab/host/journal.h"
#include "lab/host/labdir.h"
#include "lab/host/rootless.h"

extern Suite *journal_suite(void);

static char tmp[] = "/tmp/wglab-journal-XXXXXX";
static char art[4096];

/* Once for the test case, outside the tests' processes: a failing test
 * leaves nothing either. */
static void jr_setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(tmp));
	ck_assert_int_eq(setenv("WGLAB_RUN_DIR", tmp, 1), 0);
	snprintf(art, sizeof(art), "%s/art", tmp);
}

static void art_make(void)
{
	ck_assert(mkdir(art, 0755) == 0 || errno == EEXIST);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static void jr_teardown(void)
{
	ck_assert_int_eq(nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

static bool marked(void)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/.wglab-incomplete", art);
	return access(path, F_OK) == 0;
}

static bool journal_named(pid_t pid)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/runs/%d.%llu", tmp, (int)pid, labdir_starttime(pid));
	return labdir_starttime(pid) && access(path, F_OK) == 0;
}

static int runs_left(void)
{
	char path[4200];
	struct dirent *de;
	int n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "%s/runs", tmp);
	d = opendir(path);
	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

START_TEST(test_journal_self)
{
	art_make();
	ck_assert_int_eq(rootless_host_pid(), getpid());
	ck_assert_int_eq(journal_begin(art), 0);
	ck_assert(marked());
	ck_assert(journal_named(getpid()));
	ck_assert_int_eq(journal_reap(false), 0);
	ck_assert(marked());
	journal_end(art);
	ck_assert(!marked());
	ck_assert_int_eq(runs_left(), 0);
}
END_TEST

/* pid 1 of a new PID namespace with its own /proc, as a rootless run. */
static void inner_run(int ready, int go)
{
	char c = 0;

	if (rootless_host_proc() < 0 || unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL))
		_exit(2);
	if (getpid() != 1 || journal_begin(art) < 0)
		_exit(3);
	if (write(ready, "r", 1) != 1 || read(go, &c, 1) < 0)
		_exit(4);
	_exit(0);
}

START_TEST(test_journal_pid_namespace)
{
	int ready[2], go[2], status;
	char c;
	pid_t pid;

	art_make();
	ck_assert_int_eq(pipe(ready), 0);
	ck_assert_int_eq(pipe(go), 0);
	ck_assert_int_eq(unshare(CLONE_NEWPID), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(ready[0]);
		close(go[1]);
		inner_run(ready[1], go[0]);
	}
	close(ready[1]);
	close(go[0]);
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	/* Named by the pid the host sees, with its start time. */
	ck_assert(journal_named(pid));
	ck_assert_int_eq(journal_reap(false), 0);
	ck_assert(marked());
	close(go[1]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* Dead while writing: reap removes the folder and the journal. */
	ck_assert_int_eq(journal_reap(false), 1);
	ck_assert_int_eq(access(art, F_OK), -1);
	ck_assert_int_eq(runs_left(), 0);
	close(ready[0]);
}
END_TEST

Suite *journal_suite(void)
{
	Suite *s = suite_create("journal");
	TCase *tc = tcase_create("journal");

	tcase_add_unchecked_fixture(tc, jr_setup, jr_teardown);
	tcase_add_test(tc, test_journal_self);
	tcase_add_test(tc, test_journal_pid_namespace);
	suite_add_tcase(s, tc);
	return s;
}
