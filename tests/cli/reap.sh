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
mkdir -p "$T/art/half" /run/wglab/runs
touch "$T/art/half/.wglab-incomplete" "$T/art/half/a-eth0.pcap"
sh -c 'exit 0' & wait $!; gone=$!
echo "artifacts $(stat -c '%d %i' "$T/art") half $T/art" > "/run/wglab/runs/$gone.1"
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
[ -e "/run/wglab/runs/$gone.1" ] && { $WG down "$live"; fail "the dead run's journal remains"; }
[ -e "$T/art/done/a-eth0.pcap" ] || { $WG down "$live"; fail "reap removed a finished run's artifacts"; }
[ -e "$T/etc/passwd" ] && [ -e "$T/etc/hosts" ] || { $WG down "$live"; fail "reap followed a swapped folder: $(ls -a "$T/etc")"; }
[ -e "/run/wglab/runs/$gone2.1" ] && { $WG down "$live"; fail "the swapped run's journal remains"; }
$WG list | grep -q "^$live	up" || fail "reap touched the live lab"
ip netns exec "$live-client" ping -c1 -W2 10.2.0.2 > /dev/null || { $WG down "$live"; fail "the live lab broke"; }
$WG down "$live" > /dev/null || fail "down $live"
same_as "$T/before" || fail "left something behind"
exit 0
