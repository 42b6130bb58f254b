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

/* One line appended to this process's journal. */
static int journal_append(const char *line)
{
	int runs = labdir_dirfd("runs", true), fd, ret = 0;
	size_t n = strlen(line);
	char jname[64];

	if (runs < 0)
		return runs;
	journal_name(jname, sizeof(jname));
	fd = openat(runs, jname, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (write(fd, line, n) != (ssize_t)n)
		ret = -EIO;
	close(fd);
	return ret;
}

int journal_create(int dirfd, const char *name, mode_t mode)
{
	struct stat st;
	char *line;
	int fd, ret;

	if (!journal_component(name))
		return -EINVAL;
	fd = safedir_create(dirfd, name, mode);
	if (fd < 0)
		return fd;
	/* Recorded once made (O_EXCL: it is this run's), with its inode:
	 * reap removes a file only when it is still the one made here.  A
	 * run killed in between leaves the file, never removes another. */
	if (fstat(fd, &st)) {
		ret = -errno;
		goto fail;
	}
	line = xasprintf("file %llu %s\n", (unsigned long long)st.st_ino, name);
	ret = journal_append(line);
	free(line);
	if (ret < 0)
		goto fail;
	return fd;
fail:
	close(fd);
	unlinkat(dirfd, name, 0);
	return ret;
}

int journal_begin(int rootfd, const char *root_path, const char *name, char *why, size_t len)
{
	int dirfd = -1, fd, ret = 0;
	char *line, *abs;
	struct stat st;
	bool made;

	if (!journal_component(name) || strchr(root_path, '\n')) {
		snprintf(why, len, "'%s' cannot be journaled (a newline in the path?)", name);
		return -EINVAL;
	}
	if (fstat(rootfd, &st)) {
		ret = -errno;
		snprintf(why, len, "Unable to read the artifacts directory: %s", strerror(-ret));
		return ret;
	}
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
	/* The entry first: a run killed at any later point leaves a folder
	 * that the journal names. */
	line = xasprintf("artifacts %llu %llu %s %s\n", (unsigned long long)st.st_dev,
			 (unsigned long long)st.st_ino, name, abs);
	free(abs);
	ret = journal_append(line);
	free(line);
	if (ret < 0) {
		snprintf(why, len, "Unable to write the run journal under %s: %s", labdir_root(), strerror(-ret));
		return ret;
	}
	/* A folder that was there (a user's, an earlier run's) is used as it
	 * is: its mode is kept, and only the files this run makes in it are
	 * ever removed.  One made here is journaled as the run's. */
	made = !mkdirat(rootfd, name, 0700);
	if (!made && errno != EEXIST) {
		ret = -errno;
		snprintf(why, len, "Unable to create '%s': %s", name, strerror(-ret));
		return ret;
	}
	dirfd = safedir_sub(rootfd, name, SAFEDIR_MINE, why, len);
	if (dirfd < 0)
		return dirfd;
	if (made) {
		if (fstat(dirfd, &st) || fchmod(dirfd, 0700)) {
			ret = -errno;
			snprintf(why, len, "Unable to make '%s' private: %s", name, strerror(-ret));
			goto fail;
		}
		line = xasprintf("made %llu\n", (unsigned long long)st.st_ino);
		ret = journal_append(line);
		free(line);
		if (ret < 0) {
			snprintf(why, len, "Unable to write the run journal under %s: %s", labdir_root(),
				 strerror(-ret));
			goto fail;
		}
	}
	fd = journal_create(dirfd, JOURNAL_MARK, 0600);
	if (fd < 0) {
		ret = fd;
		snprintf(why, len, "Unable to mark '%s' incomplete: %s", name,
			 ret == -ELOOP ? "a symlink is at .wglab-incomplete" : strerror(-ret));
		goto fail;
	}
	close(fd);
	return dirfd;
fail:
	close(dirfd);
	if (made)
		unlinkat(rootfd, name, AT_REMOVEDIR);
	return ret;
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

/* One folder a dead run journaled: its parent's identity and path, its
 * name, its inode when the run made it, the files the run made in it. */
struct journal_entry {
	unsigned long long dev, ino, made;
	char name[256], path[4096];
	char **files;
	unsigned long long *inos;
	size_t n_files;
};

static void journal_entry_clear(struct journal_entry *e)
{
	for (size_t i = 0; i < e->n_files; i++)
		free(e->files[i]);
	free(e->files);
	free(e->inos);
	memset(e, 0, sizeof(*e));
}

/* Whether name in dirfd is still the regular file of the caller's with
 * inode ino that the run made. */
static bool journal_made(int dirfd, const char *name, unsigned long long ino)
{
	struct stat st;

	return journal_component(name) && !fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) &&
	       S_ISREG(st.st_mode) && st.st_uid == geteuid() && st.st_ino == (ino_t)ino;
}

/* What the dead run wrote in the folder of entry e: removed only while the
 * folder is still marked incomplete (a finished run's files stay), file by
 * file as journaled, and the folder itself only when the run made it and
 * nothing else is left in it. */
static bool journal_remove_dir(const struct journal_entry *e)
{
	struct stat st;
	bool marked = false, removed = false;
	char why[1];
	int rootfd, dirfd;

	if (!journal_component(e->name))
		return false;
	rootfd = safedir_open(e->path, 0, why, 0);
	if (rootfd < 0)
		return false;
	if (fstat(rootfd, &st) || st.st_dev != (dev_t)e->dev || st.st_ino != (ino_t)e->ino) {
		close(rootfd);
		return false;
	}
	dirfd = openat(rootfd, e->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dirfd < 0 || fstat(dirfd, &st) || st.st_uid != geteuid()) {
		if (dirfd >= 0)
			close(dirfd);
		close(rootfd);
		return false;
	}
	for (size_t i = 0; i < e->n_files && !marked; i++)
		marked = !strcmp(e->files[i], JOURNAL_MARK) && journal_made(dirfd, JOURNAL_MARK, e->inos[i]);
	/* The mark last: a reap cut short leaves a folder still marked. */
	for (size_t i = e->n_files; i-- > 0 && marked;)
		if (journal_made(dirfd, e->files[i], e->inos[i]))
			unlinkat(dirfd, e->files[i], 0);
	/* Only the folder the run made, and only when empty: what anyone
	 * else put there keeps it. */
	if (e->made && st.st_ino == (ino_t)e->made)
		removed = !unlinkat(rootfd, e->name, AT_REMOVEDIR);
	close(dirfd);
	close(rootfd);
	return marked || removed;
}

static int journal_reap_entry(const struct journal_entry *e, int pid, bool verbose)
{
	char *shown;

	if (!e->name[0] || !journal_remove_dir(e))
		return 0;
	if (verbose) {
		shown = esc_dup(e->path, 0);
		if (e->made)
			printf("Removed the incomplete artifacts '%s/%s' of dead run %d\n", shown, e->name, pid);
		else
			printf("Removed the incomplete artifacts of dead run %d from '%s/%s' (the folder was there before it)\n",
			       pid, shown, e->name);
		free(shown);
	}
	return 1;
}

static int journal_reap_one(int runs, const char *file, int pid, bool verbose)
{
	int fd = openat(runs, file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK), count = 0;
	FILE *f = fd >= 0 ? fdopen(fd, "re") : NULL;
	struct journal_entry e = { 0 };
	unsigned long long ino;
	char line[4400], name[256];

	if (!f && fd >= 0)
		close(fd);
	while (f && fgets(line, sizeof(line), f)) {
		/* A line cut short by the kill names nothing that was made. */
		if (!strchr(line, '\n'))
			break;
		if (!strncmp(line, "artifacts ", 10)) {
			count += journal_reap_entry(&e, pid, verbose);
			journal_entry_clear(&e);
			if (sscanf(line, "artifacts %llu %llu %255s %4095[^\n]", &e.dev, &e.ino, e.name, e.path) != 4)
				e.name[0] = '\0';
		} else if (sscanf(line, "made %llu", &ino) == 1) {
			e.made = ino;
		} else if (sscanf(line, "file %llu %255s", &ino, name) == 2) {
			e.files = xrealloc(e.files, (e.n_files + 1) * sizeof(*e.files));
			e.inos = xrealloc(e.inos, (e.n_files + 1) * sizeof(*e.inos));
			e.files[e.n_files] = xstrdup(name);
			e.inos[e.n_files++] = ino;
		}
	}
	count += journal_reap_entry(&e, pid, verbose);
	journal_entry_clear(&e);
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
