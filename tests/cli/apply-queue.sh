#!/bin/sh
# Requests to one kept lab are served one at a time: an apply sent while
# another runs waits for it, then is validated against the lab as that one
# left it.  The keeper once served the second inside the first (its
# statements spin the run's loop, which accepted it): both defined label
# @l1 and every later request failed ("label '@l1' is already used").
# `down` during an apply still takes the lab down at once, and the apply
# says so (it said "Interrupted system call").
. tests/cli/lib.sh
need_root

p=aq$$
LABS=$p
snapshot "$T/before"
printf 'node a\n' > "$T/a.lab"
trap '$WGLAB down "$p" >/dev/null 2>&1; rm -rf "$T"' EXIT
$WG up --name "$p" "$T/a.lab" > "$T/out" 2>&1 || fail "up: $(cat "$T/out")"

printf 'wait 3s\n@l1 run a -- true\n' > "$T/la.lab"
printf '@l1 run a -- true\n' > "$T/lb.lab"
$WG apply "$p" "$T/la.lab" > "$T/oa" 2>&1 &
pa=$!
sleep 1
$WG apply "$p" "$T/lb.lab" > "$T/ob" 2>&1
rb=$?
wait $pa
ra=$?
[ $ra = 0 ] && grep -q "^1 passed, 0 failed" "$T/oa" || fail "the first apply (exit $ra): $(cat "$T/oa")"
[ $rb = 2 ] && grep -q "^$T/lb.lab:1:1: label '@l1' is already used" "$T/ob" ||
	fail "the second apply, sent during the first (exit $rb): $(cat "$T/ob")"
printf 'run a -- true\n' | $WG apply "$p" - > "$T/out" 2>&1 || fail "an apply after both: $(cat "$T/out")"
grep -q "^1 passed, 0 failed" "$T/out" || fail "an apply after both: $(cat "$T/out")"

# down during an apply.
printf 'wait 60s\n' | $WG apply "$p" - > "$T/oa" 2>&1 &
pa=$!
sleep 1
$WG down "$p" > "$T/out" 2>&1 || fail "down during an apply: $(cat "$T/out")"
i=0
while kill -0 $pa 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 100 ] || { kill $pa; fail "the apply did not end with the lab"; }
	sleep 0.1
done
wait $pa
ra=$?
[ $ra = 2 ] && grep -q "error: <stdin>:1:1: stopped: the lab was taken down (Terminated)" "$T/oa" ||
	fail "the apply the lab was taken down under (exit $ra): $(cat "$T/oa")"
same_as "$T/before" || fail "something was left behind"
exit 0
