/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_HOST_VERSION_H
#define LAB_HOST_VERSION_H

/* The version of this build, for --version and the reports: the Makefile
 * passes `git describe --dirty`; outside a checkout this is it. */
#ifndef LAB_VERSION
#define LAB_VERSION "0.1.0"
#endif

#endif
