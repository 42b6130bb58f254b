#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 wglab developers.
#
# ci/vm's own failure modes: a guest that panics, hangs, stops without a
# result, or whose tests fail must make `make check-kernel` fail with a
# clear message; one whose tests pass must make it pass.  Boots the guest
# five times (about a minute):
#
#   tests/vm/faults.sh [BUILDDIR]
set -u
B=${1:-build}
passed=0 failed=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# expect NAME RC PATTERN [VAR=VALUE...] -- [ci/vm arguments]
expect() {
	name=$1 want_rc=$2 pattern=$3
	shift 3
	vars=""
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		vars="$vars $1"
		shift
	done
	[ $# -gt 0 ] && shift
	# shellcheck disable=SC2086
	env $vars ci/vm "$B" "$@" >"$out" 2>&1
	rc=$?
	# The last line is always the count: one failure when the guest
	# gave no verdict.
	if [ "$want_rc" = 0 ]; then
		last='^[1-9][0-9]* passed, 0 failed$'
	else
		last='^[0-9]+ passed, [1-9][0-9]* failed$'
	fi
	if [ "$rc" = "$want_rc" ] && grep -qE "$pattern" "$out" && tail -1 "$out" | grep -qE "$last"; then
		echo "ok      $name: $(grep -E "$pattern" "$out" | head -1); $(tail -1 "$out")"
		passed=$((passed + 1))
	else
		echo "FAIL    $name: exit $rc (wanted $want_rc), output:"
		sed 's/^/        /' "$out"
		failed=$((failed + 1))
	fi
}

expect panic 1 'the guest kernel panicked during .fault: panic.' WGLAB_VM_FAULT=panic -- tests/wg/two-peers.lab
expect hang 1 'did not finish within 30 s \(stuck in .fault: hang.\)' \
	WGLAB_VM_FAULT=hang WGLAB_VM_TIMEOUT=30 -- tests/wg/two-peers.lab
expect silent 1 'stopped without an exit code' WGLAB_VM_FAULT=silent -- tests/wg/two-peers.lab
expect failing-scenario 1 'not ok .*reaches 10.9.0.2 tcp 8080|FAIL.*tcp 8080' -- tests/selftest/reach-closed-port.lab
expect passing 0 'GUEST-TOTAL: [1-9][0-9]* passed, 0 failed' -- tests/wg/two-peers.lab
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
