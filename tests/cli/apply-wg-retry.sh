#!/bin/sh
# A `wireguard` (or `wg-quick`) statement of apply that fails to come up
# (its listen port is another interface's) leaves nothing of its
# interface in the lab, so the corrected statement makes it anew, as the
# README promises.  The failed interface once stayed in the run's list:
# the corrected `wireguard a:wg1` took the path of a change to an existing
# interface and failed ("Unable to set the listen port of 'a:wg1': No
# such file or directory").
. tests/cli/lib.sh
need_root

p=aw$$
LABS=$p
snapshot "$T/before"
printf 'node a\nwireguard a:wg0 listen-port 51820\n' > "$T/a.lab"
trap '$WGLAB down "$p" >/dev/null 2>&1; rm -rf "$T"' EXIT
$WG up --name "$p" "$T/a.lab" > "$T/out" 2>&1 || fail "up: $(cat "$T/out")"

printf 'wireguard a:wg1 listen-port 51820\n' | $WG apply "$p" - > "$T/out" 2>&1
rc=$?
[ $rc = 2 ] && grep -q "Address already in use" "$T/out" || fail "a:wg1 on a:wg0's port (exit $rc): $(cat "$T/out")"
printf 'wireguard a:wg1 listen-port 51830\nexpect a:wg1 device listen-port 51830\n' | $WG apply "$p" - > "$T/out" 2>&1 ||
	fail "the corrected a:wg1: $(cat "$T/out")"
grep -q "^1 passed, 0 failed" "$T/out" || fail "the corrected a:wg1: $(cat "$T/out")"
$WG exec "$p" a wg show wg1 listen-port > "$T/out" 2>&1
[ "$(cat "$T/out")" = 51830 ] || fail "a:wg1's port: $(cat "$T/out")"

printf 'wg-quick a:wg2 <<\n[Interface]\nPrivateKey = @generate\nListenPort = %s\n>>\n' 51820 |
	$WG apply "$p" - > "$T/out" 2>&1
rc=$?
[ $rc = 2 ] && grep -q "Address already in use" "$T/out" || fail "wg-quick a:wg2 on a:wg0's port (exit $rc): $(cat "$T/out")"
printf 'wg-quick a:wg2 <<\n[Interface]\nPrivateKey = @generate\nListenPort = %s\n>>\n' 51840 |
	$WG apply "$p" - > "$T/out" 2>&1 || fail "the corrected wg-quick a:wg2: $(cat "$T/out")"
$WG exec "$p" a wg show wg2 listen-port > "$T/out" 2>&1
[ "$(cat "$T/out")" = 51840 ] || fail "a:wg2's port: $(cat "$T/out")"

$WG down "$p" > "$T/out" 2>&1 || fail "down: $(cat "$T/out")"
same_as "$T/before" || fail "something was left behind"
exit 0
