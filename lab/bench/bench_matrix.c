// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* The bench's matrix: data paths and MTUs, and a lab set to one MTU. */
#include "lab/bench/bench_matrix.h"
#include "lab/lang/model.h"
#include "netns/util/xalloc.h"
#include "netns/wg/wgconf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int bench_matrix(const char *wg_list, const char *mtu_list, bool has_wg, struct bench_combo **ret,
		 size_t *ret_n, char **ret_words)
{
	char *words = xstrdup(wg_list ? wg_list : ""), *save = NULL, *w;
	const char *wgs[8];
	unsigned int mtus[16];
	size_t n_wg = 0, n_mtu = 0, n = 0;
	struct bench_combo *v;

	/* Empty items are mistakes ("kernel,", "1280,,1420"). */
	for (const char *l = wg_list; l && *l; l = NULL)
		if (*l == ',' || l[strlen(l) - 1] == ',' || strstr(l, ",,"))
			goto bad;
	for (w = strtok_r(words, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		if ((strcmp(w, "kernel") && strcmp(w, "userspace") && strcmp(w, "auto") &&
		     strncmp(w, "userspace=", 10)) || n_wg == 8)
			goto bad;
		wgs[n_wg++] = w;
	}
	if (mtu_list) {
		const char *p = mtu_list;

		while (*p) {
			char *end;
			unsigned long m = strtoul(p, &end, 10);

			if (end == p || m < 576 || m > 65535 || n_mtu == 16 || (*end && *end != ',') ||
			    (*end == ',' && !end[1]))
				goto bad;
			mtus[n_mtu++] = (unsigned int)m;
			p = *end ? end + 1 : end;
		}
	}
	if (!has_wg)
		n_wg = n_mtu = 0;
	v = xcalloc((n_wg ? n_wg : 1) * (n_mtu ? n_mtu : 1), sizeof(*v));
	for (size_t i = 0; i < (n_wg ? n_wg : 1); i++)
		for (size_t k = 0; k < (n_mtu ? n_mtu : 1); k++) {
			v[n].wg = n_wg ? wgs[i] : NULL;
			v[n].mtu = n_mtu ? mtus[k] : 0;
			n++;
		}
	*ret = v;
	*ret_n = n;
	*ret_words = words;
	return 0;
bad:
	free(words);
	return -EINVAL;
}

bool bench_lab_has_wg(const struct lab *lab)
{
	for (const struct stmt *s = lab->first_stmt; s; s = s->next)
		if (s->kind == STMT_WIREGUARD || s->kind == STMT_WGQUICK)
			return true;
	return false;
}

size_t bench_override_mtu(struct lab *lab, unsigned int mtu)
{
	size_t n = 0;

	for (struct stmt *s = lab->first_stmt; s; s = s->next) {
		struct wgconf_device *conf = NULL;
		bool seen = false;

		if (s->kind == STMT_WGQUICK) {
			conf = s->wgquick.conf;
		} else if (s->kind == STMT_WIREGUARD) {
			/* Only the statement that creates the interface: a
			 * later one changing it may not set the MTU. */
			for (struct stmt *p = lab->first_stmt; p != s; p = p->next)
				if (p->kind == STMT_WIREGUARD &&
				    !strcmp(p->wireguard.ref.node, s->wireguard.ref.node) &&
				    !strcmp(p->wireguard.ref.ifname, s->wireguard.ref.ifname))
					seen = true;
			if (seen)
				continue;
			conf = s->wireguard.conf;
			s->wireguard.set |= WGSET_MTU;
		}
		if (!conf)
			continue;
		conf->mtu = mtu;
		conf->flags |= WGCONF_DEV_HAS_MTU;
		n++;
	}
	return n;
}
