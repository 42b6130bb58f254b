#!/bin/sh
# A wg-quick hook's background program (PostUp = prog ... &) runs until
# the lab ends, then dies with it: after the run has ended, and after
# wglab was killed by SIGKILL.  It was killed as soon as the hook's shell
# returned (the shell was the init of its own PID namespace); now the
# interface's hooks share one that lives until teardown
# (tests/integration/wgquick-hook-background.lab checks it from inside).
. tests/cli/lib.sh
need_root
command -v pgrep > /dev/null || { echo "SKIP: no pgrep" >&2; exit 77; }

tag=wglab-hookbg-$$
cp "$(command -v sleep)" "$T/$tag"
{
	echo "lab hookbg"
	wgquick_pair a b "PostUp = $T/$tag 1000 > /dev/null 2>&1 &"
	echo "expect a reaches 10.0.0.2"
	echo "run a timeout 20s -- sh -c \"until test -e $T/go; do sleep 0.05; done\""
} > "$T/bg.lab"

# Polls (deadline 10 s) until `pgrep -f $tag` finds something (want=1) or
# nothing (want=0).
wait_for() {
	i=0
	while :; do
		if pgrep -f "$T/$tag" > /dev/null; then found=1; else found=0; fi
		[ $found = "$1" ] && return 0
		i=$((i + 1))
		[ $i -ge 200 ] && return 1
		sleep 0.05
	done
}

snapshot "$T/before"
for how in end kill9; do
	rm -f "$T/go"
	$WG run "$T/bg.lab" > "$T/out-$how" 2>&1 & wg=$!
	wait_for 1 || { kill $wg; fail "$how: the hook's background program is not running: $(cat "$T/out-$how")"; }
	if [ $how = end ]; then
		touch "$T/go"
		wait $wg || fail "the run: $(cat "$T/out-$how")"
	else
		kill -9 $wg
		wait $wg
	fi
	wait_for 0 || fail "$how: the hook's background program outlived the lab: $(pgrep -af "$T/$tag")"
	same_as "$T/before" || fail "$how: the run left something behind"
done
exit 0
