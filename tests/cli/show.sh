#!/bin/sh
# wglab show: what wg show prints for a running lab, private keys hidden;
# a node it does not have is an error that says so.
. tests/cli/lib.sh
need_root

name=s$$
LABS=$name
snapshot "$T/before"
$WG up --name "$name" tests/wg/two-peers.lab > "$T/out" 2>&1 || fail "up: $(cat "$T/out")"
$WG show "$name" > "$T/show" 2>&1 || { $WG down "$name"; fail "show: $(cat "$T/show")"; }
priv=$($WG exec "$name" a cat /etc/wireguard/wg0.key)
pub=$($WG exec "$name" a cat /etc/wireguard/wg0.pub)
mode=$($WG exec "$name" a stat -c %a /etc/wireguard/wg0.key)
$WG show "$name" b:wg0 > "$T/show-b" 2>&1
$WG exec "$name" a wg show wg0 > "$T/wg" 2>&1
$WG show "$name" zz > "$T/show-zz" 2>&1
rc=$?
$WG down "$name" > /dev/null || fail "down"
# A node the lab does not have is named as such (it said "No WireGuard
# interface on zz").
[ $rc = 1 ] && grep -q "^Lab '$name' has no node 'zz'$" "$T/show-zz" || fail "show of node zz (exit $rc): $(cat "$T/show-zz")"
[ "$(grep -c '^interface: wg0 (userspace)' "$T/show")" = 2 ] || fail "two interfaces: $(cat "$T/show")"
grep -q "public key: $pub" "$T/show" || fail "a's public key is not shown"
grep -q 'latest handshake' "$T/show" || fail "no handshake shown"
grep -q 'private key: (hidden)' "$T/show" || fail "the private key is not marked hidden"
[ -n "$priv" ] || fail "no key file in the node"
! grep -qF "$priv" "$T/show" || fail "show prints a private key"
[ "$mode" = 600 ] || fail "key file mode $mode, not 600"
[ "$(grep -c '^node: ' "$T/show-b")" = 1 ] && grep -q '^node: b' "$T/show-b" || fail "NODE:IF selection"
grep -q "public key: $pub" "$T/wg" || fail "wg show inside the node (through wglab exec) sees the interface"
same_as "$T/before" || fail "left something behind"
exit 0
