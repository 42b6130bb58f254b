#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 wglab developers.
#
# `wglab genkey`, `pubkey` and `genpsk` against wg(8): same keys, same
# messages, same exit codes.  Usage: tests/cli/keys.sh [BUILDDIR]
# Exits 77 when wg(8) is missing.
set -u
B=${1:-build}
command -v wg >/dev/null || { echo "SKIP: wg(8) not installed"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
fail=0
ok() { echo "ok - $1"; }
ko() { echo "not ok - $1"; fail=1; }

W="$B/wglab"
cmd=$(basename "$W")

umask 077
"$W" genkey | tee "$T/k" | "$W" pubkey > "$T/pub" || ko "genkey | pubkey ran"
[ "$(wg pubkey < "$T/k")" = "$(cat "$T/pub")" ] && ok "wglab genkey | tee k | wglab pubkey = wg pubkey < k" ||
	ko "wglab pubkey differs from wg pubkey"
grep -qE '^[A-Za-z0-9+/]{43}=$' "$T/k" && ok "genkey writes 44 base64 characters" || ko "genkey format"

# wg's key, fed to wglab.
wg genkey > "$T/wk"
[ "$("$W" pubkey < "$T/wk")" = "$(wg pubkey < "$T/wk")" ] && ok "wglab pubkey of a wg genkey key" ||
	ko "pubkey of wg's key"

# Clamping: wg pubkey gives the same public key for the clamped and the
# unclamped form, so check the bits in the decoded key.
python3 - "$T/k" <<'PY' && ok "genkey output is clamped" || ko "genkey clamping"
import base64, sys
k = base64.b64decode(open(sys.argv[1]).read().strip())
sys.exit(0 if len(k) == 32 and k[0] & 7 == 0 and k[31] & 0x80 == 0 and k[31] & 0x40 else 1)
PY

"$W" genpsk | grep -qE '^[A-Za-z0-9+/]{43}=$' && ok "genpsk writes a key" || ko "genpsk"

# Same errors as wg, with the program name in front.
check_err() {
	name=$1 input=$2
	printf '%s' "$input" | wg pubkey > /dev/null 2> "$T/wg.err"; wrc=$?
	printf '%s' "$input" | "$W" pubkey > /dev/null 2> "$T/lab.err"; lrc=$?
	wmsg=$(sed 's/^wg: //' "$T/wg.err") lmsg=$(sed "s/^$cmd: //" "$T/lab.err")
	if [ "$wrc" = "$lrc" ] && [ "$wmsg" = "$lmsg" ]; then ok "pubkey $name: exit $lrc, '$lmsg'"
	else ko "pubkey $name: wg exit $wrc '$wmsg', wglab exit $lrc '$lmsg'"; fi
}
check_err "short key" "abc"
check_err "trailing characters" "$(cat "$T/k") x"
check_err "non-canonical key" "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmj="
check_err "trailing whitespace" "$(cat "$T/k")
  "

"$W" genkey extra > /dev/null 2> "$T/usage"; rc=$?
[ "$rc" = 1 ] && grep -q "^Usage: $cmd genkey$" "$T/usage" && ok "genkey with an argument: usage, exit 1" ||
	ko "genkey usage (exit $rc: $(cat "$T/usage"))"

umask 022
"$W" genkey > "$T/open.key" 2> "$T/warn"
grep -q "^Warning: writing to world accessible file.$" "$T/warn" &&
	ok "genkey warns about a world-readable file" || ko "no world-readable warning"
umask 077
"$W" genkey > "$T/closed.key" 2> "$T/warn"
[ ! -s "$T/warn" ] && ok "no warning for a private file" || ko "warning for a private file"
exit $fail
