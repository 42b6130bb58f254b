#!/bin/sh
# A program's output is kept in memory up to the last 64 MiB (what a saved
# log keeps): a background program writing fast (`yes`) once grew its
# memfd, and the host's Shmem, without limit in a kept lab.  The freed
# start still counts: the saved log says how many bytes were cut.
. tests/cli/lib.sh
need_root

p=lb$$
LABS=$p
snapshot "$T/before"
trap '$WGLAB down "$p" >/dev/null 2>&1; rm -rf "$T"' EXIT
cat > "$T/up.lab" <<'LAB'
node a
run a background -- sh -c "yes 0123456789abcdef | head -c 200000000; echo; echo THE-END; sleep 60"
LAB
$WG up --name "$p" "$T/up.lab" > "$T/out" 2>&1 || fail "up: $(cat "$T/out")"
keeper=$($WGLAB list | awk -v n="$p" '$1 == n { sub(/\)/, "", $4); print $4 }')
[ -n "$keeper" ] && [ -d "/proc/$keeper" ] || fail "no keeper: $($WGLAB list)"
memfd=
for fd in /proc/$keeper/fd/*; do
	case $(readlink "$fd") in *wglab-run*) memfd=$fd ;; esac
done
[ -n "$memfd" ] || fail "no output memfd in the keeper: $(ls -l /proc/$keeper/fd)"
i=0
until [ "$(stat -L -c %s "$memfd")" -ge 200000009 ]; do
	i=$((i + 1)); [ $i -lt 200 ] || fail "the writer did not finish: $(stat -L -c %s "$memfd") bytes"; sleep 0.05
done
sleep 0.5
held=$(($(stat -L -c %b "$memfd") * $(stat -L -c %B "$memfd")))
[ "$held" -le $((65 * 1024 * 1024)) ] || fail "the output of 200000009 bytes holds $held bytes of memory"
$WG down "$p" > "$T/out" 2>&1 || fail "down: $(cat "$T/out")"

# A foreground program's too, while the run waits for it (its timeout
# only ends it: 200 MB here within the 20 s).
cat > "$T/fg.lab" <<'LAB'
lab fg
node a
run a timeout 20s -- sh -c "yes 0123456789abcdef | head -c 200000000; echo; echo THE-END; sleep 3"
LAB
$WG run "$T/fg.lab" > "$T/fgout" 2>&1 &
runner=$!
memfd=
i=0
while [ -z "$memfd" ]; do
	for fd in /proc/$runner/fd/*; do
		case $(readlink "$fd" 2>/dev/null) in *wglab-run*) memfd=$fd ;; esac
	done
	i=$((i + 1)); [ $i -lt 200 ] || fail "no output memfd in the run: $(ls -l /proc/$runner/fd)"; sleep 0.05
done
i=0
until [ "$(stat -L -c %s "$memfd")" -ge 200000009 ]; do
	i=$((i + 1)); [ $i -lt 400 ] || fail "the writer did not finish: $(stat -L -c %s "$memfd") bytes"; sleep 0.05
done
sleep 0.5
held=$(($(stat -L -c %b "$memfd") * $(stat -L -c %B "$memfd")))
[ "$held" -le $((65 * 1024 * 1024)) ] || fail "the foreground output of 200000009 bytes holds $held bytes of memory"
wait $runner || fail "fg.lab: $(tail -3 "$T/fgout")"

# Saved: its end, after the line saying what was cut.
cat > "$T/big.lab" <<'LAB'
lab big
node a
run a background -- sh -c "yes 0123456789abcdef | head -c 100000000; echo; echo THE-END"
wait 1500ms
run a -- false
LAB
$WG run --artifacts "$T/art" "$T/big.lab" > "$T/out" 2>&1
[ $? = 1 ] || fail "the run should fail: $(tail -3 "$T/out")"
log="$T/art/big/a-run-line3.log"
head -1 "$log" | grep -q '^\[wglab: the log was 100000009 bytes; its first [0-9]* bytes are cut\]$' ||
	fail "the cut is not said: $(head -c 200 "$log")"
[ "$(tail -1 "$log")" = THE-END ] || fail "the log's end is not saved: $(tail -c 100 "$log")"
[ "$(sed -n 2p "$log")" = 0123456789abcdef ] || fail "the saved log starts inside a line: $(head -c 200 "$log")"
same_as "$T/before" || fail "something was left behind"
exit 0
