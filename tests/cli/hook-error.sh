#!/bin/sh
# A failing wg-quick hook's error says how it ended and what it printed
# (the last lines of its stdout and stderr), as wg-quick shows a hook's
# stderr: it said only "Operation canceled: the hook failed".  A private
# key the hook prints is hidden, as everywhere in wglab's output.
. tests/cli/lib.sh
need_root

run_hook() {
	{ echo "lab hookerr"; wgquick_pair a b "$1"; echo "expect a reaches 10.0.0.2"; } > "$T/h.lab"
	$WG run "$T/h.lab" > "$T/out" 2>&1 && fail "a failing hook passed: $(cat "$T/out")"
	grep -F -- "$2" "$T/out" > /dev/null || fail "no '$2' in: $(cat "$T/out")"
}

run_hook "PostUp = echo 'iptables: No chain/target/match by that name.' >&2; exit 3" \
	"Unable to bring up 'a:wg0' as wg-quick does: PostUp 'echo 'iptables: No chain/target/match by that name.' >&2; exit 3' exited with status 3: iptables: No chain/target/match by that name."
run_hook "PreUp = kill -9 \$\$" "PreUp 'kill -9 \$\$' was killed by signal 9"
run_hook "PostUp = for i in 1 2 3 4 5; do echo line \$i; done; false" \
	"PostUp 'for i in 1 2 3 4 5; do echo line \$i; done; false' exited with status 1: line 3 | line 4 | line 5"
run_hook "PostUp = cat /etc/wireguard/%i.key; exit 1" "exited with status 1: "
key=$(grep -o '[A-Za-z0-9+/]\{43\}=' "$T/out" | head -1)
[ -z "$key" ] || fail "a key in the error: $(cat "$T/out")"
exit 0
