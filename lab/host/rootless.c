// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "lab/host/rootless.h"
#include "netns/util/file.h"

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
#include <linux/capability.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static const int rootless_forwarded[] = { SIGINT, SIGTERM, SIGHUP };

static bool rootless_entered;
static pid_t rootless_holder_pid;
static int rootless_proc_fd = -1;
static volatile pid_t rootless_child;

static bool rootless_has_caps(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = { 0 };
	uint32_t want = (1U << CAP_SYS_ADMIN) | (1U << CAP_NET_ADMIN);

	if (syscall(SYS_capget, &hdr, data))
		return geteuid() == 0;
	return (data[0].effective & want) == want;
}

bool rootless_needed(void)
{
	return !rootless_entered && !rootless_has_caps();
}

bool rootless_active(void)
{
	return rootless_entered;
}

int rootless_paths(char *why, size_t len)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR"), *run;
	char base[4096], netns[4096];
	uid_t uid = geteuid();
	struct stat st;

	if (!uid)
		return 0;
	if (xdg && xdg[0] == '/' && !stat(xdg, &st) && S_ISDIR(st.st_mode) && st.st_uid == uid) {
		snprintf(base, sizeof(base), "%s/wglab", xdg);
	} else {
		snprintf(base, sizeof(base), "/tmp/wglab-%u", (unsigned int)uid);
		/* Anyone may make it first: records in a directory of another
		 * user's could make `down` signal any process of ours. */
		if (!getenv("WGLAB_RUN_DIR") && !lstat(base, &st) &&
		    (!S_ISDIR(st.st_mode) || st.st_uid != uid || (st.st_mode & 022))) {
			snprintf(why, len, "Unable to keep labs in '%s' (set XDG_RUNTIME_DIR or WGLAB_RUN_DIR): "
				 "not a private directory of uid %u", base, (unsigned int)uid);
			return -EPERM;
		}
	}
	setenv("WGLAB_RUN_DIR", base, 0);
	run = getenv("WGLAB_RUN_DIR");
	if (snprintf(netns, sizeof(netns), "%s/netns", run) < (int)sizeof(netns))
		setenv("WGLAB_NETNS_DIR", netns, 0);
	return 0;
}

static bool rootless_sysctl_is(const char *path, const char *value)
{
	char buf[32];

	return !file_read_text(path, buf, sizeof(buf)) && !strcmp(buf, value);
}

/* The knob that forbids unprivileged user namespaces, if one does. */
static const char *rootless_userns_knob(void)
{
	if (rootless_sysctl_is("/proc/sys/kernel/unprivileged_userns_clone", "0"))
		return "kernel.unprivileged_userns_clone = 0";
	if (rootless_sysctl_is("/proc/sys/user/max_user_namespaces", "0"))
		return "user.max_user_namespaces = 0";
	if (rootless_sysctl_is("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", "1"))
		return "kernel.apparmor_restrict_unprivileged_userns = 1";
	return NULL;
}

/* The caller's uid and gid become root; setgroups must be denied before an
 * unprivileged process may write its own gid_map. */
static int rootless_map(uid_t uid, gid_t gid, char *why, size_t len)
{
	const char *knob;
	char map[64];
	int ret;

	ret = file_write_text("/proc/self/setgroups", "deny");
	if (!ret) {
		snprintf(map, sizeof(map), "0 %u 1\n", (unsigned int)uid);
		ret = file_write_text("/proc/self/uid_map", map);
	}
	if (!ret) {
		snprintf(map, sizeof(map), "0 %u 1\n", (unsigned int)gid);
		ret = file_write_text("/proc/self/gid_map", map);
	}
	if (ret < 0) {
		knob = rootless_userns_knob();
		snprintf(why, len, "Unable to map uid %u and gid %u to root in wglab's user namespace%s%s%s: %s",
			 (unsigned int)uid, (unsigned int)gid, knob ? " (" : "", knob ? knob : "",
			 knob ? ")" : "", strerror(-ret));
	}
	return ret;
}

/* Out of the way of the stdio descriptors, which the holder replaces. */
static int rootless_high_fd(int fd)
{
	int hi;

	if (fd > STDERR_FILENO)
		return fd;
	hi = fcntl(fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
	close(fd);
	return hi;
}

static void rootless_forward(int sig)
{
	if (rootless_child > 0)
		kill(rootless_child, sig);
}

/* The holder: waits for the lab's process and leaves as it did.  It holds
 * nothing of the lab's (a keeper's status pipe sees EOF when the lab's
 * process dies, a reader of wglab's output its end) but the pipe whose
 * end tells the child that the holder is alive. */
static __attribute__((noreturn)) void rootless_hold(pid_t child, int alive_fd, const sigset_t *mask)
{
	struct sigaction sa = { 0 };
	int null, status, sig;
	sigset_t none;
	size_t i;

	rootless_child = child;
	sa.sa_handler = rootless_forward;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(rootless_forwarded) / sizeof(rootless_forwarded[0]); i++)
		sigaction(rootless_forwarded[i], &sa, NULL);
	sigprocmask(SIG_SETMASK, mask, NULL);
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	for (i = 0; null >= 0 && i < 3; i++)
		dup2(null, (int)i);
	close_range(STDERR_FILENO + 1, (unsigned int)alive_fd - 1, 0);
	close_range((unsigned int)alive_fd + 1, ~0U, 0);
	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			_exit(127);
	if (WIFEXITED(status))
		_exit(WEXITSTATUS(status));
	/* Killed (only SIGKILL ends an init): so is the holder. */
	sig = WTERMSIG(status);
	signal(sig, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	raise(sig);
	_exit(128 + sig);
}

/* A PID namespace's init ignores signals it has no handler for, so until
 * the command installs its own, these end it as they would end wglab. */
static void rootless_init_signal(int sig)
{
	_exit(128 + sig);
}

/* The lab's process: pid 1 of the new PID namespace.  Dies with the
 * holder; gets a /proc of its namespace (proc_spawn()'s pids are looked up
 * there) in a mount namespace of its own, so that the holder's, which
 * `wglab exec` joins, keeps the host's /proc. */
static int rootless_child_init(int alive_fd, const sigset_t *mask, char *why, size_t len)
{
	struct pollfd pfd = { .fd = alive_fd, .events = POLLIN };
	struct sigaction sa = { 0 };
	size_t i;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || poll(&pfd, 1, 0) < 0 || (pfd.revents & (POLLHUP | POLLERR)))
		_exit(127);
	close(alive_fd);
	sa.sa_handler = rootless_init_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(rootless_forwarded) / sizeof(rootless_forwarded[0]); i++)
		sigaction(rootless_forwarded[i], &sa, NULL);
	sigprocmask(SIG_SETMASK, mask, NULL);
	/* /proc private first: a mount on it would propagate to the
	 * holder's namespace (its peer) otherwise. */
	if (unshare(CLONE_NEWNS) || mount(NULL, "/proc", NULL, MS_PRIVATE, NULL) ||
	    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL)) {
		int ret = -errno;

		snprintf(why, len, "Unable to mount /proc for wglab's PID namespace: %s", strerror(-ret));
		return ret;
	}
	rootless_entered = true;
	return 0;
}

int rootless_enter(char *why, size_t len)
{
	uid_t uid = geteuid();
	gid_t gid = getegid();
	int alive[2] = { -1, -1 }, ret;
	sigset_t block, mask;
	const char *knob;
	pid_t pid;
	size_t i;

	if (!rootless_needed())
		return 0;
	if (unshare(CLONE_NEWUSER)) {
		ret = -errno;
		knob = rootless_userns_knob();
		snprintf(why, len, "Unable to build labs without root: the kernel refuses unprivileged user namespaces%s%s%s: %s",
			 knob ? " (" : "", knob ? knob : "", knob ? ")" : "", strerror(-ret));
		return ret;
	}
	ret = rootless_map(uid, gid, why, len);
	if (ret < 0)
		return ret;
	/* Private from the host, then shared again: the holder's namespace
	 * and the child's are peers, so the nodes the child binds for `up`
	 * show in the holder's, where `wglab exec` finds them. */
	if (unshare(CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWPID) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount(NULL, "/", NULL, MS_REC | MS_SHARED, NULL)) {
		ret = -errno;
		snprintf(why, len, "Unable to create namespaces in wglab's user namespace: %s", strerror(-ret));
		return ret;
	}
	rootless_proc_fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootless_proc_fd < 0 || pipe2(alive, O_CLOEXEC)) {
		ret = -errno;
		snprintf(why, len, "Unable to prepare wglab's PID namespace: %s", strerror(-ret));
		return ret;
	}
	alive[0] = rootless_high_fd(alive[0]);
	alive[1] = rootless_high_fd(alive[1]);
	rootless_holder_pid = getpid();
	sigemptyset(&block);
	for (i = 0; i < sizeof(rootless_forwarded) / sizeof(rootless_forwarded[0]); i++)
		sigaddset(&block, rootless_forwarded[i]);
	sigprocmask(SIG_BLOCK, &block, &mask);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		ret = -errno;
		sigprocmask(SIG_SETMASK, &mask, NULL);
		snprintf(why, len, "Unable to start wglab's PID namespace: %s", strerror(-ret));
		return ret;
	}
	if (pid > 0) {
		close(alive[0]);
		rootless_hold(pid, alive[1], &mask);
	}
	close(alive[1]);
	return rootless_child_init(alive[0], &mask, why, len);
}

pid_t rootless_holder(void)
{
	return rootless_entered ? rootless_holder_pid : getpid();
}

int rootless_host_proc(void)
{
	if (rootless_proc_fd < 0)
		rootless_proc_fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	return rootless_proc_fd < 0 ? -errno : rootless_proc_fd;
}

pid_t rootless_host_pid(void)
{
	char buf[32];
	int dir = rootless_host_proc();
	ssize_t n;

	/* "self" in the host's procfs is this process's pid in the host's
	 * PID namespace, also from inside wglab's own. */
	if (dir < 0)
		return dir;
	n = readlinkat(dir, "self", buf, sizeof(buf) - 1);
	if (n <= 0)
		return n < 0 ? -errno : -EIO;
	buf[n] = '\0';
	return (pid_t)atoi(buf);
}

static bool rootless_same_ns(int fd, const char *self)
{
	struct stat a, b;

	return !fstat(fd, &a) && !stat(self, &b) && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int rootless_join(pid_t pid)
{
	char path[64], cwd[4096];
	int user = -1, mnt = -1, ret = 0;
	bool have_cwd;

	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
	user = open(path, O_RDONLY | O_CLOEXEC);
	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)pid);
	mnt = open(path, O_RDONLY | O_CLOEXEC);
	if (user < 0 || mnt < 0) {
		ret = -errno;
		goto cleanup;
	}
	if (rootless_same_ns(user, "/proc/self/ns/user"))
		goto cleanup;
	have_cwd = getcwd(cwd, sizeof(cwd)) != NULL;
	if (setns(user, CLONE_NEWUSER) || setns(mnt, CLONE_NEWNS)) {
		ret = -errno;
		goto cleanup;
	}
	/* setns() of a mount namespace moves to its root. */
	if ((!have_cwd || chdir(cwd)) && chdir("/"))
		ret = -errno;
cleanup:
	if (user >= 0)
		close(user);
	if (mnt >= 0)
		close(mnt);
	return ret;
}

int rootless_tun_check(char *why, size_t len)
{
	struct stat st;
	int fd, ret;

	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	ret = -errno;
	if (ret == -EACCES && !stat("/dev/net/tun", &st))
		snprintf(why, len, "Unable to use wireguard-go without root: /dev/net/tun is mode %04o, not open to "
			 "every user as Debian's udev leaves it (0666): %s",
			 (unsigned int)(st.st_mode & 07777), strerror(-ret));
	else
		snprintf(why, len, "Unable to open /dev/net/tun for wireguard-go: %s", strerror(-ret));
	return ret;
}
