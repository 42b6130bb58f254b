// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * `wglab genkey`, `wglab pubkey`, `wglab genpsk`: the same input, output,
 * messages and exit codes as wg(8)'s, so scripts written for wg work.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lab/commands.h"
#include "netns/wg/wgkey.h"

/* The binary's own name, as wg prints PROG_NAME; glibc keeps it without
 * depending on how main() is written. */
static const char *genkey_prog(void)
{
	return program_invocation_short_name;
}

static int genkey_usage(const char *cmd)
{
	fprintf(stderr, "Usage: %s %s\n", genkey_prog(), cmd);
	return 1;
}

static int genkey_write(const char *cmd, int argc, bool clamp)
{
	uint8_t key[WGKEY_LEN];
	char b64[WGKEY_LEN_BASE64];
	struct stat st;

	if (argc != 1)
		return genkey_usage(cmd);
	if (!fstat(STDOUT_FILENO, &st) && S_ISREG(st.st_mode) && (st.st_mode & S_IRWXO))
		fputs("Warning: writing to world accessible file.\n"
		      "Consider setting the umask to 077 and trying again.\n", stderr);
	if (clamp)
		wgkey_generate_private(key);
	else
		wgkey_generate_psk(key);
	wgkey_to_base64(b64, key);
	puts(b64);
	sodium_memzero(key, sizeof(key));
	sodium_memzero(b64, sizeof(b64));
	return 0;
}

int genkey_main(int argc, const char *argv[])
{
	(void)argv;
	return genkey_write("genkey", argc, true);
}

int genpsk_main(int argc, const char *argv[])
{
	(void)argv;
	return genkey_write("genpsk", argc, false);
}

static bool genkey_is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

int pubkey_main(int argc, const char *argv[])
{
	uint8_t key[WGKEY_LEN];
	char b64[WGKEY_LEN_BASE64];
	int c, ret = 1;

	(void)argv;
	if (argc != 1)
		return genkey_usage("pubkey");
	if (fread(b64, 1, sizeof(b64) - 1, stdin) != sizeof(b64) - 1) {
		errno = EINVAL;
		fprintf(stderr, "%s: Key is not the correct length or format\n", genkey_prog());
		goto cleanup;
	}
	b64[sizeof(b64) - 1] = '\0';
	/* Like wg: whitespace and NULs may follow the key, nothing else. */
	while ((c = getc(stdin)) != EOF) {
		if (!c || genkey_is_space(c))
			continue;
		fprintf(stderr, "%s: Trailing characters found after key\n", genkey_prog());
		goto cleanup;
	}
	if (wgkey_from_base64(key, b64) < 0) {
		fprintf(stderr, "%s: Key is not the correct length or format\n", genkey_prog());
		goto cleanup;
	}
	wgkey_public(key, key);
	wgkey_to_base64(b64, key);
	puts(b64);
	ret = 0;
cleanup:
	sodium_memzero(key, sizeof(key));
	sodium_memzero(b64, sizeof(b64));
	return ret;
}
