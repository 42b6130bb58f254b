// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * Accept rules for the lab's own probes at the head of a namespace's base
 * chains, in nftables' JSON (names need no quoting there), and their
 * removal by the handles nft echoes.
 */
#include "netns/nftpass.h"
#include "netns/nftext.h"
#include "netns/util/strbuf.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <jansson.h>

#define NFTPASS_COMMENT "wglab-probe"

static bool nftpass_in(const char *s, const char *const *v)
{
	for (; *v; v++)
		if (!strcmp(s, *v))
			return true;
	return false;
}

static void nftpass_mark(struct nftpass_chain *c, int fam)
{
	static const char *const in_hooks[] = { "ingress", "prerouting", "input", NULL };
	static const char *const out_hooks[] = { "egress", "output", "postrouting", NULL };
	static const char *const types[] = { "filter", "route", NULL };
	const char *own = fam == AF_INET6 ? "ip6" : "ip";
	bool in = nftpass_in(c->hook, in_hooks), out = nftpass_in(c->hook, out_hooks);

	c->match_src = in;
	if (!strcmp(c->family, "arp") || !strcmp(c->family, "bridge")) {
		/* ARP requests for the NAT, or a bridge the node forwards
		 * through: not something an address match lets through. */
		c->in_way = !strcmp(c->type, "filter") && (in || out);
		return;
	}
	if (strcmp(c->family, own) && strcmp(c->family, "inet") && strcmp(c->family, "netdev"))
		return;
	c->in_way = c->pass = (in || out) && nftpass_in(c->type, types);
}

static bool nftpass_copy(char *dst, size_t len, json_t *v)
{
	const char *s = json_string_value(v);

	if (!s || strlen(s) >= len)
		return false;
	memcpy(dst, s, strlen(s) + 1);
	return true;
}

int nftpass_parse(const char *json, int fam, struct nftpass *ret)
{
	json_t *root = json_loads(json, 0, NULL), *list, *item, *c;
	size_t i;

	ret->v = NULL;
	ret->n = 0;
	list = json_object_get(root, "nftables");
	if (!json_is_array(list)) {
		json_decref(root);
		return -EINVAL;
	}
	json_array_foreach(list, i, item) {
		struct nftpass_chain ch = { 0 };

		c = json_object_get(item, "chain");
		/* A regular chain has no hook: only a jump reaches it. */
		if (!c || !json_object_get(c, "hook"))
			continue;
		if (!nftpass_copy(ch.family, sizeof(ch.family), json_object_get(c, "family")) ||
		    !nftpass_copy(ch.table, sizeof(ch.table), json_object_get(c, "table")) ||
		    !nftpass_copy(ch.chain, sizeof(ch.chain), json_object_get(c, "name")) ||
		    !nftpass_copy(ch.hook, sizeof(ch.hook), json_object_get(c, "hook")) ||
		    !nftpass_copy(ch.type, sizeof(ch.type), json_object_get(c, "type")))
			continue;
		nftpass_mark(&ch, fam);
		ret->v = xrealloc(ret->v, (ret->n + 1) * sizeof(*ret->v));
		ret->v[ret->n++] = ch;
	}
	json_decref(root);
	return 0;
}

char *nftpass_insert_cmd(const struct nftpass_chain *c, const struct addr addrs[2])
{
	char a[2][ADDR_STRLEN];
	json_t *cmd;
	char *text;

	addr_format(&addrs[0], false, a[0], sizeof(a[0]));
	addr_format(&addrs[1], false, a[1], sizeof(a[1]));
	cmd = json_pack("{s:[{s:{s:{s:s, s:s, s:s, s:[{s:{s:s, s:{s:{s:s, s:s}}, s:{s:[s, s]}}}, {s:n}], s:s}}}]}",
			"nftables", "insert", "rule", "family", c->family, "table", c->table,
			"chain", c->chain, "expr", "match", "op", "==", "left", "payload",
			"protocol", addrs[0].family == AF_INET6 ? "ip6" : "ip",
			"field", c->match_src ? "saddr" : "daddr", "right", "set", a[0], a[1],
			"accept", "comment", NFTPASS_COMMENT);
	text = xcheck(json_dumps(xcheck(cmd), JSON_COMPACT));
	json_decref(cmd);
	return text;
}

/* The handle nft echoed for the rule it inserted. */
static uint64_t nftpass_handle(const char *echo)
{
	json_t *root = json_loads(echo, 0, NULL), *item, *rule;
	uint64_t handle = 0;
	size_t i;

	json_array_foreach(json_object_get(root, "nftables"), i, item) {
		rule = json_object_get(json_object_get(item, "insert"), "rule");
		if (json_is_integer(json_object_get(rule, "handle")))
			handle = (uint64_t)json_integer_value(json_object_get(rule, "handle"));
	}
	json_decref(root);
	return handle;
}

int nftpass_open(struct netns *ns, const struct addr addrs[2], struct nftpass *ret)
{
	char *out = NULL, *cmd, msg[256];
	int err;

	ret->v = NULL;
	ret->n = 0;
	err = nftext_output(ns, "{\"nftables\":[{\"list\":{\"chains\":null}}]}", NFTEXT_JSON, &out, msg,
			    sizeof(msg));
	if (!err)
		err = nftpass_parse(out, addrs[0].family, ret);
	free(out);
	if (err)
		return err;
	for (size_t i = 0; i < ret->n; i++) {
		struct nftpass_chain *c = &ret->v[i];

		if (!c->pass)
			continue;
		cmd = nftpass_insert_cmd(c, addrs);
		out = NULL;
		c->err = nftext_output(ns, cmd, NFTEXT_JSON | NFTEXT_ECHO, &out, msg, sizeof(msg));
		if (!c->err) {
			c->handle = nftpass_handle(out);
			if (!c->handle)
				c->err = -EPROTO;
		}
		free(out);
		free(cmd);
	}
	return 0;
}

void nftpass_close(struct netns *ns, struct nftpass *p)
{
	char msg[256];

	for (size_t i = 0; i < p->n; i++) {
		const struct nftpass_chain *c = &p->v[i];
		json_t *cmd;
		char *text;

		if (!c->handle)
			continue;
		cmd = xcheck(json_pack("{s:[{s:{s:{s:s, s:s, s:s, s:I}}}]}", "nftables", "delete", "rule",
				       "family", c->family, "table", c->table, "chain", c->chain,
				       "handle", (json_int_t)c->handle));
		text = xcheck(json_dumps(cmd, JSON_COMPACT));
		json_decref(cmd);
		/* JSON input is read as such with JSON output. */
		nftext_output(ns, text, NFTEXT_JSON, NULL, msg, sizeof(msg));
		free(text);
	}
	free(p->v);
	p->v = NULL;
	p->n = 0;
}

const char *nftpass_describe(const struct nftpass *p, bool added, char *buf, size_t len)
{
	size_t off = 0;

	if (len)
		buf[0] = '\0';
	for (size_t i = 0; i < p->n; i++) {
		const struct nftpass_chain *c = &p->v[i];

		if (added ? !c->handle : !c->in_way || c->handle)
			continue;
		strbuf_appendf(buf, len, &off, "%s%s %s %s", off ? ", " : "", c->family, c->table,
			       c->chain);
	}
	return buf;
}
