/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_LABDIR_H
#define LAB_LABDIR_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * Labs that live beyond one command (`up`, `run --keep-on-fail`) are
 * recorded under WGLAB_RUN_DIR/labs/NAME: the pid of the process that holds
 * them (with its start time, so a reused pid is not mistaken for it) and
 * the netns mounts made for their nodes.  A record whose holder is dead is
 * stale: down and reap remove it and its mounts.
 */

struct labnode {
	char *node;
	char *mount;
	bool lan;
	int mnt_fd;			/* the keeper's fd of the node's mount namespace, -1 */
};

struct labinfo {
	char *name;
	pid_t pid;
	bool alive;
	struct labnode *nodes;
	size_t n_nodes;
};

const char *labdir_root(void);
/* -EEXIST when a live lab holds the name; a stale record is removed first. */
int labdir_create(const char *name);
int labdir_add_node(const char *name, const char *node, const char *mount, bool lan, int mnt_fd);
int labdir_set_pid(const char *name, pid_t pid);
/* Unmounts the recorded nodes and removes the record. */
int labdir_remove(const char *name);
/* The record of lab name (labinfo_free() it).  -ENOENT when there is
 * none. */
int labdir_read(const char *name, struct labinfo **ret);
void labinfo_free(struct labinfo *li);
/* Names of every recorded lab, sorted. */
int labdir_list(char ***ret, size_t *ret_n);
/* The process's start time as the host's /proc gives it (0: no such pid). */
unsigned long long labdir_starttime(pid_t pid);
bool labdir_pid_alive(pid_t pid, unsigned long long start);

#endif
