#!/bin/sh
# Finding 3 (issue 15): names from the command line and from lab records
# are checked before they reach a path or a signal.  `down ../../../tmp/x`
# once sent SIGTERM to the pid stored in /tmp/x/pid and deleted /tmp/x;
# `down ..` tried to rmdir /run/wglab; a mount name read back from a record
# could hold '/'.
. tests/cli/lib.sh
need_root

# A directory that looks like a lab record, outside the labs directory,
# holding the pid of a process of ours.
sleep 300 & victim=$!
trap 'kill $victim 2>/dev/null; rm -rf "$T"' EXIT
mkdir -p "$T/x"
echo "$victim $(awk '{print $22}' /proc/$victim/stat)" > "$T/x/pid"
rel=$(printf '%s' "${WGLAB_RUN_DIR:-/run/wglab}/labs" | sed 's|[^/][^/]*|..|g; s|^/||')
for name in "$rel$T/x" .. . "" "-x" "a/b" "$(printf 'a\033[2Jb')" \
	"aaaaaaaaaaaaaaaaaaaaaaaaa"; do
	$WG down "$name" > "$T/out" 2>&1
	rc=$?
	[ $rc = 2 ] || fail "down '$name' exited $rc, not 2: $(cat "$T/out")"
	grep -q "Invalid lab name" "$T/out" || fail "down '$name': $(cat "$T/out")"
	grep -q "$(printf '\033')" "$T/out" && fail "down echoed a terminal escape"
done
kill -0 $victim 2>/dev/null || fail "down signalled a process named by a path outside the labs"
[ -e "$T/x/pid" ] || fail "down removed a directory outside the labs"
[ -d "${WGLAB_RUN_DIR:-/run/wglab}" ] || fail "down removed the run directory"

for cmd in "exec ../x a true" "exec x ../a true" "shell .. a" "show ../x" "show x ../a:wg0"; do
	# shellcheck disable=SC2086
	$WG $cmd > "$T/out" 2>&1
	rc=$?
	[ $rc = 2 ] || fail "'$cmd' exited $rc, not 2: $(cat "$T/out")"
	grep -q "Invalid .* name" "$T/out" || fail "'$cmd': $(cat "$T/out")"
done
printf 'lab ok\nnode a\n' > "$T/ok.lab"
$WG up --name ../x "$T/ok.lab" > "$T/out" 2>&1
[ $? = 2 ] && grep -q "Invalid lab name" "$T/out" || fail "up --name ../x: $(cat "$T/out")"

# A record of a dead lab whose nodes file names mounts outside the netns
# directory: reap removes the record and touches nothing it names.
labs=${WGLAB_RUN_DIR:-/run/wglab}/labs
n=evil$$
mkdir -p "$labs/$n" "$T/netns-victim"
touch "$T/file-victim"
netns=${WGLAB_NETNS_DIR:-/run/netns}
up=$(printf '%s' "$netns" | sed 's|[^/][^/]*|..|g; s|^/||')
sh -c 'exit 0' & wait $!; gone=$!
echo "$gone 1" > "$labs/$n/pid"
printf 'a %s 0 -1\nb %s 0 -1\nc %s-c 0 -1\n' "$up$T/file-victim" "$up$T/netns-victim" "$n" \
	> "$labs/$n/nodes"
$WG list > "$T/list" 2>&1
grep -q "$T" "$T/list" && fail "list shows a mount outside the netns directory: $(cat "$T/list")"
$WG reap > "$T/out" 2>&1 || fail "reap: $(cat "$T/out")"
[ -e "$T/file-victim" ] && [ -d "$T/netns-victim" ] || fail "reap followed a mount name out of the netns directory"
[ -e "$labs/$n" ] && fail "reap left the bad record"
exit 0
