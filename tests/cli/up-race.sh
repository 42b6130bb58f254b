#!/bin/sh
# Finding 4 (issue 15): two `up` of one name at once.  The loser's cleanup
# once deleted the winner's record and mounts (3 of 6 tries), leaving its
# keeper and programs running, invisible to list, down and reap.  Now the
# record is born whole under a lock: exactly one wins, the loser changes
# nothing of its.  And a keeper killed while it binds its nodes (a mount
# made, held back by strace) leaves nothing that reap cannot remove.
. tests/cli/lib.sh
need_root

cat > "$T/pair.lab" <<'LAB'
lab pair
node a
node b
link a:eth0 10.0.0.1/24 -- b:eth0 10.0.0.2/24
LAB
name=r$$
LABS=$name
snapshot "$T/before"
for try in 1 2 3 4; do
	$WG up --name "$name" "$T/pair.lab" > "$T/o1" 2>&1 & p1=$!
	$WG up --name "$name" "$T/pair.lab" > "$T/o2" 2>&1 & p2=$!
	wait $p1; r1=$?
	wait $p2; r2=$?
	[ $((r1 == 0)) -ne $((r2 == 0)) ] ||
		{ $WG down "$name"; fail "try $try: exits $r1 and $r2, not one winner: $(cat "$T/o1" "$T/o2")"; }
	$WG list | grep -q "^$name	up" || { $WG down "$name"; fail "try $try: the winner is not listed: $(cat "$T/o1" "$T/o2")"; }
	for n in a b; do
		ip netns list | grep -q "^$name-$n\b" ||
			{ $WG down "$name"; fail "try $try: the winner's $name-$n mount is gone"; }
	done
	$WG exec "$name" a ping -c1 -W2 10.0.0.2 > /dev/null || { $WG down "$name"; fail "try $try: the winner's lab broke"; }
	$WG down "$name" > "$T/down" 2>&1 || fail "try $try: down: $(cat "$T/down")"
	# Only the winner's keeper ran: after down, no process of the test is left.
	same_as "$T/before" || fail "try $try: something was left behind"
done

# The keeper killed while its first node's mount is made: strace holds
# that mount(2) for 5 s (-P: only the syscalls on that path).
command -v strace > /dev/null || { echo "SKIP: no strace" >&2; exit 77; }
netns=${WGLAB_NETNS_DIR:-/run/netns}
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	strace -f -o /dev/null -P "$netns/$name-a" -e trace=mount -e inject=mount:delay_exit=5000000 \
	$WG up --name "$name" "$T/pair.lab" > "$T/o3" 2>&1 &
st=$!
i=0
until grep -q " $netns/$name-a " /proc/self/mountinfo; do
	i=$((i + 1))
	[ $i -lt 400 ] || { kill $st; fail "the first node was never bound: $(cat "$T/o3")"; }
	sleep 0.05
done
for p in $(marked_procs | awk '$2 == "wglab" { print $1 }'); do
	kill -9 "$p"
done
wait $st 2>/dev/null
$WG reap > "$T/reap" 2>&1 || fail "reap: $(cat "$T/reap")"
grep -q "Removed lab '$name'" "$T/reap" || fail "reap did not find the killed keeper's lab: $(cat "$T/reap")"
same_as "$T/before" || fail "the killed keeper left something: $(cat "$T/reap")"
exit 0
