// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "traffic/loop.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/epoll.h>

#define LOOP_MAX_EVENTS 64

struct loop_entry {
	int fd;
	bool dead;
	loop_cb cb;
	void *data;
	struct loop_entry *next;
};

struct loop {
	int epfd;
	unsigned int depth;		/* nested loop_run_once calls */
	struct loop_entry *first;
	struct loop_entry *graveyard;	/* deleted while dispatching */
};

struct loop *loop_new(void)
{
	struct loop *l = xcalloc(1, sizeof(*l));

	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l->epfd < 0) {
		int saved = errno;

		free(l);
		errno = saved;
		return NULL;
	}
	return l;
}

static void loop_free_list(struct loop_entry *e)
{
	struct loop_entry *next;

	for (; e; e = next) {
		next = e->next;
		free(e);
	}
}

void loop_free(struct loop *l)
{
	if (!l)
		return;
	loop_free_list(l->first);
	loop_free_list(l->graveyard);
	close(l->epfd);
	free(l);
}

static struct loop_entry *loop_find(struct loop *l, int fd, struct loop_entry ***ret_link)
{
	struct loop_entry **link;

	for (link = &l->first; *link; link = &(*link)->next) {
		if ((*link)->fd == fd) {
			if (ret_link)
				*ret_link = link;
			return *link;
		}
	}
	return NULL;
}

int loop_add(struct loop *l, int fd, uint32_t events, loop_cb cb, void *data)
{
	struct epoll_event ev = { .events = events };
	struct loop_entry *e;

	if (fd < 0 || !cb)
		return -EINVAL;
	if (loop_find(l, fd, NULL))
		return -EEXIST;
	e = xcalloc(1, sizeof(*e));
	e->fd = fd;
	e->cb = cb;
	e->data = data;
	ev.data.ptr = e;
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev)) {
		int ret = -errno;

		free(e);
		return ret;
	}
	e->next = l->first;
	l->first = e;
	return 0;
}

int loop_mod(struct loop *l, int fd, uint32_t events)
{
	struct epoll_event ev = { .events = events };

	ev.data.ptr = loop_find(l, fd, NULL);
	if (!ev.data.ptr)
		return -ENOENT;
	return epoll_ctl(l->epfd, EPOLL_CTL_MOD, fd, &ev) ? -errno : 0;
}

int loop_del(struct loop *l, int fd)
{
	struct loop_entry **link, *e;
	int ret = 0;

	e = loop_find(l, fd, &link);
	if (!e)
		return -ENOENT;
	/* The fd may already be closed, which removed it from the epoll set. */
	if (epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL) && errno != EBADF && errno != ENOENT)
		ret = -errno;
	*link = e->next;
	/* Events for e may still sit in the batch being dispatched: keep the
	 * entry, marked dead, until the batch is over. */
	e->dead = true;
	e->next = l->graveyard;
	l->graveyard = e;
	if (!l->depth) {
		loop_free_list(l->graveyard);
		l->graveyard = NULL;
	}
	return ret;
}

int loop_run_once(struct loop *l, int timeout_ms)
{
	struct epoll_event events[LOOP_MAX_EVENTS];
	int i, n, dispatched = 0;

	n = epoll_wait(l->epfd, events, LOOP_MAX_EVENTS, timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	l->depth++;
	for (i = 0; i < n; i++) {
		struct loop_entry *e = events[i].data.ptr;

		if (e->dead)
			continue;
		e->cb(e->fd, events[i].events, e->data);
		dispatched++;
	}
	if (!--l->depth) {
		loop_free_list(l->graveyard);
		l->graveyard = NULL;
	}
	return dispatched;
}

int loop_drain(struct loop *l)
{
	int n = 1;

	for (unsigned int round = 0; n > 0 && round < LOOP_DRAIN_ROUNDS; round++)
		n = loop_run_once(l, 0);
	return n < 0 ? n : 0;
}
