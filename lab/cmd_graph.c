// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/* graph: a scenario's topology as Graphviz DOT (or SVG through dot). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab/cli.h"
#include "lab/commands.h"
#include "lab/lang/diag.h"
#include "lab/lang/labkeys.h"
#include "lab/lang/model.h"
#include "lab/lang/scenario.h"
#include "netns/util/esc.h"
#include "netns/util/xalloc.h"
#include "netns/wg/wgconf.h"

static void dot_addrs(FILE *f, const struct addr_list *l)
{
	char buf[ADDR_STRLEN];

	for (size_t i = 0; i < l->n; i++)
		fprintf(f, "\\n%s", addr_format(&l->v[i], true, buf, sizeof(buf)));
}

static void dot_wg_addrs(FILE *f, const struct wgconf_device *d)
{
	char buf[ADDR_STRLEN];

	for (const struct wgconf_ip *ip = d ? d->first_address : NULL; ip; ip = ip->next)
		fprintf(f, "\\n%s", addr_format(&ip->addr, true, buf, sizeof(buf)));
}

/* The WireGuard interface "@node:if" names, as a DOT node id. */
static bool dot_ref(const char *ref, char *node, size_t nlen, const char **ifname)
{
	const char *colon = ref ? strchr(ref, ':') : NULL;

	if (!ref || ref[0] != '@' || !colon || (size_t)(colon - ref) > nlen)
		return false;
	snprintf(node, nlen, "%.*s", (int)(colon - ref - 1), ref + 1);
	*ifname = colon + 1;
	return true;
}

static void dot_write(FILE *f, const struct lab *lab)
{
	/* The description is free text: control characters escaped, and '"'
	 * and '\\' escaped as DOT wants, so that it cannot end the string. */
	char *desc = NULL;

	if (lab->description) {
		/* A key quoted in it is hidden, as in every output. */
		char *text = xstrdup(lab->description);

		labkeys_redact(lab, text);
		desc = esc_dup(text, 0);
		free(text);
	} else {
		desc = esc_dup(NULL, 0);
	}

	fprintf(f, "graph \"%s\" {\n", lab->name);
	fprintf(f, "\tgraph [label=\"%s%s", lab->name, lab->description ? "\\n" : "");
	for (const char *p = desc; *p; p++) {
		if (*p == '"' || *p == '\\')
			fputc('\\', f);
		fputc(*p, f);
	}
	fprintf(f, "\", labelloc=t, fontname=\"Helvetica\", nodesep=1.2, ranksep=1.3];\n");
	free(desc);
	fprintf(f, "\tnode [fontname=\"Helvetica\", fontsize=10];\n\tedge [fontname=\"Helvetica\", fontsize=8, labeldistance=3.5, labelangle=25];\n");
	for (const struct stmt *s = lab->first_stmt; s; s = s->next) {
		switch (s->kind) {
		case STMT_NODE:
			fprintf(f, "\t\"%s\" [shape=box, style=rounded%s];\n", s->node.name,
				(s->node.flags & NODE_ROUTER) ? ", peripheries=2" : "");
			break;
		case STMT_LINK:
			fprintf(f, "\t\"%s\" -- \"%s\" [taillabel=\"%s", s->link.end[0].ref.node,
				s->link.end[1].ref.node, s->link.end[0].ref.ifname);
			dot_addrs(f, &s->link.end[0].addrs);
			fprintf(f, "\", headlabel=\"%s", s->link.end[1].ref.ifname);
			dot_addrs(f, &s->link.end[1].addrs);
			fprintf(f, "\"];\n");
			break;
		case STMT_LAN:
			fprintf(f, "\t\"lan:%s\" [shape=ellipse, style=filled, fillcolor=\"#eeeeee\", label=\"%s",
				s->lan.name, s->lan.name);
			dot_addrs(f, &s->lan.subnets);
			fprintf(f, "\"];\n");
			for (size_t i = 0; i < s->lan.n_members; i++) {
				fprintf(f, "\t\"%s\" -- \"lan:%s\" [taillabel=\"%s", s->lan.members[i].ref.node,
					s->lan.name, s->lan.members[i].ref.ifname);
				dot_addrs(f, &s->lan.members[i].addrs);
				fprintf(f, "\"];\n");
			}
			break;
		case STMT_WIREGUARD:
		case STMT_WGQUICK: {
			const struct ifref *r = s->kind == STMT_WGQUICK ? &s->wgquick.ref : &s->wireguard.ref;
			const struct wgconf_device *d = s->kind == STMT_WGQUICK ? s->wgquick.conf :
							  s->wireguard.conf;

			if (s->kind == STMT_WIREGUARD && !(s->wireguard.set & WGSET_ADDRESS) &&
			    (s->wireguard.set & (WGSET_PORT | WGSET_KEY)) && !d->first_address)
				break;
			fprintf(f, "\t\"%s:%s\" [shape=note, color=\"#88171a\", label=\"%s:%s", r->node,
				r->ifname, r->node, r->ifname);
			dot_wg_addrs(f, d);
			fprintf(f, "\"];\n\t\"%s\" -- \"%s:%s\" [style=dotted];\n", r->node, r->node, r->ifname);
			if (s->kind != STMT_WGQUICK)
				break;
			for (const struct wgconf_peer *p = d->first_peer; p; p = p->next) {
				char node[64];
				const char *ifname;

				if (dot_ref(p->public_key_ref, node, sizeof(node), &ifname) &&
				    strcmp(node, r->node) < 0)
					fprintf(f, "\t\"%s:%s\" -- \"%s:%s\" [style=dashed, color=\"#88171a\"];\n",
						r->node, r->ifname, node, ifname);
			}
			break;
		}
		case STMT_PEER:
			if (s->peer.peer.node && !s->peer.remove &&
			    strcmp(s->peer.ref.node, s->peer.peer.node) < 0)
				fprintf(f, "\t\"%s:%s\" -- \"%s:%s\" [style=dashed, color=\"#88171a\"];\n",
					s->peer.ref.node, s->peer.ref.ifname, s->peer.peer.node, s->peer.peer.ifname);
			break;
		default:
			break;
		}
	}
	fprintf(f, "}\n");
}

int graph_main(int argc, const char *argv[])
{
	struct diags d = { 0 };
	struct lab *lab = NULL;
	bool svg = false;
	int i = 1, status, fds[2];
	pid_t pid;
	FILE *f;

	if (argc > 1 && !strcmp(argv[1], "--svg")) {
		svg = true;
		i++;
	}
	if (argc != i + 1 || !strcmp(argv[i], "--help")) {
		fprintf(argc != i + 1 ? stderr : stdout,
			"Usage: %s graph [--svg] FILE\n\nPrints the scenario's topology as Graphviz DOT (nodes, links, lans, WireGuard\ninterfaces and their peers); --svg renders it with dot(1).\n",
			prog_name);
		return argc != i + 1 ? EXIT_USAGE : EXIT_PASS;
	}
	if (scenario_load(argv[i], &lab, &d) < 0) {
		cli_print_diags(stderr, &d);
		diag_free(&d);
		return EXIT_USAGE;
	}
	if (!svg) {
		dot_write(stdout, lab);
		lab_free(lab);
		return EXIT_PASS;
	}
	if (pipe(fds)) {
		perror("Unable to create a pipe");
		lab_free(lab);
		return EXIT_FAILED;
	}
	fflush(stdout);
	pid = fork();
	if (!pid) {
		dup2(fds[0], STDIN_FILENO);
		close(fds[0]);
		close(fds[1]);
		execlp("dot", "dot", "-Tsvg", (char *)NULL);
		fprintf(stderr, "Unable to run 'dot' (Debian package graphviz): %s\n", strerror(errno));
		_exit(127);
	}
	close(fds[0]);
	f = fdopen(fds[1], "w");
	if (f) {
		dot_write(f, lab);
		fclose(f);
	}
	lab_free(lab);
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		return EXIT_FAILED;
	return EXIT_PASS;
}
