#!/bin/sh
# `wglab check` reports every error at once as file:line:col, exits 2, and
# needs no privileges.
. tests/cli/lib.sh

cat > "$T/bad.lab" <<'LAB'
lab bad
node a
frobnicate a
node b
teleport a b
link a:eth0 10.0.0.1/24 -- b:eth0 10.0.0.2/24
warp 9
LAB
out=$("$WGLAB" check "$T/bad.lab" 2>&1); rc=$?
[ $rc = 2 ] || fail "exit status $rc, expected 2"
n=$(printf '%s\n' "$out" | grep -c "^$T/bad.lab:[0-9]*:[0-9]*: unknown statement")
[ "$n" = 3 ] || fail "expected 3 positioned errors, got: $out"
printf '%s\n' "$out" | grep -q "^$T/bad.lab:3:1: unknown statement 'frobnicate'" || fail "$out"
printf '%s\n' "$out" | grep -q "^$T/bad.lab:7:1: unknown statement 'warp'" || fail "$out"

# The same as an unprivileged user, when there is one.
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
	chmod 755 "$T"; chmod 644 "$T/bad.lab"
	out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups "$WGLAB" check "$T/bad.lab" 2>&1); rc=$?
	[ $rc = 2 ] || fail "as nobody: exit status $rc ($out)"
	[ "$(printf '%s\n' "$out" | grep -c 'unknown statement')" = 3 ] || fail "as nobody: $out"
fi

"$WGLAB" check tests/integration/routed.lab >/dev/null || fail "routed.lab does not check"

# A nat device on an interface with IPv6 applies to IPv4 only: a valid
# scenario, with a note at the nat statement, and exit status 0.
out=$("$WGLAB" check tests/integration/nat-ipv6-note.lab 2>&1) || fail "nat-ipv6-note.lab: $out"
printf '%s\n' "$out" | grep -q "^tests/integration/nat-ipv6-note.lab:21:1: note: nat r:wan applies to IPv4 only" ||
	fail "no note on the nat: $out"
out=$("$WGLAB" check tests/integration/nat-inside-firewall.lab 2>&1)
printf '%s\n' "$out" | grep -q "note:" && fail "a note without IPv6 on the nat: $out"

# A --wg value that is none of auto, kernel, userspace[=PATH] is a usage
# error before anything runs (run passed a lab without WireGuard with
# it, and failed a WireGuard lab half way, at its first interface).
for cmd in run mutate up; do
	for wg in bogus kernel, userspace= Userspace; do
		out=$("$WGLAB" $cmd --wg "$wg" tests/integration/routed.lab 2>&1); rc=$?
		[ $rc = 2 ] || fail "$cmd --wg '$wg': exit status $rc ($out)"
		[ "$out" = "Invalid --wg '$wg': auto, kernel, userspace or userspace=PATH" ] ||
			fail "$cmd --wg '$wg': $out"
	done
done
exit 0
