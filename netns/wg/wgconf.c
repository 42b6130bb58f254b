// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
#include "netns/wg/wgconf.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void wgconf_ip_free_list(struct wgconf_ip *ip)
{
	while (ip) {
		struct wgconf_ip *next = ip->next;

		free(ip);
		ip = next;
	}
}

static void wgconf_str_free_list(struct wgconf_str *s)
{
	while (s) {
		struct wgconf_str *next = s->next;

		free(s->s);
		free(s);
		s = next;
	}
}

static void wgconf_peer_free(struct wgconf_peer *peer)
{
	if (!peer)
		return;
	wgconf_ip_free_list(peer->first_allowedip);
	free(peer->public_key_ref);
	free(peer->preshared_key_ref);
	free(peer->endpoint_host);
	sodium_memzero(peer, sizeof(*peer));
	free(peer);
}

struct wgconf_device *wgconf_device_new(void)
{
	return xcalloc(1, sizeof(struct wgconf_device));
}

void wgconf_device_free(struct wgconf_device *dev)
{
	int saved = errno;
	struct wgconf_peer *peer;
	int i;

	if (!dev)
		return;
	for (peer = dev->first_peer; peer;) {
		struct wgconf_peer *next = peer->next;

		wgconf_peer_free(peer);
		peer = next;
	}
	wgconf_ip_free_list(dev->first_address);
	wgconf_str_free_list(dev->first_dns);
	for (i = 0; i < WGCONF_HOOK_MAX; i++)
		wgconf_str_free_list(dev->first_hook[i]);
	free(dev->private_key_ref);
	sodium_memzero(dev, sizeof(*dev));
	free(dev);
	errno = saved;
}

struct wgconf_peer *wgconf_device_add_peer(struct wgconf_device *dev)
{
	struct wgconf_peer *peer = xcalloc(1, sizeof(*peer));

	if (dev->last_peer)
		dev->last_peer->next = peer;
	else
		dev->first_peer = peer;
	dev->last_peer = peer;
	return peer;
}

void wgconf_device_remove_peer(struct wgconf_device *dev, struct wgconf_peer *peer)
{
	struct wgconf_peer **pp, *prev = NULL;

	for (pp = &dev->first_peer; *pp; prev = *pp, pp = &(*pp)->next) {
		if (*pp != peer)
			continue;
		*pp = peer->next;
		if (dev->last_peer == peer)
			dev->last_peer = prev;
		wgconf_peer_free(peer);
		return;
	}
}

struct wgconf_peer *wgconf_device_find_peer(const struct wgconf_device *dev,
					    const uint8_t key[static WGKEY_LEN])
{
	struct wgconf_peer *peer;

	for (peer = dev->first_peer; peer; peer = peer->next)
		if ((peer->flags & WGCONF_PEER_HAS_PUBLIC_KEY) && wgkey_equal(peer->public_key, key))
			return peer;
	return NULL;
}

void wgconf_str_append(struct wgconf_str **first, struct wgconf_str **last, const char *s, size_t len)
{
	struct wgconf_str *n = xcalloc(1, sizeof(*n));

	n->s = xstrndup(s, len);
	if (*last)
		(*last)->next = n;
	else
		*first = n;
	*last = n;
}

static void wgconf_ip_append(struct wgconf_ip **first, struct wgconf_ip **last, const struct addr *a,
			     unsigned int flags)
{
	struct wgconf_ip *n = xcalloc(1, sizeof(*n));

	n->addr = *a;
	n->flags = flags;
	if (*last)
		(*last)->next = n;
	else
		*first = n;
	*last = n;
}

struct wgconf_device *wgconf_device_dup(const struct wgconf_device *dev)
{
	struct wgconf_device *d = wgconf_device_new();
	const struct wgconf_peer *peer;
	const struct wgconf_str *s;
	const struct wgconf_ip *ip;
	int i;

	*d = *dev;
	d->first_address = d->last_address = NULL;
	d->first_dns = d->last_dns = NULL;
	for (i = 0; i < WGCONF_HOOK_MAX; i++)
		d->first_hook[i] = d->last_hook[i] = NULL;
	d->first_peer = d->last_peer = NULL;
	d->private_key_ref = xstrdup(dev->private_key_ref);
	for (ip = dev->first_address; ip; ip = ip->next)
		wgconf_ip_append(&d->first_address, &d->last_address, &ip->addr, ip->flags);
	for (s = dev->first_dns; s; s = s->next)
		wgconf_str_append(&d->first_dns, &d->last_dns, s->s, strlen(s->s));
	for (i = 0; i < WGCONF_HOOK_MAX; i++)
		for (s = dev->first_hook[i]; s; s = s->next)
			wgconf_str_append(&d->first_hook[i], &d->last_hook[i], s->s, strlen(s->s));
	for (peer = dev->first_peer; peer; peer = peer->next) {
		struct wgconf_peer *p = wgconf_device_add_peer(d);

		*p = *peer;
		p->next = NULL;
		p->first_allowedip = p->last_allowedip = NULL;
		p->public_key_ref = xstrdup(peer->public_key_ref);
		p->preshared_key_ref = xstrdup(peer->preshared_key_ref);
		p->endpoint_host = xstrdup(peer->endpoint_host);
		for (ip = peer->first_allowedip; ip; ip = ip->next)
			wgconf_ip_append(&p->first_allowedip, &p->last_allowedip, &ip->addr, ip->flags);
	}
	return d;
}

void wgconf_device_set_private_key(struct wgconf_device *dev, const uint8_t key[static WGKEY_LEN])
{
	memcpy(dev->private_key, key, WGKEY_LEN);
	wgkey_public(dev->public_key, key);
	dev->flags |= WGCONF_DEV_HAS_PRIVATE_KEY | WGCONF_DEV_HAS_PUBLIC_KEY;
	free(dev->private_key_ref);
	dev->private_key_ref = NULL;
}

void wgconf_peer_set_public_key(struct wgconf_peer *peer, const uint8_t key[static WGKEY_LEN])
{
	memcpy(peer->public_key, key, WGKEY_LEN);
	peer->flags |= WGCONF_PEER_HAS_PUBLIC_KEY;
	free(peer->public_key_ref);
	peer->public_key_ref = NULL;
}

void wgconf_peer_set_preshared_key(struct wgconf_peer *peer, const uint8_t key[static WGKEY_LEN])
{
	memcpy(peer->preshared_key, key, WGKEY_LEN);
	peer->flags |= WGCONF_PEER_HAS_PRESHARED_KEY;
	free(peer->preshared_key_ref);
	peer->preshared_key_ref = NULL;
}

int wgconf_peer_set_endpoint(struct wgconf_peer *peer, const struct sockaddr *sa, socklen_t len)
{
	if (sa->sa_family == AF_INET && len >= sizeof(struct sockaddr_in))
		memcpy(&peer->endpoint.in, sa, sizeof(struct sockaddr_in));
	else if (sa->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6))
		memcpy(&peer->endpoint.in6, sa, sizeof(struct sockaddr_in6));
	else
		return -EAFNOSUPPORT;
	peer->flags |= WGCONF_PEER_HAS_ENDPOINT;
	return 0;
}

void wgconf_peer_add_allowedip(struct wgconf_peer *peer, const struct addr *a, unsigned int flags)
{
	wgconf_ip_append(&peer->first_allowedip, &peer->last_allowedip, a, flags);
}

void wgconf_device_add_address(struct wgconf_device *dev, const struct addr *a)
{
	wgconf_ip_append(&dev->first_address, &dev->last_address, a, 0);
}

void wgconf_peer_clear_allowedips(struct wgconf_peer *peer)
{
	wgconf_ip_free_list(peer->first_allowedip);
	peer->first_allowedip = peer->last_allowedip = NULL;
}

size_t wgconf_peer_count_allowedips(const struct wgconf_peer *peer)
{
	const struct wgconf_ip *ip;
	size_t n = 0;

	for (ip = peer->first_allowedip; ip; ip = ip->next)
		n++;
	return n;
}
