#!/bin/sh
# Live labs: `up --no-expect` keeps a lab without evaluating its
# expectations; `expect` evaluates them later with run's output, reports
# and exit codes; a roam made by hand (an address moved with iproute2) is
# then seen with `expect`; `apply` runs statements (a firewall rule) on
# the kept lab; statements `expect` does not take, and malformed ones, are
# positioned errors (exit 2).  `wg show` works through `wglab exec`, as
# `up` says, and `ip netns exec` shows nothing of wireguard-go's devices.
# down leaves nothing behind.  A kept lab's resolv.conf (wg-quick's DNS =)
# is the same through ip netns exec as through wglab exec.  A node that ran
# no program during up still has the lab's values for wglab exec (hosts,
# resolv.conf, /run/wglab.env, the others' NODE:IF.pub: it had the host's).
# A node apply adds is reachable as up's are (it was not bound under
# /run/netns: "Lab 'X' has no node 'c'").
# A failed apply leaves nothing in the lab's model: the statements before
# the failing one are kept, the corrected retry is not refused.
. tests/cli/lib.sh
need_root

name=live$$
LABS=$name
snapshot "$T/before"
$WG up --no-expect --name "$name" tests/integration/endpoint-v6.lab > "$T/up" 2>&1 || fail "up: $(cat "$T/up")"
trap '$WGLAB down "$name" >/dev/null 2>&1; rm -rf "$T"' EXIT
grep -q "0 passed, 0 failed" "$T/up" || fail "up --no-expect evaluated something: $(cat "$T/up")"
grep -q "exec $name NODE wg show" "$T/up" || fail "up does not say how to see WireGuard: $(cat "$T/up")"

# wg show: through wglab exec (the node's /run), not through ip netns exec.
$WG exec "$name" a wg show wg0 > "$T/wg" 2>&1 || fail "wglab exec wg show: $(cat "$T/wg")"
grep -q "^interface: wg0" "$T/wg" && grep -q "^peer: " "$T/wg" || fail "wg show through wglab exec: $(cat "$T/wg")"
grep -q "private key: (hidden)" "$T/wg" || fail "wg show shows a private key: $(cat "$T/wg")"
ip netns exec "$name-a" wg show 2>/dev/null | grep -q "^interface: wg0" &&
	fail "ip netns exec now sees wireguard-go's socket: update README and up's message"

# Lab values on a kept lab: ip netns exec binds /etc/netns/LAB-NODE/hosts.
ip netns exec "$name-a" getent hosts b > "$T/hosts" 2>&1 || fail "getent hosts b in $name-a: $(cat "$T/hosts")"
grep -q "^fd00:1::2 *b$" "$T/hosts" || fail "b as ip netns exec sees it: $(cat "$T/hosts")"
[ "$(stat -c %a "/etc/netns/$name-a/hosts")" = 644 ] || fail "/etc/netns/$name-a/hosts mode"
# and its resolv.conf: no nameserver (the host's is not the lab's).
[ "$(stat -c %a "/etc/netns/$name-a/resolv.conf")" = 644 ] || fail "/etc/netns/$name-a/resolv.conf mode"
if [ -f /etc/resolv.conf ]; then
	ip netns exec "$name-a" grep -q "has no DNS resolver" /etc/resolv.conf || fail "ip netns exec sees the host's resolv.conf"
	ip netns exec "$name-a" grep -q "^nameserver" /etc/resolv.conf && fail "a nameserver in $name-a's resolv.conf"
fi

cat > "$T/e1.lab" <<'X'
expect a:wg0 handshake b:wg0 within 5s
expect a:wg0 endpoint b:wg0 is [fd00:1::2]:51820
X
$WG expect --json "$T/e1.json" "$name" "$T/e1.lab" > "$T/out" 2>&1 || fail "expect: $(cat "$T/out")"
grep -q "^2 passed, 0 failed" "$T/out" || fail "expect output: $(cat "$T/out")"
grep -q '"file": "'"$T"'/e1.lab"' "$T/e1.json" || fail "expect --json: $(cat "$T/e1.json")"

# Roam by hand: b's address moves; its traffic from the new address is
# what a learns.
ip netns exec "$name-b" ip -6 address add fd00:1::20/64 dev eth0 nodad || fail "address add"
ip netns exec "$name-b" ip -6 address del fd00:1::2/64 dev eth0 || fail "address del"
printf 'expect b reaches 10.8.0.1 within 5s\nexpect a:wg0 endpoint b:wg0 is [fd00:1::20]:51820\n' |
	$WG expect "$name" - > "$T/out" 2>&1 || fail "expect after roaming: $(cat "$T/out")"
printf 'expect a:wg0 endpoint b:wg0 is [fd00:1::2]:51820 within 500ms\n' |
	$WG expect --tap "$name" - > "$T/out" 2>&1
rc=$?
[ $rc = 1 ] || fail "the old endpoint held after roaming (exit $rc): $(cat "$T/out")"
grep -q "^not ok 1 .*wanted \[fd00:1::2\]:51820" "$T/out" || grep -q "^not ok 1" "$T/out" ||
	fail "expect --tap: $(cat "$T/out")"

# apply: a statement on the kept lab, then its effect.
printf 'firewall b ip6tables -A INPUT -p udp --dport 51820 -j DROP\n' | $WG apply "$name" - > "$T/out" 2>&1 ||
	fail "apply: $(cat "$T/out")"
printf 'expect a cannot reach 10.8.0.2 within 1s\n' | $WG expect "$name" - > "$T/out" 2>&1 ||
	fail "after apply: $(cat "$T/out")"

# apply takes run's path (lab/run/runner.h run_step()): new interfaces,
# their peers configured together, then proven.  A node's name as an
# endpoint resolves in the lab as applied (run_set_lab() gives the run
# the new lab and drops the index of names made of the old one).
cat > "$T/wg1.lab" <<'X'
wireguard a:wg1 address 10.9.0.1/24 listen-port 51821
wireguard b:wg1 address 10.9.0.2/24 listen-port 51821
peer a:wg1 b:wg1 allowed-ips 10.9.0.2/32 endpoint [fd00:1::20]:51821
peer b:wg1 a:wg1 allowed-ips 10.9.0.1/32 endpoint a:51821
expect a reaches 10.9.0.2 within 5s
expect b:wg1 handshake a:wg1
X
$WG apply "$name" "$T/wg1.lab" > "$T/out" 2>&1 || fail "apply of interfaces and peers: $(cat "$T/out")"
grep -q "^2 passed, 0 failed" "$T/out" || fail "apply of interfaces and peers: $(cat "$T/out")"
$WG exec "$name" b wg show wg1 endpoints > "$T/wg" 2>&1
grep -q "\[fd00:1::1\]:51821" "$T/wg" || fail "b:wg1's endpoint a:51821: $(cat "$T/wg")"

# A node apply adds is bound and recorded as up's are: wglab exec and ip
# netns exec reach it, it has the lab's values, down removes it.
printf 'node c\nlink c:eth0 10.19.0.2/24 -- a:eth9 10.19.0.1/24\n' | $WG apply "$name" - > "$T/out" 2>&1 ||
	fail "apply of a node: $(cat "$T/out")"
$WG exec "$name" c getent hosts a > "$T/out" 2>&1 || fail "wglab exec in a node apply added: $(cat "$T/out")"
ip netns exec "$name-c" ping -c1 -W2 10.19.0.1 > "$T/out" 2>&1 || fail "ip netns exec in a node apply added: $(cat "$T/out")"
[ -f "/etc/netns/$name-c/hosts" ] || fail "no /etc/netns/$name-c/hosts"

# Errors: positioned, exit 2, nothing run.
printf 'node d\n' | $WG expect "$name" - > "$T/out" 2>&1
rc=$?
[ $rc = 2 ] && grep -q "^<stdin>:1:1: wglab expect evaluates expectations only" "$T/out" ||
	fail "expect with a statement (exit $rc): $(cat "$T/out")"
printf 'wait 5\n' | $WG apply "$name" - > "$T/out" 2>&1
rc=$?
[ $rc = 2 ] && grep -q "^<stdin>:1:6: expected a duration with a unit (5s, 500ms)" "$T/out" ||
	fail "apply of a malformed statement (exit $rc): $(cat "$T/out")"
$WG expect nosuchlab$$ "$T/e1.lab" > "$T/out" 2>&1
rc=$?
[ $rc = 2 ] && grep -q "is not up" "$T/out" || fail "expect on no lab (exit $rc): $(cat "$T/out")"

$WG down "$name" > "$T/out" 2>&1 || fail "down: $(cat "$T/out")"
same_as "$T/before" || fail "up/apply/expect/down left something behind"
for n in a b; do
	[ -e "/etc/netns/$name-$n" ] && fail "/etc/netns/$name-$n is left behind"
done

# A kept lab whose wg-quick has DNS =: ip netns exec sees the same
# resolv.conf as wglab exec (its nameserver), the other node the lab's.
if [ -f /etc/resolv.conf ]; then
	$WG up --no-expect --name "$name" tests/integration/wgquick-dns.lab > "$T/up" 2>&1 || fail "up dns: $(cat "$T/up")"
	for via in "ip netns exec $name-client" "$WG exec $name client"; do
		$via cat /etc/resolv.conf > "$T/resolv" 2>&1
		grep -qx "nameserver 10.8.0.1" "$T/resolv" && grep -qx "search corp.example" "$T/resolv" ||
			fail "$via: resolv.conf: $(cat "$T/resolv")"
	done
	ip netns exec "$name-server" grep -q "^nameserver" /etc/resolv.conf && fail "a nameserver in $name-server"
	$WG down "$name" > "$T/out" 2>&1 || fail "down dns: $(cat "$T/out")"
	same_as "$T/before" || fail "up/down of wgquick-dns left something behind"
	for n in client server; do
		[ -e "/etc/netns/$name-$n" ] && fail "/etc/netns/$name-$n is left behind"
	done
fi

# Lab values in nodes that ran no program (no hook, no run step).
wgquick_pair a b > "$T/pair.lab"
$WG up --no-expect --name "$name" "$T/pair.lab" > "$T/up" 2>&1 || fail "up pair: $(cat "$T/up")"
$WG exec "$name" a getent hosts b > "$T/out" 2>&1
grep -q "^192.0.2.2 *b$" "$T/out" || fail "wglab exec: b as a sees it: $(cat "$T/out")"
$WG exec "$name" a cat /run/wglab.env > "$T/out" 2>&1
grep -qx "export WGLAB_NODE='a'" "$T/out" || fail "wglab exec: /run/wglab.env: $(cat "$T/out")"
if [ -d /etc/wireguard ]; then
	$WG exec "$name" a cat /etc/wireguard/b:wg0.pub > "$T/out" 2>&1 || fail "wglab exec: b:wg0.pub in a: $(cat "$T/out")"
fi
if [ -f /etc/resolv.conf ]; then
	$WG exec "$name" a grep -q "has no DNS resolver" /etc/resolv.conf || fail "wglab exec sees the host's resolv.conf"
fi

# A failed apply: a:wg6 is made, then b:wg5 fails (b:wg0 has port 51820)
# and wg-quick removes it.  a:wg6 is the lab's, b:wg5 is not: the retry
# with another port makes it.
cat > "$T/ap1.lab" <<'X'
wireguard a:wg6 address 10.6.0.1/24 listen-port 51860
wg-quick b:wg5 <<
[Interface]
PrivateKey = @generate
Address = 10.5.0.2/24
ListenPort = 51820
[Peer]
PublicKey = @a:wg0
AllowedIPs = 10.5.0.1/32
>>
X
$WG apply "$name" "$T/ap1.lab" > "$T/out" 2>&1
rc=$?
[ $rc = 2 ] && grep -q "ap1.lab:2:1: .*Address already in use" "$T/out" || fail "apply on a taken port (exit $rc): $(cat "$T/out")"
printf 'expect b:wg5 device listen-port 51820\n' | $WG expect "$name" - > "$T/out" 2>&1
rc=$?
[ $rc = 2 ] && grep -q "node 'b' has no interface 'wg5'" "$T/out" || fail "b:wg5 is part of the lab after it failed (exit $rc): $(cat "$T/out")"
sed 's/51820/51830/; /wireguard a:wg6/d' "$T/ap1.lab" > "$T/ap2.lab"
$WG apply "$name" "$T/ap2.lab" > "$T/out" 2>&1 || fail "apply retried: $(cat "$T/out")"
$WG exec "$name" b wg show wg5 listen-port > "$T/out" 2>&1
grep -qx 51830 "$T/out" || fail "b:wg5 after the retry: $(cat "$T/out")"
printf 'wireguard b:wg6 address 10.6.0.2/24\npeer b:wg6 a:wg6 allowed-ips 10.6.0.1/32 endpoint a:51860\n' |
	$WG apply "$name" - > "$T/out" 2>&1 || fail "a:wg6 is not part of the lab: $(cat "$T/out")"
$WG down "$name" > "$T/out" 2>&1 || fail "down pair: $(cat "$T/out")"
same_as "$T/before" || fail "up/apply/down of the pair left something behind"
exit 0
