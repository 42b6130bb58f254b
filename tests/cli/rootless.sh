#!/bin/sh
# Without root, wglab builds its labs in a user namespace of its own.  As an
# unprivileged user (uid 65534): check works; run passes a routed scenario,
# a WireGuard one and a firewall/NAT one with the same outcomes as root;
# up/exec/down work through `wglab exec` and say that `ip netns exec`
# cannot; SIGTERM and kill -9 leave nothing behind.  A kernel that refuses
# unprivileged user namespaces is named in one line (and the test skips
# when this kernel does).
. tests/cli/lib.sh
need_root
command -v setpriv > /dev/null || { echo "SKIP: no setpriv (util-linux)" >&2; exit 77; }
command -v unshare > /dev/null || { echo "SKIP: no unshare (util-linux)" >&2; exit 77; }

U=65534
# The user reads a copy of wglab and of the scenarios, and owns only its
# runtime directory, so anything it leaves shows there.
chmod 0755 "$T"
cp "$WGLAB" "$T/wglab"
cp tests/integration/routed.lab tests/wg/two-peers.lab scenarios/port-forward.lab "$T/"
chmod 0755 "$T/wglab"
chmod 0644 "$T"/*.lab
mkdir -m 0700 "$T/xdg" "$T/tun"
chown $U:$U "$T/xdg"
AS="setpriv --reuid=$U --regid=$U --clear-groups env $MARK XDG_RUNTIME_DIR=$T/xdg $T/wglab"

# Debian's udev leaves /dev/net/tun open to every user (0666), which
# wireguard-go needs without root.  Where it is not, the user's wglab runs
# in a private mount namespace with a 0666 node over it, so nothing changes
# for anyone else.
TUN=
if ! setpriv --reuid=$U --regid=$U --clear-groups sh -c 'exec 3<>/dev/net/tun' 2>/dev/null; then
	cat > "$T/with-tun.sh" <<'SH'
d=$1; shift
exec unshare -m sh -c 'mount -t tmpfs -o mode=0755 tmpfs "$0" && mknod -m 0666 "$0/tun" c 10 200 &&
	mount --bind "$0/tun" /dev/net/tun && umount -l "$0" && exec "$@"' "$d" "$@"
SH
	TUN="sh $T/with-tun.sh $T/tun"
	# ... and what the user hears when it is not.
	$AS run "$T/two-peers.lab" > "$T/out" 2>&1 && fail "two-peers passed without access to /dev/net/tun"
	grep -q "Unable to use wireguard-go without root: /dev/net/tun is mode 0600" "$T/out" ||
		fail "no clear message for /dev/net/tun: $(cat "$T/out")"
fi
RUN="$TUN $AS"

# The outcomes of a report: each expectation's status and text, no times.
outcomes() {
	grep -E '^  (ok|ok\*|FAIL|SKIP) ' "$1" | sed -E 's/ \([0-9]+ ms\)$//'
}

$RUN check "$T/routed.lab" > "$T/out" 2>&1 || fail "check as uid $U: $(cat "$T/out")"

snapshot "$T/before"
$RUN run "$T/routed.lab" > "$T/out" 2>&1
rc=$?
if grep -q "refuses unprivileged user namespaces" "$T/out"; then
	echo "SKIP: $(grep -m1 'refuses unprivileged' "$T/out")" >&2
	exit 77
fi
[ $rc = 0 ] || fail "routed.lab as uid $U: exit $rc: $(cat "$T/out")"

# The same outcomes as root, expectation by expectation.
for lab in routed two-peers; do
	$WG run "$T/$lab.lab" > "$T/root.out" 2>&1 || fail "$lab.lab as root: $(cat "$T/root.out")"
	$RUN run "$T/$lab.lab" > "$T/out" 2>&1 || fail "$lab.lab as uid $U: $(cat "$T/out")"
	outcomes "$T/root.out" > "$T/root.res"
	outcomes "$T/out" > "$T/user.res"
	[ -s "$T/user.res" ] || fail "$lab.lab as uid $U: no expectation reported"
	grep -q FAIL "$T/user.res" && fail "$lab.lab as uid $U: $(cat "$T/out")"
	diff "$T/root.res" "$T/user.res" >&2 || fail "$lab.lab: other outcomes than as root"
done
grep -q "WireGuard: userspace" "$T/out" || fail "two-peers.lab did not run wireguard-go: $(cat "$T/out")"

# Firewall, NAT and conntrack, with the twins that must fail inside.
$RUN run "$T/port-forward.lab" > "$T/out" 2>&1 || fail "port-forward.lab as uid $U: $(cat "$T/out")"
grep -Eq "^[1-9][0-9]* passed, 0 failed$" "$T/out" || fail "port-forward.lab as uid $U: $(cat "$T/out")"
same_as "$T/before" || fail "the runs as uid $U left something behind"
[ -z "$(ls -A "$T/xdg")" ] || fail "the runs left files: $(ls -AR "$T/xdg")"

# up: the nodes are reached with wglab exec; the user is told that
# ip netns exec cannot reach them, and they are not in ip netns list.
name=rl$$
$RUN up --name "$name" "$T/routed.lab" > "$T/out" 2>&1 || fail "up as uid $U: $(cat "$T/out")"
grep -q "without root: nodes are $T/xdg/wglab/netns/$name-NODE in wglab's user namespace, so .* exec $name NODE -- CMD. works and .ip netns exec. does not (it needs root)" "$T/out" ||
	{ $AS down "$name"; fail "up did not say what works: $(cat "$T/out")"; }
ip netns list | grep -q "^$name-" && { $AS down "$name"; fail "a lab of uid $U in ip netns list"; }
$AS list | grep -q "^$name	up" || { $AS down "$name"; fail "list: $($AS list 2>&1)"; }
$AS exec "$name" client ping -c1 -W2 10.2.0.2 > "$T/out" 2>&1 || { $AS down "$name"; fail "exec ping: $(cat "$T/out")"; }
# exec runs in the node (its interfaces in /sys) and keeps the directory.
[ "$($AS exec "$name" server sh -c 'ls /sys/class/net | tr "\n" " "; pwd')" = "eth0 lo $PWD" ] ||
	{ $AS down "$name"; fail "exec is not in the node, or lost the directory"; }
$AS down "$name" > "$T/out" 2>&1 || fail "down as uid $U: $(cat "$T/out")"
same_as "$T/before" || fail "up/down as uid $U left something behind"
[ -z "$(find "$T/xdg" ! -type d)" ] || fail "up/down left files: $(find "$T/xdg" ! -type d)"

# kill -9 of the keeper takes the lab with it; reap, as the user, removes
# the record and the files its mounts sat on.
$RUN up --name "$name" "$T/two-peers.lab" > "$T/out" 2>&1 || fail "up two-peers as uid $U: $(cat "$T/out")"
keeper=$($AS list | sed -n "s/^$name	up (pid \([0-9]*\)).*/\1/p")
[ -n "$keeper" ] || { $AS down "$name"; fail "no keeper pid in list: $($AS list 2>&1)"; }
kill -9 "$keeper"
i=0
until $AS list | grep -q "^$name	stale"; do
	i=$((i + 1)); [ $i -lt 200 ] || fail "the keeper never died: $($AS list 2>&1)"; sleep 0.05
done
$AS reap > "$T/out" 2>&1 || fail "reap as uid $U: $(cat "$T/out")"
grep -q "^Removed lab '$name' (2 nodes)" "$T/out" || fail "reap: $(cat "$T/out")"
same_as "$T/before" || fail "kill -9 of a rootless keeper left something behind"
[ -z "$(find "$T/xdg" ! -type d)" ] || fail "reap left files: $(find "$T/xdg" ! -type d)"

# A signal to the rootless wglab reaches the lab: teardown, exit 128+N;
# kill -9 takes the whole lab with it.
cat > "$T/long.lab" <<LAB
lab rlsig
node a
node b
link a:eth0 10.0.0.1/24 -- b:eth0 10.0.0.2/24
run a -- touch $T/xdg/started
run b background -- sleep 1000
wait 60s
expect a reaches 10.0.0.2
LAB
chmod 0644 "$T/long.lab"
for sig in 15 9; do
	rm -f "$T/xdg/started"
	$RUN run "$T/long.lab" > "$T/out" 2>&1 &
	pid=$!
	i=0
	until [ -e "$T/xdg/started" ]; do
		i=$((i + 1)); [ $i -lt 200 ] || fail "never started: $(cat "$T/out")"; sleep 0.05
	done
	i=0
	until marked_procs | grep -q ' sleep$'; do
		i=$((i + 1)); [ $i -lt 200 ] || fail "the sleeper never started: $(marked_procs)"; sleep 0.05
	done
	kill -$sig $pid
	wait $pid 2>/dev/null; rc=$?
	[ $rc = $((128 + sig)) ] || fail "signal $sig: exit status $rc: $(cat "$T/out")"
	rm -f "$T/xdg/started"
	same_as "$T/before" || fail "signal $sig to a rootless run left something behind"
	[ -z "$(find "$T/xdg" ! -type d)" ] || fail "signal $sig left files: $(find "$T/xdg" ! -type d)"
done

# A kernel that refuses unprivileged user namespaces, made here without
# touching the host: in a user namespace of its own (the host's ids
# 0-65535), root sets user.max_user_namespaces = 0, which binds every user
# namespace below, then becomes uid 65534 and runs wglab.
cat > "$T/refuse.sh" <<'SH'
d=$1; shift
echo > "$d/ready"
read go < "$d/go"
# Mapped now: uid 0 here, with every capability here after exec.
exec sh -c 'echo 0 > /proc/sys/user/max_user_namespaces && exec "$@"' sh "$@"
SH
mkfifo "$T/ready" "$T/go"
unshare -U sh "$T/refuse.sh" "$T" $AS run "$T/routed.lab" > "$T/out" 2> "$T/err" &
pid=$!
read x < "$T/ready"
echo "0 0 65536" > /proc/$pid/uid_map && echo "0 0 65536" > /proc/$pid/gid_map
echo > "$T/go"
wait $pid; rc=$?
[ $rc = 2 ] || fail "refused user namespaces: exit status $rc: $(cat "$T/out" "$T/err")"
[ "$(wc -l < "$T/err")" = 1 ] && [ ! -s "$T/out" ] || fail "refused user namespaces: not one line: $(cat "$T/out" "$T/err")"
grep -q "^Unable to build labs without root: the kernel refuses unprivileged user namespaces (user.max_user_namespaces = 0): No space left on device$" "$T/err" ||
	fail "refused user namespaces: $(cat "$T/err")"
exit 0
