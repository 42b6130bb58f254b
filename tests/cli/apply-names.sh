#!/bin/sh
# The names a node added by `apply` takes, as up's: LAB-NODE under
# /run/netns and /etc/netns/LAB-NODE.  A name another holds (a user's
# /etc/netns/LAB-NODE files, ip netns add's namespace) is refused before
# anything runs, with the other named at the node statement's place: apply
# once wrote the user's hosts over and down removed them, and with the
# name under /run/netns taken it failed to bind yet wrote
# /etc/netns/LAB-NODE, which down left.  A name taken while the apply ran
# fails the bind at the node statement's place, and nothing is written
# for that node under /etc/netns.  Nodes made before a failing statement
# stay part of the lab: bound, with their /etc/netns files, in every
# node's hosts (they once had neither).
. tests/cli/lib.sh
need_root

p=an$$
LABS=$p
snapshot "$T/before"
printf 'node a\n' > "$T/a.lab"
trap '$WGLAB down "$p" >/dev/null 2>&1; ip netns delete "$p-z" 2>/dev/null; umount "$T/netns" 2>/dev/null;
	rm -rf "/etc/netns/$p-y" "$T"' EXIT
$WG up --name "$p" "$T/a.lab" > "$T/out" 2>&1 || fail "up: $(cat "$T/out")"

# A user's /etc/netns/LAB-y.
mkdir -p "/etc/netns/$p-y"
echo "192.0.2.9 mine" > "/etc/netns/$p-y/hosts"
printf 'node w\nnode y\n' | $WG apply "$p" - > "$T/out" 2>&1
rc=$?
[ $rc = 2 ] && grep -q "^<stdin>:2:1: Unable to add node 'y' to lab '$p': it would be kept as /etc/netns/$p-y, which is there and not made by wglab" "$T/out" ||
	fail "apply of node y over a user's /etc/netns/$p-y (exit $rc): $(cat "$T/out")"
[ "$(cat "/etc/netns/$p-y/hosts")" = "192.0.2.9 mine" ] || fail "apply wrote the user's /etc/netns/$p-y/hosts"
$WG exec "$p" w true > /dev/null 2>&1 && fail "the refused apply ran its first statement (node w)"

# ip netns add's namespace.
ip netns add "$p-z" || fail "ip netns add"
printf 'node z\n' | $WG apply "$p" - > "$T/out" 2>&1
rc=$?
netns=${WGLAB_NETNS_DIR:-/run/netns}
[ $rc = 2 ] && grep -q "^<stdin>:1:1: Unable to add node 'z' to lab '$p': it would be kept as $netns/$p-z, which is there and not made by wglab" "$T/out" ||
	fail "apply of node z over ip netns add's $p-z (exit $rc): $(cat "$T/out")"
[ -e "/etc/netns/$p-z" ] && fail "apply refused wrote /etc/netns/$p-z"

# A statement that fails after a node: the node stays, bound and known.
printf 'node v\nrun a -- /nonexistent/wglab-test\n' | $WG apply "$p" - > "$T/out" 2>&1
rc=$?
[ $rc = 2 ] && grep -q "^  error: <stdin>:2:1: Unable to run" "$T/out" || fail "apply failing at line 2 (exit $rc): $(cat "$T/out")"
[ -f "/etc/netns/$p-v/hosts" ] || fail "node v (before the failing statement) has no /etc/netns/$p-v/hosts"
grep -q "v: node 'v'" "/etc/netns/$p-a/hosts" || fail "/etc/netns/$p-a/hosts does not know v: $(cat "/etc/netns/$p-a/hosts")"
$WG exec "$p" a cat /etc/hosts > "$T/out" 2>&1
grep -q "v: node 'v'" "$T/out" || fail "a's /etc/hosts does not know v: $(cat "$T/out")"
$WG exec "$p" v true > "$T/out" 2>&1 || fail "wglab exec in node v: $(cat "$T/out")"

$WG down "$p" > "$T/out" 2>&1 || fail "down: $(cat "$T/out")"
[ "$(cat "/etc/netns/$p-y/hosts" 2>/dev/null)" = "192.0.2.9 mine" ] || fail "down removed the user's /etc/netns/$p-y/hosts"
ip netns list | grep -q "^$p-z\b" || fail "down removed ip netns add's $p-z"
for n in a v z; do
	[ -e "/etc/netns/$p-$n" ] && fail "/etc/netns/$p-$n is left behind"
done
ip netns delete "$p-z"
rm -r "/etc/netns/$p-y"

# Taken while the apply runs (its own step takes z's name, in a netns
# directory the step sees: a step's /run is its own).
mkdir "$T/netns"
WGLAB_NETNS_DIR=$T/netns $WG up --name "$p" "$T/a.lab" > "$T/out" 2>&1 || fail "up in $T/netns: $(cat "$T/out")"
printf 'node w\nnode z\nrun a -- touch %s/%s-z\n' "$T/netns" "$p" | WGLAB_NETNS_DIR=$T/netns $WG apply "$p" - > "$T/out" 2>&1
rc=$?
[ $rc = 2 ] && grep -q "^  error: <stdin>:2:1: Unable to bind node 'z' at $T/netns/$p-z (the name is taken)" "$T/out" ||
	fail "apply whose name was taken while it ran (exit $rc): $(cat "$T/out")"
[ -f "/etc/netns/$p-w/hosts" ] || fail "node w (bound) has no /etc/netns/$p-w/hosts"
[ -e "/etc/netns/$p-z" ] && fail "/etc/netns/$p-z written for a node that was not bound"
WGLAB_NETNS_DIR=$T/netns $WG down "$p" > "$T/out" 2>&1 || fail "down: $(cat "$T/out")"
umount "$T/netns" 2>/dev/null
[ -f "$T/netns/$p-z" ] || fail "down removed another's $p-z"
for n in a w z; do
	[ -e "/etc/netns/$p-$n" ] && fail "/etc/netns/$p-$n is left behind"
done
same_as "$T/before" || fail "something was left behind"
exit 0
