/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_PROC_H
#define NETNS_PROC_H

#include <stdbool.h>
#include <sys/types.h>

struct netns;

/*
 * A program started inside a node.  It never outlives the lab: the child is
 * the init of its own PID namespace with PR_SET_PDEATHSIG(SIGKILL), so when
 * the lab process dies (even by SIGKILL) the kernel kills the program and
 * everything it started.  The init forwards SIGTERM/SIGINT/SIGHUP to the
 * program and exits with its status (128 + signal when it was killed), and
 * its exit ends every other process of the namespace.  The program gets
 * only stdin/stdout/stderr of the lab's descriptors, and default signal
 * dispositions.  The lab must not ignore SIGCHLD (the kernel would reap
 * its children before proc_wait() could).
 */
struct proc;

enum {
	/* Private mount namespace with a fresh /sys, as `ip netns exec`. */
	PROC_MOUNTNS = 1U << 0,
	/* Also a private tmpfs on /run (implies PROC_MOUNTNS): wireguard-go's
	 * /var/run/wireguard stays out of the host's.  Reach it through
	 * proc_root_path(). */
	PROC_PRIVATE_RUN = 1U << 1,
	/* No PDEATHSIG and no PID namespace: the program may outlive the
	 * lab process (only for `wglab exec`/`shell`, which exec in place). */
	PROC_DETACHED = 1U << 2,
	/* Join the node's mount namespace (netns_mnt_fd(opts->ns)): its /sys
	 * and its private /run, shared by every program of the node, so that
	 * `wg` finds wireguard-go's socket there. */
	PROC_NODE_MOUNTS = 1U << 3,
	/* With PROC_NODE_MOUNTS: UTS and IPC namespaces of its own (hostname
	 * opts->hostname when set) and a /proc of its own PID namespace, in
	 * a private copy of the node's mount namespace (its /run stays the
	 * node's).  What `run` steps and hooks get: `hostname x` renames no
	 * one else, `pkill` sees only the program's own processes. */
	PROC_ISOLATE = 1U << 4,
	/* opts->pass_fd is the program's descriptor PROC_PASS_FD (a socket
	 * to talk to it; the init keeps no copy). */
	PROC_PASS_FD = 1U << 5,
};

#define PROC_PASS_FD_NUM 4

struct proc_opts {
	struct netns *ns;	/* NULL: the caller's namespace */
	unsigned int flags;	/* PROC_* */
	char *const *env;	/* extra NAME=VALUE entries, NULL-terminated, or NULL */
	int stdin_fd;		/* -1: /dev/null */
	int stdout_fd;		/* -1: /dev/null */
	int stderr_fd;		/* -1: /dev/null */
	const char *cwd;	/* NULL: unchanged */
	const char *hostname;	/* with PROC_ISOLATE; NULL: the caller's */
	int pass_fd;		/* with PROC_PASS_FD */
	/* A keeper's (proc_spawn_keeper()), or NULL: the program joins its
	 * namespaces (network, mounts, PID, UTS, IPC; ns and flags are
	 * then not used) as one more of its processes, not an init.  When
	 * it exits, what it left running stays, the keeper's, until the
	 * keeper is stopped. */
	const struct proc *join;
};

/* Starts argv[0] (searched in PATH) with opts.  ret is the new process.
 * 0 or -errno; exec failures are reported as -errno of execvp (-ENOENT for
 * a missing program) before proc_spawn returns. */
int proc_spawn(struct proc **ret, char *const argv[], const struct proc_opts *opts);

/* An init with no program: a PID namespace (with opts's network, mounts,
 * UTS and IPC namespaces, PROC_ISOLATE's included) that programs join
 * through proc_opts.join, so that what they leave running outlives them
 * (a wg-quick hook's `cmd &`) and still dies with the lab.  It reaps
 * their orphans; proc_terminate()/proc_stop() pass SIGTERM to every
 * process in it, and its end (proc_free(), or the lab's) kills them all.
 * 0 or -errno. */
int proc_spawn_keeper(struct proc **ret, const struct proc_opts *opts);

/* The program's pid (in the caller's PID namespace): p's own, or the
 * first child of its namespace's init (the program; orphans come after
 * it).  0 when the init has none (the program is gone). */
pid_t proc_program_pid(const struct proc *p);

/* The pid in the caller's PID namespace (of the init when in a PID ns). */
pid_t proc_pid(const struct proc *p);
/* A pidfd that becomes readable when the process exits (for event loops). */
int proc_pidfd(const struct proc *p);
/* Waits up to timeout_ms (-1: forever) for exit.  0 with *status in wait(2)
 * form, -ETIMEDOUT, or -errno. */
int proc_wait(struct proc *p, int timeout_ms, int *status);
/* SIGTERM, then SIGKILL after grace_ms; reaps.  0 or -errno. */
int proc_stop(struct proc *p, int grace_ms);
/* SIGTERM alone, so that many stop at once before proc_stop() waits for
 * each.  0 or -errno. */
int proc_terminate(struct proc *p);
bool proc_running(struct proc *p);
/* Whether p's program has begun to exit (in the kernel's exit path, a
 * zombie, or gone while its namespace's init still runs): its exit is
 * about to land on the pidfd. */
bool proc_exiting(const struct proc *p);
/* The last non-empty line of a program's log fd (when it is a regular
 * file, else buf is left as it is) into buf (len bytes). */
void proc_log_line(int fd, char *buf, size_t len);
/* "/proc/PID/root" + path: a path inside the process's mount namespace
 * (e.g. its private /run). */
int proc_root_path(const struct proc *p, const char *path, char *buf, size_t len);
/* Kills (SIGKILL) if still running, reaps and frees.  NULL-safe. */
void proc_free(struct proc *p);

#endif
