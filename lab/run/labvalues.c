// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* Lab values for programs: public keys, names, hosts, in every node. */
#include "lab/run/labvalues.h"
#include "lab/host/rootless.h"
#include "lab/lang/resolve.h"
#include "lab/run/run_ctx.h"
#include "lab/run/run_names.h"
#include "netns/addr.h"
#include "netns/nsmount.h"
#include "netns/util/xalloc.h"
#include "netns/wg/wgconf.h"
#include "netns/wg/wgkey.h"

#include <sodium.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

static char *labvalues_pub_var(const struct rwgkey *k)
{
	char b64[WGKEY_LEN_BASE64 + 1];
	char *v;

	wgkey_to_base64(b64, k->pub);
	v = xasprintf("WGLAB_PUB_%s_%s=%s", k->node, k->ifname, b64);
	for (char *p = v + strlen("WGLAB_PUB_"); *p != '='; p++)
		if (!isalnum((unsigned char)*p))
			*p = '_';
	return v;
}

char **run_labvalues_env(struct run *r, const struct rnode *n)
{
	char **env = xcalloc(r->n_keys + 5, sizeof(*env));
	size_t k = 0;

	env[k++] = xasprintf("WGLAB_LAB=%s", r->lab->name);
	env[k++] = xasprintf("WGLAB_NODE=%s", n->name);
	env[k++] = xstrdup("TMPDIR=/run/tmp");
	for (size_t i = 0; i < r->n_keys; i++)
		env[k++] = labvalues_pub_var(&r->keys[i]);
	env[k] = NULL;
	return env;
}

void run_labvalues_env_free(char **env)
{
	for (char **e = env; e && *e; e++)
		free(*e);
	free(env);
}

char *run_labvalues_hosts(struct run *r, const char *from)
{
	char *ret = NULL;
	size_t len = 0;
	FILE *b = open_memstream(&ret, &len);

	if (!b)
		xalloc_fail();
	fprintf(b, "# The lab %s, as node %s sees it (wglab: node names by the README's rule)\n",
		    r->lab->name, from ? from : "(none)");
	fprintf(b, "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
	for (size_t i = 0; i < r->n_nodes; i++) {
		const struct rnode *y = &r->nodes[i];
		char why[640], a[ADDR_STRLEN];
		struct addr got;

		if (y->lan)
			continue;
		/* A node's own name: its address by the rule, from nowhere. */
		if (lab_resolve_node(run_names(r), from && strcmp(from, y->name) ? from : NULL, y->name, &got,
				     why, sizeof(why)) < 0)
			fprintf(b, "# %s: %s\n", y->name, why);
		else {
			char *const *alias;
			size_t n = lab_names_aliases(run_names(r), y->name, &alias);

			fprintf(b, "%s\t%s", addr_format(&got, false, a, sizeof(a)), y->name);
			for (size_t k = 0; k < n; k++)
				fprintf(b, " %s", alias[k]);
			fputc('\n', b);
		}
	}
	if (fclose(b))
		xalloc_fail();
	return ret;
}

/* The node's resolver: none.  Without a nameserver line a lookup goes to
 * 127.0.0.1 in the node (refused at once, or answered by a program of
 * the lab that serves DNS there), not to the host's nameserver, which no
 * node can reach and whose address may be one of the lab's. */
static char *run_labvalues_resolv(struct run *r)
{
	return xasprintf("# The lab %s has no DNS resolver (wglab): a lookup that /etc/hosts\n"
			 "# does not answer goes to 127.0.0.1 in this node.\n",
			 r->lab->name);
}

/* Whether the host has an /etc/resolv.conf file for the node's to cover
 * (a bind needs one; with none, the resolver already asks 127.0.0.1). */
static bool labvalues_host_resolv(void)
{
	struct stat st;

	return !stat("/etc/resolv.conf", &st) && S_ISREG(st.st_mode);
}

/* The node's resolv.conf with text (the caller's), bound on the host's. */
static struct mnt_file labvalues_resolv_file(const char *text)
{
	return (struct mnt_file){ "/run/wglab-resolv.conf", text, 0644, "/etc/resolv.conf" };
}

/* Files for netns_mnt_files(), growing as they are added; a zeroed one is
 * empty. */
struct vfiles {
	struct mnt_file *v;
	char **owned;			/* each file's path and data, when its own */
	size_t n;
};

/* file, its path and data the caller's (owned false) or taken over. */
static void vfiles_put(struct vfiles *f, struct mnt_file file, bool owned)
{
	f->v = xgrow(f->v, f->n, sizeof(*f->v));
	f->owned = xgrow(f->owned, f->n, 2 * sizeof(*f->owned));
	f->owned[2 * f->n] = owned ? (char *)file.path : NULL;
	f->owned[2 * f->n + 1] = owned ? (char *)file.data : NULL;
	f->v[f->n++] = file;
}

/* path and data taken over (data wiped when freed). */
static void vfiles_add(struct vfiles *f, char *path, char *data, mode_t mode)
{
	vfiles_put(f, (struct mnt_file){ path, data, mode, NULL }, true);
}

static void vfiles_free(struct vfiles *f)
{
	for (size_t i = 0; i < 2 * f->n; i++) {
		if (!f->owned[i])
			continue;
		sodium_memzero(f->owned[i], strlen(f->owned[i]));
		free(f->owned[i]);
	}
	free(f->owned);
	free(f->v);
	memset(f, 0, sizeof(*f));
}

/* IF.key (0600) and IF.pub of each of n's own interfaces, as `wg genkey |
 * tee IF.key | wg pubkey > IF.pub` leaves them. */
static void own_keys(const struct run *r, const struct rnode *n, struct vfiles *f)
{
	char b64[WGKEY_LEN_BASE64 + 1];

	for (size_t i = 0; i < r->n_keys; i++) {
		const struct rwgkey *key = &r->keys[i];

		if (strcmp(key->node, n->name))
			continue;
		wgkey_to_base64(b64, key->pub);
		vfiles_add(f, xasprintf("/etc/wireguard/%s.pub", key->ifname), xasprintf("%s\n", b64), 0644);
		wgkey_to_base64(b64, key->priv);
		vfiles_add(f, xasprintf("/etc/wireguard/%s.key", key->ifname), xasprintf("%s\n", b64), 0600);
		sodium_memzero(b64, sizeof(b64));
	}
}

int run_labvalues_write(struct run *r, struct rnode *n)
{
	/* Once per node, again when WireGuard interfaces or nodes were added
	 * since (wglab apply): the names and keys do not change otherwise. */
	if (n->values_keys == r->n_keys + 1 && n->values_nodes == r->n_nodes)
		return 0;
	struct vfiles f = { 0 };
	char **env = run_labvalues_env(r, n);
	char *hosts = run_labvalues_hosts(r, n->name);
	char *envtext = NULL, *resolv = NULL;
	size_t envlen = 0;
	FILE *mf = open_memstream(&envtext, &envlen);
	int err;

	if (!mf)
		xalloc_fail();
	for (char **e = env; *e; e++) {
		const char *eq = strchr(*e, '=');

		/* as `. FILE` reads it: values quoted (no value has a quote) */
		fprintf(mf, "export %.*s'%s'\n", (int)(eq - *e + 1), *e, eq + 1);
	}
	if (fclose(mf))
		xalloc_fail();
	vfiles_put(&f, (struct mnt_file){ "/run/wglab-hosts", hosts, 0644, "/etc/hosts" }, false);
	/* Once, unless wg-quick's DNS = wrote it: a program of the lab may
	 * write its own there. */
	if (!n->resolv && labvalues_host_resolv()) {
		resolv = run_labvalues_resolv(r);
		vfiles_put(&f, labvalues_resolv_file(resolv), false);
	}
	vfiles_put(&f, (struct mnt_file){ "/run/wglab.env", envtext, 0644, NULL }, false);
	/* Every public key; the private keys of the node's own interfaces
	 * only. */
	if (!access("/etc/wireguard", F_OK)) {
		for (size_t i = 0; i < r->n_keys; i++) {
			char b64[WGKEY_LEN_BASE64 + 1];

			wgkey_to_base64(b64, r->keys[i].pub);
			vfiles_add(&f, xasprintf("/etc/wireguard/%s:%s.pub", r->keys[i].node, r->keys[i].ifname),
				   xasprintf("%s\n", b64), 0644);
		}
		own_keys(r, n, &f);
	}
	err = netns_mnt_files(n->ns, f.v, f.n);
	if (err < 0)
		run_error(r, err, "Unable to write the lab values in node '%s'", n->name);
	else {
		n->values_keys = r->n_keys + 1;
		n->values_nodes = r->n_nodes;
		if (resolv)
			n->resolv = resolv;
		resolv = NULL;
	}
	vfiles_free(&f);
	free(resolv);
	free(hosts);
	free(envtext);
	run_labvalues_env_free(env);
	return err;
}

int run_labvalues_dns(struct run *r, struct rnode *n, const struct wgconf_str *dns)
{
	char *text = NULL, *search = NULL;
	size_t len = 0, slen = 0;
	FILE *b = open_memstream(&text, &len), *sb = open_memstream(&search, &slen);
	struct mnt_file f;
	struct addr a;
	int err;

	if (!b || !sb)
		xalloc_fail();
	fprintf(b, "# The lab %s: wg-quick's DNS = (wglab)\n", r->lab->name);
	for (; dns; dns = dns->next)
		if (addr_parse(dns->s, 0, &a) == 0)
			fprintf(b, "nameserver %s\n", dns->s);
		else
			fprintf(sb, " %s", dns->s);
	if (fclose(sb))
		xalloc_fail();
	if (*search)
		fprintf(b, "search%s\n", search);
	if (fclose(b))
		xalloc_fail();
	f = labvalues_resolv_file(text);
	err = labvalues_host_resolv() ? netns_mnt_files(n->ns, &f, 1) : -ENOENT;
	if (!err) {
		free(n->resolv);
		n->resolv = text;
		text = NULL;
	}
	free(text);
	free(search);
	return err;
}

int run_labvalues_all(struct run *r)
{
	int err = 0;

	for (size_t i = 0; i < r->n_nodes && !err; i++)
		if (!r->nodes[i].lan)
			err = run_labvalues_write(r, &r->nodes[i]);
	return err;
}

int run_labvalues_publish(struct run *r, const char *name)
{
	int err = 0;

	if (rootless_active())
		return 0;
	for (size_t i = 0; i < r->n_nodes && !err; i++) {
		char mount[256], *hosts, *resolv;

		/* A node not bound (its mount's name was another's): the
		 * name's files are not the lab's either. */
		if (r->nodes[i].lan || !r->nodes[i].bound)
			continue;
		snprintf(mount, sizeof(mount), "%s-%s", name, r->nodes[i].name);
		hosts = run_labvalues_hosts(r, r->nodes[i].name);
		resolv = r->nodes[i].resolv ? xstrdup(r->nodes[i].resolv) : run_labvalues_resolv(r);
		err = netns_etc_files(mount, hosts, resolv);
		free(hosts);
		free(resolv);
		if (err < 0)
			run_error(r, err, "Unable to write /etc/netns/%s/hosts and resolv.conf", mount);
	}
	return err;
}
