#!/bin/sh
# wglab reap removes what dead runs and labs left, and only that: the
# mounts of a lab whose keeper was killed, the incomplete artifacts of a run
# killed while writing them; a live lab is left alone.
. tests/cli/lib.sh
need_root

dead=d$$ live=l$$
LABS="$dead|$live"
snapshot "$T/before"
$WG up --name "$live" tests/integration/routed.lab > /dev/null 2>&1 || fail "up $live"
$WG up --name "$dead" tests/wg/two-peers.lab > /dev/null 2>&1 || { $WG down "$live"; fail "up $dead"; }
pid=$($WG list | awk -v n="$dead" '$1 == n { gsub(/[()]/, "", $4); print $4 }')
[ -n "$pid" ] || { $WG down "$live" "$dead"; fail "no keeper pid in list"; }
kill -9 "$pid"
i=0
while kill -0 "$pid" 2>/dev/null; do i=$((i + 1)); [ $i -lt 100 ] || break; sleep 0.05; done
$WG list | grep -q "^$dead	stale" || { $WG down "$live" "$dead"; fail "the dead lab is not listed as stale"; }
ip netns list | grep -q "^$dead-a" || { $WG down "$live" "$dead"; fail "the dead lab's mounts are already gone?"; }

# A run killed while it wrote its artifacts: its journal names the folder
# (by its parent's device and inode, and its name).
# It made the folder and the two files (each journaled with its inode);
# a file someone else put there during the run keeps the folder.
mkdir -p "$T/art/half" "$T/art/mixed" /run/wglab/runs
touch "$T/art/half/.wglab-incomplete" "$T/art/half/a-eth0.pcap"
touch "$T/art/mixed/.wglab-incomplete" "$T/art/mixed/a-eth0.pcap" "$T/art/mixed/notes.txt"
sh -c 'exit 0' & wait $!; gone=$!
{
	for d in half mixed; do
		echo "artifacts $(stat -c '%d %i' "$T/art") $d $T/art"
		echo "made $(stat -c %i "$T/art/$d")"
		echo "file $(stat -c %i "$T/art/$d/.wglab-incomplete") .wglab-incomplete"
		echo "file $(stat -c %i "$T/art/$d/a-eth0.pcap") a-eth0.pcap"
	done
	# A line cut short by the kill: names nothing.
	printf 'file 1 notes.t'
} > "/run/wglab/runs/$gone.1"
# And a folder of a finished run, without the mark: never touched.
mkdir -p "$T/art/done" && touch "$T/art/done/a-eth0.pcap"
# Finding 2: a dead run's folder swapped for a symlink to a copy of /etc
# (marker planted too): reap must not follow it.
mkdir -p "$T/etc" && cp /etc/hosts /etc/passwd "$T/etc/" && touch "$T/etc/.wglab-incomplete"
ln -s "$T/etc" "$T/art/swapped"
sh -c 'exit 0' & wait $!; gone2=$!
echo "artifacts $(stat -c '%d %i' "$T/art") swapped $T/art" > "/run/wglab/runs/$gone2.1"

$WG reap > "$T/reap" 2>&1 || { $WG down "$live"; fail "reap: $(cat "$T/reap")"; }
grep -q "Removed lab '$dead'" "$T/reap" || { $WG down "$live"; fail "reap did not remove $dead: $(cat "$T/reap")"; }
ip netns list | grep -q "^$dead-" && { $WG down "$live"; fail "mounts of $dead remain"; }
[ -e "$T/art/half" ] && { $WG down "$live"; fail "the incomplete artifacts remain"; }
[ "$(ls -A "$T/art/mixed")" = notes.txt ] || { $WG down "$live"; fail "mixed folder: $(ls -A "$T/art/mixed")"; }
[ -e "/run/wglab/runs/$gone.1" ] && { $WG down "$live"; fail "the dead run's journal remains"; }
[ -e "$T/art/done/a-eth0.pcap" ] || { $WG down "$live"; fail "reap removed a finished run's artifacts"; }
[ -e "$T/etc/passwd" ] && [ -e "$T/etc/hosts" ] || { $WG down "$live"; fail "reap followed a swapped folder: $(ls -a "$T/etc")"; }
[ -e "/run/wglab/runs/$gone2.1" ] && { $WG down "$live"; fail "the swapped run's journal remains"; }
$WG list | grep -q "^$live	up" || fail "reap touched the live lab"
ip netns exec "$live-client" ping -c1 -W2 10.2.0.2 > /dev/null || { $WG down "$live"; fail "the live lab broke"; }
$WG down "$live" > /dev/null || fail "down $live"

# A run killed while it saves its artifacts, beside a folder of the lab's
# name that was there before it, holding a file of the user's: reap (and
# every later run) removed every file in it, and the run made it 0700.
# Now the run writes in a folder of its own making (bigl.2: a folder that
# exists is never reused), reap removes only the files the run made and
# the folder it made, and the user's folder keeps its mode and files.  Its
# two 60 MB logs take long to save: the run is killed once the first one
# has text, while it writes it (by then the mark and that log are
# journaled: a file is journaled once made, before it is written).  A run
# directory of the test's own: no other wglab on the machine reaps this
# run first.
cat > "$T/bigl.lab" <<'LAB'
lab bigl
node a
run a timeout 60s -- sh -c "head -c 60000000 /dev/zero | tr '\\0' x; exit 1"
run a timeout 60s -- sh -c "head -c 60000000 /dev/zero | tr '\\0' x; exit 1"
LAB
mkdir -p "$T/art13/bigl" && chmod 0755 "$T/art13/bigl"
echo precious > "$T/art13/bigl/precious.txt"
RUNDIR="env WGLAB_RUN_DIR=$T/run"
killed=
for try in 1 2 3; do
	$RUNDIR $WG run --artifacts "$T/art13" "$T/bigl.lab" > "$T/bigl.out" 2>&1 & P=$!
	while kill -0 $P 2>/dev/null && [ ! -s "$T/art13/bigl.2/a-run-line4.log" ] &&
		[ ! -s "$T/art13/bigl.2/a-run-line3.log" ]; do :; done
	kill -9 $P 2>/dev/null && killed=1
	wait $P 2>/dev/null
	[ -n "$killed" ] && [ -e "$T/art13/bigl.2/.wglab-incomplete" ] && break
	killed=
	rm -rf "$T/art13/bigl.2"
done
[ -n "$killed" ] || fail "the run always finished before it could be killed while saving its artifacts"
[ "$(stat -c %a "$T/art13/bigl")" = 755 ] || fail "the run changed the folder's mode to $(stat -c %a "$T/art13/bigl")"
[ "$(ls -A "$T/art13/bigl")" = precious.txt ] || fail "the run wrote in the user's folder: $(ls -A "$T/art13/bigl")"
$RUNDIR $WG reap > "$T/reap" 2>&1 || fail "reap: $(cat "$T/reap")"
grep -q "Removed the incomplete artifacts '$T/art13/bigl.2' of dead run $P" "$T/reap" ||
	fail "reap did not say what it removed: $(cat "$T/reap")"
[ "$(cat "$T/art13/bigl/precious.txt" 2>/dev/null)" = precious ] ||
	fail "reap removed the user's file: $(ls -A "$T/art13/bigl")"
[ -e "$T/art13/bigl.2" ] && fail "reap left the run's folder: $(ls -A "$T/art13/bigl.2")"
[ "$(stat -c %a "$T/art13/bigl")" = 755 ] || fail "reap changed the user's folder's mode"
# A run that completes leaves them too (its logs in a folder of its own).
$RUNDIR $WG run --artifacts "$T/art13" "$T/bigl.lab" > "$T/bigl.out" 2>&1
[ $? = 1 ] || fail "bigl should fail: $(tail -3 "$T/bigl.out")"
[ "$(ls -A "$T/art13/bigl")" = precious.txt ] || fail "a run touched the user's folder: $(ls -A "$T/art13/bigl")"
ls "$T/art13/bigl.2" | grep -q '^a-run-line3.log$' || fail "no log saved: $(ls -A "$T/art13" "$T/art13/bigl.2")"
[ -e "$T/art13/bigl.2/.wglab-incomplete" ] && fail "the mark stayed after the run"
same_as "$T/before" || fail "left something behind"
exit 0
