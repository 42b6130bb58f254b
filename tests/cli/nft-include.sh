#!/bin/sh
# Findings 11 and 6 (issue 15): with an nft `include` of a glob whose files
# fail, libnftables 1.0.6 leaks, and LeakSanitizer made the ASan build exit
# 1 instead of 2 (the Makefile now gives ASan builds tests/lsan.supp); and
# libnftables' errors quote the included file's text, which may be any
# file root reads.
. tests/cli/lib.sh
need_root

printf 'table inet t {\n chain c {\n  type filter hook input priority 0;\n }\n}\n' > "$T/ok.nft"
# One line, the syntax error at its end: the shape that leaks.
printf 'table inet u { chain c { type filter hook input priority 0; } } secret-words-here\n' > "$T/bad.nft"
cat > "$T/glob.lab" <<LAB
lab nftinc
node a
nft a <<
include "$T/*.nft"
>>
LAB
$WG run "$T/glob.lab" > "$T/out" 2>&1
rc=$?
[ $rc = 2 ] || fail "a failing nft include: exit $rc, not 2: $(cat "$T/out")"
grep -q "LeakSanitizer" "$T/out" && fail "a leak report: $(cat "$T/out")"
grep -q "bad.nft:1:" "$T/out" || fail "the error does not say where: $(cat "$T/out")"
grep -q "secret-words" "$T/out" && fail "the error quotes the included file: $(cat "$T/out")"
exit 0
