// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * wg-quick(8) plans run inside a node: the facts a plan needs (routes,
 * tables, a sysctl) read from the kernel, and each action applied through
 * netns/ and the WireGuard device.
 */
#include "netns/addr.h"
#include "netns/link.h"
#include "netns/nftext.h"
#include "netns/nl.h"
#include "netns/ns.h"
#include "netns/sysctl.h"
#include "netns/proc.h"
#include "netns/route.h"
#include "netns/rule.h"
#include "netns/wg/wgbind.h"
#include "netns/wg/wgconf.h"
#include "netns/wg/wgchange.h"
#include "netns/wg/wgdev.h"
#include "netns/wg/wgquick.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <linux/rtnetlink.h>

#define WGQUICK_HOOK_TIMEOUT_MS 30000	/* wgquick_opts.hook_timeout_ms 0 */
#define WGQUICK_BIND_TIMEOUT_MS 5000

/* Node facts. */

struct wgquick_route_q {
	int oif;
	unsigned int mtu;
	uint32_t table;		/* dump filter, 0: main default routes */
	bool found;
};

static int wgquick_metrics_cb(const struct nlattr *attr, void *data)
{
	struct wgquick_route_q *q = data;

	if (mnl_attr_get_type(attr) == RTAX_MTU && mnl_attr_validate(attr, MNL_TYPE_U32) >= 0)
		q->mtu = mnl_attr_get_u32(attr);
	return MNL_CB_OK;
}

struct wgquick_route_attrs {
	int oif;
	unsigned int mtu;
	uint32_t table;
};

static int wgquick_rattr_cb(const struct nlattr *attr, void *data)
{
	struct wgquick_route_attrs *ra = data;
	struct wgquick_route_q m = { 0 };

	switch (mnl_attr_get_type(attr)) {
	case RTA_OIF:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) >= 0)
			ra->oif = (int)mnl_attr_get_u32(attr);
		break;
	case RTA_TABLE:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) >= 0)
			ra->table = mnl_attr_get_u32(attr);
		break;
	case RTA_METRICS:
		mnl_attr_parse_nested(attr, wgquick_metrics_cb, &m);
		ra->mtu = m.mtu;
		break;
	}
	return MNL_CB_OK;
}

/* One route of a lookup or a dump: keeps the first that matches q. */
static int wgquick_route_cb(const struct nlmsghdr *nlh, void *data)
{
	struct wgquick_route_q *q = data;
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	struct wgquick_route_attrs ra = { 0 };

	if (nlh->nlmsg_type != RTM_NEWROUTE || q->found)
		return MNL_CB_OK;
	ra.table = rtm->rtm_table;
	mnl_attr_parse(nlh, sizeof(*rtm), wgquick_rattr_cb, &ra);
	if (nlh->nlmsg_flags & NLM_F_MULTI) {
		/* A dump: the default route of main, or any route of q->table. */
		if (q->table ? ra.table != q->table : (ra.table != RT_TABLE_MAIN || rtm->rtm_dst_len))
			return MNL_CB_OK;
	}
	q->found = true;
	q->oif = ra.oif;
	q->mtu = ra.mtu;
	return MNL_CB_OK;
}

/* The route's mtu metric, else its device's MTU (wg-quick's regexes on
 * `ip route get` / `ip route show default`). */
static int wgquick_mtu_of(struct netns *ns, const struct wgquick_route_q *q, unsigned int *ret)
{
	struct link_info li;
	int r;

	*ret = 0;
	if (!q->found)
		return 0;
	if (q->mtu) {
		*ret = q->mtu;
		return 0;
	}
	if (q->oif <= 0)
		return 0;
	r = link_get_by_index(ns, q->oif, &li);
	if (r < 0)
		return r == -ENODEV ? 0 : r;
	*ret = li.mtu;
	return 0;
}

static int wgquick_node_route_mtu(void *data, const struct addr *dst, unsigned int *ret)
{
	struct netns *ns = data;
	struct nl *nl = netns_rtnl(ns);
	struct wgquick_route_q q = { 0 };
	struct route query = { .dst = *dst };
	struct nlmsghdr *nlh;
	int r;

	nlh = route_build_get(nl_reqbuf(nl), nl_bufsize(nl), &query);
	if (!nlh)
		return -errno;
	nlh->nlmsg_seq = nl_seq_next(nl);
	r = nl_talk(nl, nlh, wgquick_route_cb, &q);
	if (r == -ENETUNREACH || r == -EHOSTUNREACH) {
		*ret = 0;
		return 0;
	}
	if (r < 0)
		return r;
	return wgquick_mtu_of(ns, &q, ret);
}

struct wgquick_dump_req {
	int family;
};

static struct nlmsghdr *wgquick_dump_build(struct nl *nl, void *data)
{
	struct wgquick_dump_req *d = data;
	struct nlmsghdr *nlh = nl_request(nl, RTM_GETROUTE, NLM_F_DUMP);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));

	rtm->rtm_family = (unsigned char)d->family;
	return nlh;
}

static int wgquick_dump(struct netns *ns, int family, struct wgquick_route_q *q)
{
	struct wgquick_dump_req d = { family };

	q->found = false;
	return nl_dump(netns_rtnl(ns), wgquick_dump_build, &d, wgquick_route_cb, q);
}

static int wgquick_node_default_mtu(void *data, unsigned int *ret)
{
	struct wgquick_route_q q = { 0 };
	int r;

	r = wgquick_dump(data, AF_INET, &q);
	if (r < 0)
		return r;
	return wgquick_mtu_of(data, &q, ret);
}

static int wgquick_node_table_used(void *data, uint32_t table, bool *ret)
{
	struct wgquick_route_q q = { .table = table };
	int r;

	r = wgquick_dump(data, AF_INET, &q);
	if (!r && !q.found) {
		q.table = table;
		r = wgquick_dump(data, AF_INET6, &q);
	}
	if (r < 0)
		return r;
	*ret = q.found;
	return 0;
}

static int wgquick_node_src_valid_mark(void *data, bool *ret)
{
	char buf[16];
	int r;

	r = netns_sysctl_get(data, "net.ipv4.conf.all.src_valid_mark", buf, sizeof(buf));
	if (r < 0)
		return r;
	*ret = !strcmp(buf, "1");
	return 0;
}

void wgquick_env_node(struct wgquick_env *env, struct netns *ns)
{
	env->route_mtu = wgquick_node_route_mtu;
	env->default_mtu = wgquick_node_default_mtu;
	env->table_used = wgquick_node_table_used;
	env->src_valid_mark = wgquick_node_src_valid_mark;
	env->data = ns;
}

/* Execution. */

static int wgquick_fail(const struct wgquick_opts *opts, const struct wgquick_action *a, int r,
			const char *detail)
{
	if (opts && opts->errlen)
		snprintf(opts->err, opts->errlen, "'%s': %s%s%s", a->text, strerror(-r),
			 detail && *detail ? ": " : "", detail ? detail : "");
	return r;
}

/* What a failing hook printed (from mark on in fd), its last
 * WGQUICK_HOOK_LINES non-empty lines joined by " | ", at most len - 1
 * bytes: the lines' ends are kept.  "" when it printed nothing. */
#define WGQUICK_HOOK_LINES 3
#define WGQUICK_HOOK_TAIL 240

static void wgquick_hook_output(int fd, off_t mark, char *buf, size_t len)
{
	char tail[1024], *end, *p;
	struct stat st;
	size_t n_out = 0;
	off_t off;
	ssize_t n;
	int lines = 0;

	buf[0] = '\0';
	if (fd < 0 || fstat(fd, &st) || st.st_size <= mark)
		return;
	off = st.st_size - mark > (off_t)sizeof(tail) - 1 ? st.st_size - (off_t)sizeof(tail) + 1 : mark;
	n = pread(fd, tail, sizeof(tail) - 1, off);
	if (n <= 0)
		return;
	tail[n] = '\0';
	end = tail + n;
	/* Line by line from the end: the last ones, in their order. */
	while (end > tail && lines < WGQUICK_HOOK_LINES) {
		while (end > tail && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		if (end == tail)
			break;
		p = end;
		while (p > tail && p[-1] != '\n')
			p--;
		/* A line cut at the front (the read's start): its first word
		 * may be the end of a key, too short to be hidden as one. */
		if (p == tail && off > mark)
			p += strcspn(p, " \t");
		lines++;
		if (*p) {
			size_t l = strlen(p), sep = n_out ? 3 : 0;

			if (l + sep + n_out >= len)
				break;
			memmove(buf + l + sep, buf, n_out + 1);
			memcpy(buf, p, l);
			if (sep)
				memcpy(buf + l, " | ", 3);
			n_out += l + sep;
		}
		end = p > tail ? p - 1 : tail;
		*end = '\0';
	}
}

static const char *const wgquick_hook_names[WGCONF_HOOK_MAX] = {
	[WGCONF_PRE_UP] = "PreUp", [WGCONF_POST_UP] = "PostUp",
	[WGCONF_PRE_DOWN] = "PreDown", [WGCONF_POST_DOWN] = "PostDown",
};

/*
 * A hook in the node, through sh -c, as wg-quick's `(eval "$hook")`.  It
 * joins the interface's keeper (opts->hooks, made at its first hook), so
 * that a program it puts in the background outlives it, as under
 * wg-quick, and a later hook (PostDown's `pkill`) sees it; without one it
 * is the init of a PID namespace of its own, ended with it.  Either way
 * it is in the node's mounts (`wg` finds wireguard-go's UAPI socket in
 * the node's private /run), with UTS and IPC namespaces not the node's.
 * -ECANCELED when it failed, with its status and its output's last lines
 * in opts->err.
 */
static int wgquick_hook(struct wgdev *dev, const struct wgquick_action *a, const struct wgquick_opts *opts)
{
	struct proc_opts po = {
		.ns = wgdev_netns(dev),
		.flags = PROC_NODE_MOUNTS | PROC_ISOLATE,
		.hostname = opts ? opts->hostname : NULL,
		.stdin_fd = -1,
	};
	char *argv[] = { "sh", "-c", a->arg, NULL };
	const char *name = a->hook >= 0 && a->hook < WGCONF_HOOK_MAX ? wgquick_hook_names[a->hook] : "hook";
	char out[WGQUICK_HOOK_TAIL], why[64];
	struct proc *p = NULL;
	struct stat st;
	off_t mark = 0;
	int fd = opts ? opts->hook_log_fd : -1, own = -1, r, status = 0;
	int timeout = opts && opts->hook_timeout_ms > 0 ? opts->hook_timeout_ms : WGQUICK_HOOK_TIMEOUT_MS;

	/* Its output is read back when it fails: into a file of its own
	 * when the caller keeps none. */
	if (fd < 0) {
		own = memfd_create("wglab-hook", MFD_CLOEXEC);
		fd = own;
	}
	if (fd >= 0 && !fstat(fd, &st))
		mark = st.st_size;
	po.stdout_fd = po.stderr_fd = fd;
	if (opts && opts->hooks && !*opts->hooks) {
		r = proc_spawn_keeper(opts->hooks, &po);
		if (r < 0)
			goto cleanup;
	}
	po.join = opts && opts->hooks ? *opts->hooks : NULL;
	r = proc_spawn(&p, argv, &po);
	if (r < 0)
		goto cleanup;
	r = proc_wait(p, timeout, &status);
	if (r == -ETIMEDOUT)
		snprintf(why, sizeof(why), "did not end within %d s", timeout / 1000);
	else if (r < 0)
		goto cleanup;
	else if (WIFEXITED(status) && !WEXITSTATUS(status))
		goto cleanup;
	else if (po.join && WIFSIGNALED(status))
		snprintf(why, sizeof(why), "was killed by signal %d", WTERMSIG(status));
	else if (!po.join && WIFEXITED(status) && WEXITSTATUS(status) > 128)
		/* The init's report of its program's death by a signal. */
		snprintf(why, sizeof(why), "was killed by signal %d", WEXITSTATUS(status) - 128);
	else
		snprintf(why, sizeof(why), "exited with status %d", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	r = -ECANCELED;
	if (opts && opts->errlen) {
		wgquick_hook_output(fd, mark, out, sizeof(out));
		snprintf(opts->err, opts->errlen, "%s '%s' %s%s%s", name, a->text, why, *out ? ": " : "", out);
	}
cleanup:
	proc_free(p);
	if (own >= 0)
		close(own);
	return r;
}

static int wgquick_run(struct wgdev *dev, const struct wgconf_device *conf, struct wgquick_action *a,
		       const struct wgquick_opts *opts)
{
	struct netns *ns = wgdev_netns(dev);
	const char *ifname = wgdev_ifname(dev);
	struct wgquick_env env;
	char err[256] = "";
	int r = 0;

	if (a->skipped || a->not_applied)
		return 0;
	switch (a->op) {
	case WGQUICK_HOOK:
		r = wgquick_hook(dev, a, opts);
		return r < 0 && r != -ECANCELED ? wgquick_fail(opts, a, r, NULL) : r;
	case WGQUICK_SET_CONFIG:
		r = wgdev_set(dev, conf);
		break;
	case WGQUICK_ADDR_ADD:
		r = addr_add(ns, ifname, &a->addr);
		break;
	case WGQUICK_MTU_UP:
		if (a->auto_mtu) {
			/* wg-quick looks routes up after adding the addresses. */
			wgquick_env_node(&env, ns);
			r = wgquick_auto_mtu(conf, &env, &a->mtu);
			if (r < 0)
				break;
			free(a->text);
			a->text = xasprintf("ip link set mtu %u up dev %s", a->mtu, ifname);
		}
		r = link_set_mtu(ns, ifname, a->mtu);
		if (!r)
			r = link_set_up(ns, ifname, true);
		break;
	case WGQUICK_SET_FWMARK:
		r = wgchange_fwmark(dev, a->fwmark);
		break;
	case WGQUICK_RULE_ADD:
		r = rule_add(ns, &a->rule);
		break;
	case WGQUICK_ROUTE_ADD:
		r = route_add(ns, &a->route);
		break;
	case WGQUICK_SYSCTL:
		r = netns_sysctl_set(ns, "net.ipv4.conf.all.src_valid_mark", "1");
		break;
	case WGQUICK_NFT: {
		struct addr *v = NULL;
		size_t n = 0;

		/* wg-quick's `ip -o $proto addr show dev IF` now: the
		 * link-local address and those a PreUp added too. */
		r = addr_list(ns, ifname, a->addr.family, &v, &n);
		if (r < 0)
			break;
		free(a->arg);
		a->arg = wgquick_nft_script(ifname, a->addr.family, a->fwmark, v, n);
		free(v);
		r = nftext_apply(ns, a->arg, err, sizeof(err));
		return r < 0 ? wgquick_fail(opts, a, r, err) : 0;
	}
	case WGQUICK_RULE_DEL:
		/* while `ip rule show` lists it: delete. */
		while (!(r = rule_del(ns, &a->rule)))
			;
		r = r == -ENOENT ? 0 : r;
		break;
	case WGQUICK_LINK_DEL:
		r = wgdev_delete(dev);
		break;
	case WGQUICK_NFT_DEL: {
		char cmd[64];
		int i;

		/* Only the tables that exist: one transaction each. */
		for (i = 0; i < 2; i++) {
			snprintf(cmd, sizeof(cmd), "delete table %s wg-quick-%s\n", i ? "ip6" : "ip", ifname);
			nftext_apply(ns, cmd, err, sizeof(err));
		}
		return 0;
	}
	case WGQUICK_DNS:
	case WGQUICK_SAVE_CONFIG:
		return 0;
	}
	if (r < 0)
		return wgquick_fail(opts, a, r, netns_extack(ns));
	return 0;
}

/* Keeps the first n actions (those that ran). */
static void wgquick_truncate(struct wgquick_plan *plan, size_t n)
{
	while (plan->n > n) {
		plan->n--;
		free(plan->actions[plan->n].text);
		free(plan->actions[plan->n].arg);
	}
}

/* wg-quick's trap on a failed `up`: del_if (rules of the full tunnel,
 * then the link) and the firewall it set. */
static void wgquick_undo(struct wgdev *dev, const struct wgconf_device *conf)
{
	struct wgquick_plan *down = NULL;
	struct wgconf_device *state = NULL;
	size_t i;

	if (wgdev_get(dev, &state) < 0)
		state = NULL;
	if (state) {
		down = wgquick_plan_down(conf, state, wgdev_ifname(dev));
		for (i = 0; i < down->n; i++)
			if (down->actions[i].op != WGQUICK_HOOK)
				wgquick_run(dev, conf, &down->actions[i], NULL);
	} else {
		wgdev_delete(dev);
	}
	wgquick_plan_free(down);
	wgconf_device_free(state);
}

/*
 * After `ip link set up`: the kernel has bound its socket or refused the
 * link; wireguard-go binds when it decides it is up, maybe only now, and
 * a failure is only in its log (logged from mark on).  Its refusal is
 * that action's, in its words: "'ip link set ... up dev wg1':
 * wireguard-go: Unable to update bind: ... (Address already in use)".
 */
static int wgquick_bind(struct wgdev *dev, const struct wgquick_action *a, const struct wgquick_opts *opts,
			off_t mark)
{
	char why[320];
	int r;

	r = wgbind_wait(dev, opts ? opts->prog_log_fd : -1, mark, WGQUICK_BIND_TIMEOUT_MS, why, sizeof(why));
	if (r < 0 && opts && opts->errlen)
		snprintf(opts->err, opts->errlen, "'%s': %s (%s)", a->text, why, strerror(-r));
	return r;
}

int wgquick_up(struct wgdev *dev, const struct wgconf_device *conf, const struct wgquick_opts *opts,
	       struct wgquick_plan **ret_plan)
{
	struct wgquick_plan *plan = NULL;
	struct wgquick_env env;
	off_t mark = wgbind_log_mark(opts ? opts->prog_log_fd : -1);
	size_t i;
	int r;

	if (opts && opts->errlen)
		opts->err[0] = '\0';
	wgquick_env_node(&env, wgdev_netns(dev));
	r = wgquick_plan_up(conf, wgdev_ifname(dev), &env, &plan);
	if (r < 0)
		return r;
	for (i = 0; i < plan->n; i++) {
		struct wgquick_action *a = &plan->actions[i];

		r = wgquick_run(dev, conf, a, opts);
		if (!r && a->op == WGQUICK_MTU_UP && !a->skipped)
			r = wgquick_bind(dev, a, opts, mark);
		if (r < 0)
			break;
		if (opts && opts->ran && !a->skipped && !a->not_applied)
			opts->ran(opts->ran_data, a);
	}
	if (r < 0) {
		/* Only the actions that ran stay in the plan. */
		wgquick_truncate(plan, i + 1);
		wgquick_undo(dev, conf);
	}
	if (ret_plan)
		*ret_plan = plan;
	else
		wgquick_plan_free(plan);
	return r;
}

int wgquick_down(struct wgdev *dev, const struct wgconf_device *conf, const struct wgquick_opts *opts,
		 struct wgquick_plan **ret_plan)
{
	struct wgconf_device *state = NULL;
	struct wgquick_plan *plan;
	size_t i;
	int r;

	if (opts && opts->errlen)
		opts->err[0] = '\0';
	r = wgdev_get(dev, &state);
	if (r < 0)
		return r;
	plan = wgquick_plan_down(conf, state, wgdev_ifname(dev));
	wgconf_device_free(state);
	for (i = 0; i < plan->n; i++) {
		r = wgquick_run(dev, conf, &plan->actions[i], opts);
		if (r < 0) {
			wgquick_truncate(plan, i + 1);
			break;
		}
	}
	if (ret_plan)
		*ret_plan = plan;
	else
		wgquick_plan_free(plan);
	return r;
}
