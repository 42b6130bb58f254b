#!/bin/sh
# SIGINT and SIGTERM stop a run at once, tear it down and exit 128+N.
. tests/cli/lib.sh
need_root

cat > "$T/long.lab" <<LAB
lab sig
node a
node b
link a:eth0 10.0.0.1/24 -- b:eth0 10.0.0.2/24
run a -- touch $T/started
wait 60s
expect a reaches 10.0.0.2
LAB
snapshot "$T/before"
LABS=sig
for sig in 2 15; do
	rm -f "$T/started"
	$WG run "$T/long.lab" > "$T/out" 2>&1 &
	pid=$!
	i=0
	until [ -e "$T/started" ]; do
		i=$((i + 1)); [ $i -lt 200 ] || fail "never started"; sleep 0.05
	done
	kill -$sig $pid
	wait $pid; rc=$?
	want=$((128 + sig))
	[ $rc = $want ] || fail "signal $sig: exit status $rc, expected $want"
	grep -q "SKIP" "$T/out" || fail "signal $sig: the expectation after the stop is not reported as not run"
	same_as "$T/before" || fail "signal $sig left something behind"
done
exit 0
