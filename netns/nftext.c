// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "netns/nftext.h"
#include "netns/ns.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <nftables/libnftables.h>

/* One line for the caller: the first "Error:" line (not "In file
 * included from"), as is when it is about the script itself; for an
 * included file only its position, since its text may be anything the
 * host holds (`include "/etc/shadow"`). */
static void nftext_error_line(const char *msg, char *err, size_t errlen)
{
	const char *line = msg, *at = strstr(msg, ": Error: ");
	size_t n;

	if (at) {
		while (line < at) {
			const char *nl = strchr(line, '\n');

			if (!nl || nl > at)
				break;
			line = nl + 1;
		}
		if (strncmp(line, "<cmdline>", 9)) {
			snprintf(err, errlen, "%.*s: Error in an included file (not quoted)", (int)(at - line),
				 line);
			return;
		}
	}
	n = strcspn(line, "\n");
	snprintf(err, errlen, "%.*s", (int)n, line);
}

/* Runs script with libnftables in the calling thread's namespace.  0 or
 * -EINVAL with the first error line in err.  With out, what nft printed
 * (flags: NFTEXT_*) goes there, for the caller to free. */
static int nftext_run(const char *script, unsigned int flags, char **out, char *err, size_t errlen)
{
	struct nft_ctx *ctx = xcheck(nft_ctx_new(NFT_CTX_DEFAULT));
	unsigned int oflags = 0;
	const char *msg;
	int ret = 0;

	if (flags & NFTEXT_JSON)
		oflags |= NFT_CTX_OUTPUT_JSON;
	if (flags & NFTEXT_ECHO)
		oflags |= NFT_CTX_OUTPUT_ECHO | NFT_CTX_OUTPUT_HANDLE;
	nft_ctx_output_set_flags(ctx, oflags);
	nft_ctx_buffer_output(ctx);
	nft_ctx_buffer_error(ctx);
	if (nft_run_cmd_from_buffer(ctx, script)) {
		ret = -EINVAL;
		msg = nft_ctx_get_error_buffer(ctx);
		if (errlen && msg)
			nftext_error_line(msg, err, errlen);
	} else if (out) {
		msg = nft_ctx_get_output_buffer(ctx);
		*out = xstrdup(msg ? msg : "");
	}
	nft_ctx_free(ctx);
	return ret;
}

/* Whether the next descriptor would be one select() cannot take. */
static bool nftext_fds_high(void)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return errno == EMFILE;
	close(fd);
	return fd >= FD_SETSIZE - 64;
}

/*
 * libnftables waits on its netlink socket with select(): a descriptor at
 * or above FD_SETSIZE (1024) aborts the process ("bit out of range 0 -
 * FD_SETSIZE on fd_set"), which a lab of a few hundred nodes reaches.
 * Then the script runs in a child (in the same namespace: fork keeps the
 * thread's) with only a pipe for the error line.
 */
static int nftext_run_low(const char *script, unsigned int flags, char **out, char *err,
			  size_t errlen)
{
	char *buf = NULL;
	size_t len = 0;
	int p[2], status, ret;
	FILE *f;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		ret = -errno;
		close(p[0]);
		close(p[1]);
		return ret;
	}
	if (pid == 0) {
		char msg[512] = "", *text = NULL;
		const char *w;
		size_t n, done = 0;
		ssize_t k;

		if (dup2(p[1], 3) < 0)
			_exit(2);
		close_range(4, ~0U, 0);
		ret = nftext_run(script, flags, out ? &text : NULL, msg, sizeof(msg));
		/* The error line, or what nft printed. */
		w = ret < 0 ? msg : text ? text : "";
		n = strlen(w);
		while (done < n) {
			k = write(3, w + done, n - done);
			if (k < 0 && errno == EINTR)
				continue;
			if (k <= 0)
				_exit(2);
			done += (size_t)k;
		}
		_exit(ret < 0 ? 1 : 0);
	}
	close(p[1]);
	/* A memory stream fails only when it cannot grow. */
	f = xcheck(open_memstream(&buf, &len));
	for (;;) {
		char chunk[4096];
		ssize_t n = read(p[0], chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		fwrite(chunk, 1, (size_t)n, f);
	}
	close(p[0]);
	if (fclose(f))
		xalloc_fail();
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			free(buf);
			return -errno;
		}
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		if (out)
			*out = buf;
		else
			free(buf);
		return 0;
	}
	if (errlen && buf[0])
		snprintf(err, errlen, "%.*s", (int)strcspn(buf, "\n"), buf);
	else if (errlen)
		snprintf(err, errlen, "nft failed in a child process");
	free(buf);
	return WIFEXITED(status) && WEXITSTATUS(status) == 1 ? -EINVAL : -ECHILD;
}

static int nftext_in(struct netns *ns, const char *script, unsigned int flags, char **out,
		     char *err, size_t errlen)
{
	int ret;

	if (errlen)
		err[0] = '\0';
	if (out)
		*out = NULL;
	/* libnftables opens its netlink socket in the current namespace. */
	ret = netns_enter(ns);
	if (ret < 0)
		return ret;
	ret = nftext_fds_high() ? nftext_run_low(script, flags, out, err, errlen) :
				  nftext_run(script, flags, out, err, errlen);
	netns_leave();
	return ret;
}

int nftext_apply(struct netns *ns, const char *script, char *err, size_t errlen)
{
	return nftext_in(ns, script, 0, NULL, err, errlen);
}

int nftext_output(struct netns *ns, const char *script, unsigned int flags, char **out, char *err,
		  size_t errlen)
{
	return nftext_in(ns, script, flags, out, err, errlen);
}
