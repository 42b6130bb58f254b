// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * `up` builds a lab and keeps it: a keeper process (a child that leaves the
 * terminal's session) builds it, binds the nodes under /run/netns, tells
 * the parent how it went, and then holds the lab (its servers and
 * WireGuard processes) until `down` sends it SIGTERM.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab/run/labvalues.h"
#include "lab/keepnames.h"
#include "lab/live.h"
#include "lab/cli.h"
#include "lab/commands.h"
#include "lab/lang/diag.h"
#include "lab/host/labdir.h"
#include "lab/lang/model.h"
#include "lab/report/report.h"
#include "lab/host/rootless.h"
#include "lab/run/interrupt.h"
#include "lab/run/runner.h"
#include "lab/lang/scenario.h"
#include "netns/ns.h"
#include "netns/nsmount.h"
#include "netns/util/esc.h"

enum { UP_BUILT = 'B', UP_FAILED_EXPECT = 'F', UP_ERROR = 'E' };

static void up_usage(FILE *f)
{
	fprintf(f, "Usage: %s up [--name NAME] [--wg MODE] [--raise-host-limits] FILE\n\n", prog_name);
	fprintf(f, "Builds the scenario, runs its statements and keeps the lab running: its\n");
	fprintf(f, "nodes are /run/netns/NAME-NODE (`ip netns exec`, `%s exec NAME NODE`).\n", prog_name);
	fprintf(f, "NAME defaults to the scenario's lab name.  `%s down NAME` tears it down.\n", prog_name);
	fprintf(f, "Without root the nodes are bound under $XDG_RUNTIME_DIR/wglab/netns inside wglab's\n");
	fprintf(f, "user namespace: `%s exec` reaches them, `ip netns exec` does not.\n", prog_name);
	fprintf(f, "--no-expect builds and keeps it without evaluating its expectations;\n");
	fprintf(f, "`%s apply NAME FILE` and `%s expect NAME FILE` act on it later.\n", prog_name, prog_name);
}

static void up_detach_stdio(void)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return;
	dup2(fd, STDIN_FILENO);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	close(fd);
}

/*
 * Whether every name the lab's nodes and lans would be kept under is free
 * (lab/keepnames.h).  Checked before anything is built, so the message
 * names the other; what comes between this and the mount's O_EXCL is
 * still refused there.
 */
static bool up_names_free(const struct lab *lab, const char *name)
{
	/* /etc/netns is written for `ip netns exec`, as root only. */
	char *why = NULL;
	const struct stmt *s = keepnames_taken(lab->first_stmt, name, !rootless_needed(),
					       "choose another name with --name", &why);

	if (!s)
		return true;
	fprintf(stderr, "Unable to keep lab '%s': %s '%s' %s\n", name, s->kind == STMT_LAN ? "lan" : "node",
		s->kind == STMT_LAN ? s->lan.name : s->node.name, why);
	free(why);
	return false;
}

/* While up waits for its keeper's word: a signal to up (Ctrl-C reaches
 * the terminal's process group, which the keeper left) is the keeper's
 * too, which stops the build and tears down what it made. */
static volatile sig_atomic_t up_signal, up_forwarded;
static volatile pid_t up_keeper_pid;

static void up_on_signal(int sig)
{
	int saved = errno;

	up_signal = sig;
	if (up_keeper_pid > 0 && !kill(up_keeper_pid, sig))
		up_forwarded = sig;
	errno = saved;
}

static void up_signals(void)
{
	struct sigaction sa = { .sa_handler = up_on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static int up_keeper(struct lab *lab, const char *name, const char *path, const struct run_opts *o,
		     int status_fd, const sigset_t *old_mask)
{
	struct report_text text = { .f = stdout, .color = cli_color() };
	struct reporter rep;
	struct run *r = NULL;
	char status = UP_ERROR, why[512];
	int err;

	setsid();
	/* Without root the keeper holds the lab's namespaces from outside. */
	if (rootless_enter(why, sizeof(why)) < 0) {
		fprintf(stderr, "%s\n", why);
		goto cleanup;
	}
	run_install_signals();
	/* Blocked since the fork (up_main): a signal to up before this is
	 * the run's now. */
	sigprocmask(SIG_SETMASK, old_mask, NULL);
	report_text_init(&rep, &text);
	err = run_new(&r, lab, NULL, o, &rep);
	if (err < 0) {
		fprintf(stderr, "Unable to start lab '%s': %s\n", name, strerror(-err));
		goto cleanup;
	}
	err = run_steps(r);
	if (err >= 0)
		err = run_publish(r, name);
	if (err >= 0)
		err = run_labvalues_publish(r, name);
	/* `wglab exec` may start a program in any node, also one no program
	 * of the lab ran in: each gets the lab's values. */
	if (err >= 0)
		err = run_labvalues_all(r);
	/* wglab apply/expect talk to this keeper (a lab without them is
	 * still a lab: say so, go on). */
	if (err >= 0 && live_listen(r, lab, name, path) < 0)
		fprintf(stderr, "Lab '%s': no control socket; wglab apply/expect will not reach it\n", name);
	if (err < 0) {
		const struct scenario_result *sr = run_result(r);

		/* A statement's error is in the result; publishing's and the
		 * lab values' are the run's last. */
		esc_fputs(stderr, sr->error ? sr->error : run_last_error(r) ? run_last_error(r) :
			  "Unable to keep the lab", 0);
		fputc('\n', stderr);
		goto cleanup;
	}
	status = run_result(r)->passed ? UP_BUILT : UP_FAILED_EXPECT;
	report_text_scenario_end(&text, run_result(r));
	fflush(stdout);
	if (write(status_fd, &status, 1) != 1)
		goto cleanup;
	close(status_fd);
	status_fd = -1;
	up_detach_stdio();
	run_hold(r);
cleanup:
	if (status_fd >= 0 && write(status_fd, &status, 1) != 1)
		status = UP_ERROR;
	run_free(r);
	return status == UP_ERROR ? EXIT_USAGE : EXIT_PASS;
}

int up_main(int argc, const char *argv[])
{
	static const struct option longopts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "wg", required_argument, NULL, 'w' },
		{ "no-expect", no_argument, NULL, 'E' },
		{ "raise-host-limits", no_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct run_opts o = { .wg = "auto" };
	const char *name = NULL;
	struct diags d = { 0 };
	struct labinfo *li = NULL;
	struct lab *lab = NULL;
	int opt, fds[2], ret = EXIT_USAGE;
	char status = UP_ERROR, why[1024] = "";
	sigset_t block, old_mask;
	pid_t pid;

	optind = 1;
	while ((opt = getopt_long(argc, (char *const *)argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			name = optarg;
			break;
		case 'w':
			if (!cli_wg_mode_ok(optarg))
				return EXIT_USAGE;
			o.wg = optarg;
			break;
		case 'E':
			o.no_expect = true;
			break;
		case 'R':
			o.raise_limits = true;
			break;
		case 'h':
			up_usage(stdout);
			return EXIT_PASS;
		default:
			up_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind + 1 != argc) {
		up_usage(stderr);
		return EXIT_USAGE;
	}
	if (scenario_load(argv[optind], &lab, &d) < 0) {
		cli_print_diags(stderr, &d);
		diag_free(&d);
		return EXIT_USAGE;
	}
	if (!name)
		name = lab->name;
	if (!cli_name_ok("lab", name))
		goto cleanup;
	/* Before the keeper enters a user namespace (rootless), where the
	 * host's owners of WGLAB_RUN_DIR no longer show. */
	if (labdir_prepare(why, sizeof(why)) < 0) {
		fprintf(stderr, "Unable to keep labs in '%s': %s\n", labdir_root(), why);
		goto cleanup;
	}
	if (!labdir_read(name, &li) && li->alive) {
		fprintf(stderr, "Lab '%s' is already up (pid %d): `%s down %s` first, or --name\n", name,
			(int)li->pid, prog_name, name);
		goto cleanup;
	}
	if (!up_names_free(lab, name))
		goto cleanup;
	if (pipe2(fds, O_CLOEXEC)) {
		perror("Unable to create a pipe");
		goto cleanup;
	}
	fflush(stdout);
	/* Blocked until the keeper has its own handlers, and up its pid. */
	sigfillset(&block);
	sigprocmask(SIG_BLOCK, &block, &old_mask);
	up_signals();
	pid = fork();
	if (pid < 0) {
		perror("Unable to fork the lab's keeper");
		sigprocmask(SIG_SETMASK, &old_mask, NULL);
		goto cleanup;
	}
	if (!pid) {
		close(fds[0]);
		_exit(up_keeper(lab, name, argv[optind], &o, fds[1], &old_mask));
	}
	up_keeper_pid = pid;
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	close(fds[1]);
	for (;;) {
		ssize_t n = read(fds[0], &status, 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n != 1)
			status = UP_ERROR;
		break;
	}
	up_keeper_pid = 0;
	close(fds[0]);
	/* Interrupted: the keeper tore down what it built (when it was
	 * built already, its hold ended at once). */
	if (up_forwarded) {
		waitpid(pid, NULL, 0);
		fprintf(stderr, "Lab '%s' was interrupted; nothing is left of it\n", name);
		ret = 128 + up_forwarded;
		goto cleanup;
	}
	if (status == UP_ERROR) {
		waitpid(pid, NULL, 0);
		fprintf(stderr, "Lab '%s' was not built; nothing is left of it\n", name);
		goto cleanup;
	}
	if (rootless_needed())
		printf("Lab '%s' is up (keeper pid %d) without root: nodes are %s/%s-NODE in wglab's user namespace, "
		       "so `%s exec %s NODE -- CMD` works and `ip netns exec` does not (it needs root); `%s down %s`\n",
		       name, (int)pid, netns_run_dir(), name, prog_name, name, prog_name, name);
	else
		printf("Lab '%s' is up (keeper pid %d): nodes are %s/%s-NODE; `%s exec %s NODE -- CMD`; `%s down %s`\n"
		       "WireGuard state: `%s exec %s NODE wg show` (wireguard-go's sockets are in the node's own /run,\n"
		       "which `ip netns exec` does not see); `%s apply|expect %s FILE` acts on the lab\n",
		       name, (int)pid, netns_run_dir(), name, prog_name, name, prog_name, name,
		       prog_name, name, prog_name, name);
	ret = status == UP_BUILT ? EXIT_PASS : EXIT_FAILED;
cleanup:
	labinfo_free(li);
	lab_free(lab);
	return ret;
}
