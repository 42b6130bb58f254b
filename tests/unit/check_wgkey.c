// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "netns/wg/wgkey.h"

static void hex_key(const char *hex, uint8_t key[static WGKEY_LEN])
{
	ck_assert_int_eq(wgkey_from_hex(key, hex), 0);
}

static void setup(void)
{
	ck_assert_int_ge(sodium_init(), 0);
}

/* RFC 7748 section 6.1: Alice's and Bob's key pairs, through wgkey_public. */
static const struct {
	const char *priv, *pub;
} rfc7748_pairs[] = {
	{ "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
	  "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a" },
	{ "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
	  "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f" },
	/* Section 5.2, the iterated test after one iteration: k = u = 9, so
	 * this one is X25519(9, base point). */
	{ "0900000000000000000000000000000000000000000000000000000000000000",
	  "422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079" },
};

START_TEST(test_wgkey_public_rfc7748)
{
	uint8_t priv[WGKEY_LEN], pub[WGKEY_LEN], want[WGKEY_LEN];

	hex_key(rfc7748_pairs[_i].priv, priv);
	hex_key(rfc7748_pairs[_i].pub, want);
	wgkey_public(pub, priv);
	ck_assert_mem_eq(pub, want, WGKEY_LEN);
}
END_TEST

/* Section 5.2's two vectors (arbitrary u) and the 1000-iteration vector,
 * through libsodium: they check the X25519 wgkey_public relies on. */
START_TEST(test_wgkey_x25519_rfc7748_5_2)
{
	static const char *const v[][3] = {
		{ "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
		  "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
		  "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552" },
		{ "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
		  "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
		  "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957" },
	};
	uint8_t k[WGKEY_LEN], u[WGKEY_LEN], out[WGKEY_LEN], want[WGKEY_LEN];
	size_t i;

	for (i = 0; i < 2; i++) {
		hex_key(v[i][0], k);
		hex_key(v[i][1], u);
		hex_key(v[i][2], want);
		ck_assert_int_eq(crypto_scalarmult_curve25519(out, k, u), 0);
		ck_assert_mem_eq(out, want, WGKEY_LEN);
	}
	memset(k, 0, sizeof(k));
	k[0] = 9;
	memcpy(u, k, sizeof(k));
	for (i = 0; i < 1000; i++) {
		if (i == 0)
			wgkey_public(out, k);
		else
			ck_assert_int_eq(crypto_scalarmult_curve25519(out, k, u), 0);
		memcpy(u, k, sizeof(k));
		memcpy(k, out, sizeof(k));
	}
	hex_key("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51", want);
	ck_assert_mem_eq(k, want, WGKEY_LEN);
}
END_TEST

/* Computed on the development machine with wireguard-tools'
 * `echo yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk= | wg pubkey`
 * (the example key of wg-quick(8)). */
START_TEST(test_wgkey_public_matches_wg_pubkey)
{
	uint8_t priv[WGKEY_LEN], pub[WGKEY_LEN];
	char b64[WGKEY_LEN_BASE64];

	ck_assert_int_eq(wgkey_from_base64(priv, "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk="), 0);
	wgkey_public(pub, priv);
	wgkey_to_base64(b64, pub);
	ck_assert_str_eq(b64, "HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=");
}
END_TEST

START_TEST(test_wgkey_generate_is_clamped)
{
	uint8_t key[WGKEY_LEN], again[WGKEY_LEN];
	int i;

	for (i = 0; i < 64; i++) {
		wgkey_generate_private(key);
		ck_assert_uint_eq(key[0] & 7, 0);
		ck_assert_uint_eq(key[31] & 0x80, 0);
		ck_assert_uint_eq(key[31] & 0x40, 0x40);
		memcpy(again, key, sizeof(key));
		wgkey_clamp(again);
		ck_assert_mem_eq(key, again, WGKEY_LEN);
	}
	memset(key, 0xff, sizeof(key));
	wgkey_clamp(key);
	ck_assert_uint_eq(key[0], 0xf8);
	ck_assert_uint_eq(key[31], 0x7f);
	memset(key, 0, sizeof(key));
	wgkey_clamp(key);
	ck_assert_uint_eq(key[31], 0x40);
	wgkey_generate_psk(key);
	wgkey_generate_psk(again);
	ck_assert(!wgkey_equal(key, again));
}
END_TEST

START_TEST(test_wgkey_base64_round_trip)
{
	uint8_t key[WGKEY_LEN], back[WGKEY_LEN];
	char b64[WGKEY_LEN_BASE64], hex[WGKEY_LEN_HEX];
	int i;

	ck_assert_uint_eq(WGKEY_LEN_BASE64, 45);
	for (i = 0; i < 64; i++) {
		wgkey_generate_psk(key);
		wgkey_to_base64(b64, key);
		ck_assert_uint_eq(strlen(b64), 44);
		ck_assert_int_eq(b64[43], '=');
		ck_assert_int_eq(wgkey_from_base64(back, b64), 0);
		ck_assert_mem_eq(key, back, WGKEY_LEN);
		wgkey_to_hex(hex, key);
		ck_assert_uint_eq(strlen(hex), 64);
		memset(back, 0, sizeof(back));
		ck_assert_int_eq(wgkey_from_hex(back, hex), 0);
		ck_assert_mem_eq(key, back, WGKEY_LEN);
	}
}
END_TEST

static const char *const bad_base64[] = {
	"",
	"yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk",		/* 43: no padding */
	"yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk==",	/* 45 */
	"yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmj=",	/* non-canonical last bits */
	"yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBm==",	/* 31 bytes */
	"yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBm!=",	/* bad character */
	"yAnz5TF-lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=",	/* URL-safe alphabet */
	" Anz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=",	/* whitespace */
	"yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmkA",	/* no '=' */
};

START_TEST(test_wgkey_base64_rejects)
{
	uint8_t key[WGKEY_LEN], orig[WGKEY_LEN];

	memset(key, 0xaa, sizeof(key));
	memcpy(orig, key, sizeof(key));
	ck_assert_int_eq(wgkey_from_base64(key, bad_base64[_i]), -EINVAL);
	ck_assert_mem_eq(key, orig, WGKEY_LEN);
}
END_TEST

START_TEST(test_wgkey_hex_rejects)
{
	uint8_t key[WGKEY_LEN];
	char hex[WGKEY_LEN_HEX + 1];

	memset(hex, 'a', 64);
	hex[64] = '\0';
	ck_assert_int_eq(wgkey_from_hex(key, hex), 0);
	ck_assert_uint_eq(key[0], 0xaa);
	hex[10] = 'g';
	ck_assert_int_eq(wgkey_from_hex(key, hex), -EINVAL);
	hex[10] = 'A';
	ck_assert_int_eq(wgkey_from_hex(key, hex), 0);
	hex[63] = '\0';
	ck_assert_int_eq(wgkey_from_hex(key, hex), -EINVAL);
	memset(hex, 'a', 65);
	hex[65] = '\0';
	ck_assert_int_eq(wgkey_from_hex(key, hex), -EINVAL);
}
END_TEST

START_TEST(test_wgkey_read_file)
{
	char path[] = "/tmp/wglab-wgkey-XXXXXX";
	uint8_t key[WGKEY_LEN];
	FILE *f;
	int fd;

	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	fputs("yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n\n", f);
	fclose(f);
	ck_assert_int_eq(wgkey_read_file(key, path), 0);
	ck_assert_uint_eq(key[0], 0xc8);

	f = fopen(path, "w");
	fputs("yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk= x\n", f);
	fclose(f);
	ck_assert_int_eq(wgkey_read_file(key, path), -EINVAL);

	f = fopen(path, "w");
	fclose(f);
	ck_assert_int_eq(wgkey_read_file(key, path), 0);
	ck_assert(wgkey_is_zero(key));
	unlink(path);
	ck_assert_int_eq(wgkey_read_file(key, path), -ENOENT);
}
END_TEST

extern Suite *wgkey_suite(void);

Suite *wgkey_suite(void)
{
	Suite *s = suite_create("wgkey");
	TCase *tc;

	tc = tcase_create("wgkey_public");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, test_wgkey_public_rfc7748, 0,
			    sizeof(rfc7748_pairs) / sizeof(rfc7748_pairs[0]));
	tcase_add_test(tc, test_wgkey_x25519_rfc7748_5_2);
	tcase_add_test(tc, test_wgkey_public_matches_wg_pubkey);
	suite_add_tcase(s, tc);

	tc = tcase_create("wgkey_generate");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_wgkey_generate_is_clamped);
	suite_add_tcase(s, tc);

	tc = tcase_create("wgkey_encoding");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_wgkey_base64_round_trip);
	tcase_add_loop_test(tc, test_wgkey_base64_rejects, 0,
			    sizeof(bad_base64) / sizeof(bad_base64[0]));
	tcase_add_test(tc, test_wgkey_hex_rejects);
	tcase_add_test(tc, test_wgkey_read_file);
	suite_add_tcase(s, tc);
	return s;
}
