#!/bin/sh
# The WireGuard host: with --wg auto (no kernel WireGuard here) or
# userspace, every userspace interface of a lab lives in one process,
# wglab-wghost, and the report says so.  The tunnel carries traffic, its
# UDP sockets are in the node's namespace (not the host's), `wg show`
# through `wglab exec` works on a kept lab, down leaves nothing behind.
# --wg userspace=wireguard-go still starts a wireguard-go per interface.
# The host is started before the build (a step before the first
# interface sees it running).
. tests/cli/lib.sh
need_root
command -v wireguard-go >/dev/null || { echo "SKIP: no wireguard-go" >&2; exit 77; }

name=wghost$$
cat > "$T/two.lab" <<LAB
lab $name
node a
node b
node c
link a:eth0 10.0.0.1/24 -- b:eth0 10.0.0.2/24
link a:eth1 10.0.1.1/24 -- c:eth0 10.0.1.2/24
wireguard a:wg0 address 10.9.0.1/24 listen-port 51820
wireguard b:wg0 address 10.9.0.2/24 listen-port 51820
wireguard c:wg0 address 10.9.0.3/24 listen-port 51820
peer a:wg0 b:wg0 allowed-ips 10.9.0.2/32 endpoint b:51820
peer b:wg0 a:wg0 allowed-ips 10.9.0.1/32 endpoint a:51820
peer a:wg0 c:wg0 allowed-ips 10.9.0.3/32 endpoint c:51820
peer c:wg0 a:wg0 allowed-ips 10.9.0.1/32 endpoint a:51820
expect a reaches 10.9.0.2
expect c reaches 10.9.0.1
expect a:wg0 handshake b:wg0
LAB

LABS=$name
snapshot "$T/before"
$WG run "$T/two.lab" > "$T/run" 2>&1 || fail "run: $(cat "$T/run")"
grep -q "3 passed, 0 failed; WireGuard: userspace (wglab-wghost, wireguard-go v[0-9.]* as a library, one process for every interface)" "$T/run" ||
	fail "the data path is not the WireGuard host: $(cat "$T/run")"
same_as "$T/before" || fail "run left something behind"

$WG run --wg userspace=wireguard-go "$T/two.lab" > "$T/run" 2>&1 || fail "run with wireguard-go: $(cat "$T/run")"
grep -q "3 passed, 0 failed; WireGuard: userspace (wireguard-go v" "$T/run" ||
	fail "--wg userspace=wireguard-go is not a wireguard-go per interface: $(cat "$T/run")"
same_as "$T/before" || fail "run with wireguard-go left something behind"

$WG up "$T/two.lab" > "$T/up" 2>&1 || fail "up: $(cat "$T/up")"
trap '$WGLAB down "$name" >/dev/null 2>&1; rm -rf "$T"' EXIT
procs=$(marked_procs)
[ "$(printf '%s\n' "$procs" | grep -c ' wglab-wghost$')" = 1 ] ||
	fail "not one WireGuard host for three interfaces: $procs"
printf '%s\n' "$procs" | grep -q ' wireguard-go$' && fail "wireguard-go started beside the host: $procs"
$WG exec "$name" a wg show wg0 > "$T/wg" 2>&1 || fail "wglab exec wg show: $(cat "$T/wg")"
grep -q "^interface: wg0" "$T/wg" && [ "$(grep -c '^peer: ' "$T/wg")" = 2 ] &&
	grep -q "latest handshake" "$T/wg" || fail "wg show through wglab exec: $(cat "$T/wg")"
grep -q "private key: (hidden)" "$T/wg" || fail "wg show shows a private key: $(cat "$T/wg")"
# The listen port is bound in the node's namespace, by the host.
ip netns exec "$name-b" ss -Hulpn "sport = :51820" > "$T/ss" 2>&1
grep -q '"wglab-wghost"' "$T/ss" || fail "no socket of the host on b's port 51820: $(cat "$T/ss")"
ss -Hulpn "sport = :51820" | grep -q '"wglab-wghost"' && fail "the host bound 51820 in the host's namespace"
# A port changed through the UAPI binds in the node too.
$WG exec "$name" b wg set wg0 listen-port 51999 > "$T/set" 2>&1 || fail "wg set listen-port: $(cat "$T/set")"
ip netns exec "$name-b" ss -Hulpn "sport = :51999" | grep -q '"wglab-wghost"' ||
	fail "listen-port 51999 set through the UAPI is not bound in b"
$WGLAB down "$name" > "$T/down" 2>&1 || fail "down: $(cat "$T/down")"
same_as "$T/before" || fail "down left something behind"
trap 'rm -rf "$T"' EXIT

# The host starts before the build, its Go runtime's start beside it:
# it runs while a step before the first interface does.
cat > "$T/early.lab" <<LAB
lab $name
node a
run a -- sh -c "touch $T/first-step; sleep 2"
wireguard a:wg0 address 10.9.0.1/24
expect a:wg0 device peers 0
LAB
$WG run "$T/early.lab" > "$T/run" 2>&1 &
pid=$!
i=0
until [ -e "$T/first-step" ]; do
	i=$((i + 1)); [ $i -lt 200 ] || fail "the first step never ran"; sleep 0.05
done
marked_procs | grep -q ' wglab-wghost$' || fail "no WireGuard host while the first step runs: $(marked_procs)"
wait $pid || fail "early.lab: $(cat "$T/run")"
same_as "$T/before" || fail "early.lab left something behind"

# The host killed: a failing expectation says so (its TUNs stay, wglab
# holds them, and packets into them vanish without an error).
cat > "$T/dead.lab" <<LAB
lab $name
node a
node b
link a:eth0 10.99.0.1/24 -- b:eth0 10.99.0.2/24
wireguard a:wg0 address 10.100.0.1/24 listen-port 51820
wireguard b:wg0 address 10.100.0.2/24 listen-port 51820
peer b:wg0 a:wg0 allowed-ips 10.100.0.1/32
peer a:wg0 b:wg0 allowed-ips 10.100.0.2/32 endpoint 10.99.0.2:51820
expect a reaches 10.100.0.2
LAB
trap '$WGLAB down "$name" >/dev/null 2>&1; rm -rf "$T"' EXIT
$WG up "$T/dead.lab" > "$T/up" 2>&1 || fail "up dead.lab: $(cat "$T/up")"
host=$(marked_procs | awk '$2 == "wglab-wghost" { print $1 }')
[ -n "$host" ] || fail "no WireGuard host to kill: $(marked_procs)"
kill -KILL $host
echo 'expect a reaches 10.100.0.2 within 1s' | $WG expect "$name" - > "$T/exp" 2>&1 && fail "reached through a dead host"
grep -q "WireGuard host (wglab-wghost) has exited (killed by signal 9)" "$T/exp" ||
	fail "the evidence does not say the host died: $(cat "$T/exp")"
$WGLAB down "$name" > "$T/down" 2>&1 || fail "down: $(cat "$T/down")"
same_as "$T/before" || fail "dead.lab left something behind"
trap 'rm -rf "$T"' EXIT
exit 0
