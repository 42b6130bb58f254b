// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * Runs lab/cmd_genkey.c's commands the way lab/main.c's table does (argv
 * shifted, argv[0] the command), for tests/cli/keys.sh while the real
 * binary does not dispatch them yet.
 */
#include <stdio.h>
#include <string.h>
#include <sodium.h>

#include "lab/commands.h"

int main(int argc, const char *argv[])
{
	if (sodium_init() < 0 || argc < 2)
		return 1;
	if (!strcmp(argv[1], "genkey"))
		return genkey_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "pubkey"))
		return pubkey_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "genpsk"))
		return genpsk_main(argc - 1, argv + 1);
	return 1;
}
