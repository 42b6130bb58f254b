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

static void wgkey_redact_one(char *text, const char *secret)
{
	size_t n = strlen(secret);
	char *p;

	while ((p = strstr(text, secret))) {
		memcpy(p, "(hidden)", 8);
		memmove(p + 8, p + n, strlen(p + n) + 1);
	}
}

static bool wgkey_b64char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
	       c == '/';
}

static bool wgkey_hexchar(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool wgkey_in_text(const char *text)
{
	for (size_t n = 0; *text; text++) {
		n = wgkey_b64char(*text) ? n + 1 : 0;
		if (n == 43)
			return true;
	}
	return false;
}

/* Whether the key at p (len bytes, base64 or hex) is one of pub. */
static bool wgkey_is_public(const char *p, size_t len, const uint8_t (*pub)[WGKEY_LEN], size_t n_pub)
{
	char b64[WGKEY_LEN_BASE64], hex[WGKEY_LEN_HEX];

	for (size_t i = 0; i < n_pub; i++) {
		wgkey_to_base64(b64, pub[i]);
		wgkey_to_hex(hex, pub[i]);
		if ((len == strlen(b64) && !memcmp(p, b64, len)) || (len == strlen(hex) && !memcmp(p, hex, len)))
			return true;
	}
	return false;
}

void wgkey_redact(char *text, const uint8_t (*secret)[WGKEY_LEN], size_t n_secret,
		  const uint8_t (*pub)[WGKEY_LEN], size_t n_pub)
{
	char b64[WGKEY_LEN_BASE64], hex[WGKEY_LEN_HEX], *p = text;

	/* Every key's text, base64 or hex, holds 43 base64 characters in a
	 * row: a text without such a run has none to hide (most evidence;
	 * the per-key search below costs 100 keys' encodings per text). */
	if (!text || !wgkey_in_text(text))
		return;
	for (size_t i = 0; i < n_secret; i++) {
		wgkey_to_base64(b64, secret[i]);
		wgkey_to_hex(hex, secret[i]);
		wgkey_redact_one(text, b64);
		wgkey_redact_one(text, hex);
	}
	sodium_memzero(b64, sizeof(b64));
	sodium_memzero(hex, sizeof(hex));
	/* Keys never seen: any word shaped as a WireGuard key that is not a
	 * public one. */
	while (*p) {
		size_t n = 0, h = 0, len = 0;

		/* A word starts after a character that is no base64 (after
		 * '=' too: "private_key=HEX", "KEY=BASE64"). */
		if ((p > text && wgkey_b64char(p[-1])) || !wgkey_b64char(*p)) {
			p++;
			continue;
		}
		while (wgkey_b64char(p[n]))
			n++;
		while (wgkey_hexchar(p[h]))
			h++;
		/* '=' ends a base64 word: what follows it is another word. */
		if (n == 43 && p[43] == '=' && p[44] != '=')
			len = 44;
		else if (h == 64 && n == 64)
			len = 64;
		if (!len || wgkey_is_public(p, len, pub, n_pub)) {
			p += n ? n : 1;
			continue;
		}
		memcpy(p, "(hidden)", 8);
		memmove(p + 8, p + len, strlen(p + len) + 1);
		p += 8;
	}
}
