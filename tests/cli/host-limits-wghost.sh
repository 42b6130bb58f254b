#!/bin/sh
# Host limits count what the WireGuard data path really takes: a
# wireguard-go per interface takes an inotify instance (its UAPI socket's
# watch), the lab's WireGuard host (wglab-wghost) none.  A lab of more
# userspace interfaces than the host's inotify instances left was refused
# before building though the host would have run it (mesh 250 needed
# --raise-host-limits).
. tests/cli/lib.sh
need_root

max=$(cat /proc/sys/fs/inotify/max_user_instances)
[ "$max" -le 400 ] || { echo "SKIP: fs.inotify.max_user_instances = $max: a lab of more is too big here" >&2; exit 77; }
n=$((max + 2))
LABS=hl-wghost
snapshot "$T/before"
cat > "$T/many.lab" <<LAB
lab hl-wghost
for i in 1..$n: node p\$i
for i in 1..$n: wireguard p\$i:wg0 address \${10.200.0.0/16 + i}
expect p1 reaches 127.0.0.1
LAB

$WG run "$T/many.lab" > "$T/out" 2>&1 || fail "the WireGuard host's run: $(grep -v '^  *not run' "$T/out" | head -5)"
grep -q 'wglab-wghost' "$T/out" || fail "not the WireGuard host: $(head -3 "$T/out")"
$WG run --wg userspace=wireguard-go "$T/many.lab" > "$T/out" 2>&1 && fail "a wireguard-go each was not refused"
grep -q "inotify instances" "$T/out" || fail "refusal does not name inotify: $(head -5 "$T/out")"
same_as "$T/before" || fail "left behind"
