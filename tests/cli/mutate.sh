#!/bin/sh
# wglab mutate: a scenario with a known dead line yields exactly that line's
# survivors; a vacuous negative is flagged (not one only a twin runs, nor one a twin makes fail); a `# mutate-keep: REASON` marker
# moves a survivor to the kept list (exit 0); a marker without a reason and
# a file that does not validate are positioned errors (exit 2); a scenario
# failing unmutated is said so and nothing is mutated (exit 1); blocks are
# found as the parser finds them, a `for` line is mutated once, a verdict
# not in its label; a mutant timed out or not run (worker killed) exits 2;
# mutants listen (wglab's own listener) where the unmutated run did.
. tests/cli/lib.sh
need_root

LABS="mut-.*"
snapshot "$T/before"
cat > "$T/dead.lab" <<'LAB'
lab mut-dead
node a
node b
link a:eth0 10.7.5.1/24 -- b:eth0 10.7.5.2/24
firewall b <<
-A INPUT -p tcp --dport 22 -j DROP
-A INPUT -p tcp --dport 23 -j DROP
>>
expect a reaches 10.7.5.2
expect a cannot reach 10.7.5.2 tcp 22 within 300ms
expect a cannot reach 10.7.5.99 within 300ms
expect b:eth0 sees no "tcp dst port 9"
# Only the twin runs this one: no mutant has it, so it is not "possibly vacuous".
@tw expect a cannot reach 10.7.5.2 within 300ms
twin tw "b answers pings" <<
add @tw
fails @tw
>>
# A twin makes this one fail: it is not "possibly vacuous" either.
@ssh expect a cannot reach 10.7.5.2 tcp 22 within 300ms
twin open22 "without the first rule ssh is open" <<
drop-line "-A INPUT -p tcp --dport 22 -j DROP"
fails @ssh
>>
LAB
$WG mutate --jobs 2 --json "$T/r.json" --junit "$T/r.xml" "$T/dead.lab" > "$T/out" 2> "$T/err"; rc=$?
[ $rc = 1 ] || fail "an unmarked survivor must exit 1, got $rc: $(cat "$T/out" "$T/err")"
[ "$(jq -c '[.files[0].mutants[] | select(.outcome == "survived") | .line] | unique' "$T/r.json")" = '[7]' ] ||
	fail "survivors: $(cat "$T/out")"
jq -e '[.files[0].mutants[] | select(.line == 6 and .outcome == "killed") | .by] |
	length > 0 and all(contains("dead.lab:10:"))' "$T/r.json" >/dev/null || fail "line 6 not killed by line 10"
jq -e '.files[0].possibly_vacuous == [{"line":11,"text":"a cannot reach 10.7.5.99 within 300ms"},
	{"line":12,"text":"b:eth0 sees no \"tcp dst port 9\""}]' \
	"$T/r.json" >/dev/null ||
	fail "vacuous negatives: $(jq -c .files[0].possibly_vacuous "$T/r.json"); the mutants a negative failed in:" \
		"$(jq -c '.files[0].mutants[] | select(.outcome == "killed" and (.by | test(":1[12]: ")))' "$T/r.json")"
grep -q 'possibly vacuous: .*dead.lab:11:' "$T/out" || fail "text: no possibly vacuous line"
grep -q 'possibly vacuous: .*dead.lab:12: b:eth0 sees no "tcp dst port 9"' "$T/out" || fail "text: vacuous sees no not flagged"
grep -q '^mutate: 1 file in [0-9.]* s$' "$T/out" || fail "no total time"
grep -q '\[[0-9]*/[0-9]*\]' "$T/err" || fail "no progress on stderr"
xmllint --noout "$T/r.xml" || fail "JUnit"

# Mutants take the unmutated run's decisions of where wglab listens itself:
# a kill is the network's.  Line 9's DNAT never matches (r has no e9); it
# only turned wglab's listener on 8000 off, so removing it or moving its
# port changes nothing on the network: both survive, and @closed (closed
# because nothing listens) is possibly vacuous.  They were "killed by
# line 10" when a mutant decided from its own file and listened.
cat > "$T/vac.lab" <<'LAB'
lab mut-vac
node c
node r router
node s
link c:eth0 10.7.8.2/24 -- r:e0 10.7.8.1/24
link s:eth0 10.7.9.2/24 -- r:e1 10.7.9.1/24
route c default via 10.7.8.1
route s default via 10.7.9.1
firewall r -t nat -A PREROUTING -i e9 -p tcp --dport 8000 -j DNAT --to-destination 10.7.9.99:8000
@closed expect c cannot reach 10.7.9.2 tcp 8000 within 1s
@open expect c reaches 10.7.9.2 tcp 8001 within 1s
LAB
$WG mutate --jobs 2 --json "$T/v.json" "$T/vac.lab" > "$T/out" 2> "$T/err"; rc=$?
[ $rc = 1 ] || fail "vac.lab: the DNAT's mutants must survive (exit 1), got $rc: $(cat "$T/out" "$T/err")"
[ "$(jq -c '[.files[0].mutants[] | select(.outcome == "survived") | .what]' "$T/v.json")" = \
	'["remove statement","port 8000 -> 8001"]' ] &&
	jq -e '[.files[0].mutants[] | select(.outcome == "survived")] | all(.line == 9)' "$T/v.json" >/dev/null ||
	fail "vac.lab: survivors: $(jq -c '[.files[0].mutants[] | [.line, .what, .outcome, .by]]' "$T/v.json")"
jq -e '.files[0].possibly_vacuous == [{"line":10,"text":"c cannot reach 10.7.9.2 tcp 8000 within 1s"}]' \
	"$T/v.json" >/dev/null || fail "vac.lab: vacuous: $(jq -c .files[0].possibly_vacuous "$T/v.json")"
# The other way: without the serve nothing listens on 9000 (wglab did not
# listen: s manages its ports), so the mutant is killed; it survived when
# the mutant, serving nothing, had wglab listen itself.
cat > "$T/srv.lab" <<'LAB'
lab mut-srv
node c
node s
link c:eth0 10.7.7.1/24 -- s:eth0 10.7.7.2/24
serve s tcp 9000
expect c reaches 10.7.7.2 tcp 9000 within 1s
LAB
$WG mutate --jobs 2 --json "$T/sv.json" "$T/srv.lab" > "$T/out" 2> "$T/err"; rc=$?
[ $rc = 0 ] || fail "srv.lab: every mutant must be killed (exit 0), got $rc: $(cat "$T/out" "$T/err")"
jq -e '[.files[0].mutants[] | select(.line == 5)][0].by | test("srv.lab:6: c reaches")' "$T/sv.json" >/dev/null ||
	fail "srv.lab: the serve's removal: $(jq -c '.files[0].mutants' "$T/sv.json")"

# The dead line marked: kept on purpose, listed with its reason, exit 0.
sed 's/^-A INPUT -p tcp --dport 23 -j DROP$/# mutate-keep: telnet is closed by policy, nothing listens on it\n&/' \
	"$T/dead.lab" > "$T/kept.lab"
$WG mutate --jobs 2 "$T/kept.lab" > "$T/out" 2>&1; rc=$?
[ $rc = 0 ] || fail "marked survivors only must exit 0, got $rc: $(cat "$T/out")"
grep -q 'kept .*kept.lab:8: remove line: .* -- telnet is closed by policy' "$T/out" || fail "kept list: $(cat "$T/out")"

printf 'node a\n# mutate-keep:\nnode b\n' > "$T/noreason.lab"
$WG mutate "$T/noreason.lab" > "$T/out" 2>&1; rc=$?
[ $rc = 2 ] || fail "a marker without reason must exit 2, got $rc"
grep -q 'noreason.lab:2:15: mutate-keep needs a reason' "$T/out" || fail "marker error: $(cat "$T/out")"

printf 'node a\nexpect a reaches 10.0.0.1 tcp\n' > "$T/bad.lab"
$WG mutate "$T/bad.lab" > "$T/out" 2>&1; rc=$?
[ $rc = 2 ] || fail "a file that does not validate must exit 2, got $rc"
$WG check "$T/bad.lab" > "$T/check" 2>&1
grep -qF "$(head -1 "$T/check")" "$T/out" || fail "not the same error as check: $(cat "$T/out")"

printf 'lab mut-fails\nnode a\nexpect a reaches 10.9.9.9 within 300ms\n' > "$T/fails.lab"
$WG mutate "$T/fails.lab" > "$T/out" 2>&1; rc=$?
[ $rc = 1 ] || fail "a scenario failing unmutated must exit 1, got $rc"
grep -q 'fails unmutated, nothing mutated' "$T/out" || fail "unmutated failure: $(cat "$T/out")"
! grep -q '\[1/' "$T/out" || fail "mutants ran after the unmutated failure"
# Blocks found as the parser finds them (an opener followed by a comment,
# the twin's too), one set of mutants per `for` line, and the verdict of a
# rule whose label spells one (not the label).
cat > "$T/blk.lab" <<'LAB'
lab mut-blk
node a
node b
@l link a:eth0 10.7.6.1/24 -- b:eth0 10.7.6.2/24
firewall b << # the guide's rules
*filter
-A INPUT -p udp --dport 9 -j DROP
-A INPUT -p icmp -j ACCEPT
COMMIT
>>
@drop firewall b -A INPUT -p tcp --dport 23 -j DROP
for i in 1..3: sysctl a net.ipv4.ip_forward=1
@p expect a reaches 10.7.6.2
expect a cannot reach 10.7.6.2 tcp 23 within 300ms
twin no-link "without the link nothing is reached" << # a note
drop @l
fails @p
>>
LAB
$WG mutate --jobs 2 --json "$T/b.json" "$T/blk.lab" > "$T/out" 2> "$T/err"; rc=$?
[ $rc = 1 ] || fail "blk.lab: expected survivors (exit 1), got $rc: $(cat "$T/out" "$T/err")"
jq -e '.files[0].unmutated_passed' "$T/b.json" >/dev/null || fail "blk.lab: the twin's block was misread: $(cat "$T/out")"
! jq -e '.files[0].mutants[] | select(.outcome == "invalid" and (.by | test("unknown statement")))' \
	"$T/b.json" >/dev/null || fail "blk.lab: block lines read as statements: $(cat "$T/out")"
jq -e '[.files[0].mutants[] | select(.line == 5)][0].last == 10' "$T/b.json" >/dev/null ||
	fail "blk.lab: the block's statement does not end at its >>"
jq -e '[.files[0].mutants[] | select(.line == 8 and .what == "ACCEPT -> DROP" and .outcome == "killed")] |
	length == 1' "$T/b.json" >/dev/null || fail "blk.lab: the block's icmp rule not mutated or not killed"
jq -e '[.files[0].mutants[] | select(.line == 11) | .what] | index("DROP -> ACCEPT") != null and
	index("drop -> accept") == null' "$T/b.json" >/dev/null || fail "blk.lab: the label was mutated, not the verdict"
jq -e '[.files[0].mutants[] | select(.line == 11 and .what == "DROP -> ACCEPT")][0].outcome == "killed"' \
	"$T/b.json" >/dev/null || fail "blk.lab: the verdict mutant of line 11 not killed"
jq -e '[.files[0].mutants[] | select(.line == 12)] | length == 1' "$T/b.json" >/dev/null ||
	fail "blk.lab: a for line must give one mutant: $(jq -c '[.files[0].mutants[] | select(.line == 12)]' "$T/b.json")"

# A mutant the time limit stops is timed out, not killed; with one whose
# worker died (not run), it leaves mutation testing undecided: exit 2,
# and a JUnit error.
cat > "$T/slow.lab" <<'LAB'
lab mut-slow
node a
# mutate-keep: only its mutant runs the next line
run a <<
exit 0
# mutate-keep: the time limit, on purpose
sleep 5
>>
expect a reaches 127.0.0.1
LAB
$WG mutate --jobs 2 --timeout 2 --json "$T/s.json" --junit "$T/s.xml" "$T/slow.lab" > "$T/out" 2> "$T/err"; rc=$?
[ $rc = 2 ] || fail "a timed out mutant must exit 2, got $rc: $(cat "$T/out" "$T/err")"
jq -e '.files[0].timed_out == 1 and .files[0].killed == 0 and
	([.files[0].mutants[] | select(.line == 5)][0].outcome == "timed out")' "$T/s.json" >/dev/null ||
	fail "timed out: $(jq -c .files[0] "$T/s.json")"
grep -q 'TIMEOUT .*slow.lab:5: remove line: exit 0' "$T/out" || fail "no TIMEOUT line: $(cat "$T/out")"
grep -q '<testsuite [^>]*errors="1"' "$T/s.xml" && grep -q '<error message="timed out: ' "$T/s.xml" ||
	fail "JUnit: $(cat "$T/s.xml")"
xmllint --noout "$T/s.xml" || fail "JUnit (timed out)"

sed 's/^sleep 5$/sleep 7.25/; s/mut-slow/mut-dies/' "$T/slow.lab" > "$T/dies.lab"
$WG mutate --jobs 2 --json "$T/d.json" --junit "$T/d.xml" "$T/dies.lab" > "$T/out" 2> "$T/err" &
pid=$!
i=0
while :; do
	s=$(pgrep -x -f 'sleep 7.25' | head -1)
	[ -n "$s" ] && break
	i=$((i + 1))
	[ $i -ge 300 ] && { kill "$pid"; wait "$pid"; fail "the mutant's sleep never started: $(cat "$T/err")"; }
	sleep 0.1
done
# The worker: the ancestor of the sleep whose parent is wglab mutate.
w=$s
while [ -n "$w" ] && [ "$(ps -o ppid= -p "$w" | tr -d ' ')" != "$pid" ]; do
	w=$(ps -o ppid= -p "$w" | tr -d ' ')
done
[ -n "$w" ] || { kill "$pid"; wait "$pid"; fail "no worker above the sleep"; }
kill -9 "$w"
wait "$pid"; rc=$?
[ $rc = 2 ] || fail "a mutant whose worker died must exit 2, got $rc: $(cat "$T/out")"
grep -q 'NOT RUN .*dies.lab:5: remove line: exit 0 (the worker died (signal 9))' "$T/out" ||
	fail "not run: $(cat "$T/out")"
jq -e '.files[0].not_run == 1' "$T/d.json" >/dev/null || fail "JSON not_run: $(jq -c .files[0] "$T/d.json")"
grep -q '<testsuite [^>]*errors="1"' "$T/d.xml" && grep -q '<error message="not run: ' "$T/d.xml" &&
	! grep -q 'skipped message="not run"' "$T/d.xml" || fail "JUnit: $(cat "$T/d.xml")"

# Statements of an included file are not mutated, and the report says so.
printf 'node a\nnode b\nlink a:eth0 10.0.0.1/24 -- b:eth0 10.0.0.2/24\n' > "$T/inc2.lab"
printf 'lab mut-inc\ninclude inc2.lab\nexpect a reaches 10.0.0.2\n' > "$T/inc.lab"
$WG mutate "$T/inc.lab" > "$T/out" 2>&1
grep -q "note: 3 statements of included files (the first in $T/inc2.lab) not mutated" "$T/out" ||
	fail "no note of the included file's statements: $(cat "$T/out")"

same_as "$T/before" || fail "left something behind"
exit 0
