#!/bin/sh
# `make check` trusts exit statuses (tests/parts.sh): a part that exits 1
# while its line says "0 failed" fails, a skip (77) is counted and listed,
# an empty suite or a part without a count fails, and the closing lines
# give the tests by kind.
. tests/cli/lib.sh

out=$( (
	. tests/parts.sh
	part "unit tests" crashes-after-summary sh -c 'echo "100%: Checks: 5, Failures: 0, Errors: 0"; exit 1'
	part "command-line tests" lies sh -c 'echo "3 passed, 0 failed"; exit 1'
	part "command-line tests" honest sh -c 'echo "2 passed, 1 failed"; exit 1'
	part "guest checks" no-qemu sh -c 'echo "SKIP: no qemu here"; exit 77'
	part "command-line tests" empty sh -c 'echo "0 passed, 0 failed"'
	part "command-line tests" silent true
	parts_summary
	echo "status $?"
) 2>&1)

expect_line() {
	printf '%s\n' "$out" | grep -qx -- "$1" || fail "no line '$1' in:
$out"
}
expect_line "=== crashes-after-summary: FAILED: exited 1 although it reported 0 failed"
expect_line "=== lies: FAILED: exited 1 although it reported 0 failed"
expect_line "=== no-qemu: skipped (SKIP: no qemu here)"
expect_line "=== empty: FAILED: an empty suite (0 tests), exit 0"
expect_line "=== silent: FAILED: exited 0 and printed no count of its tests"
expect_line "by kind: 5 unit tests, 6 command-line tests"
expect_line "skipped: 1 part(s):"
expect_line "  no-qemu: SKIP: no qemu here"
# 5 + 3 + 2 passed; 1 (honest) + 2 (exit statuses) + 2 (empty, silent).
expect_line "10 passed, 5 failed"
expect_line "status 1"

# tests/run-cli counts a script that exits 77 as a skip, not a pass.
mkdir -p "$T/cli/tests/cli"
cp tests/run-cli "$T/cli/"
printf '#!/bin/sh\nexit 0\n' > "$T/cli/tests/cli/a.sh"
printf '#!/bin/sh\necho "SKIP: not here" >&2\nexit 77\n' > "$T/cli/tests/cli/b.sh"
out=$(cd "$T/cli" && sh run-cli 2>&1)
expect_line "skip    cli/b.sh: SKIP: not here"
expect_line "1 skipped"
expect_line "1 passed, 0 failed"
exit 0
