#!/bin/sh
# Finding 1 and 8 (issue 15): root wrote pcaps, logs and the marker with
# O_CREAT|O_TRUNC through whatever `--artifacts DIR` held, so whoever
# controlled DIR made root overwrite any file (a root-owned 0600 file was
# overwritten with a wireguard-go log); artifacts were world-readable.
# Now: a directory another user owns, or one others may write without the
# sticky bit, is refused; planted symlinks are never followed; artifacts
# are 0600 in 0700 directories.
. tests/cli/lib.sh
need_root
id nobody > /dev/null 2>&1 || { echo "SKIP: no user nobody" >&2; exit 77; }

lab=tests/selftest/capture.lab
# The root-owned file an attacker wants overwritten.
printf 'precious\n' > "$T/victim" && chmod 600 "$T/victim"

refused() { # DIR WHAT
	$WG run --capture --artifacts "$1" "$lab" > "$T/out" 2>&1
	rc=$?
	[ $rc = 2 ] || fail "$2: exit $rc, not 2: $(tail -3 "$T/out")"
	grep -q "artifacts" "$T/out" || fail "$2: no clear error: $(cat "$T/out")"
	[ "$(cat "$T/victim")" = precious ] || fail "$2: the victim file was written"
}

# Another user's directory (as /tmp/results made by another job).
mkdir "$T/theirs" && chown nobody "$T/theirs"
refused "$T/theirs" "a directory owned by nobody"
[ -z "$(ls -A "$T/theirs")" ] || fail "root wrote into another user's directory: $(ls -A "$T/theirs")"
# Writable by others, no sticky bit.
mkdir -m 0777 "$T/open" && chmod 0777 "$T/open"
refused "$T/open/art" "a parent writable by everyone"
[ -e "$T/open/art" ] && fail "root made a directory in a world-writable parent"
# A symlink planted by another user in a sticky directory: not followed.
mkdir -m 1777 "$T/sticky" && chmod 1777 "$T/sticky"
mkdir "$T/rootdir"
ln -s "$T/rootdir" "$T/sticky/results" && chown -h nobody "$T/sticky/results"
refused "$T/sticky/results" "another user's symlink"
[ -z "$(ls -A "$T/rootdir")" ] || fail "root followed another user's symlink"

# A directory of root's that already holds a folder at the scenario's
# name, with symlinks where artifacts go (left by whoever had it before),
# and a symlink at the next name: neither is used nor followed, the run's
# artifacts go to a folder of their own, which the report names.
mkdir -p "$T/art/st-capture" && chmod 0755 "$T/art/st-capture"
ln -s "$T/victim" "$T/art/st-capture/b-eth0.pcap"
ln -s "$T/victim" "$T/art/st-capture/.wglab-incomplete"
ln -s "$T/victim" "$T/art/st-capture/r-any.pcap"
ln -s "$T/rootdir" "$T/art/st-capture.2"
chmod 755 "$T/art"
$WG run --capture --artifacts "$T/art" "$lab" > "$T/out" 2>&1
[ $? = 1 ] || fail "the self-test should run and fail: $(tail -3 "$T/out")"
[ "$(cat "$T/victim")" = precious ] || fail "an artifact was written through a symlink"
[ -L "$T/art/st-capture/b-eth0.pcap" ] && [ -L "$T/art/st-capture/.wglab-incomplete" ] ||
	fail "another's folder was written in: $(ls -la "$T/art/st-capture")"
[ -z "$(ls -A "$T/rootdir")" ] || fail "root followed a symlink at the next name"
[ -f "$T/art/st-capture.3/b-eth0.pcap" ] && [ ! -L "$T/art/st-capture.3/b-eth0.pcap" ] ||
	fail "the pcap is not in a folder of its own: $(ls -la "$T/art" "$T/art/st-capture.3")"
[ -e "$T/art/st-capture.3/.wglab-incomplete" ] && fail "the marker stayed after the run"
grep -q "Artifacts saved in '$T/art/st-capture.3'" "$T/out" || fail "the report does not name the folder: $(cat "$T/out")"
rm "$T/art/st-capture.2"
# Finding 8: nobody else reads them (pcaps on wg0 hold decrypted traffic);
# DIR itself, made by the user, keeps its mode.
bad=$(find "$T/art" -mindepth 1 ! -path "$T/art/st-capture" ! -path "$T/art/st-capture/*" \
	\( \( -type d ! -perm 0700 \) -o \( -type f ! -perm 0600 \) \))
[ -z "$bad" ] || fail "artifacts others may read: $(ls -la $bad)"
[ "$(stat -c %a "$T/art/st-capture")" = 755 ] || fail "the run changed the mode of a folder it did not make"

# One wglab makes itself is 0700 too.
$WG run --capture --artifacts "$T/fresh" "$lab" > "$T/out" 2>&1
[ "$(stat -c %a "$T/fresh")" = 700 ] || fail "a new artifact directory is $(stat -c %a "$T/fresh"), not 700"

# Two scenarios of one lab name in one run, three runs at once into one
# DIR, and a lab whose name is another's with its twin's: each scenario's
# artifacts in a folder of its own (they overwrote each other, or mixed).
mkdir "$T/d1" "$T/d2"
printf 'lab same\nnode a\nrun a -- sh -c "echo from-%s; exit 1"\n' d1 > "$T/d1/x.lab"
printf 'lab same\nnode a\nrun a -- sh -c "echo from-%s; exit 1"\n' d2 > "$T/d2/x.lab"
$WG run --artifacts "$T/same" "$T/d1/x.lab" "$T/d2/x.lab" > "$T/out" 2>&1
[ "$(cat "$T/same/same/a-run-line3.log")" = from-d1 ] && [ "$(cat "$T/same/same.2/a-run-line3.log")" = from-d2 ] ||
	fail "two scenarios of one name share a folder: $(grep -r . "$T/same")"
grep -q "Artifacts saved in '$T/same/same.2'" "$T/out" || fail "the report does not name the folder: $(cat "$T/out")"
for i in 1 2 3; do
	$WG run --artifacts "$T/par" "$T/d1/x.lab" > "$T/par$i.out" 2>&1 &
done
wait
[ "$(ls "$T/par" | sort | tr '\n' ' ')" = "same same.2 same.3 " ] || fail "three runs at once: $(ls -la "$T/par")"
for d in "$T"/par/*; do
	[ "$(cat "$d/a-run-line3.log")" = from-d1 ] || fail "$d: $(ls -la "$d")"
done
cat > "$T/tw.lab" <<'LAB'
lab tw
node a
@f run a -- sh -c "echo tw; exit 1"
twin t-1 "a twin" <<
fails @f
add @f
>>
LAB
printf 'lab tw-twin-t-1\nnode a\nrun a -- sh -c "echo other; exit 1"\n' > "$T/tw2.lab"
$WG run --capture --artifacts "$T/tw" "$T/tw.lab" "$T/tw2.lab" > "$T/out" 2>&1
[ -d "$T/tw/tw@t-1" ] && [ "$(cat "$T/tw/tw-twin-t-1/a-run-line3.log")" = other ] ||
	fail "a twin's folder and another lab's: $(ls -la "$T/tw"; cat "$T/out")"

# A log over 64 MiB: its end is saved after a line saying what was cut,
# and the report says so (it was left out without a word).
printf 'lab big\nnode a\nrun a -- sh -c "yes 0123456789abcdef | head -c 67109000; echo; echo THE-END; exit 1"\n' \
	> "$T/big.lab"
$WG run --artifacts "$T/big" "$T/big.lab" > "$T/out" 2>&1
[ $? = 1 ] || fail "the big log's step should fail: $(tail -3 "$T/out")"
log="$T/big/big/a-run-line3.log"
[ -f "$log" ] || fail "no log over 64 MiB saved: $(ls -lR "$T/big")"
head -1 "$log" | grep -q '^\[wglab: the log was 67109009 bytes; its first [0-9]* bytes are cut\]$' ||
	fail "the cut is not said: $(head -c 200 "$log")"
[ "$(tail -1 "$log")" = THE-END ] || fail "the log's end is not saved: $(tail -c 100 "$log")"
[ "$(sed -n 2p "$log")" = 0123456789abcdef ] || fail "the saved log starts inside a line: $(head -c 200 "$log")"
size=$(stat -c %s "$log")
[ "$size" -le $((64 * 1024 * 1024 + 100)) ] && [ "$size" -gt $((64 * 1024 * 1024 - 100)) ] ||
	fail "the saved log is $size bytes"
grep -q "note: The log .*a-run-line3.log is 67109009 bytes: only its last" "$T/out" || fail "no note: $(cat "$T/out")"
rm -rf "$T/big"

# --json FILE through a symlink to the victim: not followed either.
ln -s "$T/victim" "$T/r.json"
$WG run --json "$T/r.json" tests/selftest/run-exit.lab > "$T/out" 2>&1
[ "$(cat "$T/victim")" = precious ] || fail "the JSON report was written through a symlink"
# Nor report merge's.
ln -s "$T/victim" "$T/m.json"
$WG report merge --json "$T/m.json" "$T/r.json" > "$T/out" 2>&1
[ "$(cat "$T/victim")" = precious ] || fail "report merge wrote through a symlink"
exit 0
