// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "netns/wg/wgkey.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

void wgkey_clamp(uint8_t key[static WGKEY_LEN])
{
	key[0] &= 248;
	key[31] = (key[31] & 127) | 64;
}

void wgkey_generate_private(uint8_t key[static WGKEY_LEN])
{
	randombytes_buf(key, WGKEY_LEN);
	wgkey_clamp(key);
}

void wgkey_generate_psk(uint8_t key[static WGKEY_LEN])
{
	randombytes_buf(key, WGKEY_LEN);
}

void wgkey_public(uint8_t pub[static WGKEY_LEN], const uint8_t priv[static WGKEY_LEN])
{
	uint8_t clamped[WGKEY_LEN];

	/* libsodium clamps internally too; clamping here keeps the result
	 * independent of that detail, as wg's own curve25519 does. */
	memcpy(clamped, priv, WGKEY_LEN);
	wgkey_clamp(clamped);
	crypto_scalarmult_curve25519_base(pub, clamped);
	sodium_memzero(clamped, sizeof(clamped));
}

void wgkey_to_base64(char out[static WGKEY_LEN_BASE64], const uint8_t key[static WGKEY_LEN])
{
	sodium_bin2base64(out, WGKEY_LEN_BASE64, key, WGKEY_LEN, sodium_base64_VARIANT_ORIGINAL);
}

int wgkey_from_base64(uint8_t key[static WGKEY_LEN], const char *b64)
{
	uint8_t tmp[WGKEY_LEN];
	size_t len = 0;
	const char *end;
	int ret = 0;

	if (strlen(b64) != WGKEY_LEN_BASE64 - 1 || b64[WGKEY_LEN_BASE64 - 2] != '=')
		return -EINVAL;
	/* libsodium refuses non-zero trailing bits and bad padding, so only
	 * the canonical encoding of a key is accepted, as wg does. */
	if (sodium_base642bin(tmp, sizeof(tmp), b64, WGKEY_LEN_BASE64 - 1, NULL, &len, &end,
			      sodium_base64_VARIANT_ORIGINAL) ||
	    len != WGKEY_LEN || *end)
		ret = -EINVAL;
	else
		memcpy(key, tmp, WGKEY_LEN);
	sodium_memzero(tmp, sizeof(tmp));
	return ret;
}

void wgkey_to_hex(char out[static WGKEY_LEN_HEX], const uint8_t key[static WGKEY_LEN])
{
	sodium_bin2hex(out, WGKEY_LEN_HEX, key, WGKEY_LEN);
}

int wgkey_from_hex(uint8_t key[static WGKEY_LEN], const char *hex)
{
	uint8_t tmp[WGKEY_LEN];
	size_t len = 0;
	const char *end;
	int ret = 0;

	if (strlen(hex) != WGKEY_LEN_HEX - 1)
		return -EINVAL;
	if (sodium_hex2bin(tmp, sizeof(tmp), hex, WGKEY_LEN_HEX - 1, NULL, &len, &end) ||
	    len != WGKEY_LEN || *end)
		ret = -EINVAL;
	else
		memcpy(key, tmp, WGKEY_LEN);
	sodium_memzero(tmp, sizeof(tmp));
	return ret;
}

bool wgkey_is_zero(const uint8_t key[static WGKEY_LEN])
{
	return sodium_is_zero(key, WGKEY_LEN);
}

bool wgkey_equal(const uint8_t a[static WGKEY_LEN], const uint8_t b[static WGKEY_LEN])
{
	return !sodium_memcmp(a, b, WGKEY_LEN);
}

static bool wgkey_is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

int wgkey_read_file(uint8_t key[static WGKEY_LEN], const char *path)
{
	char b64[WGKEY_LEN_BASE64];
	FILE *f;
	size_t n;
	int c, ret;

	f = fopen(path, "re");
	if (!f)
		return -errno;
	n = fread(b64, 1, WGKEY_LEN_BASE64 - 1, f);
	if (n != WGKEY_LEN_BASE64 - 1) {
		if (ferror(f))
			ret = errno ? -errno : -EIO;
		else if (!n)
			ret = 0;	/* empty file: the key is removed */
		else
			ret = -EINVAL;
		if (!ret)
			memset(key, 0, WGKEY_LEN);
		goto cleanup;
	}
	b64[WGKEY_LEN_BASE64 - 1] = '\0';
	ret = 0;
	while ((c = getc(f)) != EOF) {
		if (!wgkey_is_space(c)) {
			ret = -EINVAL;
			goto cleanup;
		}
	}
	ret = wgkey_from_base64(key, b64);
cleanup:
	sodium_memzero(b64, sizeof(b64));
	fclose(f);
	return ret;
}
