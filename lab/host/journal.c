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

#define JOURNAL_MARK ".wglab-incomplete"

static const char *journal_root(void)
{
	static char root[2048];
	const char *base = getenv("WGLAB_RUN_DIR");

	if (!root[0])
		snprintf(root, sizeof(root), "%s/runs", base && *base ? base : WGLAB_RUN_DIR);
	return root;
}

static void journal_path(char *buf, size_t len)
{
	/* The pid as the host sees it (a rootless run is pid 1 of its own
	 * PID namespace), as `reap` checks it; one journal per process, as
	 * each --jobs worker writes its own folders. */
	pid_t pid = rootless_host_pid();

	snprintf(buf, len, "%s/%d.%llu", journal_root(), (int)pid, labdir_starttime(pid));
}

static int journal_mkdirs(void)
{
	char path[2048];

	snprintf(path, sizeof(path), "%s", journal_root());
	for (char *slash = strchr(path + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(path, 0755) && errno != EEXIST)
			return -errno;
		*slash = '/';
	}
	return mkdir(path, 0700) && errno != EEXIST ? -errno : 0;
}

int journal_begin(const char *dir)
{
	char jpath[2200], mark[4400];
	FILE *f;
	int fd, err = journal_mkdirs();

	if (err < 0)
		return err;
	snprintf(mark, sizeof(mark), "%s/%s", dir, JOURNAL_MARK);
	fd = open(mark, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	close(fd);
	journal_path(jpath, sizeof(jpath));
	f = fopen(jpath, "ae");
	if (!f)
		return -errno;
	fprintf(f, "artifacts %s\n", dir);
	return fclose(f) ? -errno : 0;
}

void journal_end(const char *dir)
{
	char jpath[2200], mark[4400];

	snprintf(mark, sizeof(mark), "%s/%s", dir, JOURNAL_MARK);
	unlink(mark);
	journal_path(jpath, sizeof(jpath));
	/* One folder at a time is written: the entry goes with it. */
	unlink(jpath);
}

/* Only a folder that still carries the mark: what the dead run made. */
static bool journal_remove_dir(const char *dir)
{
	char path[2400];
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "%s/%s", dir, JOURNAL_MARK);
	if (access(path, F_OK))
		return false;
	d = opendir(dir);
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.' && strcmp(de->d_name, JOURNAL_MARK))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(dir);
	return true;
}

int journal_reap(bool verbose)
{
	DIR *d = opendir(journal_root());
	struct dirent *de;
	int count = 0;

	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		unsigned long long start;
		char path[2400], line[2200], dir[2048];
		int pid;
		FILE *f;

		if (sscanf(de->d_name, "%d.%llu", &pid, &start) != 2)
			continue;
		if (labdir_pid_alive(pid, start))
			continue;
		snprintf(path, sizeof(path), "%s/%s", journal_root(), de->d_name);
		f = fopen(path, "re");
		while (f && fgets(line, sizeof(line), f)) {
			if (sscanf(line, "artifacts %2047[^\n]", dir) != 1)
				continue;
			if (journal_remove_dir(dir)) {
				count++;
				if (verbose)
					printf("Removed the incomplete artifacts '%s' of dead run %d\n", dir, pid);
			}
		}
		if (f)
			fclose(f);
		unlink(path);
	}
	closedir(d);
	return count;
}
