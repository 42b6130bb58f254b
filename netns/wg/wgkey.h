/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef NETNS_WGKEY_H
#define NETNS_WGKEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sodium.h>

/*
 * WireGuard keys: Curve25519 private/public keys and preshared keys, all
 * 32 bytes.  Text forms are the ones wg(8) reads and writes (base64, 44
 * characters) and the UAPI's lowercase hex.  sodium_init() must have run.
 */
#define WGKEY_LEN crypto_scalarmult_curve25519_BYTES
#define WGKEY_LEN_BASE64 sodium_base64_ENCODED_LEN(WGKEY_LEN, sodium_base64_VARIANT_ORIGINAL)
#define WGKEY_LEN_HEX (WGKEY_LEN * 2 + 1)

/* Random private key, clamped as `wg genkey` does. */
void wgkey_generate_private(uint8_t key[static WGKEY_LEN]);
/* Random preshared key (not clamped), as `wg genpsk`. */
void wgkey_generate_psk(uint8_t key[static WGKEY_LEN]);
void wgkey_clamp(uint8_t key[static WGKEY_LEN]);
/* The public key of a private key (X25519 with the base point). */
void wgkey_public(uint8_t pub[static WGKEY_LEN], const uint8_t priv[static WGKEY_LEN]);

void wgkey_to_base64(char out[static WGKEY_LEN_BASE64], const uint8_t key[static WGKEY_LEN]);
/* Strict: exactly 44 characters, '=' padded, canonical trailing bits, no
 * whitespace.  -EINVAL otherwise (key untouched). */
int wgkey_from_base64(uint8_t key[static WGKEY_LEN], const char *b64);
void wgkey_to_hex(char out[static WGKEY_LEN_HEX], const uint8_t key[static WGKEY_LEN]);
/* 64 hex digits, either case.  -EINVAL otherwise. */
int wgkey_from_hex(uint8_t key[static WGKEY_LEN], const char *hex);
bool wgkey_is_zero(const uint8_t key[static WGKEY_LEN]);
bool wgkey_equal(const uint8_t a[static WGKEY_LEN], const uint8_t b[static WGKEY_LEN]);
/* Reads a key file as `wg set ... private-key FILE` does: 44 base64
 * characters then only whitespace; an empty file gives the zero key.
 * -EINVAL for a malformed key, -errno for I/O. */
int wgkey_read_file(uint8_t key[static WGKEY_LEN], const char *path);
/* Whether text holds a run of 43 base64 characters, the shortest a key's
 * text (base64 or hex) can be: without one, wgkey_redact() has nothing to
 * hide. */
bool wgkey_in_text(const char *text);
/* Replaces in text, in place, by "(hidden)": each of the n_secret keys,
 * in base64 or hex, wherever it is; then any other word shaped as a key
 * (43 base64 characters and '=', or 64 hex digits) that is not one of the
 * n_pub public keys (a key a hook loaded, one mistyped into a field). */
void wgkey_redact(char *text, const uint8_t (*secret)[WGKEY_LEN], size_t n_secret,
		  const uint8_t (*pub)[WGKEY_LEN], size_t n_pub);

#endif
