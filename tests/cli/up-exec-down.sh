#!/bin/sh
# up keeps the lab: its nodes are visible to iproute2 and reachable with
# ip netns exec and wglab exec; down leaves nothing behind.
. tests/cli/lib.sh
need_root

name=t$$
LABS=$name
snapshot "$T/before"
$WG up --name "$name" tests/integration/routed.lab > "$T/out" 2>&1 || fail "up: $(cat "$T/out")"
for n in client router server; do
	ip netns list | grep -q "^$name-$n\b" || { $WG down "$name"; fail "no $name-$n in ip netns list"; }
done
ip netns exec "$name-client" ping -c1 -W2 10.2.0.2 >/dev/null || { $WG down "$name"; fail "ping through ip netns exec"; }
$WG exec "$name" client ping -6 -c1 -W2 fd00:2::2 >/dev/null || { $WG down "$name"; fail "ping through wglab exec"; }
$WG list | grep -q "^$name	up" || { $WG down "$name"; fail "list"; }
$WG up --name "$name" tests/integration/routed.lab > "$T/out2" 2>&1 && fail "second up with the same name succeeded"
$WG down "$name" > "$T/out" || fail "down: $(cat "$T/out")"
same_as "$T/before" || fail "up/down left something behind"
$WG down "$name" 2>/dev/null && fail "down of a lab that is not up succeeded"
exit 0
