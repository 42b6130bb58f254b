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
exit 0
