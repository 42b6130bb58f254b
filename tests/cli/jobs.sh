#!/bin/sh
# run --jobs gives the same results as a serial run; --shard I/N splits the
# files deterministically, and `report merge` of the shards equals one
# unsharded run.
. tests/cli/lib.sh
need_root

# Verdicts compared line by line: a background program's line comes when
# the runner sees it exit, which may be a statement later in one run than
# in another (its place in the text report is not what --jobs changes).
summary() {
	jq -c '[.scenarios[] | {file, name, twin, passed, error,
		e: ([.expectations[] | {line, text, passed, held}] | sort_by(.line, .text))}]
		| sort_by(.file, .twin)' "$1"
}

LABS="st-.*"
snapshot "$T/before"
$WG run --json "$T/serial.json" tests/selftest/ > "$T/out" 2>&1; rc1=$?
$WG run --jobs 3 --json "$T/jobs.json" --junit "$T/jobs.xml" tests/selftest/ > "$T/out-jobs" 2>&1; rc2=$?
[ $rc1 = $rc2 ] || fail "exit status serial $rc1, jobs $rc2"
if [ "$(summary "$T/serial.json")" != "$(summary "$T/jobs.json")" ]; then
	# Which verdicts: one scenario's expectations a line each, so that
	# the failure says what differed.
	summary "$T/serial.json" | jq -c '.[] | {file, twin} + (.e[])' > "$T/v1"
	summary "$T/jobs.json" | jq -c '.[] | {file, twin} + (.e[])' > "$T/v2"
	diff "$T/v1" "$T/v2" >&2
	fail "--jobs 3 differs from the serial run"
fi
tail -1 "$T/out" | grep -q ' passed, .* failed$' || fail "no closing line"
[ "$(tail -1 "$T/out")" = "$(tail -1 "$T/out-jobs")" ] || fail "closing lines differ"
xmllint --noout "$T/jobs.xml" || fail "JUnit of --jobs"
# The text report lists the files in order whatever finished first.
grep '^st-' "$T/out" | cut -d' ' -f1 > "$T/o1"
grep '^st-' "$T/out-jobs" | cut -d' ' -f1 > "$T/o2"
cmp -s "$T/o1" "$T/o2" || fail "--jobs reports in another order"

$WG run --shard 1/2 --json "$T/s1.json" tests/selftest/ > /dev/null 2>&1
$WG run --shard 2/2 --json "$T/s2.json" tests/selftest/ > /dev/null 2>&1
n1=$(jq '.scenarios | length' "$T/s1.json"); n2=$(jq '.scenarios | length' "$T/s2.json")
[ "$n1" -gt 0 ] && [ "$n2" -gt 0 ] || fail "a shard is empty ($n1, $n2)"
$WG run --shard 1/2 --json "$T/s1b.json" tests/selftest/ > /dev/null 2>&1
[ "$(summary "$T/s1.json" | jq -c '[.[].file]')" = "$(summary "$T/s1b.json" | jq -c '[.[].file]')" ] ||
	fail "shard 1/2 is not deterministic"
$WG report merge --json "$T/merged.json" --junit "$T/merged.xml" "$T/s1.json" "$T/s2.json" > "$T/mo"
[ "$(summary "$T/merged.json")" = "$(summary "$T/serial.json")" ] || fail "merged shards differ from one run"
[ "$(tail -1 "$T/mo")" = "$(tail -1 "$T/out")" ] || fail "merged closing line: $(tail -1 "$T/mo")"
xmllint --noout "$T/merged.xml" || fail "merged JUnit"
$WG run --shard 3/2 tests/selftest/ > /dev/null 2>&1 && fail "--shard 3/2 accepted"
same_as "$T/before" || fail "left something behind"
exit 0
