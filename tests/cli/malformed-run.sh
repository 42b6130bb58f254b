#!/bin/sh
# `wglab run` on a malformed scenario exits 2 with the positioned error and
# builds nothing: strace -f sees no unshare(), setns() or clone() into a
# new namespace in wglab or any child, and nothing is left behind.  The
# same trace of a valid scenario does show its unshare(CLONE_NEWNET), so
# the witness is known to see them.
. tests/cli/lib.sh
need_root
command -v strace >/dev/null 2>&1 || { echo "SKIP: no strace (ci/install-deps installs it)" >&2; exit 77; }
LABS="hostile-bad|hostile-good"

# Valid up to its last line, where the gateway is not an address.
cat > "$T/bad.lab" <<'LAB'
lab hostile-bad
node a router
node b
link a:eth0 10.0.0.1/24 -- b:eth0 10.0.0.2/24
expect b reaches 10.0.0.1
route b 10.9.0.0/16 via 10.0.0.300
LAB
cat > "$T/good.lab" <<'LAB'
lab hostile-good
node a
expect a reaches 127.0.0.1
LAB

# LeakSanitizer cannot work under ptrace (make check SANITIZE=address).
traced() {
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" strace -f -q -e trace=unshare,setns,clone,clone3 -o "$T/trace" $WG run "$@" >"$T/out" 2>"$T/err"
}

snapshot "$T/before"
traced "$T/bad.lab"; rc=$?
[ $rc = 2 ] || fail "malformed scenario: exit status $rc, expected 2 ($(cat "$T/err"))"
grep -qx "$T/bad.lab:6:25: '10.0.0.300' is not an IP address" "$T/err" ||
	fail "no positioned error on stderr: $(cat "$T/err")"
grep -q "CLONE_NEW" "$T/trace" && fail "a namespace was made or entered: $(grep CLONE_NEW "$T/trace")"
grep -Eq '^[0-9]+ +[+]{3} exited with 2 [+]{3}$' "$T/trace" || fail "strace did not follow wglab: $(cat "$T/trace")"
same_as "$T/before" || fail "the malformed run left something behind"

traced "$T/good.lab"; rc=$?
[ $rc = 0 ] || fail "valid scenario: exit status $rc ($(cat "$T/out" "$T/err"))"
grep -q "unshare(CLONE_NEWNET)" "$T/trace" || fail "strace saw no unshare in a valid run: $(cat "$T/trace")"
same_as "$T/before" || fail "the valid run left something behind"
exit 0
