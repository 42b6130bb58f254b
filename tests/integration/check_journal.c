// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * The run journal names runs by their pid as the host sees it: a run in a
 * PID namespace of its own (rootless) is not pid 1 to `reap`, so reap
 * leaves its folders alone while it lives and removes them once it died.
 * Reap removes a folder only through the directory the journal names by
 * identity: a folder swapped for a symlink, or a parent swapped for
 * another directory, loses nothing (issue 15, finding 2).
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

/* journal_begin() on tmp/art: the folder's descriptor, or -1 (also
 * called in children, where no ck_assert may run). */
static int begin(void)
{
	char why[512] = "";
	int root = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC), fd;

	if (root < 0)
		return -1;
	fd = journal_begin(root, tmp, "art", why, sizeof(why));
	if (fd < 0)
		fprintf(stderr, "journal_begin: %s\n", why);
	close(root);
	return fd;
}

/* Once for the test case, outside the tests' processes: a failing test
 * leaves nothing either. */
static void jr_setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(tmp));
	ck_assert_int_eq(setenv("WGLAB_RUN_DIR", tmp, 1), 0);
	snprintf(art, sizeof(art), "%s/art", tmp);
}

/* Each test from an empty tmp/art (the case's tests share tmp). */
static void jr_clean(void)
{
	char cmd[4400];

	snprintf(cmd, sizeof(cmd), "rm -rf %s/art %s/victim %s/moved %s/runs/*", tmp, tmp, tmp, tmp);
	ck_assert_int_eq(system(cmd), 0);
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
	struct stat st;
	int fd;

	ck_assert_int_eq(rootless_host_pid(), getpid());
	fd = begin();
	ck_assert_int_ge(fd, 0);
	ck_assert(marked());
	ck_assert(journal_named(getpid()));
	/* The folder is the run's own, private. */
	ck_assert_int_eq(stat(art, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0700);
	ck_assert_int_eq(journal_reap(false), 0);
	ck_assert(marked());
	journal_end(fd);
	close(fd);
	ck_assert(!marked());
	ck_assert_int_eq(runs_left(), 0);
}
END_TEST

/* A dead run's journal: the child journals and marks tmp/art, writes a
 * file in it as a run does (journal_create), and exits without
 * journal_end(). */
static void dead_run(void)
{
	pid_t pid = fork();
	int status;

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int fd = begin(), f = fd < 0 ? -1 : journal_create(fd, "a-eth0.pcap", 0600);

		_exit(f < 0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void touch(const char *dir, const char *name)
{
	char path[4400];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
}

/* Finding 2: between the journal and reap, the folder becomes a symlink to
 * a directory of other files (marker included): nothing of it goes. */
START_TEST(test_journal_reap_swapped_folder)
{
	char victim[4200], moved[4200], path[4400];

	dead_run();
	snprintf(victim, sizeof(victim), "%s/victim", tmp);
	snprintf(moved, sizeof(moved), "%s/moved", tmp);
	ck_assert_int_eq(mkdir(victim, 0700), 0);
	touch(victim, "passwd");
	touch(victim, ".wglab-incomplete");
	ck_assert_int_eq(rename(art, moved), 0);
	ck_assert_int_eq(symlink(victim, art), 0);
	ck_assert_int_eq(journal_reap(false), 0);
	snprintf(path, sizeof(path), "%s/passwd", victim);
	ck_assert_int_eq(access(path, F_OK), 0);
	ck_assert_int_eq(runs_left(), 0);
	unlink(art);
	ck_assert_int_eq(rename(moved, art), 0);
}
END_TEST

/* The parent the journal names is swapped for another directory with a
 * marked folder of the same name: its identity differs, nothing goes. */
START_TEST(test_journal_reap_swapped_parent)
{
	char saved[4200], path[4400];

	dead_run();
	snprintf(saved, sizeof(saved), "%s.saved", tmp);
	ck_assert_int_eq(rename(tmp, saved), 0);
	ck_assert_int_eq(mkdir(tmp, 0700), 0);
	ck_assert_int_eq(mkdir(art, 0700), 0);
	touch(art, ".wglab-incomplete");
	touch(art, "shadow");
	/* The journal itself lives under the old tmp (WGLAB_RUN_DIR): reap
	 * reads it where this process opened it. */
	ck_assert_int_eq(journal_reap(false), 0);
	snprintf(path, sizeof(path), "%s/shadow", art);
	ck_assert_int_eq(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "rm -rf %s && mv %s %s", tmp, saved, tmp);
	ck_assert_int_eq(system(path), 0);
}
END_TEST

/* Finding 8: the entry is written before the folder exists, so a run
 * killed after making the folder (before marking it) leaves an empty
 * folder that reap removes; a finished folder without the mark stays. */
START_TEST(test_journal_reap_unmarked)
{
	char path[4400];

	dead_run();
	snprintf(path, sizeof(path), "%s/.wglab-incomplete", art);
	ck_assert_int_eq(unlink(path), 0);
	/* Unmarked, holding a file: a finished run's. */
	ck_assert_int_eq(journal_reap(false), 0);
	snprintf(path, sizeof(path), "%s/a-eth0.pcap", art);
	ck_assert_int_eq(access(path, F_OK), 0);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(rmdir(art), 0);
	/* Unmarked and empty: made by the dead run, removed. */
	dead_run();
	snprintf(path, sizeof(path), "%s/.wglab-incomplete", art);
	ck_assert_int_eq(unlink(path), 0);
	snprintf(path, sizeof(path), "%s/a-eth0.pcap", art);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(journal_reap(false), 1);
	ck_assert_int_eq(access(art, F_OK), -1);
}
END_TEST

/* A dead run's marked folder: what it journaled goes, then the folder it
 * made.  A file nobody journaled keeps it (someone else's). */
START_TEST(test_journal_reap_dead)
{
	char path[4400];

	dead_run();
	ck_assert(marked());
	ck_assert_int_eq(journal_reap(false), 1);
	ck_assert_int_eq(access(art, F_OK), -1);
	ck_assert_int_eq(runs_left(), 0);
	dead_run();
	touch(art, "notes.txt");
	ck_assert_int_eq(journal_reap(false), 1);
	ck_assert(!marked());
	snprintf(path, sizeof(path), "%s/a-eth0.pcap", art);
	ck_assert_int_eq(access(path, F_OK), -1);
	snprintf(path, sizeof(path), "%s/notes.txt", art);
	ck_assert_int_eq(access(path, F_OK), 0);
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
	if (getpid() != 1 || begin() < 0)
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
	tcase_add_checked_fixture(tc, jr_clean, NULL);
	tcase_add_test(tc, test_journal_self);
	tcase_add_test(tc, test_journal_pid_namespace);
	tcase_add_test(tc, test_journal_reap_dead);
	tcase_add_test(tc, test_journal_reap_swapped_folder);
	tcase_add_test(tc, test_journal_reap_swapped_parent);
	tcase_add_test(tc, test_journal_reap_unmarked);
	suite_add_tcase(s, tc);
	return s;
}
