#!/bin/sh
# Two runs of the same scenario at once do not collide.
. tests/cli/lib.sh
need_root

LABS=routed
snapshot "$T/before"
$WG run tests/integration/routed.lab > "$T/a" 2>&1 &
a=$!
$WG run tests/integration/routed.lab > "$T/b" 2>&1 &
b=$!
wait $a; ra=$?
wait $b; rb=$?
[ $ra = 0 ] || fail "first run: $(cat "$T/a")"
[ $rb = 0 ] || fail "second run: $(cat "$T/b")"
same_as "$T/before" || fail "parallel runs left something behind"
exit 0
