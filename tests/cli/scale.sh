#!/bin/sh
# Scale: repetition expands as `check --expand` shows; a 30-peer full mesh
# proves its 870 ordered pairs twice (reach, handshake), each pair its own
# JSON and JUnit entry; a 100-node LAN is refused before anything is built,
# naming the host's limit; an expansion past a limit is an error at its
# line.
. tests/cli/lib.sh

# Expansion, without privileges.
out=$("$WGLAB" check --expand tests/scale/mesh30.lab) || fail "check --expand: $out"
[ "$(printf '%s\n' "$out" | grep -c '^peer p[0-9]*:wg0 p[0-9]*:wg0 ')" = 870 ] || fail "expected 870 peer lines"
[ "$(printf '%s\n' "$out" | grep -c '^node p[0-9]*$')" = 30 ] || fail "expected 30 node lines"
printf '%s\n' "$out" | grep -q '^link p7:eth0 10.64.0.30/30 -- core:e7 10.64.0.29/30$' ||
	fail "p7's link is not as computed: $(printf '%s\n' "$out" | grep '^link p7:eth0')"
printf '%s\n' "$out" | grep -q '^peer p7:wg0 p3:wg0 allowed-ips 10.200.0.3/32 endpoint p3:51820$' ||
	fail "p7's peer p3 is not as computed: $(printf '%s\n' "$out" | grep '^peer p7:wg0 p3:wg0')"
printf '%s\n' "$out" | grep -Eq '^(for|let|if) ' && fail "statements left unexpanded"

# Every scale scenario checks; the stars are the text `bench build` runs.
for f in tests/scale/*.lab; do
	out=$("$WGLAB" check "$f" 2>&1) || fail "$f does not check: $out"
done
for v in "" ipv6-off; do
	want=$("$WGLAB" check --expand "tests/scale/star2000${v:+-$v}.lab" | grep -Ev '^(lab|#|$)')
	"$WGLAB" bench build --nodes 2000 ${v:+--no-ipv6} --print > "$T/star.lab" || fail "bench build --print"
	got=$("$WGLAB" check --expand "$T/star.lab" 2>&1 | grep -Ev '^(lab|#|$)')
	[ "$want" = "$got" ] || fail "bench build ${v:+--no-ipv6 }runs another star than tests/scale/star2000${v:+-$v}.lab"
done
printf 'lab big\nfor i in 1..9000: node n$i\n' > "$T/big.lab"
out=$("$WGLAB" check "$T/big.lab" 2>&1); rc=$?
[ $rc = 2 ] || fail "expansion past the node limit: exit $rc"
printf '%s\n' "$out" | grep -q "^$T/big.lab:2:1: for i=8193: .*8192 nodes" || fail "$out"

printf 'lab it\nnode a\nnode b\nfor i in 1..3: link a:e$i 10.0.${i}.1/24 -- b:e$i 10.0.${i*100}.2/24\n' > "$T/it.lab"
out=$("$WGLAB" check "$T/it.lab" 2>&1); rc=$?
[ $rc = 2 ] || fail "a bad address in iteration 3: exit $rc"
printf '%s\n' "$out" | grep -q "^$T/it.lab:4:[0-9]*: for i=3: '10.0.300.2/24' is not an IP address" || fail "$out"
[ "$(printf '%s\n' "$out" | grep -c 'for i=')" = 1 ] || fail "only i=3 is wrong: $out"

need_root

# A 100-node LAN: refused before any namespace or process is made, unless
# the host's IPv4 neighbour table could already take it.
t3=$(cat /proc/sys/net/ipv4/neigh/default/gc_thresh3)
if [ "$t3" -lt 12000 ]; then
	if command -v strace >/dev/null; then
		# One namespace only: `run`'s own check that it may make them
		# (lab/cmd_run.c can_build()); building makes 101.
		out=$(strace -f -qq -o "$T/trace" -e trace=unshare,setns,clone,clone3,execve \
			"$WGLAB" run --wg userspace --json "$T/lan.json" tests/scale/mesh100-lan.lab 2>&1); rc=$?
		[ "$(grep -c 'unshare(CLONE_NEWNET)' "$T/trace")" = 1 ] || fail "a namespace was made before the refusal"
		[ "$(grep -c 'execve(' "$T/trace")" = 1 ] || fail "a program was started before the refusal"
	else
		out=$("$WGLAB" run --json "$T/lan.json" tests/scale/mesh100-lan.lab 2>&1); rc=$?
	fi
	[ $rc = 2 ] || fail "100-node lan: exit $rc, expected 2: $out"
	printf '%s\n' "$out" | grep -q "error: tests/scale/mesh100-lan.lab:12:1: this lab needs up to 9900 IPv4 neighbour entries (lan 'office' of 100 members.*net.ipv4.neigh.default.gc_thresh3 = $t3).*--raise-host-limits" ||
		fail "refusal does not name the limit: $out"
	grep -q '"build_ms": 0' "$T/lan.json" || fail "the refused lab was built: $(grep -o '"build_ms": [0-9.]*' "$T/lan.json")"
	# `wglab bench` takes run's path: the same refusal, nothing built.
	out=$("$WGLAB" bench --repeat 1 tests/scale/mesh100-lan.lab 2>&1); rc=$?
	[ $rc = 1 ] || fail "bench of the 100-node lan: exit $rc: $out"
	printf '%s\n' "$out" | grep -q "error: mesh100lan: tests/scale/mesh100-lan.lab:12: this lab needs up to 9900 IPv4 neighbour entries" ||
		fail "bench does not refuse as run does: $out"
fi

# Summary mode: at most 10 failures shown, the rest counted; JSON has all.
printf 'lab summ\nnode a\nnode b\nlink a:eth0 10.0.0.1/24 -- b:eth0 10.0.0.2/24\nroute a unreachable 10.99.0.0/16\nexpect a reaches 10.0.0.2\nfor i in 1..15: expect a reaches 10.99.1.$i within 200ms\n@set expect all a reach 10.99.0.{1..30} within 200ms\n' > "$T/summ.lab"
$WG run --summary --json "$T/summ.json" "$T/summ.lab" > "$T/summ.out" 2>&1; rc=$?
[ $rc = 1 ] || fail "summary run: exit $rc: $(cat "$T/summ.out")"
[ "$(grep -c FAIL "$T/summ.out")" = 11 ] || fail "expected 10 failures and the closing line: $(cat "$T/summ.out")"
grep -q '^  \.\.\. and 36 more failures' "$T/summ.out" || fail "hidden failures not counted: $(cat "$T/summ.out")"
grep -q '^  ok' "$T/summ.out" && fail "summary mode printed a passing expectation"
# One line per failure: the evidence on the expectation's line.
grep -q '^ *no reply' "$T/summ.out" && fail "summary mode put evidence on a line of its own: $(cat "$T/summ.out")"
grep -q '^  FAIL summ.lab:7 *a reaches 10.99.1.1 within 200ms ([0-9]* ms): no reply' "$T/summ.out" ||
	fail "a failure's line lacks its evidence: $(cat "$T/summ.out")"
[ "$(grep -o '"set": "' "$T/summ.json" | wc -l)" = 30 ] || fail "the JSON report lacks pairs"
[ "$(grep -o '"text": "a reaches 10.99.1.[0-9]* within 200ms"' "$T/summ.json" | wc -l)" = 15 ] || fail "the JSON report lacks expectations"

# More than 16 userspace interfaces per CPU: each wireguard-go gets
# GOMAXPROCS=1 (said in the report); 17 on 2 CPUs: Go's default;
# GOMAXPROCS set for wglab: passed on as it is.  The program is a wrapper
# that writes down what it was given.
if command -v wireguard-go >/dev/null && command -v taskset >/dev/null; then
	cat > "$T/wg-env" <<-'EOS'
	#!/bin/sh
	[ "$1" = --version ] || echo "$2 GOMAXPROCS=${GOMAXPROCS-unset}" >> "$ENVLOG"
	exec wireguard-go "$@"
	EOS
	chmod 755 "$T/wg-env"
	printf 'lab procs\nfor i in 1..17: node p$i\nfor i in 1..17: wireguard p$i:wg0 address ${10.1.0.0/24 + i} listen-port 51820\nexpect p17:wg0 device peers 0\n' > "$T/procs.lab"
	for case in "0:1:GOMAXPROCS=1" "0,1:unset:GOMAXPROCS=unset" "0:3:GOMAXPROCS=3"; do
		cpus=${case%%:*}; rest=${case#*:}; given=${rest%%:*}; want=${rest#*:}
		[ "$cpus" = 0,1 ] && [ "$(nproc)" -lt 2 ] && continue
		rm -f "$T/env.log"
		if [ "$given" = 3 ]; then
			out=$(ENVLOG="$T/env.log" GOMAXPROCS=3 taskset -c "$cpus" $WG run --wg "userspace=$T/wg-env" "$T/procs.lab" 2>&1)
		else
			out=$(ENVLOG="$T/env.log" taskset -c "$cpus" $WG run --wg "userspace=$T/wg-env" "$T/procs.lab" 2>&1)
		fi || fail "CPUs $cpus: $out"
		[ "$(wc -l < "$T/env.log")" = 17 ] && [ "$(awk '{print $2}' "$T/env.log" | sort -u)" = "$want" ] ||
			fail "CPUs $cpus, GOMAXPROCS $given: the programs got $(cat "$T/env.log")"
		if [ "$given" = 1 ]; then
			printf '%s\n' "$out" | grep -q 'WireGuard: userspace (.*, GOMAXPROCS=1: 17 interfaces on 1 CPU)' ||
				fail "the report does not say GOMAXPROCS=1: $out"
		else
			printf '%s\n' "$out" | grep -q 'GOMAXPROCS' && fail "GOMAXPROCS reported without being set: $out"
		fi
	done
fi

# The 30-peer mesh, every pair proven; JSON and JUnit name every pair.
LABS=mesh30
snapshot "$T/before"
$WG run --json "$T/m.json" --junit "$T/m.xml" tests/scale/mesh30.lab > "$T/m.out" 2>&1 ||
	fail "mesh30: $(tail -5 "$T/m.out")"
grep -q 'reach each other within 5s: 870 of 870 pairs' "$T/m.out" || fail "$(cat "$T/m.out")"
# The set's line gives the pairs' times: p50 <= p99 <= max.
t=$(sed -nE 's/.*reach each other within 5s: 870 of 870 pairs \(p50 ([0-9]+) ms, p99 ([0-9]+) ms, max ([0-9]+) ms per pair\).*/\1 \2 \3/p' "$T/m.out")
[ -n "$t" ] || fail "no p50, p99 and max on the set's line: $(grep 'reach each other' "$T/m.out")"
set -- $t
[ "$1" -le "$2" ] && [ "$2" -le "$3" ] || fail "pair times out of order: p50 $1, p99 $2, max $3"
grep -q 'handshake each other: 870 of 870 pairs' "$T/m.out" || fail "$(cat "$T/m.out")"
[ "$(grep -c '"set": ' "$T/m.json")" = 1740 ] || fail "expected 1740 set entries in JSON"
grep -q '"text": "p30 reaches p29:wg0"' "$T/m.json" || fail "pair p30 -> p29 missing in JSON"
[ "$(grep -o '<testcase ' "$T/m.xml" | wc -l)" = 1740 ] || fail "expected 1740 JUnit test cases"
grep -q 'p1:wg0 handshake p2:wg0' "$T/m.xml" || fail "pair p1 -> p2 handshake missing in JUnit"
same_as "$T/before" || fail "mesh30 left something behind"

# `wglab bench` configures WireGuard as `run` does (the peers of an
# interface together, lab/run/runner.h run_step()): the same UAPI
# connections, 150 for mesh30, where one per peer statement made 990.
if command -v strace >/dev/null && command -v wireguard-go >/dev/null; then
	for cmd in run "bench --repeat 1"; do
		strace -qq -o "$T/uapi-${cmd%% *}" -e trace=connect $WG $cmd --wg userspace tests/scale/mesh30.lab \
			> "$T/uapi.out" 2>&1 || fail "$cmd mesh30: $(tail -5 "$T/uapi.out")"
	done
	r=$(grep -c 'wireguard/wg0\.sock' "$T/uapi-run"); b=$(grep -c 'wireguard/wg0\.sock' "$T/uapi-bench")
	[ "$r" -gt 0 ] && [ "$r" -lt 300 ] && [ "$b" = "$r" ] ||
		fail "UAPI connections: run $r, bench $b (mesh30: 870 peer statements)"
	same_as "$T/before" || fail "bench of mesh30 left something behind"
fi
exit 0
