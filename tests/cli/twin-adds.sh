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
$WG run --json "$T/set.json" tests/integration/twin-set.lab > "$T/out" 2>&1 || fail "set twin: $(cat "$T/out")"
grep -q "^  ok\* .*reach each other within 1s: failed as the twin says: 2 of 6 pairs failed" "$T/out" ||
	fail "the set did not fail as one: $(cat "$T/out")"
grep -q "held, but this twin says it must fail" "$T/out" && fail "a pair that held failed the twin: $(cat "$T/out")"
grep -q '"must_fail": true' "$T/set.json" && ! grep -q '"passed": false' "$T/set.json" ||
	fail "set twin in JSON: $(cat "$T/set.json")"
# The same twin adding a rule that blocks nothing: the set holds, the twin fails.
sed 's/-s 10.5.0.1 -p icmp -j DROP/-p udp --dport 9 -j DROP/' tests/integration/twin-set.lab > "$T/held.lab"
$WG run "$T/held.lab" > "$T/out" 2>&1
rc=$?
[ $rc = 1 ] && grep -q "^  FAIL .*held, but this twin says it must fail: 6 of 6 pairs held" "$T/out" ||
	fail "a set that held under the twin's fails (exit $rc): $(cat "$T/out")"
sed 's/^add @fw$/drop @s/' tests/integration/twin-set.lab > "$T/vac.lab"
$WG check "$T/vac.lab" > "$T/out" 2>&1
rc=$?
[ $rc = 2 ] && grep -q "vac.lab:19:7: twin 'block-a' drops @s, which it says must fail: it cannot fail if it does not run" "$T/out" ||
	fail "a twin dropping what it says must fail (exit $rc): $(cat "$T/out")"
exit 0
