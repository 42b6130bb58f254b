#!/bin/sh
# Finding 3 (issue 15): names from the command line and from lab records
# are checked before they reach a path or a signal.  `down ../../../tmp/x`
# once sent SIGTERM to the pid stored in /tmp/x/pid and deleted /tmp/x;
# `down ..` tried to rmdir /run/wglab; a mount name read back from a record
# could hold '/'.
# Namespace names: a kept lab's node is bound at LAB-NODE, one name for
# lab X's node b-c and lab X-b's node c, and for another tool's namespace
# (ip netns add).  up refuses a name that is taken and says who has it; a
# failed up removes only what it made (it once removed the other lab's
# mount, or ip netns add's namespace and its /etc/netns files, at the
# failed mount); within one lab, node lan-x and lan x are an error.
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

netns=${WGLAB_NETNS_DIR:-/run/netns}
p=h$$
LABS="$p|$p-b|$p-c"
snapshot "$T/before"
printf 'node b-c\nnode d\nlink b-c:eth0 10.1.0.1/24 -- d:eth0 10.1.0.2/24\n' > "$T/c1.lab"
printf 'node c\nnode e\nlink c:eth0 10.2.0.1/24 -- e:eth0 10.2.0.2/24\n' > "$T/c2.lab"
trap 'kill $victim 2>/dev/null; $WGLAB down "$p" >/dev/null 2>&1; ip netns delete "$p-c-a" 2>/dev/null;
	umount "$T/netns" 2>/dev/null; rm -rf "/etc/netns/$p-c-a" "/etc/netns/$p-c-b" "$T"' EXIT
$WG up --name "$p" "$T/c1.lab" > "$T/out" 2>&1 || fail "up $p: $(cat "$T/out")"
$WG up --name "$p-b" "$T/c2.lab" > "$T/out" 2>&1
rc=$?
[ $rc = 2 ] || fail "up of $p-b (its c is $p-b-c, $p's b-c) exited $rc: $(cat "$T/out")"
grep -q "node 'c' would be kept as $netns/$p-b-c, which lab '$p' holds" "$T/out" ||
	fail "up of $p-b does not say who has $p-b-c: $(cat "$T/out")"
$WG exec "$p" b-c ping -c1 -W2 10.1.0.2 > "$T/out" 2>&1 || fail "$p's b-c after the failed up: $(cat "$T/out")"
$WG down "$p" > "$T/out" 2>&1 || fail "down $p: $(cat "$T/out")"

# A namespace of ip netns add, with its /etc/netns files.
ip netns add "$p-c-a" || fail "ip netns add"
mkdir -p "/etc/netns/$p-c-a"
echo "192.0.2.9 foreign" > "/etc/netns/$p-c-a/hosts"
printf 'node a\nnode b\nlink a:eth0 10.3.0.1/24 -- b:eth0 10.3.0.2/24\n' > "$T/c3.lab"
$WG up --name "$p-c" "$T/c3.lab" > "$T/out" 2>&1
rc=$?
[ $rc = 2 ] && grep -q "node 'a' would be kept as $netns/$p-c-a, which is there and not made by wglab" "$T/out" ||
	fail "up over ip netns add's $p-c-a (exit $rc): $(cat "$T/out")"
ip netns list | grep -q "^$p-c-a\b" || fail "up removed ip netns add's $p-c-a"
grep -q foreign "/etc/netns/$p-c-a/hosts" || fail "up removed /etc/netns/$p-c-a/hosts"
ip netns delete "$p-c-a"
$WG up --name "$p-c" "$T/c3.lab" > "$T/out" 2>&1
rc=$?
[ $rc = 2 ] && grep -q "node 'a' would be kept as /etc/netns/$p-c-a, which is there and not made by wglab" "$T/out" ||
	fail "up over /etc/netns/$p-c-a (exit $rc): $(cat "$T/out")"
grep -q foreign "/etc/netns/$p-c-a/hosts" || fail "up removed /etc/netns/$p-c-a/hosts"
rm -r "/etc/netns/$p-c-a"

# Taken after up looked (a step of the lab's takes b's names while it
# builds, in a netns directory the step sees: a step's /run is its own):
# the bind fails, says why, and removes only what the lab made.
mkdir "$T/netns"
printf 'node a\nnode b\nrun a sh -c "touch %s/%s-c-b; mkdir -p /etc/netns/%s-c-b; echo x > /etc/netns/%s-c-b/hosts"\n' \
	"$T/netns" "$p" "$p" "$p" > "$T/c4.lab"
WGLAB_NETNS_DIR=$T/netns $WG up --name "$p-c" "$T/c4.lab" > "$T/out" 2>&1
rc=$?
umount "$T/netns" 2>/dev/null
[ $rc = 2 ] && grep -q "Unable to bind node 'b' at $T/netns/$p-c-b (the name is taken): File exists" "$T/out" ||
	fail "up whose name was taken while it built (exit $rc): $(cat "$T/out")"
[ -f "$T/netns/$p-c-b" ] && grep -q x "/etc/netns/$p-c-b/hosts" || fail "a failed up removed another's $p-c-b"
[ -e "$T/netns/$p-c-a" ] || [ -e "/etc/netns/$p-c-a" ] && fail "a failed up left its own $p-c-a"
rm -rf "/etc/netns/$p-c-b"

# One lab: node lan-x and lan x are one name.
printf 'node lan-x\nnode y\nlan x 10.4.0.0/24 lan-x:eth0 y:eth0\n' > "$T/c5.lab"
$WG check "$T/c5.lab" > "$T/out" 2>&1
rc=$?
[ $rc = 2 ] && grep -q "^$T/c5.lab:3:5: lan 'x' and node 'lan-x' ($T/c5.lab:1) would both be kept as LAB-lan-x" "$T/out" ||
	fail "check of node lan-x and lan x (exit $rc): $(cat "$T/out")"
same_as "$T/before" || fail "something was left behind"
exit 0
