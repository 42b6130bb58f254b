// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* The keys a scenario writes out, for hiding in output made of its text. */
#include "lab/lang/labkeys.h"
#include "lab/lang/model.h"
#include "netns/util/xalloc.h"
#include "netns/wg/wgconf.h"
#include "netns/wg/wgkey.h"

#include <stdlib.h>
#include <string.h>
#include <sodium.h>

struct labkeys {
	uint8_t (*sec)[WGKEY_LEN], (*pub)[WGKEY_LEN];
	size_t n_sec, n_pub;
};

static void labkeys_add(uint8_t (**v)[WGKEY_LEN], size_t *n, const uint8_t key[static WGKEY_LEN])
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	memcpy((*v)[(*n)++], key, WGKEY_LEN);
}

static void labkeys_private(struct labkeys *k, const uint8_t priv[static WGKEY_LEN])
{
	uint8_t pub[WGKEY_LEN];

	labkeys_add(&k->sec, &k->n_sec, priv);
	wgkey_public(pub, priv);
	labkeys_add(&k->pub, &k->n_pub, pub);
}

/* A peer's literal keys: its public key (not "@NODE:IF"), its preshared
 * key (not "@NAME"). */
static void labkeys_peer(struct labkeys *k, const struct wgconf_peer *p)
{
	if ((p->flags & WGCONF_PEER_HAS_PUBLIC_KEY) && !p->public_key_ref)
		labkeys_add(&k->pub, &k->n_pub, p->public_key);
	if ((p->flags & WGCONF_PEER_HAS_PRESHARED_KEY) && !p->preshared_key_ref)
		labkeys_add(&k->sec, &k->n_sec, p->preshared_key);
}

void labkeys_redact(const struct lab *lab, char *text)
{
	struct labkeys k = { 0 };

	if (!text || !wgkey_in_text(text))
		return;
	for (const struct stmt *s = lab ? lab->first_stmt : NULL; s; s = s->next) {
		const struct wgconf_device *conf = NULL;

		if (s->kind == STMT_WIREGUARD && (s->wireguard.set & WGSET_KEY) &&
		    s->wireguard.key_src == WGKEY_SRC_LITERAL && s->wireguard.conf)
			labkeys_private(&k, s->wireguard.conf->private_key);
		else if (s->kind == STMT_PEER && s->peer.conf)
			labkeys_peer(&k, s->peer.conf);
		else if (s->kind == STMT_WGQUICK)
			conf = s->wgquick.conf;
		if (!conf)
			continue;
		if ((conf->flags & WGCONF_DEV_HAS_PRIVATE_KEY) && !conf->private_key_ref)
			labkeys_private(&k, conf->private_key);
		for (const struct wgconf_peer *p = conf->first_peer; p; p = p->next)
			labkeys_peer(&k, p);
	}
	wgkey_redact(text, (const uint8_t (*)[WGKEY_LEN])k.sec, k.n_sec, (const uint8_t (*)[WGKEY_LEN])k.pub,
		     k.n_pub);
	if (k.sec)
		sodium_memzero(k.sec, k.n_sec * sizeof(*k.sec));
	free(k.sec);
	free(k.pub);
}
