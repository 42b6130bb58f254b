// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * NAT devices as nftables text (research/nat-holepunch.md gives every
 * construction, measured), applied through libnftables as one transaction.
 */
#include "netns/fw/nat.h"
#include "netns/fw/fw.h"
#include "netns/nftext.h"
#include "netns/ns.h"
#include "netns/sysctl.h"
#include "netns/util/number.h"
#include "netns/util/xalloc.h"

#include <errno.h>
#include <ifaddrs.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#define NAT_TABLE_PREFIX "wglab-nat-"
/* The map outlives conntrack's stream timeout by default (research 5.4). */
#define NAT_MAP_TIMEOUT 120

static const struct {
	const char *name;
	const char *canonical;	/* what an alias stands for, NULL for itself */
	enum nat_mapping mapping;
	enum nat_filtering filtering;
	enum nat_port port;
	bool drop;
} nat_presets[] = {
	{ "home", NULL, NAT_MAP_EIM, NAT_FILTER_APDF, NAT_PORT_PRESERVE, true },
	{ "port-restricted", NULL, NAT_MAP_EIM, NAT_FILTER_APDF, NAT_PORT_PRESERVE, true },
	{ "full-cone", NULL, NAT_MAP_EIM, NAT_FILTER_EIF, NAT_PORT_PRESERVE, true },
	{ "restricted-cone", NULL, NAT_MAP_EIM, NAT_FILTER_ADF, NAT_PORT_PRESERVE, true },
	{ "symmetric", NULL, NAT_MAP_APDM, NAT_FILTER_APDF, NAT_PORT_RANDOM, true },
	/* RFC 6888: endpoint-independent mapping (REQ-1, through RFC 4787),
	 * endpoint-independent filtering as RFC 4787 REQ-8 recommends, one
	 * public address (paired pooling holds trivially), ports kept when
	 * free; no port-block allocation. */
	{ "carrier-rfc6888", NULL, NAT_MAP_EIM, NAT_FILTER_EIF, NAT_PORT_PRESERVE, true },
	/* A carrier that picks a random port per flow: symmetric. */
	{ "carrier-random", NULL, NAT_MAP_APDM, NAT_FILTER_APDF, NAT_PORT_RANDOM, true },
	{ "cgnat", "carrier-random", NAT_MAP_APDM, NAT_FILTER_APDF, NAT_PORT_RANDOM, true },
	{ "masquerade", NULL, NAT_MAP_EIM, NAT_FILTER_APDF, NAT_PORT_PRESERVE, false },
};

static const char *const nat_mapping_names[] = { "EIM", "ADM", "APDM" };
static const char *const nat_filtering_names[] = { "EIF", "ADF", "APDF" };

const char *nat_mapping_name(enum nat_mapping m)
{
	return (unsigned int)m < 3 ? nat_mapping_names[m] : "?";
}

const char *nat_filtering_name(enum nat_filtering f)
{
	return (unsigned int)f < 3 ? nat_filtering_names[f] : "?";
}

int nat_preset(const char *name, struct nat_spec *ret)
{
	size_t i;

	for (i = 0; i < sizeof(nat_presets) / sizeof(nat_presets[0]); i++) {
		if (strcmp(nat_presets[i].name, name))
			continue;
		memset(ret, 0, sizeof(*ret));
		/* An alias is reported as what it stands for. */
		snprintf(ret->preset, sizeof(ret->preset), "%s",
			 nat_presets[i].canonical ? nat_presets[i].canonical : name);
		ret->mapping = nat_presets[i].mapping;
		ret->filtering = nat_presets[i].filtering;
		ret->port = nat_presets[i].port;
		ret->drop_unsolicited = nat_presets[i].drop;
		return 0;
	}
	return -ENOENT;
}

static int nat_err(struct fw_error *err, int arg, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int nat_err(struct fw_error *err, int arg, int code, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		memset(err, 0, sizeof(*err));
		err->arg = arg;
		err->err = code;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return code;
}

/* Interface names go into nft text between quotes. */
static bool nat_ifname_ok(const char *s)
{
	size_t len = strlen(s);

	return len && len < IF_NAMESIZE && !strpbrk(s, "\"'\\/ \t\n");
}

static int nat_word(const char *s, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcasecmp(s, names[i]))
			return (int)i;
	return -1;
}

static int nat_onoff(const char *s)
{
	if (!strcmp(s, "on") || !strcmp(s, "yes"))
		return 1;
	if (!strcmp(s, "off") || !strcmp(s, "no"))
		return 0;
	return -1;
}

int nat_parse(const char *const *argv, int argc, struct nat_spec *ret, struct fw_error *err)
{
	static const char *const maps[] = { "EIM", "ADM", "APDM" };
	static const char *const filters[] = { "EIF", "ADF", "APDF" };
	static const char *const ports[] = { "preserve", "random" };
	struct nat_spec s;
	int i = 1, k, map_arg = -1, port_arg = -1;

	if (err) {
		memset(err, 0, sizeof(*err));
		err->arg = -1;
	}
	if (argc < 1)
		return nat_err(err, -1, -EINVAL, "missing the outside interface");
	if (!nat_ifname_ok(argv[0]))
		return nat_err(err, 0, -EINVAL, "bad interface name '%s'", argv[0]);
	nat_preset("home", &s);
	if (argc > 1 && !strcmp(argv[1], "preset")) {
		if (argc < 3)
			return nat_err(err, 1, -EINVAL, "'preset' needs a name");
		if (nat_preset(argv[2], &s))
			return nat_err(err, 2, -EINVAL,
				       "unknown preset '%s' (home, port-restricted, full-cone, "
				       "restricted-cone, symmetric, carrier-rfc6888, carrier-random, "
				       "cgnat = carrier-random, masquerade)", argv[2]);
		i = 3;
	}
	for (; i < argc; i += 2) {
		const char *key = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(key, "preset"))
			return nat_err(err, i, -EINVAL, "'preset' must come right after the interface");
		if (strcmp(key, "mapping") && strcmp(key, "filtering") && strcmp(key, "port") &&
		    strcmp(key, "hairpin") && strcmp(key, "udp-timeout") && strcmp(key, "inside") &&
		    strcmp(key, "drop-unsolicited"))
			return nat_err(err, i, -EINVAL, "unknown option '%s'", key);
		if (!val)
			return nat_err(err, i, -EINVAL, "'%s' needs a value", key);
		if (!strcmp(key, "mapping")) {
			k = nat_word(val, maps, 3);
			if (k < 0)
				return nat_err(err, i + 1, -EINVAL, "bad mapping '%s' (EIM, ADM, APDM)", val);
			s.mapping = (enum nat_mapping)k;
			map_arg = i + 1;
		} else if (!strcmp(key, "filtering")) {
			k = nat_word(val, filters, 3);
			if (k < 0)
				return nat_err(err, i + 1, -EINVAL, "bad filtering '%s' (EIF, ADF, APDF)",
					       val);
			s.filtering = (enum nat_filtering)k;
		} else if (!strcmp(key, "port")) {
			k = nat_word(val, ports, 2);
			if (k < 0)
				return nat_err(err, i + 1, -EINVAL, "bad port '%s' (preserve, random)", val);
			s.port = (enum nat_port)k;
			port_arg = i + 1;
		} else if (!strcmp(key, "hairpin") || !strcmp(key, "drop-unsolicited")) {
			k = nat_onoff(val);
			if (k < 0)
				return nat_err(err, i + 1, -EINVAL, "'%s' is on or off, not '%s'", key, val);
			if (!strcmp(key, "hairpin"))
				s.hairpin = k;
			else
				s.drop_unsolicited = k;
		} else if (!strcmp(key, "udp-timeout")) {
			uint64_t ms;
			const char *why;

			/* conntrack counts whole seconds */
			if (number_duration_ms(val, &ms, &why) < 0 || ms < 1000 || ms % 1000)
				return nat_err(err, i + 1, -EINVAL,
					       "bad udp-timeout '%s' (whole seconds with a unit, 1s to 24h)",
					       val);
			s.udp_timeout = (unsigned int)(ms / 1000);
		} else {
			if (!nat_ifname_ok(val))
				return nat_err(err, i + 1, -EINVAL, "bad interface name '%s'", val);
			if (!strcmp(val, argv[0]))
				return nat_err(err, i + 1, -EINVAL, "inside and outside are both '%s'", val);
			snprintf(s.inside, sizeof(s.inside), "%s", val);
		}
	}
	/* A mapping given explicitly brings its natural port behaviour. */
	if (map_arg >= 0 && port_arg < 0)
		s.port = s.mapping == NAT_MAP_APDM ? NAT_PORT_RANDOM : NAT_PORT_PRESERVE;
	if (s.mapping == NAT_MAP_ADM)
		return nat_err(err, map_arg, -EOPNOTSUPP,
			       "mapping ADM is not supported: Linux NAT has no address-dependent "
			       "port allocation");
	if (s.mapping == NAT_MAP_EIM && s.port == NAT_PORT_RANDOM)
		return nat_err(err, port_arg >= 0 ? port_arg : map_arg, -EINVAL,
			       "random ports with mapping EIM: Linux randomises per flow, which is APDM");
	if (s.mapping == NAT_MAP_APDM && s.port == NAT_PORT_PRESERVE)
		return nat_err(err, port_arg >= 0 ? port_arg : map_arg, -EINVAL,
			       "mapping APDM cannot preserve ports");
	snprintf(s.out_if, sizeof(s.out_if), "%s", argv[0]);
	*ret = s;
	return 0;
}

int nat_script(const char *out_if, const struct nat_spec *spec, const char *pub, char **ret)
{
	unsigned int tmo = spec->udp_timeout ? spec->udp_timeout : NAT_MAP_TIMEOUT;
	bool eif = spec->filtering == NAT_FILTER_EIF, adf = spec->filtering == NAT_FILTER_ADF;
	bool portmap = eif || spec->hairpin;
	char in[IF_NAMESIZE + 32];
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if (!nat_ifname_ok(out_if) || (spec->inside[0] && !nat_ifname_ok(spec->inside)))
		return -EINVAL;
	if (spec->mapping == NAT_MAP_ADM)
		return -EOPNOTSUPP;
	if (spec->hairpin && (!pub || !*pub))
		return -EINVAL;
	/* Traffic from inside: the named interface, else anything but OUT. */
	if (spec->inside[0])
		snprintf(in, sizeof(in), "iifname \"%s\"", spec->inside);
	else
		snprintf(in, sizeof(in), "iifname != \"%s\"", out_if);
	f = xcheck(open_memstream(&buf, &len));
	fprintf(f, "table ip " NAT_TABLE_PREFIX "%s {\n", out_if);
	if (portmap)
		fprintf(f, "\tmap udpmap {\n\t\ttype inet_service : ipv4_addr . inet_service\n"
			"\t\tflags dynamic, timeout\n\t\ttimeout %us\n\t}\n", tmo);
	if (adf)
		fprintf(f, "\tmap admap {\n\t\ttype inet_service . ipv4_addr : ipv4_addr . inet_service\n"
			"\t\tflags dynamic, timeout\n\t\ttimeout %us\n\t}\n", tmo);

	fprintf(f, "\tchain prerouting {\n\t\ttype nat hook prerouting priority dstnat; policy accept;\n");
	if (eif)
		fprintf(f, "\t\tiifname \"%s\" meta l4proto udp dnat ip to udp dport map @udpmap\n",
			out_if);
	if (adf)
		fprintf(f, "\t\tiifname \"%s\" meta l4proto udp dnat ip to udp dport . ip saddr map @admap\n",
			out_if);
	if (spec->hairpin)
		fprintf(f, "\t\t%s ip daddr %s meta l4proto udp dnat ip to udp dport map @udpmap\n",
			in, pub);
	fprintf(f, "\t}\n");

	fprintf(f, "\tchain postrouting {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n");
	/* Hairpinned packets leave inside with the public address, so the
	 * inside peer answers through the NAT.  Only those that came from
	 * inside, as the prerouting rule that DNATed them: an outside flow
	 * that EIF or ADF filtering DNATs inside keeps its source.  (On IPv4
	 * postrouting sees the input device of a forwarded packet.) */
	if (spec->hairpin)
		fprintf(f, "\t\t%s oifname != \"%s\" ct original ip daddr %s ct status dnat snat ip to %s\n",
			in, out_if, pub, pub);
	fprintf(f, "\t\toifname \"%s\"%s%s masquerade%s\n", out_if, spec->inside[0] ? " " : "",
		spec->inside[0] ? in : "", spec->port == NAT_PORT_RANDOM ? " fully-random" : "");
	fprintf(f, "\t}\n");

	/* After SNAT (srcnat + 10) the reply tuple carries the mapped port. */
	if (portmap || adf) {
		fprintf(f, "\tchain record {\n\t\ttype filter hook postrouting priority srcnat + 10; policy accept;\n");
		if (portmap)
			fprintf(f, "\t\toifname \"%s\" meta l4proto udp ct direction original ct status snat "
				"update @udpmap { ct reply proto-dst : ct original ip saddr . ct original proto-src }\n",
				out_if);
		if (adf)
			fprintf(f, "\t\toifname \"%s\" meta l4proto udp ct direction original ct status snat "
				"update @admap { ct reply proto-dst . ct original ip daddr : ct original ip saddr . "
				"ct original proto-src }\n", out_if);
		fprintf(f, "\t}\n");
	}

	/* Unsolicited UDP is dropped before conntrack confirms an entry for
	 * it; DNATed flows (the map, port forwards) and local sockets pass. */
	if (spec->drop_unsolicited) {
		fprintf(f, "\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n"
			"\t\tiifname \"%s\" meta l4proto udp ct state established,related accept\n"
			"\t\tiifname \"%s\" meta l4proto udp socket transparent 0 accept\n"
			"\t\tiifname \"%s\" meta l4proto udp counter drop\n\t}\n", out_if, out_if, out_if);
		fprintf(f, "\tchain forward {\n\t\ttype filter hook forward priority filter; policy accept;\n"
			"\t\tiifname \"%s\" meta l4proto udp ct state established,related accept\n"
			"\t\tiifname \"%s\" meta l4proto udp ct status dnat accept\n"
			"\t\tiifname \"%s\" meta l4proto udp counter drop\n\t}\n", out_if, out_if, out_if);
	}
	fprintf(f, "}\n");
	/* A memory stream fails only when it cannot grow. */
	if (fclose(f))
		xalloc_fail();
	*ret = buf;
	return 0;
}

/* The first IPv4 address of ifname in ns. */
static int nat_if_addr(struct netns *ns, const char *ifname, char *buf, size_t len)
{
	struct ifaddrs *ifa = NULL, *i;
	int ret;

	/* getifaddrs asks rtnetlink of the current namespace. */
	ret = netns_enter(ns);
	if (ret < 0)
		return ret;
	ret = getifaddrs(&ifa) ? -errno : -EADDRNOTAVAIL;
	netns_leave();
	for (i = ifa; i && ret == -EADDRNOTAVAIL; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET || strcmp(i->ifa_name, ifname))
			continue;
		inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, buf, (socklen_t)len);
		ret = 0;
	}
	freeifaddrs(ifa);
	return ret;
}

static int nat_run(struct netns *ns, const char *out_if, const char *body, struct fw_error *err)
{
	char *script, msg[FW_MSG_LEN];
	int ret;

	/* Replace in one transaction: declare (a no-op if it exists),
	 * delete, then define anew. */
	script = xasprintf("table ip " NAT_TABLE_PREFIX "%s\ndelete table ip " NAT_TABLE_PREFIX "%s\n%s",
			   out_if, out_if, body ? body : "");
	ret = nftext_apply(ns, script, msg, sizeof(msg));
	free(script);
	if (ret)
		return nat_err(err, -1, ret, "nft refused the NAT rules: %s", msg);
	return 0;
}

#define NAT_SYSCTL_UDP "net.netfilter.nf_conntrack_udp_timeout"
#define NAT_SYSCTL_STREAM "net.netfilter.nf_conntrack_udp_timeout_stream"

static int nat_timeouts_write(struct netns *ns, const char *udp, const char *stream)
{
	int ret = netns_sysctl_set(ns, NAT_SYSCTL_UDP, udp);

	return ret ? ret : netns_sysctl_set(ns, NAT_SYSCTL_STREAM, stream);
}

/* Puts back what the device on out_if replaced, if it is still what that
 * device wrote. */
static int nat_timeouts_restore(struct netns *ns, const char *out_if, struct nat_timeouts *keep)
{
	char udp[16], stream[16], set[16];
	int ret;

	if (!keep || !keep->saved || strcmp(keep->owner, out_if))
		return 0;
	keep->owner[0] = '\0';
	snprintf(set, sizeof(set), "%u", keep->set);
	ret = netns_sysctl_get(ns, NAT_SYSCTL_UDP, udp, sizeof(udp));
	if (!ret)
		ret = netns_sysctl_get(ns, NAT_SYSCTL_STREAM, stream, sizeof(stream));
	if (ret)
		return ret;
	if (strcmp(udp, set) || strcmp(stream, set)) {
		/* A later sysctl step has the last word. */
		keep->saved = false;
		return 0;
	}
	ret = nat_timeouts_write(ns, keep->udp, keep->stream);
	if (!ret)
		keep->saved = false;
	return ret;
}

int nat_apply(struct netns *ns, const char *out_if, const struct nat_spec *spec,
	      struct nat_timeouts *keep, struct fw_error *err)
{
	char pub[INET_ADDRSTRLEN] = "", tmo[16], *body = NULL;
	int ret;

	if (err) {
		memset(err, 0, sizeof(*err));
		err->arg = -1;
	}
	if (spec->hairpin) {
		ret = nat_if_addr(ns, out_if, pub, sizeof(pub));
		if (ret)
			return nat_err(err, -1, ret, "hairpin needs an IPv4 address on '%s': %s",
				       out_if, strerror(-ret));
	}
	ret = nat_script(out_if, spec, pub, &body);
	if (ret)
		return nat_err(err, -1, ret, "cannot build the NAT rules: %s", strerror(-ret));
	ret = nat_run(ns, out_if, body, err);
	free(body);
	if (ret)
		return ret;
	if (!spec->udp_timeout) {
		ret = nat_timeouts_restore(ns, out_if, keep);
		if (ret)
			return nat_err(err, -1, ret, "cannot restore the UDP conntrack timeouts: %s",
				       strerror(-ret));
		return 0;
	}
	if (keep && !keep->saved) {
		ret = netns_sysctl_get(ns, NAT_SYSCTL_UDP, keep->udp, sizeof(keep->udp));
		if (!ret)
			ret = netns_sysctl_get(ns, NAT_SYSCTL_STREAM, keep->stream, sizeof(keep->stream));
		if (ret)
			return nat_err(err, -1, ret, "cannot read the UDP conntrack timeouts: %s",
				       strerror(-ret));
	}
	snprintf(tmo, sizeof(tmo), "%u", spec->udp_timeout);
	ret = nat_timeouts_write(ns, tmo, tmo);
	if (ret)
		return nat_err(err, -1, ret, "cannot set the UDP conntrack timeouts: %s",
			       strerror(-ret));
	if (keep) {
		keep->saved = true;
		keep->set = spec->udp_timeout;
		snprintf(keep->owner, sizeof(keep->owner), "%s", out_if);
	}
	return 0;
}

int nat_remove(struct netns *ns, const char *out_if, struct fw_error *err)
{
	if (err) {
		memset(err, 0, sizeof(*err));
		err->arg = -1;
	}
	if (!nat_ifname_ok(out_if))
		return nat_err(err, -1, -EINVAL, "bad interface name '%s'", out_if);
	return nat_run(ns, out_if, NULL, err);
}
