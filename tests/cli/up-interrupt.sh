#!/bin/sh
# SIGINT or SIGTERM to `wglab up` while its keeper builds the lab (Ctrl-C:
# the terminal's process group, which the keeper left) stops the build:
# up waits for the keeper's teardown and exits 128+N, nothing is left, and
# no statement after the signal runs.  up once exited at once while its
# keeper ran the rest of the scenario, invisible to list, down and reap.
. tests/cli/lib.sh
need_root

p=ui$$
LABS=$p
cat > "$T/long.lab" <<LAB
node a
node b
link a:eth0 10.0.0.1/24 -- b:eth0 10.0.0.2/24
run a -- touch $T/started
wait 3s
run a -- touch $T/late
LAB
snapshot "$T/before"
trap '$WGLAB down "$p" >/dev/null 2>&1; rm -rf "$T"' EXIT
for sig in 15 2; do
	rm -f "$T/started" "$T/late"
	$WG up --name "$p" "$T/long.lab" > "$T/out" 2>&1 &
	pid=$!
	i=0
	until [ -e "$T/started" ]; do
		i=$((i + 1)); [ $i -lt 200 ] || fail "never started: $(cat "$T/out")"; sleep 0.05
	done
	kill -$sig $pid
	wait $pid; rc=$?
	[ $rc = $((128 + sig)) ] || fail "signal $sig: exit status $rc: $(cat "$T/out")"
	grep -q "Lab '$p' was interrupted; nothing is left of it" "$T/out" || fail "signal $sig: $(cat "$T/out")"
	# What up said is so: nothing of the lab, now.
	snapshot "$T/now"
	cmp -s "$T/before" "$T/now" || { diff "$T/before" "$T/now" >&2; fail "signal $sig: up exited before its lab ended"; }
	sleep 3
	[ -e "$T/late" ] && fail "signal $sig: the keeper ran the scenario on"
done
same_as "$T/before" || fail "something was left behind"
exit 0
