#!/bin/sh
# Finding 6 (issue 15): `include /etc/shadow` printed 26 lines of it; a
# 16 MB bad file took 33 s and 1.16 GB and printed 8 M errors; terminal
# escapes from scenario text reached the terminal; invalid UTF-8 from a
# scenario or a program made the JSON and JUnit reports invalid, and
# `report merge` failed on them.
. tests/cli/lib.sh
ESC=$(printf '\033')

# include reads scenario text only, and quotes nothing of another file.
printf 'lab inc\nnode a\ninclude /etc/shadow\ninclude /etc/passwd\n' > "$T/inc.lab"
$WGLAB check "$T/inc.lab" > "$T/out" 2>&1
[ $? = 2 ] || fail "include of /etc/shadow was accepted: $(cat "$T/out")"
[ "$(grep -c 'is not scenario text' "$T/out")" = 2 ] || fail "include: $(cat "$T/out")"
grep -q "root" "$T/out" && fail "an error quotes another file: $(cat "$T/out")"
[ "$(wc -l < "$T/out")" = 2 ] || fail "include: more than one error per file: $(cat "$T/out")"

# A big file that is no scenario: at most DIAG_MAX (100) errors, then a
# line saying so; it is not read further.
awk 'BEGIN { for (i = 0; i < 300000; i++) print "frobnicate " i " xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" }' > "$T/big.lab"
$WGLAB check "$T/big.lab" > "$T/out" 2>&1
[ $? = 2 ] || fail "the big bad file was accepted"
[ "$(grep -c 'unknown statement' "$T/out")" = 100 ] || fail "not 100 errors: $(grep -c . "$T/out")"
tail -1 "$T/out" | grep -q "stopped after 100 errors" || fail "no line about the cap: $(tail -2 "$T/out")"

# A description holding an escape and a quote: the graph shows them
# escaped and stays one DOT string.
printf 'lab g "d\033[2J \\" x"\nnode a\n' > "$T/g.lab"
$WGLAB graph "$T/g.lab" > "$T/g.dot" 2>&1 || fail "graph: $(cat -v "$T/g.dot")"
grep -q "$ESC" "$T/g.dot" && fail "graph printed an escape: $(cat -v "$T/g.dot")"
grep -q 'label="g\\nd\\\\x1b\[2J' "$T/g.dot" || fail "graph: $(cat -v "$T/g.dot")"

# Escapes and invalid UTF-8 in scenario text and program output.
{
	printf 'lab esc\nnode a\n'
	printf 'run a -- printf "bad\033]0;title\007 \377\376 \302\233 ok \033[2J"\n'
	printf 'run a -- sh -c "printf \\"\\\\377\\\\033[31m\\\\n\\"; exit 1"\n'
	printf 'expect a cannot reach 10.9.9.9 within 100ms\n'
	printf 'run a -- true "\033[2J\377"\n'
} > "$T/esc.lab"
[ "$(id -u)" = 0 ] || { echo "SKIP: the rest needs root" >&2; exit 77; }
$WG run --json "$T/r.json" --junit "$T/r.xml" "$T/esc.lab" > "$T/out" 2>&1
[ $? = 1 ] || fail "the escape scenario should run and fail: $(cat -v "$T/out")"
$WG run --tap "$T/esc.lab" > "$T/tap" 2>&1
grep -q "$ESC" "$T/out" "$T/tap" "$T/r.json" "$T/r.xml" && fail "an escape reached an output: $(grep -l "$ESC" "$T"/*)"
grep -q 'x1b\[2J' "$T/out" || fail "the escape is not shown escaped: $(cat -v "$T/out")"
# Every line of every output is valid UTF-8.
for f in "$T/out" "$T/tap" "$T/r.json" "$T/r.xml"; do
	iconv -f UTF-8 -t UTF-8 "$f" > /dev/null 2>&1 || fail "$f is not UTF-8"
done
python3 -c 'import json, sys; json.load(open(sys.argv[1], encoding="utf-8", errors="strict"))' "$T/r.json" ||
	fail "the JSON report does not parse"
python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' "$T/r.xml" || fail "the JUnit report does not parse"
! command -v xmllint > /dev/null || xmllint --noout "$T/r.xml" || fail "xmllint refuses the JUnit report"
$WGLAB report merge --json "$T/m.json" --junit "$T/m.xml" "$T/r.json" "$T/r.json" > "$T/merge" 2>&1
[ $? = 1 ] || fail "report merge: $(cat -v "$T/merge")"
python3 -c 'import json, sys; json.load(open(sys.argv[1], encoding="utf-8", errors="strict"))' "$T/m.json" ||
	fail "the merged JSON does not parse"
python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' "$T/m.xml" || fail "the merged JUnit does not parse"
grep -q "$ESC" "$T/merge" && fail "merge printed an escape"
# A report from elsewhere holding JSON-escaped control characters: shown
# escaped, written escaped.
sed 's/"name": "esc"/"name": "e\\u001b[2J\\u0007sc"/' "$T/r.json" > "$T/raw.json"
grep -q 'u001b' "$T/raw.json" || fail "the test could not plant an escape"
$WGLAB report merge --json "$T/m2.json" --junit "$T/m2.xml" "$T/raw.json" > "$T/merge" 2>&1
[ $? = 1 ] || fail "report merge of a planted escape: $(cat -v "$T/merge")"
grep -q "$ESC" "$T/merge" "$T/m2.json" "$T/m2.xml" && fail "merge passed an escape on: $(cat -v "$T/merge")"
grep -q 'x1b\[2J' "$T/merge" || fail "merge does not show the escape: $(cat -v "$T/merge")"
python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' "$T/m2.xml" || fail "the JUnit of a planted escape does not parse"
exit 0
