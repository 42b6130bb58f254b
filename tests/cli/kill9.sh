#!/bin/sh
# kill -9 of `wglab run` during the build and during the steps leaves no
# namespace, interface, mount, record or process behind.
. tests/cli/lib.sh
need_root

# A star big enough that the build takes a while.
{
	echo "lab k9build"
	echo "node hub router"
	i=0
	while [ $i -lt 1000 ]; do
		echo "node n$i"
		echo "link n$i:eth0 10.$((i / 64)).$((i % 64 * 4)).2/30 -- hub:v$i 10.$((i / 64)).$((i % 64 * 4)).1/30"
		i=$((i + 1))
	done
	echo "expect n0 reaches 10.0.0.1"
} > "$T/star.lab"

cat > "$T/sleeper.sh" <<SH
touch "$T/in-steps"
exec sleep 1000
SH
cat > "$T/steps.lab" <<LAB
lab k9steps
node a
node b
link a:eth0 10.0.0.1/24 -- b:eth0 10.0.0.2/24
serve b http 8080
run a background -- sh $T/sleeper.sh
run b -- sh $T/sleeper.sh
LAB

LABS="k9build|k9steps"
snapshot "$T/before"
for delay in 0.05 0.3 0.7; do
	$WG run "$T/star.lab" > /dev/null 2>&1 &
	pid=$!
	sleep $delay
	kill -9 $pid || fail "the run ended before ${delay}s: the star builds too fast to test this"
	wait $pid 2>/dev/null
	same_as "$T/before" || fail "kill -9 after ${delay}s of building left something behind"
done

$WG run "$T/steps.lab" > /dev/null 2>&1 &
pid=$!
i=0
until [ -e "$T/in-steps" ]; do
	i=$((i + 1)); [ $i -lt 200 ] || fail "the steps never started"; sleep 0.05
done
# Both sleepers run (the background one and the foreground one), each
# under the init of its PID namespace.
i=0
until [ "$(marked_procs | grep -c ' sleep$')" -ge 2 ]; do
	i=$((i + 1)); [ $i -lt 200 ] || fail "the sleepers never started: $(marked_procs)"; sleep 0.05
done
kill -9 $pid
wait $pid 2>/dev/null
same_as "$T/before" || fail "kill -9 during the steps left something behind"

# WireGuard and NAT scenarios, killed at many points: building, measuring
# the NATs, WireGuard handshakes, steps.
LABS="k9build|k9steps|port-forward|nat-hub|k9down"
for lab in scenarios/port-forward.lab scenarios/nat-hub.lab; do
	for delay in 0.05 0.2 0.5 1 2; do
		$WG run --no-twins "$lab" > /dev/null 2>&1 &
		pid=$!
		sleep $delay
		kill -9 $pid 2>/dev/null
		wait $pid 2>/dev/null
		same_as "$T/before" || fail "kill -9 after ${delay}s of $lab left something behind"
	done
done

# During teardown: wg-quick's PreDown marks it, PostDown keeps it going.
{
	echo "lab k9down"
	wgquick_pair a b "PreDown = touch $T/tearing-down
PostDown = sleep 5"
	echo "expect a reaches 10.0.0.2"
} > "$T/down.lab"
$WG run "$T/down.lab" > /dev/null 2>&1 &
pid=$!
i=0
until [ -e "$T/tearing-down" ]; do
	i=$((i + 1)); [ $i -lt 200 ] || fail "teardown never started"; sleep 0.05
done
kill -9 $pid
wait $pid 2>/dev/null
same_as "$T/before" || fail "kill -9 during the teardown left something behind"
exit 0
