#!/bin/sh
# iproute2, as an independent observer inside the namespaces, sees exactly
# what tests/integration/routed.lab says: interfaces, addresses, routes,
# forwarding.
. tests/cli/lib.sh
need_root

name=w$$
$WG up --name "$name" tests/integration/routed.lab > "$T/out" 2>&1 || fail "up: $(cat "$T/out")"
trap '$WG down "$name" >/dev/null 2>&1; rm -rf "$T"' EXIT

# node: its interfaces, and "if addr/len" for every global address.
addrs() {
	ip -n "$name-$1" -j addr show | jq -r '.[] | .ifname as $i | .addr_info[] |
		select(.scope == "global") | "\($i) \(.local)/\(.prefixlen)"' | sort | tr '\n' ' '
}
# operstate follows carrier asynchronously (linkwatch): poll for a while.
links() {
	i=0
	while :; do
		l=$(ip -n "$name-$1" -j link show | jq -r '.[] | "\(.ifname):\(.operstate)"' | sort | tr '\n' ' ')
		case "$l" in *DOWN*|*:UNKNOWN*eth*|*eth*:UNKNOWN*) ;; *) break ;; esac
		i=$((i + 1)); [ $i -lt 40 ] || break; sleep 0.05
	done
	echo "$l"
}
routes() {
	ip -n "$name-$1" "$2" -j route show | jq -r '.[] | select(.dst == "default") | "default via \(.gateway) dev \(.dev)"'
}
sysctl_of() {
	ip netns exec "$name-$1" cat "/proc/sys/$2"
}

[ "$(addrs client)" = "eth0 10.1.0.2/24 eth0 fd00:1::2/64 " ] || fail "client addresses: $(addrs client)"
[ "$(addrs router)" = "eth0 10.1.0.1/24 eth0 fd00:1::1/64 eth1 10.2.0.1/24 eth1 fd00:2::1/64 " ] ||
	fail "router addresses: $(addrs router)"
[ "$(addrs server)" = "eth0 10.2.0.2/24 eth0 fd00:2::2/64 " ] || fail "server addresses: $(addrs server)"
[ "$(links client)" = "eth0:UP lo:UNKNOWN " ] || fail "client links: $(links client)"
[ "$(links router)" = "eth0:UP eth1:UP lo:UNKNOWN " ] || fail "router links: $(links router)"
[ "$(routes client -4)" = "default via 10.1.0.1 dev eth0" ] || fail "client v4 default: $(routes client -4)"
[ "$(routes client -6)" = "default via fd00:1::1 dev eth0" ] || fail "client v6 default: $(routes client -6)"
[ "$(routes server -4)" = "default via 10.2.0.1 dev eth0" ] || fail "server v4 default"
[ -z "$(routes router -4)" ] || fail "router has a default route it was not given"
[ "$(sysctl_of router net/ipv4/ip_forward)" = 1 ] || fail "router does not forward IPv4"
[ "$(sysctl_of router net/ipv6/conf/all/forwarding)" = 1 ] || fail "router does not forward IPv6"
[ "$(sysctl_of client net/ipv4/ip_forward)" = 0 ] || fail "client forwards"
[ "$(sysctl_of client net/ipv4/conf/all/rp_filter)" = 0 ] || fail "client rp_filter is not the documented 0"
ip netns exec "$name-client" ping -c1 -W2 10.2.0.2 >/dev/null || fail "ping"
$WG down "$name" >/dev/null || fail "down"
trap 'rm -rf "$T"' EXIT
exit 0
