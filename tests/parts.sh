# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 wglab developers.
#
# Sourced by tests/run-all and tests/run-integration: runs the parts of a
# test command and adds them up, trusting exit statuses rather than text.
#
#   part KIND NAME COMMAND...
#
# runs COMMAND (its output shown as it comes) and reads its count: the
# last "N passed, N failed" line, or Check's "Checks: N, Failures: F,
# Errors: E".  Then:
#   - exit 77: a skip, counted and listed with the reason (its last
#     "SKIP..." line);
#   - no count, or a count of 0 tests: the part failed (an empty suite
#     proves nothing);
#   - a non-zero exit although the count says 0 failed (a crash after the
#     summary, a report it could not write): one more failure;
#   - otherwise its counts add to the totals and to its KIND.
# parts_summary prints the totals by kind, the skips, and the closing line
# "N passed, N failed"; it returns 1 when anything failed.

parts_passed=0
parts_failed=0
parts_skipped=0
parts_skips=""

# parts_add KIND N: adds N to the count of KIND (kinds keep their order;
# kind i is parts_kind_name_i, its count parts_kind_n_i).
parts_nkinds=0
parts_add() {
	_i=1
	while [ "$_i" -le "$parts_nkinds" ]; do
		eval "_nm=\$parts_kind_name_$_i"
		[ "$_nm" = "$1" ] && break
		_i=$((_i + 1))
	done
	if [ "$_i" -gt "$parts_nkinds" ]; then
		parts_nkinds=$_i
		eval "parts_kind_name_$_i=\$1"
		eval "parts_kind_n_$_i=0"
	fi
	eval "parts_kind_n_$_i=\$((parts_kind_n_$_i + \$2))"
}

part() {
	_kind=$1 _name=$2
	shift 2
	echo
	echo "=== $_name"
	_log=$(mktemp)
	_rcf=$(mktemp)
	{ "$@" 2>&1; echo $? > "$_rcf"; } | tee "$_log"
	_rc=$(cat "$_rcf")
	_last=$(grep -E '^(# )?[0-9]+ passed, [0-9]+ failed' "$_log" | tail -1 | sed 's/^# //')
	_ck=$(grep -E '^[0-9]+%: Checks: [0-9]+' "$_log" | tail -1)
	_p="" _f=""
	if [ -n "$_last" ]; then
		_p=${_last%% passed*}
		_f=${_last#*passed, }
		_f=${_f%% failed*}
	elif [ -n "$_ck" ]; then
		_n=$(echo "$_ck" | sed -E 's/.*Checks: ([0-9]+).*/\1/')
		_f=$(echo "$_ck" | sed -E 's/.*Failures: ([0-9]+), Errors: ([0-9]+).*/\1 \2/' | awk '{ print $1 + $2 }')
		_p=$((_n - _f))
	fi
	if [ "$_rc" = 77 ]; then
		_why=$(grep '^SKIP' "$_log" | tail -1)
		echo "=== $_name: skipped${_why:+ ($_why)}"
		parts_skipped=$((parts_skipped + 1))
		parts_skips="$parts_skips
  $_name${_why:+: $_why}"
	elif [ -z "$_p" ]; then
		echo "=== $_name: FAILED: exited $_rc and printed no count of its tests"
		parts_failed=$((parts_failed + 1))
	elif [ $((_p + _f)) = 0 ]; then
		echo "=== $_name: FAILED: an empty suite (0 tests), exit $_rc"
		parts_failed=$((parts_failed + 1))
	else
		parts_passed=$((parts_passed + _p))
		parts_failed=$((parts_failed + _f))
		parts_add "$_kind" $((_p + _f))
		if [ "$_rc" != 0 ] && [ "$_f" = 0 ]; then
			echo "=== $_name: FAILED: exited $_rc although it reported 0 failed"
			parts_failed=$((parts_failed + 1))
		elif [ "$_rc" = 0 ] && [ "$_f" != 0 ]; then
			echo "=== $_name: FAILED: reported $_f failed although it exited 0"
		fi
	fi
	rm -f "$_log" "$_rcf"
}

parts_summary() {
	echo
	_by=""
	_i=1
	while [ "$_i" -le "$parts_nkinds" ]; do
		eval "_by=\"\$_by\${_by:+, }\$parts_kind_n_$_i \$parts_kind_name_$_i\""
		_i=$((_i + 1))
	done
	echo "by kind: ${_by:-nothing ran}"
	if [ "$parts_skipped" != 0 ]; then
		echo "skipped: $parts_skipped part(s):$parts_skips"
	fi
	echo "$parts_passed passed, $parts_failed failed"
	[ "$parts_failed" = 0 ]
}
