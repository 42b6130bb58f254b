#!/bin/sh
# run --json/--junit/--tap: the JSON has the documented fields with
# per-phase timings, the JUnit is well-formed, TAP has its plan.
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
exit 0
