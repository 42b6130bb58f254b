// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "netns/proc.h"
#include "netns/ns.h"
#include "netns/util/now.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>

struct proc {
	pid_t pid;
	int pidfd;
	bool reaped;
	bool detached;			/* no PID namespace of its own: pid is the program */
	int status;
};

/* Where the child tells the parent why it failed; closed by a successful
 * exec (O_CLOEXEC), so EOF means the program runs. */
#define PROC_ERRFD 3

static const int proc_forwarded[] = { SIGTERM, SIGINT, SIGHUP };

static int proc_pidfd_open(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

static int proc_signal(const struct proc *p, int sig)
{
	if (syscall(SYS_pidfd_send_signal, p->pidfd, sig, NULL, 0) && errno != ESRCH)
		return -errno;
	return 0;
}

/* Like fork(), but the child is in another PID namespace: the init (pid 1)
 * of a new one (into < 0), or one more process of a keeper's (into: its
 * pidfd).  unshare(CLONE_NEWPID) or setns() only changes where the
 * caller's next child goes; the caller's own PID namespace for children is
 * restored right after.  (A raw clone() would leave glibc's thread
 * bookkeeping stale in the child.) */
static pid_t proc_fork_pidns(int into)
{
	static int home = -1;
	pid_t pid;
	int err;

	if (home < 0)
		home = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	if (home < 0)
		return -1;
	if (into < 0 ? unshare(CLONE_NEWPID) : setns(into, CLONE_NEWPID))
		return -1;
	pid = fork();
	if (!pid)
		return 0;
	err = errno;
	if (setns(home, CLONE_NEWPID) && pid > 0) {
		/* Unreachable in practice: the lab's own namespace is always
		 * a valid target.  Give up on this child rather than put the
		 * next one in its namespace. */
		err = errno;
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		pid = -1;
	}
	errno = err;
	return pid;
}

static __attribute__((noreturn)) void proc_fail(int errfd, int err)
{
	ssize_t n;

	do
		n = write(errfd, &err, sizeof(err));
	while (n < 0 && errno == EINTR);
	_exit(127);
}

/* Called in the init of the program's PID namespace, inside the node's
 * mounts: a copy of them (slave: nothing propagates back to the node's)
 * where /proc shows this PID namespace only, and UTS and IPC namespaces
 * of its own. */
static int proc_isolate(const struct proc_opts *opts)
{
	if (unshare(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC))
		return errno;
	if (mount("", "/", "none", MS_SLAVE | MS_REC, NULL))
		return errno;
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL))
		return errno;
	if (opts->hostname && sethostname(opts->hostname, strlen(opts->hostname)))
		return errno;
	return 0;
}

/* Network namespace, then the mounts of `ip netns exec`: a slave copy of
 * the mount tree (nothing propagates back to the host) with a sysfs of the
 * new network namespace, and with PROC_PRIVATE_RUN a /run of its own. */
static int proc_enter(const struct proc_opts *opts)
{
	unsigned long sysfs_flags = 0;
	struct statvfs st;

	if (opts->join)
		return setns(opts->join->pidfd, CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC) ? errno : 0;
	if (opts->ns && setns(netns_fd(opts->ns), CLONE_NEWNET))
		return errno;
	if (opts->flags & PROC_NODE_MOUNTS) {
		if (setns(netns_mnt_fd(opts->ns), CLONE_NEWNS))
			return errno;
		return opts->flags & PROC_ISOLATE ? proc_isolate(opts) : 0;
	}
	if (!(opts->flags & (PROC_MOUNTNS | PROC_PRIVATE_RUN)))
		return 0;
	if (unshare(CLONE_NEWNS))
		return errno;
	if (mount("", "/", "none", MS_SLAVE | MS_REC, NULL))
		return errno;
	if (!statvfs("/sys", &st) && (st.f_flag & ST_RDONLY))
		sysfs_flags = MS_RDONLY;
	/* No sysfs mounted there is fine too. */
	umount2("/sys", MNT_DETACH);
	if (mount("sysfs", "/sys", "sysfs", sysfs_flags, NULL))
		return errno;
	if ((opts->flags & PROC_PRIVATE_RUN) &&
	    mount("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700"))
		return errno;
	return 0;
}

/* Puts the program's stdio on 0-2 and the error pipe on PROC_ERRFD, and
 * closes everything else the lab had open (netlink sockets, namespace fds,
 * other programs' pipes), so this child holds nothing of the lab's. */
static void proc_fds(const struct proc_opts *opts, int errfd)
{
	int want[3] = { opts->stdin_fd, opts->stdout_fd, opts->stderr_fd };
	int tmp[3], i, null = -1, pass = -1;

	/* Out of the way first (the lab may have 0-2 closed, so errfd or a
	 * source may sit there), so that no dup2() below overwrites one. */
	errfd = fcntl(errfd, F_DUPFD_CLOEXEC, 10);
	if (errfd < 0)
		_exit(127);
	for (i = 0; i < 3; i++) {
		if (want[i] < 0) {
			if (null < 0)
				null = open("/dev/null", O_RDWR | O_CLOEXEC);
			if (null < 0)
				proc_fail(errfd, errno);
			want[i] = null;
		}
		tmp[i] = fcntl(want[i], F_DUPFD_CLOEXEC, 10);
		if (tmp[i] < 0)
			proc_fail(errfd, errno);
	}
	if (opts->flags & PROC_PASS_FD) {
		pass = fcntl(opts->pass_fd, F_DUPFD_CLOEXEC, 10);
		if (pass < 0)
			proc_fail(errfd, errno);
	}
	for (i = 0; i < 3; i++)
		if (dup2(tmp[i], i) < 0)
			proc_fail(errfd, errno);
	if (dup3(errfd, PROC_ERRFD, O_CLOEXEC) < 0)
		proc_fail(errfd, errno);
	/* Without O_CLOEXEC: the program's. */
	if (pass >= 0 && dup2(pass, PROC_PASS_FD_NUM) < 0)
		proc_fail(PROC_ERRFD, errno);
	if (close_range(pass >= 0 ? PROC_PASS_FD_NUM + 1 : PROC_ERRFD + 1, ~0U, 0))
		proc_fail(PROC_ERRFD, errno);
}

/* Every signal default and none blocked, as the program would find them
 * started from a fresh login.  The kernel's own call: glibc refuses to touch
 * its two internal signals (32 and 33), which GNU make's posix_spawn leaves
 * ignored in everything it runs, and an ignored signal stays ignored across
 * exec.  An all-zero kernel sigaction is SIG_DFL, no flags, an empty mask,
 * whatever the architecture's layout; its mask is 8 bytes (64 signals). */
static void proc_default_signals(void)
{
	const unsigned long dfl[4] = { 0 };
	sigset_t none;
	int sig;

	for (sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			syscall(SYS_rt_sigaction, sig, dfl, NULL, 8);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

static __attribute__((noreturn)) void proc_exec(char *const argv[], char *const envp[])
{
	proc_default_signals();
	execvpe(argv[0], argv, envp);
	proc_fail(PROC_ERRFD, errno);
}

/* The program, from the init.  vfork: the child shares the init's memory
 * until its exec (no copy of the lab's page tables, which a fork of a lab
 * holding a 100-peer mesh pays for every program) and does only what
 * proc_exec() does (signals, exec, or the error to PROC_ERRFD and _exit).
 * Not posix_spawn: glibc's leaves its own two signals (32 and 33) ignored
 * in the program.  Its pid, or -errno. */
static pid_t proc_spawn_prog(char *const argv[], char *const envp[])
{
	pid_t pid = vfork();

	if (!pid)
		proc_exec(argv, envp);
	return pid < 0 ? -errno : pid;
}

/* pid 1 of the program's PID namespace: forwards the polite signals,
 * reaps every orphan, and leaves with the program's status.  Its exit makes
 * the kernel kill whatever else lives in the namespace.  A keeper's (argv
 * NULL) has no program: it reaps what joined programs leave, and on a
 * polite signal passes it to everyone and leaves when they are gone. */
static __attribute__((noreturn)) void proc_init(char *const argv[], char *const envp[])
{
	siginfo_t info;
	sigset_t set;
	bool stopping = false;
	pid_t prog, w;
	size_t i;
	int null, sig, status;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	for (i = 0; i < sizeof(proc_forwarded) / sizeof(proc_forwarded[0]); i++)
		sigaddset(&set, proc_forwarded[i]);
	/* Blocked signals are queued even for a PID namespace's init, which
	 * otherwise drops every signal it has no handler for. */
	signal(SIGCHLD, SIG_DFL);
	sigprocmask(SIG_BLOCK, &set, NULL);
	prog = argv ? proc_spawn_prog(argv, envp) : 0;
	if (prog < 0)
		proc_fail(PROC_ERRFD, -prog);
	close(PROC_ERRFD);
	/* The program's alone: its peer sees the end when the program ends. */
	close(PROC_PASS_FD_NUM);
	null = open("/dev/null", O_RDWR);
	for (i = 0; null >= 0 && i < 3; i++)
		dup2(null, (int)i);
	if (null > 2)
		close(null);
	for (;;) {
		sig = sigwaitinfo(&set, &info);
		if (sig < 0)
			continue;
		if (sig != SIGCHLD && prog) {
			kill(prog, sig);
			continue;
		}
		if (sig != SIGCHLD) {
			/* kill(-1) of a namespace's init: its other processes. */
			kill(-1, sig);
			stopping = true;
		}
		while ((w = waitpid(-1, &status, WNOHANG)) > 0) {
			if (!prog || w != prog)
				continue;
			if (WIFSIGNALED(status))
				_exit(128 + WTERMSIG(status));
			_exit(WEXITSTATUS(status));
		}
		if (stopping && w < 0 && errno == ECHILD)
			_exit(0);
	}
}

static __attribute__((noreturn)) void proc_child(char *const argv[], char *const envp[],
						 const struct proc_opts *opts, int errfd)
{
	bool init = !(opts->flags & PROC_DETACHED) && !opts->join;
	struct pollfd pfd = { .fd = errfd, .events = POLLOUT };
	int err;

	if (!(opts->flags & PROC_DETACHED)) {
		/* The parent may have died before the prctl(); its end of the
		 * error pipe is then closed.  getppid() cannot tell: it is 0
		 * in a new PID namespace. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL))
			proc_fail(errfd, errno);
		if (poll(&pfd, 1, 0) < 0 || (pfd.revents & (POLLERR | POLLHUP)))
			_exit(127);
	}
	err = proc_enter(opts);
	if (err)
		proc_fail(errfd, err);
	proc_fds(opts, errfd);
	if (opts->cwd && chdir(opts->cwd))
		proc_fail(PROC_ERRFD, errno);
	if (init)
		proc_init(argv, envp);
	proc_exec(argv, envp);
}

/* The inherited environment with the extra NAME=VALUE entries replacing
 * or following it.  Built before fork, so the child needs no malloc. */
static char **proc_envp(char *const *extra)
{
	size_t n = 0, m = 0, i, j, k = 0;
	char **envp;

	while (environ[n])
		n++;
	while (extra && extra[m])
		m++;
	envp = xcalloc(n + m + 1, sizeof(*envp));
	for (i = 0; i < n; i++) {
		const char *eq = strchr(environ[i], '=');
		size_t len = eq ? (size_t)(eq - environ[i]) + 1 : strlen(environ[i]);

		for (j = 0; j < m; j++)
			if (!strncmp(environ[i], extra[j], len))
				break;
		if (j == m)
			envp[k++] = environ[i];
	}
	for (j = 0; j < m; j++)
		envp[k++] = extra[j];
	return envp;
}

/* proc_spawn(), or with argv NULL a keeper (an init with no program). */
static int proc_start(struct proc **ret, char *const argv[], const struct proc_opts *opts)
{
	static const struct proc_opts defaults = { .stdin_fd = -1, .stdout_fd = -1, .stderr_fd = -1 };
	int pipefd[2] = { -1, -1 }, code, status, err = 0;
	struct proc *p = NULL;
	char **envp = NULL;
	ssize_t n;
	pid_t pid;

	if (!opts)
		opts = &defaults;
	if (opts->join && (!argv || opts->join->reaped || opts->join->detached || (opts->flags & PROC_DETACHED)))
		return -EINVAL;
	p = xcalloc(1, sizeof(*p));
	envp = proc_envp(opts->env);
	p->pidfd = -1;
	/* The node's mount namespace is made here, not in the child. */
	if ((opts->flags & PROC_NODE_MOUNTS) && !opts->join) {
		err = opts->ns ? netns_mnt_fd(opts->ns) : -EINVAL;
		if (err < 0)
			goto cleanup;
		err = 0;
	}
	if (pipe2(pipefd, O_CLOEXEC)) {
		err = -errno;
		goto cleanup;
	}
	pid = opts->flags & PROC_DETACHED ? fork() : proc_fork_pidns(opts->join ? opts->join->pidfd : -1);
	if (pid < 0) {
		err = -errno;
		goto cleanup;
	}
	if (!pid) {
		close(pipefd[0]);
		proc_child(argv, envp, opts, pipefd[1]);
	}
	close(pipefd[1]);
	pipefd[1] = -1;
	do
		n = read(pipefd[0], &code, sizeof(code));
	while (n < 0 && errno == EINTR);
	if (n == sizeof(code)) {
		err = code > 0 ? -code : -EIO;
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		goto cleanup;
	}
	p->pid = pid;
	p->detached = (opts->flags & PROC_DETACHED) || opts->join;
	p->pidfd = proc_pidfd_open(pid);
	if (p->pidfd < 0) {
		err = -errno;
		kill(pid, SIGKILL);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		goto cleanup;
	}
	*ret = p;
	p = NULL;
cleanup:
	if (pipefd[0] >= 0)
		close(pipefd[0]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	free(envp);
	free(p);
	return err;
}

int proc_spawn(struct proc **ret, char *const argv[], const struct proc_opts *opts)
{
	if (!argv || !argv[0])
		return -EINVAL;
	return proc_start(ret, argv, opts);
}

int proc_spawn_keeper(struct proc **ret, const struct proc_opts *opts)
{
	if (opts && (opts->join || (opts->flags & PROC_DETACHED)))
		return -EINVAL;
	return proc_start(ret, NULL, opts);
}

pid_t proc_pid(const struct proc *p)
{
	return p->pid;
}

int proc_pidfd(const struct proc *p)
{
	return p->pidfd;
}

int proc_wait(struct proc *p, int timeout_ms, int *status)
{
	struct pollfd pfd = { .fd = p->pidfd, .events = POLLIN };
	uint64_t deadline = now_ms() + (uint64_t)(timeout_ms > 0 ? timeout_ms : 0);
	int left = timeout_ms, n, st;

	while (!p->reaped) {
		n = poll(&pfd, 1, left);
		if (n < 0 && errno != EINTR)
			return -errno;
		if (n > 0) {
			if (waitpid(p->pid, &st, 0) < 0) {
				if (errno == EINTR)
					continue;
				return -errno;
			}
			p->status = st;
			p->reaped = true;
			break;
		}
		if (timeout_ms >= 0) {
			uint64_t now = now_ms();

			if (now >= deadline)
				return -ETIMEDOUT;
			left = (int)(deadline - now);
		}
	}
	if (status)
		*status = p->status;
	return 0;
}

/* PF_EXITING of include/linux/sched.h: the task is in do_exit(). */
#define PROC_PF_EXITING 0x4UL

/* A small /proc file into buf (len bytes, NUL-terminated): its length, or
 * -errno (-ENOENT when empty: the task is gone). */
static ssize_t proc_read_small(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n == 0)
		n = -ENOENT;
	if (n > 0)
		buf[n] = '\0';
	return n;
}

/* A task's state letter and flags from /proc/PID/stat.  0, or -errno
 * (-ENOENT: no such task). */
static int proc_stat(pid_t pid, char *state, unsigned long *flags)
{
	char path[64], buf[1024], *close_paren;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	n = proc_read_small(path, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	/* "PID (COMM) S PPID PGRP SESSION TTY TPGID FLAGS ...": COMM may hold
	 * anything, so the fields start after the last ')'. */
	close_paren = strrchr(buf, ')');
	if (!close_paren || sscanf(close_paren + 1, " %c %*d %*d %*d %*d %*d %lu", state, flags) != 2)
		return -EPROTO;
	return 0;
}

pid_t proc_program_pid(const struct proc *p)
{
	char path[96], buf[64];

	if (p->detached)
		return p->pid;
	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)p->pid, (int)p->pid);
	if (proc_read_small(path, buf, sizeof(buf)) < 0)
		return 0;
	return (pid_t)strtol(buf, NULL, 10);
}

bool proc_exiting(const struct proc *p)
{
	unsigned long flags = 0;
	char state = 0;
	pid_t prog;

	if (p->reaped)
		return false;
	/* The pidfd keeps p's pid from being reused until it is reaped. */
	prog = proc_program_pid(p);
	if (!prog || proc_stat(prog, &state, &flags) < 0)
		return true;
	return state == 'Z' || state == 'X' || (flags & PROC_PF_EXITING);
}

void proc_log_line(int fd, char *buf, size_t len)
{
	char tail[1024];
	struct stat st;
	off_t off;
	ssize_t n;
	char *end, *start;

	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode) || !st.st_size)
		return;
	off = st.st_size > (off_t)sizeof(tail) - 1 ? st.st_size - (off_t)sizeof(tail) + 1 : 0;
	n = pread(fd, tail, sizeof(tail) - 1, off);
	if (n <= 0)
		return;
	tail[n] = '\0';
	end = tail + n;
	while (end > tail && (end[-1] == '\n' || end[-1] == '\r'))
		*--end = '\0';
	start = strrchr(tail, '\n');
	snprintf(buf, len, "%s", start ? start + 1 : tail);
}

bool proc_running(struct proc *p)
{
	struct pollfd pfd = { .fd = p->pidfd, .events = POLLIN };

	if (p->reaped)
		return false;
	return poll(&pfd, 1, 0) == 0;
}

int proc_terminate(struct proc *p)
{
	return p->reaped ? 0 : proc_signal(p, SIGTERM);
}

int proc_stop(struct proc *p, int grace_ms)
{
	int ret;

	if (p->reaped)
		return 0;
	ret = proc_signal(p, SIGTERM);
	if (ret < 0)
		return ret;
	ret = proc_wait(p, grace_ms, NULL);
	if (ret != -ETIMEDOUT)
		return ret;
	ret = proc_signal(p, SIGKILL);
	if (ret < 0)
		return ret;
	return proc_wait(p, -1, NULL);
}

int proc_root_path(const struct proc *p, const char *path, char *buf, size_t len)
{
	int n;

	if (path[0] != '/')
		return -EINVAL;
	n = snprintf(buf, len, "/proc/%d/root%s", (int)p->pid, path);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}

void proc_free(struct proc *p)
{
	int saved = errno;

	if (!p)
		return;
	if (!p->reaped) {
		proc_signal(p, SIGKILL);
		proc_wait(p, -1, NULL);
	}
	if (p->pidfd >= 0)
		close(p->pidfd);
	free(p);
	errno = saved;
}
