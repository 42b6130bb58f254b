// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * The wg-quick(8) configuration file, line by line.  wg-quick reads its own
 * keys (Address, MTU, DNS, Table, hooks, SaveConfig) from [Interface] with
 * the value trimmed and '#' comments cut, hooks keeping the uncut value;
 * every other line goes to `wg addconf`, which removes all whitespace and
 * matches keys case-insensitively.  Both behaviours are reproduced here,
 * down to the section line: wg reads "[ Interface ]" as [Interface], but
 * wg-quick's keys count only after the trimmed line is "[Interface]", so
 * after "[ Interface ]" they reach wg, which refuses them.
 */
#include "netns/wg/wgconf.h"
#include "netns/wg/wgconf_parse.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum wgconf_section {
	WGCONF_SECTION_NONE,
	WGCONF_SECTION_INTERFACE,
	WGCONF_SECTION_PEER,
};

struct wgconf_parser {
	struct wgconf_device *dev;
	struct wgconf_peer *peer;
	enum wgconf_section section;
	/* wg-quick's own reading of the section: its keys count only after
	 * a line that is exactly [Interface] (0: none yet, or another). */
	unsigned int quick_line;
	char quick_head[32];	/* the [Interface] line wg read, as written */
	unsigned int lineno;
	struct wgconf_error *errors;
	size_t nerrors;
	/* Peers whose PublicKey line was refused: they are not reported
	 * again as missing a public key. */
	struct wgconf_peer **bad_key;
	size_t n_bad_key;
};

/* A line with its whitespace removed, and where each kept byte was. */
struct wgconf_compact {
	char *s;
	unsigned int *col;
	size_t len;
};

struct wgconf_parser *wgconf_parser_new(void)
{
	struct wgconf_parser *p = xcalloc(1, sizeof(*p));

	p->dev = wgconf_device_new();
	return p;
}

void wgconf_parser_free(struct wgconf_parser *p)
{
	if (!p)
		return;
	wgconf_device_free(p->dev);
	free(p->errors);
	free(p->bad_key);
	free(p);
}

size_t wgconf_parser_nerrors(const struct wgconf_parser *p)
{
	return p->nerrors;
}

const struct wgconf_error *wgconf_parser_error(const struct wgconf_parser *p, size_t i)
{
	return i < p->nerrors ? &p->errors[i] : NULL;
}

static int wgconf_record(struct wgconf_parser *p, unsigned int line, unsigned int col,
			 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int wgconf_record(struct wgconf_parser *p, unsigned int line, unsigned int col,
			 const char *fmt, ...)
{
	struct wgconf_error *e;
	va_list ap;

	p->errors = xgrow(p->errors, p->nerrors, sizeof(*p->errors));
	e = &p->errors[p->nerrors++];
	e->line = line;
	e->column = col ? col : 1;
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Records an error returned by a value parser, moving its column (an offset
 * in the compacted value) back to the line. */
static int wgconf_record_value(struct wgconf_parser *p, const struct wgconf_compact *v,
			       const struct wgconf_error *err)
{
	size_t off = err->column ? err->column - 1 : 0;
	unsigned int col = !v->len ? 1 : off < v->len ? v->col[off] : v->col[v->len - 1] + 1;

	return wgconf_record(p, p->lineno, col, "%s", err->message);
}

static bool wgconf_is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static void wgconf_compact(const char *s, size_t len, unsigned int col0, struct wgconf_compact *c)
{
	size_t i;

	c->len = 0;
	c->s = xmalloc(len + 1);
	c->col = xcalloc(len + 1, sizeof(*c->col));
	for (i = 0; i < len; i++) {
		if (wgconf_is_space(s[i]))
			continue;
		c->col[c->len] = col0 + (unsigned int)i;
		c->s[c->len++] = s[i];
	}
	c->s[c->len] = '\0';
}

static void wgconf_compact_free(struct wgconf_compact *c)
{
	free(c->s);
	free(c->col);
}

/* Trims [*b, *e) of whitespace. */
static void wgconf_trim(const char *line, size_t *b, size_t *e)
{
	while (*b < *e && wgconf_is_space(line[*b]))
		(*b)++;
	while (*e > *b && wgconf_is_space(line[*e - 1]))
		(*e)--;
}

/* A section line: c is the line as wg reads it (blanks removed), raw the
 * trimmed text wg-quick compares with `[[ $key == "[Interface]" ]]`. */
static int wgconf_section_line(struct wgconf_parser *p, const struct wgconf_compact *c, const char *raw,
			       size_t rawlen)
{
	struct wgconf_peer *peer;

	p->quick_line = 0;
	if (!strcasecmp(c->s, "[Interface]")) {
		p->section = WGCONF_SECTION_INTERFACE;
		p->peer = NULL;
		if (rawlen == strlen("[Interface]"))
			p->quick_line = p->lineno;
		else
			snprintf(p->quick_head, sizeof(p->quick_head), "%.*s", (int)rawlen, raw);
		return 0;
	}
	if (!strcasecmp(c->s, "[Peer]")) {
		peer = wgconf_device_add_peer(p->dev);
		peer->line = p->lineno;
		/* wg: each [Peer] replaces the peer's allowed IPs. */
		peer->flags |= WGCONF_PEER_REPLACE_ALLOWEDIPS;
		p->peer = peer;
		p->section = WGCONF_SECTION_PEER;
		return 0;
	}
	return wgconf_record(p, p->lineno, c->col[0], "unknown section '%s'", c->s);
}

/* Where the first IPv6 prefix of a list (from the ones this line added)
 * was written, once. */
static void wgconf_v6_pos(const struct wgconf_parser *p, const struct wgconf_ip *added, unsigned int col,
			  struct wgconf_pos *ret)
{
	if (ret->line)
		return;
	for (; added; added = added->next)
		if (added->addr.family == AF_INET6) {
			ret->line = p->lineno;
			ret->col = col;
			return;
		}
}

static bool wgconf_is_quick_key(const char *key)
{
	static const char *const keys[] = {
		"Address", "DNS", "MTU", "Table", "SaveConfig", "PreUp", "PostUp", "PreDown", "PostDown",
	};

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcasecmp(key, keys[i]))
			return true;
	return false;
}

/* wg-quick's own [Interface] keys.  1 when key was one of them. */
static int wgconf_quick_key(struct wgconf_parser *p, const char *key, const char *line, size_t vb,
			    size_t ve, size_t raw_vb, size_t raw_ve, int *ret)
{
	static const char *const hooks[WGCONF_HOOK_MAX] = {
		[WGCONF_PRE_UP] = "PreUp", [WGCONF_POST_UP] = "PostUp",
		[WGCONF_PRE_DOWN] = "PreDown", [WGCONF_POST_DOWN] = "PostDown",
	};
	struct wgconf_device *dev = p->dev;
	struct wgconf_error err;
	char *value;
	int i;

	*ret = 0;
	for (i = 0; i < WGCONF_HOOK_MAX; i++) {
		if (strcasecmp(key, hooks[i]))
			continue;
		/* Hooks keep everything after '=', '#' included. */
		wgconf_str_append(&dev->first_hook[i], &dev->last_hook[i], line + raw_vb, raw_ve - raw_vb);
		return 1;
	}
	if (strcasecmp(key, "Address") && strcasecmp(key, "DNS") && strcasecmp(key, "MTU") &&
	    strcasecmp(key, "Table") && strcasecmp(key, "SaveConfig"))
		return 0;
	value = xstrndup(line + vb, ve - vb);
	if (!strcasecmp(key, "Address")) {
		struct wgconf_ip *before = dev->last_address;

		/* Word splitting on ',' and blanks, as wg-quick's ${value//,/ }. */
		*ret = wgconf_parse_addresses(dev, value, &err);
		if (*ret < 0)
			*ret = wgconf_record(p, p->lineno, (unsigned int)vb + err.column, "%s", err.message);
		else
			wgconf_v6_pos(p, before ? before->next : dev->first_address, (unsigned int)vb + 1,
				      &dev->address_v6_pos);
	} else if (!strcasecmp(key, "DNS")) {
		char *tok, *save = NULL;

		for (tok = strtok_r(value, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save))
			wgconf_str_append(&dev->first_dns, &dev->last_dns, tok, strlen(tok));
	} else if (!strcasecmp(key, "MTU")) {
		if (!*value) {
			dev->flags &= ~WGCONF_DEV_HAS_MTU;
		} else if ((*ret = wgconf_parse_mtu(value, &dev->mtu, &err)) < 0) {
			*ret = wgconf_record(p, p->lineno, (unsigned int)vb + 1, "%s", err.message);
		} else {
			dev->flags |= WGCONF_DEV_HAS_MTU;
		}
	} else if (!strcasecmp(key, "Table")) {
		*ret = wgconf_parse_table(value, &dev->table_mode, &dev->table, &err);
		if (*ret < 0)
			*ret = wgconf_record(p, p->lineno, (unsigned int)vb + 1, "%s", err.message);
		else if (*value)
			dev->flags |= WGCONF_DEV_HAS_TABLE;
		else
			dev->flags &= ~WGCONF_DEV_HAS_TABLE;
	} else {
		/* read_bool runs while nocasematch is on. */
		if (!strcasecmp(value, "true") || !strcasecmp(value, "false")) {
			dev->save_config = !strcasecmp(value, "true");
			dev->flags |= WGCONF_DEV_HAS_SAVE_CONFIG;
		} else {
			*ret = wgconf_record(p, p->lineno, (unsigned int)vb + 1,
					     "'%s' is neither true nor false", value);
		}
	}
	free(value);
	return 1;
}

static void wgconf_pos_of(const struct wgconf_parser *p, const struct wgconf_compact *v, struct wgconf_pos *ret)
{
	ret->line = p->lineno;
	ret->col = v->len ? v->col[0] : 1;
}

static int wgconf_key_into(struct wgconf_parser *p, const struct wgconf_compact *v, uint8_t key[static WGKEY_LEN],
			   char **ref)
{
	struct wgconf_error err;
	uint8_t tmp[WGKEY_LEN];
	char *r = NULL;
	int ret;

	ret = wgconf_parse_key(v->s, tmp, &r, &err);
	if (ret < 0)
		return wgconf_record_value(p, v, &err);
	free(*ref);
	*ref = r;
	if (!r)
		memcpy(key, tmp, WGKEY_LEN);
	sodium_memzero(tmp, sizeof(tmp));
	return 0;
}

static int wgconf_interface_key(struct wgconf_parser *p, const char *key, const struct wgconf_compact *v)
{
	struct wgconf_device *dev = p->dev;
	struct wgconf_error err;
	int ret;

	if (!strcasecmp(key, "PrivateKey")) {
		ret = wgconf_key_into(p, v, dev->private_key, &dev->private_key_ref);
		if (ret < 0)
			return ret;
		wgconf_pos_of(p, v, &dev->private_key_pos);
		if (dev->private_key_ref) {
			dev->flags &= ~(WGCONF_DEV_HAS_PRIVATE_KEY | WGCONF_DEV_HAS_PUBLIC_KEY);
		} else {
			wgkey_public(dev->public_key, dev->private_key);
			dev->flags |= WGCONF_DEV_HAS_PRIVATE_KEY | WGCONF_DEV_HAS_PUBLIC_KEY;
		}
		return 0;
	}
	if (!strcasecmp(key, "ListenPort")) {
		ret = wgconf_parse_port(v->s, &dev->listen_port, &err);
		if (ret < 0)
			return wgconf_record_value(p, v, &err);
		dev->flags |= WGCONF_DEV_HAS_LISTEN_PORT;
		return 0;
	}
	if (!strcasecmp(key, "FwMark")) {
		ret = wgconf_parse_fwmark(v->s, &dev->fwmark, &err);
		if (ret < 0)
			return wgconf_record_value(p, v, &err);
		dev->flags |= WGCONF_DEV_HAS_FWMARK;
		return 0;
	}
	return 1;
}

static int wgconf_peer_key(struct wgconf_parser *p, const char *key, const struct wgconf_compact *v)
{
	struct wgconf_peer *peer = p->peer;
	struct wgconf_error err;
	int ret;

	if (!strcasecmp(key, "PublicKey")) {
		ret = wgconf_key_into(p, v, peer->public_key, &peer->public_key_ref);
		if (ret < 0) {
			/* Doubling: a block may hold thousands of peers. */
			p->bad_key = xgrow(p->bad_key, p->n_bad_key, sizeof(*p->bad_key));
			p->bad_key[p->n_bad_key++] = peer;
			return ret;
		}
		wgconf_pos_of(p, v, &peer->public_key_pos);
		if (peer->public_key_ref)
			peer->flags &= ~WGCONF_PEER_HAS_PUBLIC_KEY;
		else
			peer->flags |= WGCONF_PEER_HAS_PUBLIC_KEY;
		return 0;
	}
	if (!strcasecmp(key, "PresharedKey")) {
		ret = wgconf_key_into(p, v, peer->preshared_key, &peer->preshared_key_ref);
		if (ret < 0)
			return ret;
		if (peer->preshared_key_ref)
			peer->flags &= ~WGCONF_PEER_HAS_PRESHARED_KEY;
		else
			peer->flags |= WGCONF_PEER_HAS_PRESHARED_KEY;
		return 0;
	}
	if (!strcasecmp(key, "AllowedIPs")) {
		struct wgconf_ip *before = peer->last_allowedip;

		ret = wgconf_parse_allowedips(peer, v->s, &err);
		if (!ret)
			wgconf_v6_pos(p, before ? before->next : peer->first_allowedip, v->len ? v->col[0] : 1,
				      &peer->allowed_v6_pos);
	}
	else if (!strcasecmp(key, "Endpoint")) {
		ret = wgconf_parse_endpoint(peer, v->s, &err);
		wgconf_pos_of(p, v, &peer->endpoint_pos);
	}
	else if (!strcasecmp(key, "PersistentKeepalive")) {
		ret = wgconf_parse_keepalive(v->s, &peer->persistent_keepalive, &err);
		if (!ret)
			peer->flags |= WGCONF_PEER_HAS_KEEPALIVE;
	} else
		return 1;
	return ret < 0 ? wgconf_record_value(p, v, &err) : 0;
}

int wgconf_parser_line(struct wgconf_parser *p, const char *line)
{
	size_t len = strcspn(line, "\n"), cut, eq, kb, ke, vb, ve, rvb, rve;
	struct wgconf_compact k, v;
	char key[64];
	int ret;

	p->lineno++;
	if (len && line[len - 1] == '\r')
		len--;
	cut = strcspn(line, "#");
	if (cut > len)
		cut = len;
	kb = 0;
	ke = cut;
	wgconf_trim(line, &kb, &ke);
	if (kb == ke)
		return 0;
	eq = kb;
	while (eq < cut && line[eq] != '=')
		eq++;
	if (line[kb] == '[' || eq == cut) {
		if (line[kb] == '[' && eq == cut) {
			wgconf_compact(line + kb, ke - kb, (unsigned int)kb + 1, &k);
			ret = wgconf_section_line(p, &k, line + kb, ke - kb);
			wgconf_compact_free(&k);
			return ret;
		}
		return wgconf_record(p, p->lineno, (unsigned int)kb + 1, "line unrecognized: '%.*s'",
				     (int)(ke - kb), line + kb);
	}
	ke = eq;
	wgconf_trim(line, &kb, &ke);
	vb = eq + 1;
	ve = cut;
	wgconf_trim(line, &vb, &ve);
	rvb = eq + 1;
	rve = len;
	wgconf_trim(line, &rvb, &rve);
	if (ke - kb >= sizeof(key))
		return wgconf_record(p, p->lineno, (unsigned int)kb + 1, "unknown key '%.*s'",
				     (int)(ke - kb), line + kb);
	memcpy(key, line + kb, ke - kb);
	key[ke - kb] = '\0';

	if (p->section == WGCONF_SECTION_NONE)
		return wgconf_record(p, p->lineno, (unsigned int)kb + 1,
				     "'%s' is outside of an [Interface] or [Peer] section", key);
	if (p->section == WGCONF_SECTION_INTERFACE && p->quick_line &&
	    wgconf_quick_key(p, key, line, vb, ve, rvb, rve, &ret))
		return ret;

	/* From here on, wg(8)'s reading: whitespace is removed everywhere. */
	wgconf_compact(line + kb, ke - kb, (unsigned int)kb + 1, &k);
	wgconf_compact(line + vb, ve - vb, (unsigned int)vb + 1, &v);
	if (p->section == WGCONF_SECTION_INTERFACE && !p->quick_line && wgconf_is_quick_key(key))
		/* wg-quick passed the line on to `wg addconf`, which knows
		 * no such key: why, then wg's words. */
		ret = wgconf_record(p, p->lineno, (unsigned int)kb + 1,
				    "'%s' is wg-quick's only after a line that is exactly [Interface], not '%s': wg gets it (Line unrecognized: `%s=%s')",
				    key, p->quick_head, k.s, v.s);
	else if (!v.len)
		ret = wgconf_record(p, p->lineno, (unsigned int)eq + 1, "'%s' has no value", key);
	else if (p->section == WGCONF_SECTION_INTERFACE)
		ret = wgconf_interface_key(p, k.s, &v);
	else
		ret = wgconf_peer_key(p, k.s, &v);
	if (ret > 0)
		ret = wgconf_record(p, p->lineno, (unsigned int)kb + 1, "unknown key '%s' in %s", key,
				    p->section == WGCONF_SECTION_INTERFACE ? "[Interface]" : "[Peer]");
	wgconf_compact_free(&k);
	wgconf_compact_free(&v);
	return ret;
}

int wgconf_parser_finish(struct wgconf_parser *p, struct wgconf_device **ret)
{
	struct wgconf_peer *peer;

	for (peer = p->dev->first_peer; peer; peer = peer->next) {
		bool bad = false;

		for (size_t i = 0; i < p->n_bad_key && !bad; i++)
			bad = p->bad_key[i] == peer;
		if (!bad && !(peer->flags & WGCONF_PEER_HAS_PUBLIC_KEY) && !peer->public_key_ref)
			wgconf_record(p, peer->line, 1, "a peer is missing a public key");
	}
	if (p->nerrors)
		return -EINVAL;
	*ret = p->dev;
	p->dev = NULL;
	return 0;
}

int wgconf_parse_text(const char *text, struct wgconf_device **ret, struct wgconf_error *err)
{
	struct wgconf_parser *p = wgconf_parser_new();
	const char *s = text;
	int r;

	while (*s) {
		wgconf_parser_line(p, s);
		s += strcspn(s, "\n");
		if (*s)
			s++;
	}
	r = wgconf_parser_finish(p, ret);
	if (r < 0 && err && p->nerrors)
		*err = p->errors[0];
	wgconf_parser_free(p);
	return r;
}
