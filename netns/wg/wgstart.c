// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "netns/proc.h"
#include "netns/util/now.h"
#include "netns/wg/uapi.h"
#include "netns/wg/wgdev.h"
#include "netns/wg/wgstart.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>

int wgstart_wait(struct wgdev *dev, int timeout_ms, char *err, size_t errlen)
{
	uint64_t deadline = now_ms() + (uint64_t)(timeout_ms > 0 ? timeout_ms : 5000);
	int status;

	if (wgdev_kind(dev) != WGDEV_USERSPACE)
		return 0;
	/* The host answers when the device is there. */
	if (!wgdev_proc(dev))
		return wgdev_host_wait(dev, timeout_ms, err, errlen);
	/* The TUN comes first, then the socket: once it accepts, the device
	 * is ready for configuration. */
	for (;;) {
		if (!uapi_probe(wgdev_sock_path(dev)))
			return 0;
		if (proc_wait(wgdev_proc(dev), 0, &status) == 0) {
			if (errlen)
				snprintf(err, errlen, "the program exited before its UAPI socket appeared");
			return -ECHILD;
		}
		if (now_ms() >= deadline) {
			if (errlen)
				snprintf(err, errlen, "no UAPI socket after %d ms", timeout_ms);
			return -ETIMEDOUT;
		}
		poll(NULL, 0, 1);
	}
}
