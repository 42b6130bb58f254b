#!/bin/sh
# Twins may add statements the scenario alone would refuse (a second
# `wireguard` of an interface the twin dropped): they are validated as the
# twin runs them, and the twin runs; one that conflicts in the twin's own
# run is a positioned error naming the twin.
. tests/cli/lib.sh
need_root

$WG run tests/integration/twin-redefine.lab > "$T/out" 2>&1 || fail "run: $(cat "$T/out")"
grep -q "twin any-port" "$T/out" && grep -q "^  ok\* .*device listen-port 51821" "$T/out" ||
	fail "the twin did not run as written: $(cat "$T/out")"
sed 's/^drop @wg$//' tests/integration/twin-redefine.lab > "$T/bad.lab"
$WG check "$T/bad.lab" > "$T/out" 2>&1
rc=$?
[ $rc = 2 ] && grep -q "bad.lab:14:22: twin 'any-port': 'a:wg0' exists: change its addresses" "$T/out" ||
	fail "a twin's conflicting addition (exit $rc): $(cat "$T/out")"
exit 0
