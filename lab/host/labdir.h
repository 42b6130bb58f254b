/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_LABDIR_H
#define LAB_LABDIR_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "netns/nsmount.h"

/*
 * Labs that live beyond one command (`up`, `run --keep-on-fail`) are
 * recorded under WGLAB_RUN_DIR/labs/NAME: the pid of the process that holds
 * them (with its start time, so a reused pid is not mistaken for it) and
 * the netns mounts made for their nodes.  A record whose holder is dead is
 * stale: down and reap remove it and its mounts.
 *
 * Every name is checked (name_lab_valid(), netns/util/name.h) before it
 * reaches a path, and so is every node and mount read back from a record.
 * The directories are reached by descriptor (lab/host/safedir.h).  A record
 * is born whole, holder included (made under a temporary name, renamed into
 * place under a lock of the labs directory), so the loser of two `up` of
 * one name changes nothing of the winner's; nodes are recorded before
 * their mounts are made, so a keeper killed at any point leaves nothing
 * that down or reap cannot find.
 */

struct labnode {
	char *node;
	char *mount;
	bool lan;
	int mnt_fd;			/* the keeper's fd of the node's mount namespace, -1 */
	struct netns_mount_id id;	/* the mount as its lab made it */
	bool has_id;			/* false: a record of a wglab before ids */
};

struct labinfo {
	char *name;
	pid_t pid;
	unsigned long long start;	/* the holder's start time, as recorded */
	bool alive;
	struct labnode *nodes;
	size_t n_nodes;
};

const char *labdir_root(void);
/* Opens (makes, 0700) WGLAB_RUN_DIR and its labs/ and runs/ while the
 * process still sees the host's owners: call before rootless_enter().
 * 0 or -errno with why. */
int labdir_prepare(char *why, size_t len);
/* A descriptor of WGLAB_RUN_DIR/sub ("labs", "runs"), kept open for the
 * process (do not close it); made when create.  -errno (-ENOENT: none yet). */
int labdir_dirfd(const char *sub, bool create);
/* Records lab name, held by holder (its pid as rootless_holder() gives
 * it).  -EINVAL for a name that is not one, -EEXIST when a live lab holds
 * it; a stale record is removed first. */
int labdir_create(const char *name, pid_t holder);
/* Records a node once its mount's name is claimed (id, from
 * netns_mount_claim()) and before its namespace is bound there (the mount
 * is NAME-NODE, or NAME-lan-NODE for a lan's namespace).  Removal
 * unmounts only what id names. */
int labdir_add_node(const char *name, const char *node, const char *mount, bool lan, int mnt_fd,
		    const struct netns_mount_id *id);
/* The recorded lab one of whose nodes is mount (*ret_name to free, and
 * whether its holder lives); -ENOENT when no record names it. */
int labdir_mount_owner(const char *mount, char **ret_name, bool *ret_alive);
/* The record's mount of node: NAME-NODE or NAME-lan-NODE. */
int labdir_mount_name(const char *name, const char *node, bool lan, char *buf, size_t len);
/* Unmounts the recorded nodes (only the mounts the lab made: what is there
 * now under one of their names and is another's stays) and removes the record, when its holder is
 * dead or is the caller's own (rootless_holder()); -EBUSY when a live
 * process holds it, 0 when there is none. */
int labdir_remove(const char *name);
/* The record of lab name (labinfo_free() it).  -ENOENT when there is
 * none, -EINVAL for a name that is not one. */
int labdir_read(const char *name, struct labinfo **ret);
void labinfo_free(struct labinfo *li);
/* Names of every recorded lab, sorted (names that are not valid lab names
 * are not listed). */
int labdir_list(char ***ret, size_t *ret_n);
/* Removes the temporary records of processes that died while making
 * one.  The count. */
int labdir_reap_partial(void);
/* The process's start time as the host's /proc gives it (0: no such pid, or a
 * zombie). */
unsigned long long labdir_starttime(pid_t pid);
bool labdir_pid_alive(pid_t pid, unsigned long long start);

#endif
