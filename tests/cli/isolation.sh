#!/bin/sh
# Finding 7 (issue 15): `run` steps shared the host's UTS and IPC
# namespaces and saw the host's /proc: `hostname x` in a step renamed the
# host, and `pgrep`/`pkill` in a node saw and could signal other labs'
# processes.  Now steps (and wg-quick hooks) have UTS and IPC namespaces of
# their own, hostname = node name, and a /proc of their PID namespace.
. tests/cli/lib.sh
need_root
for p in pkill pgrep ipcmk ipcs ipcrm; do
	command -v $p > /dev/null || { echo "SKIP: no $p" >&2; exit 77; }
done

host=$(hostname)
tag=wglab-iso-$$
# A process of another lab, kept by `up`, and one of the host (sleep, by
# names that pgrep finds).
cp "$(command -v sleep)" "$T/$tag-lab" && cp "$(command -v sleep)" "$T/$tag-host"
cat > "$T/other.lab" <<LAB
lab other
node a
run a background -- $T/$tag-lab 3600
LAB
name=iso$$
$WG up --name "$name" "$T/other.lab" > "$T/up" 2>&1 || fail "up: $(cat "$T/up")"
"$T/$tag-host" 3600 & victim=$!
qid=$(ipcmk -Q | awk '{print $NF}')
trap '$WG down "$name" > /dev/null 2>&1; kill $victim 2>/dev/null; ipcrm -q "$qid" 2>/dev/null; rm -rf "$T"' EXIT

{
	echo "lab iso"
	wgquick_pair alpha beta "PostUp = hostname > /run/tmp/hook-host; hostname hooked; ps -e > /run/tmp/hook-ps"
	cat <<LAB
# wireguard-go and the hooks still work.
expect alpha reaches 10.0.0.2
expect alpha:wg0 handshake beta:wg0
run alpha -- sh -c "test \$(hostname) = alpha"
run alpha -- sh -c "hostname renamed && test \$(hostname) = renamed"
run beta -- sh -c "test \$(hostname) = beta"
run alpha -- sh -c "test \$(cat /run/tmp/hook-host) = alpha"
run alpha -- sh -c "! grep -q sleep /run/tmp/hook-ps"
run alpha exit 1 -- pgrep -f $tag
run alpha exit any -- pkill -f $tag
run alpha -- sh -c "test \$(ps -e -o pid= | wc -l) -le 5"
run alpha -- sh -c "! ipcs -q | grep -q 0x && ipcmk -Q"
run alpha -- sh -c "! ipcs -q | grep -q 0x"
LAB
} > "$T/iso.lab"
$WG run -v "$T/iso.lab" > "$T/out" 2>&1
rc=$?
# First of all, the host's name back if a step changed it.
now=$(hostname)
[ "$now" = "$host" ] || { hostname "$host"; fail "a step renamed the host to $now"; }
[ $rc = 0 ] || fail "the isolated steps: $(cat "$T/out")"
kill -0 $victim 2>/dev/null || fail "a step killed a process of the host"
pgrep -f "$tag-lab" > /dev/null || fail "a step killed a process of another lab"
ipcs -q | grep -q "$qid" || fail "the host's message queue is gone"
$WG down "$name" > /dev/null || fail "down"
exit 0
