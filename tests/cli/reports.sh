#!/bin/sh
# run --json/--junit/--tap: the JSON has the documented fields with
# per-phase timings, the JUnit is well-formed, TAP has its plan; where a
# report goes is checked before anything runs.
. tests/cli/lib.sh
need_root

$WG run --json "$T/r.json" --junit "$T/r.xml" tests/integration/routed.lab > "$T/out" ||
	fail "run failed: $(cat "$T/out")"
tail -1 "$T/out" | grep -Eq '^[0-9]+ passed, 0 failed$' || fail "closing line: $(tail -1 "$T/out")"
jq -e '.wglab and (.passed > 0) and .failed == 0 and (.scenarios | length == 1)' "$T/r.json" >/dev/null ||
	fail "JSON totals: $(cat "$T/r.json")"
jq -e '.scenarios[0] | .file and .name == "routed" and .passed == true and
	(.timings | has("parse_ms") and has("build_ms") and has("steps_ms") and has("teardown_ms")) and
	(.timings.build_ms > 0) and
	(.expectations | length > 0 and all(has("line") and has("text") and has("kind") and
		has("passed") and has("evidence") and has("duration_ms")))' "$T/r.json" >/dev/null ||
	fail "JSON scenario fields"
# The version a report names is the checkout's (a build kept across commits
# named the commit it was first built at).
if v=$(git describe --always --dirty 2>/dev/null); then
	[ "$(jq -r .wglab "$T/r.json")" = "$v" ] || fail "report version $(jq -r .wglab "$T/r.json"), checkout $v"
	[ "$($WG --version)" = "wglab $v" ] || fail "--version: $($WG --version), checkout $v"
fi
xmllint --noout "$T/r.xml" || fail "JUnit XML is not well-formed"
[ "$(xmllint --xpath 'count(//testsuite)' "$T/r.xml")" = 1 ] || fail "one testsuite per scenario"
[ "$(xmllint --xpath 'count(//testcase)' "$T/r.xml")" = "$(jq '.scenarios[0].expectations | length' "$T/r.json")" ] ||
	fail "one testcase per expectation"

$WG run --tap tests/integration/routed.lab > "$T/tap" || fail "tap run failed"
head -1 "$T/tap" | grep -q '^TAP version 13$' || fail "TAP header"
grep -Eq '^1\.\.[0-9]+$' "$T/tap" || fail "TAP plan"
! grep -q '^not ok' "$T/tap" || fail "TAP failures: $(cat "$T/tap")"

# A failing self-test: exit 1, JUnit failure carries the evidence.
$WG run --junit "$T/f.xml" tests/selftest/reach-closed-port.lab > "$T/out"; rc=$?
[ $rc = 1 ] || fail "failing scenario exit status $rc"
xmllint --xpath 'string(//failure/@message)' "$T/f.xml" | grep -q refused || fail "failure message"

# A '#' in a statement is escaped in TAP: a failing step whose words say
# "# TODO" or "# SKIP" (or a URL's fragment) stays a failure for a TAP
# harness, which read them as directives and passed the run.
cat > "$T/todo.lab" <<'LAB'
lab todo
node a
run a -- sh -c "exit 1 # TODO"
run a -- sh -c "exit 1 # SKIP"
run a -- sh -c "exit 1 \\# TODO"
LAB
$WG run --tap "$T/todo.lab" > "$T/todo.tap"
[ $? = 1 ] || fail "the failing steps should fail the run"
grep -q '^not ok 1 - todo: .*todo.lab:3 run a -- sh -c exit 1 \\# TODO$' "$T/todo.tap" ||
	fail "'#' not escaped: $(cat "$T/todo.tap")"
if command -v prove > /dev/null; then
	prove -e cat "$T/todo.tap" > "$T/prove" 2>&1 && fail "prove passed the failures: $(cat "$T/prove")"
	grep -q 'Failed: 3' "$T/prove" || fail "prove did not see 3 failures: $(cat "$T/prove")"
fi

# Root totals in JUnit are the sums of the suites' (a skipped test and a
# build error counted as the suites count them).
printf 'lab err\nnode a\nexpect a reaches 10.1.0.99 within 200ms\nrun a -- sh -c "exit 0"\nwg-quick a:wg0 <<\n[Interface]\nAddress = 10.8.0.1/24\nPrivateKey = @generate\nPostUp = false\n>>\nexpect a reaches 10.1.0.2\n' \
	> "$T/err.lab"
$WG run --junit "$T/err.xml" "$T/err.lab" "$T/todo.lab" > "$T/out" 2>&1
python3 - "$T/err.xml" <<'PY' || fail "JUnit totals: $(cat "$T/err.xml")"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
for a in ("tests", "failures", "errors", "skipped"):
    total = sum(int(s.get(a)) for s in root.iter("testsuite"))
    if int(root.get(a, -1)) != total:
        sys.exit("%s: %s at the root, %d in the suites" % (a, root.get(a), total))
PY

# Where a report goes is checked before anything runs, and only a regular
# file is ever replaced: --json /dev/stdout turned the host's symlink into
# a file, a device node or FIFO became a file, and another user's file was
# refused only after the whole run.
printf 'lab tiny\nnode a\n' > "$T/tiny.lab"
# A regular file of root's: replaced by a new file (renamed into place).
echo old > "$T/reg.json"
ino=$(stat -c %i "$T/reg.json")
$WG run --json "$T/reg.json" "$T/tiny.lab" > "$T/out" 2>&1 || fail "run into a regular file: $(cat "$T/out")"
jq -e '.scenarios[0].name == "tiny"' "$T/reg.json" > /dev/null || fail "the regular file is not the report"
[ "$(stat -c %i "$T/reg.json")" != "$ino" ] || fail "the report was written in place, not renamed over the file"
[ -z "$(find "$T" -maxdepth 1 -name '.*.tmp')" ] || fail "a temporary was left: $(ls -A "$T")"
# A device node: written into, still a device.
mknod -m 666 "$T/mynull" c 1 3
$WG run --json "$T/mynull" --junit "$T/mynull" "$T/tiny.lab" > "$T/out" 2>&1 || fail "run into a device: $(cat "$T/out")"
[ -c "$T/mynull" ] || fail "the device node became $(stat -c %F "$T/mynull")"
# A FIFO with a reader: gets the report, stays a FIFO.  The test reads it
# (a reader is there before the run: opened beside a writer that goes).
mkfifo "$T/fifo"
exec 3<> "$T/fifo" 4< "$T/fifo" 3>&-
$WG run --junit "$T/fifo" "$T/tiny.lab" > "$T/out" 2>&1 || fail "run into a FIFO: $(cat "$T/out")"
cat <&4 > "$T/fifo.xml"
exec 4<&-
[ -p "$T/fifo" ] || fail "the FIFO became $(stat -c %F "$T/fifo")"
xmllint --noout "$T/fifo.xml" || fail "the FIFO did not get the JUnit report: $(cat "$T/fifo.xml")"
# A FIFO no one reads: refused before the run, not waited for.
$WG run --json "$T/fifo" "$T/tiny.lab" > "$T/out" 2>&1; rc=$?
[ $rc = 2 ] && grep -q "no process reads that FIFO" "$T/out" || fail "FIFO without reader: exit $rc: $(cat "$T/out")"
grep -q '^tiny' "$T/out" && fail "the scenario ran before the report was refused"
# A pipe through a symlink of root's in a root directory (/dev/fd/N, as
# bash's --junit >(cmd)): written into.
$WG run --json /dev/fd/5 "$T/tiny.lab" 5>&1 > /dev/null 2> "$T/err" | jq -e '.scenarios[0].name == "tiny"' > /dev/null ||
	fail "the report did not reach the pipe: $(cat "$T/err")"
# A symlink to a root file: neither replaced nor written through,
# refused before the run.
echo precious > "$T/victim"
ln -s "$T/victim" "$T/link.json"
$WG run --json "$T/link.json" "$T/tiny.lab" > "$T/out" 2>&1; rc=$?
[ $rc = 2 ] || fail "symlink: exit $rc: $(cat "$T/out")"
[ -L "$T/link.json" ] && [ "$(cat "$T/victim")" = precious ] || fail "the symlink or its file was touched"
grep -q "Unable to write the JSON report to '$T/link.json': it is a symlink" "$T/out" || fail "symlink: $(cat "$T/out")"
grep -q '^tiny' "$T/out" && fail "the scenario ran before the symlink was refused"
# Another user's file: refused before the run (run, apply, report merge).
if id nobody > /dev/null 2>&1; then
	echo theirs > "$T/theirs.xml" && chown nobody "$T/theirs.xml"
	$WG run --json "$T/r2.json" --junit "$T/theirs.xml" "$T/tiny.lab" > "$T/out" 2>&1; rc=$?
	[ $rc = 2 ] || fail "another user's file: exit $rc: $(cat "$T/out")"
	grep -q "Unable to write the JUnit report to '$T/theirs.xml': it exists and belongs to uid" "$T/out" ||
		fail "another user's file: $(cat "$T/out")"
	grep -q '^tiny' "$T/out" && fail "the scenario ran before another user's file was refused"
	[ -e "$T/r2.json" ] && fail "the JSON report was written though the JUnit one was refused"
	[ "$(cat "$T/theirs.xml")" = theirs ] || fail "another user's file was written"
	# apply checks it before it asks the lab anything (this lab is not up).
	$WG apply --junit "$T/theirs.xml" "nolab$$" "$T/tiny.lab" > "$T/out" 2>&1; rc=$?
	[ $rc = 2 ] && grep -q "belongs to uid" "$T/out" || fail "apply: exit $rc: $(cat "$T/out")"
	$WG report merge --junit "$T/theirs.xml" "$T/reg.json" > "$T/out" 2>&1; rc=$?
	[ $rc = 2 ] && grep -q "belongs to uid" "$T/out" || fail "report merge: exit $rc: $(cat "$T/out")"
	[ "$(cat "$T/theirs.xml")" = theirs ] || fail "another user's file was written"
	# Nor is another user's FIFO written into (nor opened: no reader needed).
	mkfifo "$T/theirs.fifo" && chown nobody "$T/theirs.fifo"
	$WG run --json "$T/theirs.fifo" "$T/tiny.lab" > "$T/out" 2>&1; rc=$?
	[ $rc = 2 ] && grep -q "it is a FIFO of uid" "$T/out" || fail "another user's FIFO: exit $rc: $(cat "$T/out")"
	[ -p "$T/theirs.fifo" ] || fail "another user's FIFO was replaced"
fi
exit 0
