// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "lab/host/hostlim.h"
#include "netns/util/file.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct hostlim_def {
	const char *what;
	const char *knob;
	const char *path;		/* the sysctl's file, or NULL */
	bool host_wide;
} hostlim_defs[HOSTLIM__MAX] = {
	[HOSTLIM_NEIGH4] = { "IPv4 neighbour entries", "net.ipv4.neigh.default.gc_thresh3",
			     "/proc/sys/net/ipv4/neigh/default/gc_thresh3", true },
	[HOSTLIM_NEIGH6] = { "IPv6 neighbour entries", "net.ipv6.neigh.default.gc_thresh3",
			     "/proc/sys/net/ipv6/neigh/default/gc_thresh3", true },
	[HOSTLIM_CONNTRACK] = { "conntrack entries per namespace", "net.netfilter.nf_conntrack_max",
				"/proc/sys/net/netfilter/nf_conntrack_max", true },
	[HOSTLIM_NOFILE] = { "open files of the lab process", "ulimit -n (RLIMIT_NOFILE, at most fs.nr_open)",
			     NULL, false },
	[HOSTLIM_THREADS] = { "threads", "kernel.threads-max", "/proc/sys/kernel/threads-max", true },
	[HOSTLIM_INOTIFY] = { "inotify instances of the user", "fs.inotify.max_user_instances",
			      "/proc/sys/fs/inotify/max_user_instances", true },
	[HOSTLIM_MEMORY] = { "bytes of available memory", "MemAvailable in /proc/meminfo (not a limit to raise)",
			     NULL, false },
};

const char *hostlim_what(enum hostlim k)
{
	return hostlim_defs[k].what;
}

const char *hostlim_knob(enum hostlim k)
{
	return hostlim_defs[k].knob;
}

bool hostlim_host_wide(enum hostlim k)
{
	return hostlim_defs[k].host_wide;
}

static int read_u64(const char *path, uint64_t *ret)
{
	FILE *f = fopen(path, "re");
	unsigned long long v;
	int n;

	if (!f)
		return -errno;
	n = fscanf(f, "%llu", &v);
	fclose(f);
	if (n != 1)
		return -EINVAL;
	*ret = v;
	return 0;
}

/* The entries column of a /proc/net/stat table: one count for the whole
 * table, repeated on every CPU's line (hex). */
static int read_stat_entries(const char *path, uint64_t *ret)
{
	char line[1024];
	FILE *f = fopen(path, "re");
	int err = -EINVAL;

	if (!f)
		return -errno;
	if (fgets(line, sizeof(line), f) && !strncmp(line, "entries", 7) && fgets(line, sizeof(line), f)) {
		*ret = strtoull(line, NULL, 16);
		err = 0;
	}
	fclose(f);
	return err;
}

static uint64_t count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	uint64_t n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* Every thread on the host: the 4th field of /proc/loadavg, "R/TOTAL". */
static uint64_t count_threads(void)
{
	unsigned long running, total = 0;
	FILE *f = fopen("/proc/loadavg", "re");

	if (!f)
		return 0;
	if (fscanf(f, "%*s %*s %*s %lu/%lu", &running, &total) != 2)
		total = 0;
	fclose(f);
	return total;
}

/* inotify instances held by processes of this user: descriptors that
 * are "anon_inode:inotify". */
static uint64_t count_inotify(void)
{
	DIR *proc = opendir("/proc"), *fds;
	struct dirent *p, *f;
	char path[600], link[64];
	uint64_t n = 0;
	uid_t me = getuid();
	struct stat st;

	if (!proc)
		return 0;
	while ((p = readdir(proc))) {
		if (p->d_name[0] < '0' || p->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s", p->d_name);
		if (stat(path, &st) || st.st_uid != me)
			continue;
		snprintf(path, sizeof(path), "/proc/%s/fd", p->d_name);
		fds = opendir(path);
		if (!fds)
			continue;
		while ((f = readdir(fds))) {
			ssize_t len;

			if (f->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "/proc/%s/fd/%s", p->d_name, f->d_name);
			len = readlink(path, link, sizeof(link) - 1);
			if (len == 18 && !memcmp(link, "anon_inode:inotify", 18))
				n++;
		}
		closedir(fds);
	}
	closedir(proc);
	return n;
}

static int mem_available(uint64_t *ret)
{
	char line[256];
	unsigned long long kb;
	FILE *f = fopen("/proc/meminfo", "re");
	int err = -ENOENT;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1) {
			*ret = (uint64_t)kb * 1024;
			err = 0;
			break;
		}
	fclose(f);
	return err;
}

void hostlim_read(enum hostlim k, struct hostlim_value *ret)
{
	struct rlimit rl;

	ret->known = false;
	ret->limit = UINT64_MAX;
	ret->used = 0;
	switch (k) {
	case HOSTLIM_NEIGH4:
	case HOSTLIM_NEIGH6:
		ret->known = !read_u64(hostlim_defs[k].path, &ret->limit);
		if (read_stat_entries(k == HOSTLIM_NEIGH4 ? "/proc/net/stat/arp_cache" : "/proc/net/stat/ndisc_cache",
				      &ret->used) < 0)
			ret->used = 0;
		break;
	case HOSTLIM_CONNTRACK:
		/* Each namespace counts its own entries against the one
		 * maximum: the lab's namespaces start empty. */
		ret->known = !read_u64(hostlim_defs[k].path, &ret->limit);
		break;
	case HOSTLIM_NOFILE:
		if (!getrlimit(RLIMIT_NOFILE, &rl)) {
			ret->known = true;
			ret->limit = rl.rlim_cur == RLIM_INFINITY ? UINT64_MAX : rl.rlim_cur;
			ret->used = count_fds();
		}
		break;
	case HOSTLIM_THREADS:
		ret->known = !read_u64(hostlim_defs[k].path, &ret->limit);
		ret->used = count_threads();
		break;
	case HOSTLIM_MEMORY:
		ret->known = !mem_available(&ret->limit);
		break;
	case HOSTLIM_INOTIFY:
		ret->known = !read_u64(hostlim_defs[k].path, &ret->limit);
		if (ret->known)
			ret->used = count_inotify();
		break;
	case HOSTLIM__MAX:
		break;
	}
}

static int write_u64(const char *path, uint64_t v)
{
	char text[32];

	snprintf(text, sizeof(text), "%" PRIu64 "\n", v);
	return file_write_text(path, text);
}

/* gc_thresh2 is where the kernel starts collecting entries hard (5 s
 * after it last did): it goes up with gc_thresh3, to the same value. */
static int raise_neigh(enum hostlim k, uint64_t value)
{
	const char *t2 = k == HOSTLIM_NEIGH4 ? "/proc/sys/net/ipv4/neigh/default/gc_thresh2" :
					       "/proc/sys/net/ipv6/neigh/default/gc_thresh2";
	uint64_t cur;
	int err;

	err = write_u64(hostlim_defs[k].path, value);
	if (err < 0)
		return err;
	if (!read_u64(t2, &cur) && cur < value)
		err = write_u64(t2, value);
	return err;
}

int hostlim_raise(enum hostlim k, uint64_t value)
{
	struct rlimit rl;

	switch (k) {
	case HOSTLIM_NEIGH4:
	case HOSTLIM_NEIGH6:
		return raise_neigh(k, value);
	case HOSTLIM_CONNTRACK:
	case HOSTLIM_THREADS:
	case HOSTLIM_INOTIFY:
		return write_u64(hostlim_defs[k].path, value);
	case HOSTLIM_NOFILE:
		if (getrlimit(RLIMIT_NOFILE, &rl))
			return -errno;
		rl.rlim_cur = value;
		if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < value)
			rl.rlim_max = value;
		return setrlimit(RLIMIT_NOFILE, &rl) ? -errno : 0;
	default:
		return -EOPNOTSUPP;
	}
}
