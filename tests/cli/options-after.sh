#!/bin/sh
# Options may follow the operands, as GNU getopt permutes them (`wglab run
# FILE -v` once read -v as a second file); after `--` everything is an
# operand.
. tests/cli/lib.sh
need_root

p=oa$$
LABS=$p
snapshot "$T/before"
printf 'lab opts\nnode a\nrun a -- true\n' > "$T/a.lab"
$WG run "$T/a.lab" --tap > "$T/out" 2>&1 || fail "run FILE --tap: $(cat "$T/out")"
grep -q "^TAP version 13" "$T/out" && grep -q "^ok 1 " "$T/out" || fail "run FILE --tap: $(cat "$T/out")"
$WG run -- --tap > "$T/out" 2>&1
rc=$?
[ $rc = 2 ] && grep -q "Unable to read '--tap'" "$T/out" || fail "run -- --tap (exit $rc): $(cat "$T/out")"
trap '$WGLAB down "$p" >/dev/null 2>&1; rm -rf "$T"' EXIT
$WG up "$T/a.lab" --name "$p" > "$T/out" 2>&1 || fail "up FILE --name: $(cat "$T/out")"
printf 'run a -- true\n' | $WG apply "$p" - --tap > "$T/out" 2>&1 || fail "apply LAB - --tap: $(cat "$T/out")"
grep -q "^ok 1 " "$T/out" || fail "apply LAB - --tap: $(cat "$T/out")"
$WG down "$p" > "$T/out" 2>&1 || fail "down: $(cat "$T/out")"
same_as "$T/before" || fail "something was left behind"
exit 0
