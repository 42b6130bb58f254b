#!/bin/sh
# Reports that lose nothing: a run that stops at an error lists every
# expectation, `run` step (background too) and NAT check it did not reach
# as SKIP with the reason, in text, TAP, JSON and JUnit; a twin whose build
# fails says so instead of "failed as the twin says"; a background program
# that exits fails the scenario with its output.
. tests/cli/lib.sh
need_root

cat > "$T/stop.lab" <<'LAB'
lab skip-lines
node a
node b
link a:eth0 10.0.0.1/24 -- b:eth0 10.0.0.2/24
run a background -- sleep 30
expect a reaches 10.0.0.2
@bad route a add 10.9.0.0/16 via 10.7.7.7
run a -- true
run a background -- sleep 30
@never expect a reaches 10.0.0.2
@late route a add 10.8.0.0/16 via 10.0.0.2
twin broken "the twin's own build fails" <<
drop @late
fails @never
>>
LAB
$WG run --json "$T/r.json" --junit "$T/r.xml" "$T/stop.lab" > "$T/out"; rc=$?
[ $rc = 2 ] || fail "a build error must exit 2, got $rc: $(cat "$T/out")"
for l in 8 9 10; do
	grep -Eq "^  SKIP stop.lab:$l +.*" "$T/out" || fail "line $l is not listed as SKIP: $(cat "$T/out")"
done
grep -A1 -E '^  SKIP stop.lab:10 ' "$T/out" | grep -q 'not run: the twin stopped at an error' ||
	fail "the twin's SKIP does not say its build failed: $(cat "$T/out")"
! grep -q 'failed as the twin says' "$T/out" || fail "a twin that did not build reads 'failed as the twin says'"
grep -q 'error: the twin did not build: ' "$T/out" || fail "the twin's error line: $(cat "$T/out")"
# The background program started before the stop has its line.
grep -Eq '^  ok +stop.lab:5 +run a background -- sleep 30' "$T/out" ||
	fail "no line for the background program of line 5: $(cat "$T/out")"
jq -e '[.scenarios[0].expectations[] | select(.skipped) | .line] == [8, 9, 10]' "$T/r.json" >/dev/null ||
	fail "JSON skips: $(jq -c '[.scenarios[0].expectations[] | {line, skipped}]' "$T/r.json")"
jq -e '.scenarios[0].expectations[] | select(.line == 8) | .kind == "run" and
	(.evidence | startswith("not run: the scenario stopped at an error (") and contains("stop.lab:7:"))' \
	"$T/r.json" >/dev/null || fail "JSON reason of the skipped run step"
jq -e '.scenarios[1] | .twin == "broken" and .passed == false and (.error | contains("stop.lab:7:"))' \
	"$T/r.json" >/dev/null || fail "JSON twin error"
[ "$(xmllint --xpath 'count(//testsuite[1]/testcase/skipped)' "$T/r.xml")" = 3 ] ||
	fail "JUnit skips: $(cat "$T/r.xml")"
xmllint --xpath 'string(//testsuite[1]/testcase[@line="8"]/skipped/@message)' "$T/r.xml" |
	grep -q 'not run: the scenario stopped' || fail "JUnit skip reason"
[ "$(xmllint --xpath 'count(//testsuite[2]/testcase[@name="build"]/error)' "$T/r.xml")" = 1 ] ||
	fail "JUnit: the twin's build error is no testcase"

$WG run --no-twins --tap "$T/stop.lab" > "$T/tap"
grep -Eq '^not ok [0-9]+ - skip-lines: .*stop.lab:8 run a -- true # SKIP not run: the scenario stopped at an error' "$T/tap" ||
	fail "TAP skip reason: $(cat "$T/tap")"

# A background program exiting 1 fails the scenario, its output as evidence.
cat > "$T/bg.lab" <<'LAB'
node a
run a -- mkfifo /run/tmp/gone
run a background -- sh -c "exec 3>/run/tmp/gone; echo 'listen: Address already in use' >&2; exit 1"
run a -- cat /run/tmp/gone
LAB
$WG run --json "$T/bg.json" "$T/bg.lab" > "$T/out"; rc=$?
[ $rc = 1 ] || fail "a background program exiting 1 must fail the run (exit 1), got $rc: $(cat "$T/out")"
jq -e '.scenarios[0].expectations[] | select(.line == 3) | .passed == false and
	(.evidence | contains("exited 1") and contains("listen: Address already in use"))' "$T/bg.json" >/dev/null ||
	fail "background failure evidence: $(cat "$T/out")"
exit 0
