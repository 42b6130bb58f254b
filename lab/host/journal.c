// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lab/host/journal.h"
#include "lab/host/labdir.h"
#include "lab/host/rootless.h"
#include "lab/host/safedir.h"
#include "netns/util/esc.h"
#include "netns/util/xalloc.h"
#include "netns/util/dir.h"

#define JOURNAL_MARK ".wglab-incomplete"

static void journal_name(char *buf, size_t len)
{
	/* The pid as the host sees it (a rootless run is pid 1 of its own
	 * PID namespace), as `reap` checks it; one journal per process, as
	 * each --jobs worker writes its own folders. */
	pid_t pid = rootless_host_pid();

	snprintf(buf, len, "%d.%llu", (int)pid, labdir_starttime(pid));
}

static bool journal_component(const char *name)
{
	return *name && !strchr(name, '/') && !strchr(name, ' ') && !strchr(name, '\n') &&
	       strcmp(name, ".") && strcmp(name, "..");
}

int journal_begin(int rootfd, const char *root_path, const char *name, char *why, size_t len)
{
	int runs = labdir_dirfd("runs", true), fd, dirfd, ret = 0;
	char jname[64], *line, *abs;
	struct stat st;
	size_t n;

	if (runs < 0) {
		snprintf(why, len, "Unable to open the run journal under %s: %s", labdir_root(), strerror(-runs));
		return runs;
	}
	if (!journal_component(name) || strchr(root_path, '\n')) {
		snprintf(why, len, "'%s' cannot be journaled (a newline in the path?)", name);
		return -EINVAL;
	}
	if (fstat(rootfd, &st)) {
		ret = -errno;
		snprintf(why, len, "Unable to read the artifacts directory: %s", strerror(-ret));
		return ret;
	}
	/* The entry first: a run killed at any later point leaves a folder
	 * that the journal names. */
	journal_name(jname, sizeof(jname));
	/* Absolute, so that reap finds it from anywhere (its identity is
	 * checked there: a path is only a hint). */
	if (root_path[0] == '/') {
		abs = xstrdup(root_path);
	} else {
		char *cwd = getcwd(NULL, 0);

		if (!cwd) {
			ret = -errno;
			snprintf(why, len, "Unable to name the working directory: %s", strerror(-ret));
			return ret;
		}
		abs = xasprintf("%s/%s", cwd, root_path);
		free(cwd);
	}
	line = xasprintf("artifacts %llu %llu %s %s\n", (unsigned long long)st.st_dev,
			 (unsigned long long)st.st_ino, name, abs);
	free(abs);
	n = strlen(line);
	fd = openat(runs, jname, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, line, n) != (ssize_t)n)
		ret = fd < 0 ? -errno : -EIO;
	if (fd >= 0)
		close(fd);
	free(line);
	if (ret < 0) {
		snprintf(why, len, "Unable to write the run journal: %s", strerror(-ret));
		return ret;
	}
	dirfd = safedir_sub(rootfd, name, SAFEDIR_CREATE | SAFEDIR_PRIVATE, why, len);
	if (dirfd < 0)
		return dirfd;
	/* Whatever an earlier owner left at its name is replaced, never
	 * followed. */
	fd = safedir_create(dirfd, JOURNAL_MARK, 0600);
	if (fd < 0) {
		ret = fd;
		snprintf(why, len, "Unable to mark '%s' incomplete: %s", name, strerror(-ret));
		close(dirfd);
		return ret;
	}
	close(fd);
	return dirfd;
}

void journal_end(int dirfd)
{
	int runs = labdir_dirfd("runs", false);
	char jname[64];

	unlinkat(dirfd, JOURNAL_MARK, 0);
	journal_name(jname, sizeof(jname));
	/* One folder at a time is written: the entry goes with it. */
	if (runs >= 0)
		unlinkat(runs, jname, 0);
}

/* The folder name of the directory at path whose identity the journal
 * recorded: removed only when it is the caller's and still carries the
 * mark (what the dead run wrote), or is empty (made, nothing written). */
static bool journal_remove_dir(unsigned long long dev, unsigned long long ino, const char *name,
			       const char *path)
{
	struct stat st, mark;
	bool marked;
	char why[1];
	int rootfd, dirfd;

	if (!journal_component(name))
		return false;
	rootfd = safedir_open(path, 0, why, 0);
	if (rootfd < 0)
		return false;
	if (fstat(rootfd, &st) || st.st_dev != (dev_t)dev || st.st_ino != (ino_t)ino) {
		close(rootfd);
		return false;
	}
	dirfd = openat(rootfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dirfd < 0 || fstat(dirfd, &st) || st.st_uid != geteuid()) {
		if (dirfd >= 0)
			close(dirfd);
		close(rootfd);
		return false;
	}
	marked = !fstatat(dirfd, JOURNAL_MARK, &mark, AT_SYMLINK_NOFOLLOW) && S_ISREG(mark.st_mode) &&
		 mark.st_uid == geteuid();
	if (marked)
		safedir_empty(dirfd);
	close(dirfd);
	/* Only an empty directory goes: one that is not marked and holds
	 * files is a finished run's. */
	marked = !unlinkat(rootfd, name, AT_REMOVEDIR);
	close(rootfd);
	return marked;
}

static int journal_reap_one(int runs, const char *file, int pid, bool verbose)
{
	int fd = openat(runs, file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK), count = 0;
	char line[4400], name[256], path[4096];
	unsigned long long dev, ino;
	FILE *f = fd >= 0 ? fdopen(fd, "re") : NULL;

	if (!f && fd >= 0)
		close(fd);
	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "artifacts %llu %llu %255s %4095[^\n]", &dev, &ino, name, path) != 4)
			continue;
		if (!journal_remove_dir(dev, ino, name, path))
			continue;
		count++;
		if (verbose) {
			char *shown = esc_dup(path, 0);

			printf("Removed the incomplete artifacts '%s/%s' of dead run %d\n", shown, name, pid);
			free(shown);
		}
	}
	if (f)
		fclose(f);
	unlinkat(runs, file, 0);
	return count;
}

int journal_reap(bool verbose)
{
	int runs = labdir_dirfd("runs", false), count = 0;
	struct dirent *de;
	DIR *d;

	if (runs < 0)
		return runs == -ENOENT ? 0 : runs;
	d = dir_openat(runs, ".", 0);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		unsigned long long start;
		int pid, end = 0;

		if (sscanf(de->d_name, "%d.%llu%n", &pid, &start, &end) != 2 || de->d_name[end] ||
		    labdir_pid_alive(pid, start))
			continue;
		count += journal_reap_one(runs, de->d_name, pid, verbose);
	}
	closedir(d);
	return count;
}
