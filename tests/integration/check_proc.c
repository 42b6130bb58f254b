// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * Programs started inside nodes: they see the node, report their status,
 * stop on request, keep /run private when asked, and never outlive the lab.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "netns/link.h"
#include "netns/ns.h"
#include "netns/proc.h"
#include "tests/integration/netns_testlib.h"

extern Suite *proc_suite(void);

static struct netns *ns;

static void ns_setup(void)
{
	ns = netns_new(0);
	ck_assert_ptr_nonnull(ns);
	ck_assert_int_eq(link_add_veth(ns, "pv0", ns, "pv1", 0), 0);
}

static void ns_teardown(void)
{
	netns_free(ns);
}

/* Runs argv in ns with stdout (and stderr) into out; returns the wait
 * status. */
static int run(unsigned int flags, char *const env[], char *out, size_t len, char *const argv[])
{
	struct proc_opts o = { .ns = ns, .flags = flags, .env = env, .stdin_fd = -1 };
	struct proc *p = NULL;
	int fds[2], status = -1;
	size_t n = 0;
	ssize_t got;

	ck_assert_int_eq(pipe2(fds, O_CLOEXEC), 0);
	o.stdout_fd = o.stderr_fd = fds[1];
	ck_assert_int_eq(proc_spawn(&p, argv, &o), 0);
	close(fds[1]);
	while (n < len - 1 && (got = read(fds[0], out + n, len - 1 - n)) > 0)
		n += (size_t)got;
	out[n] = '\0';
	while (n && out[n - 1] == '\n')
		out[--n] = '\0';
	close(fds[0]);
	ck_assert_int_eq(proc_wait(p, 10000, &status), 0);
	proc_free(p);
	return status;
}

#define ARGV(...) ((char *const[]){ __VA_ARGS__, NULL })

START_TEST(test_proc_sees_namespace)
{
	char out[4096];
	int st;

	st = run(0, NULL, out, sizeof(out), ARGV("sh", "-c", "ip -o link | cut -d: -f2 | tr -d ' ' | tr '\\n' ,"));
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 0);
	ck_assert_str_eq(out, "lo,pv0@pv1,pv1@pv0,");
	/* A fresh sysfs of the node, as `ip netns exec` gives. */
	st = run(PROC_MOUNTNS, NULL, out, sizeof(out), ARGV("sh", "-c", "ls /sys/class/net | tr '\\n' ,"));
	ck_assert_int_eq(st, 0);
	ck_assert_str_eq(out, "lo,pv0,pv1,");
}
END_TEST

/* The program starts with every signal default and none blocked, whatever
 * the lab ignores or blocks (the program is spawned by the namespace's
 * init, and by the lab itself when detached): also glibc's internal
 * signals 32 and 33, which GNU make leaves ignored in what it runs and
 * glibc's signal() cannot reset (ignored here through the kernel's call, so
 * that the test does not depend on how it was started). */
START_TEST(test_proc_signals_default)
{
	static const unsigned int flags[] = { 0, PROC_DETACHED };
	const unsigned long ign[4] = { (unsigned long)SIG_IGN };
	unsigned long old32[4], old33[4];
	sigset_t block, old;
	char out[256];

	ck_assert_int_eq(syscall(SYS_rt_sigaction, 32, ign, old32, 8), 0);
	ck_assert_int_eq(syscall(SYS_rt_sigaction, 33, ign, old33, 8), 0);
	signal(SIGUSR1, SIG_IGN);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR2);
	sigprocmask(SIG_BLOCK, &block, &old);
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		ck_assert_int_eq(run(flags[i], NULL, out, sizeof(out),
				     ARGV("grep", "-E", "^Sig(Ign|Blk)", "/proc/self/status")), 0);
		ck_assert_str_eq(out, "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000");
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	signal(SIGUSR1, SIG_DFL);
	syscall(SYS_rt_sigaction, 32, old32, NULL, 8);
	syscall(SYS_rt_sigaction, 33, old33, NULL, 8);
}
END_TEST

START_TEST(test_proc_status)
{
	char out[256], *env[] = { "WGLAB_T=hello", NULL };
	int st;

	st = run(0, NULL, out, sizeof(out), ARGV("sh", "-c", "exit 7"));
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 7);
	/* Killed by a signal: the init reports 128 + signal. */
	st = run(0, NULL, out, sizeof(out), ARGV("sh", "-c", "kill -9 $$"));
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 128 + SIGKILL);
	/* The program is pid 1's child in its own PID namespace. */
	run(0, NULL, out, sizeof(out), ARGV("sh", "-c", "echo $$ $PPID"));
	ck_assert_str_eq(out, "2 1");
	st = run(0, env, out, sizeof(out), ARGV("sh", "-c", "echo $WGLAB_T:$PATH"));
	ck_assert_int_eq(st, 0);
	{
		char want[4096];

		snprintf(want, sizeof(want), "hello:%s", getenv("PATH"));
		ck_assert_str_eq(out, want);
	}
}
END_TEST

START_TEST(test_proc_stdin_cwd)
{
	struct proc_opts o = { .ns = ns, .stdin_fd = -1, .stderr_fd = -1, .cwd = "/proc" };
	int in[2], outp[2], st;
	struct proc *p;
	char buf[256] = "";
	ssize_t n;

	ck_assert_int_eq(pipe2(in, O_CLOEXEC), 0);
	ck_assert_int_eq(pipe2(outp, O_CLOEXEC), 0);
	o.stdin_fd = in[0];
	o.stdout_fd = outp[1];
	ck_assert_int_eq(proc_spawn(&p, ARGV("sh", "-c", "pwd; cat"), &o), 0);
	close(in[0]);
	close(outp[1]);
	ck_assert_int_eq(write(in[1], "ping\n", 5), 5);
	close(in[1]);
	n = read(outp[0], buf, sizeof(buf) - 1);
	while (n > 0 && n < 11) {
		ssize_t more = read(outp[0], buf + n, sizeof(buf) - 1 - n);

		if (more <= 0)
			break;
		n += more;
	}
	ck_assert_int_eq(n, 11);
	ck_assert_mem_eq(buf, "/proc\nping\n", 11);
	close(outp[0]);
	ck_assert_int_eq(proc_wait(p, 5000, &st), 0);
	ck_assert_int_eq(st, 0);
	proc_free(p);
}
END_TEST

START_TEST(test_proc_wait_stop)
{
	struct proc_opts o = { .ns = ns, .stdin_fd = -1, .stdout_fd = -1, .stderr_fd = -1 };
	struct pollfd pfd;
	struct proc *p;
	char path[64], line[256];
	FILE *f;
	int st;

	ck_assert_int_eq(proc_spawn(&p, ARGV("sleep", "100"), &o), 0);
	ck_assert_int_eq(proc_wait(p, 100, &st), -ETIMEDOUT);
	ck_assert(proc_running(p));
	pfd = (struct pollfd){ .fd = proc_pidfd(p), .events = POLLIN };
	ck_assert_int_eq(poll(&pfd, 1, 0), 0);
	/* proc_pid() is the init: pid 1 inside. */
	snprintf(path, sizeof(path), "/proc/%d/status", (int)proc_pid(p));
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f) && strncmp(line, "NSpid:", 6))
		;
	fclose(f);
	snprintf(path, sizeof(path), "NSpid:\t%d\t1\n", (int)proc_pid(p));
	ck_assert_str_eq(line, path);
	/* SIGTERM reaches sleep through the init. */
	ck_assert_int_eq(proc_stop(p, 5000), 0);
	ck_assert(!proc_running(p));
	ck_assert_int_eq(proc_wait(p, 0, &st), 0);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 128 + SIGTERM);
	proc_free(p);
}
END_TEST

/* Pids of processes whose environment holds marker. */
static int marked(const char *marker)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	char path[300], buf[65536];
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d))) {
		ssize_t len, i;
		int fd;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/environ", de->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		for (i = 0; i < len; i += (ssize_t)strlen(buf + i) + 1) {
			buf[len] = '\0';
			if (!strcmp(buf + i, marker)) {
				n++;
				break;
			}
		}
	}
	closedir(d);
	return n;
}

struct marked_wait {
	const char *marker;
	int at_least, at_most;
};

static bool marked_cond(void *data)
{
	struct marked_wait *w = data;
	int n = marked(w->marker);

	return n >= w->at_least && n <= w->at_most;
}

START_TEST(test_proc_stop_escalates)
{
	struct proc_opts o = { .ns = ns, .stdin_fd = -1, .stdout_fd = -1, .stderr_fd = -1 };
	char marker[64], *env[] = { marker, NULL };
	struct marked_wait w = { marker, 1, 100 };
	struct proc *p;
	int st;

	snprintf(marker, sizeof(marker), "WGLAB_TEST_MARK=esc%d", (int)getpid());
	o.env = env;
	/* TERM is ignored by the shell and the sleep it starts. */
	ck_assert_int_eq(proc_spawn(&p, ARGV("sh", "-c", "trap '' TERM; sleep 100; true"), &o), 0);
	w.at_least = 2;
	ck_assert(nt_until(marked_cond, &w, 5000));
	ck_assert_int_eq(proc_stop(p, 300), 0);
	ck_assert_int_eq(proc_wait(p, 0, &st), 0);
	ck_assert(WIFSIGNALED(st));
	ck_assert_int_eq(WTERMSIG(st), SIGKILL);
	/* Killing the init took the whole PID namespace with it. */
	w.at_least = 0;
	w.at_most = 0;
	ck_assert(nt_until(marked_cond, &w, 5000));
	proc_free(p);
}
END_TEST

/* A lab killed with SIGKILL leaves nothing it started behind. */
START_TEST(test_proc_dies_with_lab)
{
	char marker[64], *env[] = { marker, NULL };
	struct marked_wait w = { marker, 2, 100 };
	int sync[2], st;
	pid_t lab;
	char c;

	snprintf(marker, sizeof(marker), "WGLAB_TEST_MARK=lab%d", (int)getpid());
	ck_assert_int_eq(pipe2(sync, O_CLOEXEC), 0);
	lab = fork();
	ck_assert_int_ge(lab, 0);
	if (!lab) {
		struct proc_opts o = { .ns = ns, .env = env, .stdin_fd = -1, .stdout_fd = -1, .stderr_fd = -1 };
		struct proc *p;

		if (proc_spawn(&p, ARGV("sh", "-c", "sleep 1000 & sleep 1000"), &o))
			_exit(1);
		if (write(sync[1], "x", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(sync[1]);
	ck_assert_int_eq(read(sync[0], &c, 1), 1);
	close(sync[0]);
	/* Both sleeps run (the shell may have become the second one). */
	ck_assert(nt_until(marked_cond, &w, 5000));
	ck_assert_int_eq(kill(lab, SIGKILL), 0);
	ck_assert_int_eq(waitpid(lab, &st, 0), lab);
	w.at_least = 0;
	w.at_most = 0;
	ck_assert_msg(nt_until(marked_cond, &w, 5000), "%d processes left", marked(marker));
}
END_TEST

START_TEST(test_proc_missing_program)
{
	struct proc_opts o = { .ns = ns, .stdin_fd = -1, .stdout_fd = -1, .stderr_fd = -1 };
	struct proc *p = NULL;

	ck_assert_int_eq(proc_spawn(&p, ARGV("wglab-no-such-program"), &o), -ENOENT);
	ck_assert_ptr_null(p);
	ck_assert_int_eq(proc_spawn(&p, ARGV("/etc"), &o), -EACCES);
	o.flags = PROC_DETACHED;
	ck_assert_int_eq(proc_spawn(&p, ARGV("wglab-no-such-program"), &o), -ENOENT);
	ck_assert_int_eq(proc_spawn(&p, ARGV("/etc"), &o), -EACCES);
	/* Every child was reaped. */
	ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);
	ck_assert_int_eq(errno, ECHILD);
}
END_TEST

START_TEST(test_proc_private_run)
{
	struct proc_opts o = { .ns = ns, .flags = PROC_PRIVATE_RUN, .stdin_fd = -1, .stdout_fd = -1,
			       .stderr_fd = -1 };
	char name[64], script[256], path[256], host[128];
	struct stat st;
	struct proc *p;
	int i;

	snprintf(name, sizeof(name), "wgt%d.sock", (int)getpid());
	/* As wireguard-go does: under /var/run, which is /run. */
	snprintf(script, sizeof(script), "mkdir -p /var/run/wireguard && echo up > /var/run/wireguard/%s && "
		 "exec sleep 100", name);
	ck_assert_int_eq(proc_spawn(&p, ARGV("sh", "-c", script), &o), 0);
	snprintf(host, sizeof(host), "/run/wireguard/%s", name);
	ck_assert_int_eq(proc_root_path(p, host, path, sizeof(path)), 0);
	for (i = 0; i < 5000 && stat(path, &st); i++)
		usleep(1000);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(stat(host, &st), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(proc_root_path(p, "/run", path, sizeof(path)), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0700);
	ck_assert_int_eq(proc_root_path(p, "relative", path, sizeof(path)), -EINVAL);
	ck_assert_int_eq(proc_root_path(p, "/run", path, 8), -ENAMETOOLONG);
	proc_free(p);
}
END_TEST

/* Issue 15, finding 7: a step's `hostname x` renamed the host and its
 * /proc showed every process of the host. */
START_TEST(test_proc_isolated)
{
	struct proc_opts o = { .ns = ns, .flags = PROC_NODE_MOUNTS | PROC_ISOLATE, .stdin_fd = -1,
			       .hostname = "nodey" };
	char *const argv[] = { "sh", "-c",
			       "hostname; ls /proc | grep -c '^[0-9]'; readlink /proc/self/ns/uts /proc/self/ns/ipc; "
			       "hostname renamed && hostname",
			       NULL };
	char out[4096], host[256], before[256], uts[64], ipc[64];
	struct proc *p = NULL;
	int fds[2], status = -1;
	size_t n = 0;
	ssize_t got;

	ck_assert_int_eq(gethostname(before, sizeof(before)), 0);
	ck_assert_int_gt(readlink("/proc/self/ns/uts", uts, sizeof(uts) - 1), 0);
	ck_assert_int_gt(readlink("/proc/self/ns/ipc", ipc, sizeof(ipc) - 1), 0);
	uts[strcspn(uts, "]") + 1] = ipc[strcspn(ipc, "]") + 1] = '\0';
	ck_assert_int_eq(pipe2(fds, O_CLOEXEC), 0);
	o.stdout_fd = o.stderr_fd = fds[1];
	ck_assert_int_eq(proc_spawn(&p, argv, &o), 0);
	close(fds[1]);
	while (n < sizeof(out) - 1 && (got = read(fds[0], out + n, sizeof(out) - 1 - n)) > 0)
		n += (size_t)got;
	out[n] = '\0';
	close(fds[0]);
	ck_assert_int_eq(proc_wait(p, 10000, &status), 0);
	proc_free(p);
	ck_assert_int_eq(status, 0);
	/* The init, sh, ls and grep: only the program's own PID namespace. */
	ck_assert_msg(!strncmp(out, "nodey\n4\n", 8), "got '%s'", out);
	ck_assert_msg(!strstr(out, uts) && !strstr(out, ipc), "the host's UTS or IPC namespace: '%s'", out);
	ck_assert_msg(strstr(out, "renamed\n") != NULL, "got '%s'", out);
	ck_assert_int_eq(gethostname(host, sizeof(host)), 0);
	ck_assert_str_eq(host, before);
}
END_TEST

/* proc_exiting(): a program that runs is not exiting; one that exited
 * is, until it is reaped (a zombie when detached; gone from under its
 * namespace's init otherwise), so an exit about to land is waited for. */
START_TEST(test_proc_exiting)
{
	struct proc_opts o = { .ns = ns, .stdin_fd = -1, .stdout_fd = -1, .stderr_fd = -1 };
	struct proc *p;
	struct pollfd pfd;
	int st;

	for (int detached = 0; detached < 2; detached++) {
		o.flags = detached ? PROC_DETACHED : 0;
		ck_assert_int_eq(proc_spawn(&p, ARGV("sleep", "100"), &o), 0);
		ck_assert(!proc_exiting(p));
		proc_free(p);
		ck_assert_int_eq(proc_spawn(&p, ARGV("true"), &o), 0);
		pfd = (struct pollfd){ .fd = proc_pidfd(p), .events = POLLIN };
		ck_assert_int_eq(poll(&pfd, 1, 5000), 1);
		ck_assert(proc_exiting(p));
		ck_assert_int_eq(proc_wait(p, 0, &st), 0);
		ck_assert(!proc_exiting(p));
		proc_free(p);
	}
}
END_TEST

START_TEST(test_proc_detached)
{
	struct proc_opts o = { .ns = ns, .flags = PROC_DETACHED, .stdin_fd = -1, .stdout_fd = -1,
			       .stderr_fd = -1 };
	char path[64], comm[32] = "";
	struct proc *p;
	FILE *f;
	int st;

	ck_assert_int_eq(proc_spawn(&p, ARGV("sleep", "100"), &o), 0);
	/* No init in between: the pid is the program's. */
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)proc_pid(p));
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(comm, sizeof(comm), f));
	fclose(f);
	ck_assert_str_eq(comm, "sleep\n");
	ck_assert_int_eq(proc_stop(p, 5000), 0);
	ck_assert_int_eq(proc_wait(p, 0, &st), 0);
	ck_assert(WIFSIGNALED(st));
	ck_assert_int_eq(WTERMSIG(st), SIGTERM);
	proc_free(p);
	ck_assert_int_eq(proc_spawn(&p, ARGV("sh", "-c", "ip -o link show pv0 >/dev/null && exit 3"), &o), 0);
	ck_assert_int_eq(proc_wait(p, 5000, &st), 0);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 3);
	proc_free(p);
}
END_TEST

Suite *proc_suite(void)
{
	Suite *s = suite_create("proc");
	TCase *tc = tcase_create("proc_spawn");

	tcase_add_checked_fixture(tc, ns_setup, ns_teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_proc_sees_namespace);
	tcase_add_test(tc, test_proc_status);
	tcase_add_test(tc, test_proc_signals_default);
	tcase_add_test(tc, test_proc_stdin_cwd);
	tcase_add_test(tc, test_proc_wait_stop);
	tcase_add_test(tc, test_proc_stop_escalates);
	tcase_add_test(tc, test_proc_dies_with_lab);
	tcase_add_test(tc, test_proc_missing_program);
	tcase_add_test(tc, test_proc_private_run);
	tcase_add_test(tc, test_proc_detached);
	tcase_add_test(tc, test_proc_exiting);
	tcase_add_test(tc, test_proc_isolated);
	suite_add_tcase(s, tc);
	return s;
}
