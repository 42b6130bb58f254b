#!/bin/sh
# The peer statements of an interface are configured in one request; when
# the WireGuard implementation refuses it, they are sent again one at a
# time, so that the error names the statement it refused (not the batch's
# last) and the ones before it are taken.  Neither wireguard-go nor the
# kernel refuses what validation lets through, so the test's own userspace
# WireGuard (tests/fakewg/fakewg.c, built by make check) refuses a peer
# whose endpoint port is 9, and logs what it answered.
. tests/cli/lib.sh
need_root
FAKE=$(dirname "$WGLAB")/tests/fakewg/fakewg
[ -x "$FAKE" ] || fail "$FAKE is not built (make check builds it)"

k() { "$WGLAB" genkey | "$WGLAB" pubkey; }
cat > "$T/refused.lab" <<EOF
lab refused
node a
node b
link a:eth0 10.0.0.1/24 -- b:eth0 10.0.0.2/24
wireguard a:wg0 address 10.9.0.1/24 listen-port 51820
peer a:wg0 $(k) allowed-ips 10.9.0.2/32 endpoint 10.0.0.2:51820
peer a:wg0 $(k) allowed-ips 10.9.0.3/32 endpoint 10.0.0.2:9
peer a:wg0 $(k) allowed-ips 10.9.0.4/32 endpoint 10.0.0.2:51822
expect a reaches b
EOF
LABS=refused
snapshot "$T/before"
$WG run --wg "userspace=$FAKE" --artifacts "$T/art" "$T/refused.lab" > "$T/out" 2>&1
rc=$?
[ $rc = 2 ] || fail "exit $rc, not 2: $(cat "$T/out")"
# The second peer statement (line 7), in the kernel's words.
grep -q "refused.lab:7:1: Unable to set a peer of 'a:wg0': Invalid argument" "$T/out" ||
	fail "the error does not name line 7: $(cat "$T/out")"
grep -q "not run: an earlier statement failed" "$T/out" || grep -q "SKIP" "$T/out" ||
	fail "the expectation after it was not skipped: $(cat "$T/out")"
log=$(find "$T/art" -name 'a-wg0.log' | head -1)
[ -n "$log" ] || fail "no log of a:wg0 in the artifacts: $(find "$T/art")"
# The batch of three, refused at its second peer; the first alone, taken;
# the second alone, refused; the third never sent.
want="set: 0 peers, taken
set: 3 peers, refused at peer 2 (endpoint 10.0.0.2:9)
set: 1 peer, taken
set: 1 peer, refused at peer 1 (endpoint 10.0.0.2:9)"
got=$(grep '^set: ' "$log")
[ "$got" = "$want" ] || fail "the program was asked otherwise:
$got
expected:
$want"
same_as "$T/before" || fail "the refused run left something behind"
exit 0
