#!/bin/sh
# Private and preshared keys never reach stdout, stderr, JSON, JUnit, TAP or
# artifacts, even when a program of the scenario prints them; key files
# inside nodes are 0600.  Finding 5 (issue 15), a case each: a literal
# preshared key (only named ones were hidden), a key a PostUp hook loaded,
# parse errors that echoed a mistyped key (lab/lang and the wg-quick
# parser), a key pasted into ListenPort, and `include` of a key file.
. tests/cli/lib.sh
need_root

priv=$(wg genkey)
psk=$(wg genpsk)
{
	echo "lab secrets"
	wgquick_pair a b "" "PresharedKey = @shared" "$priv"
	cat <<LAB

# A literal preshared key, and a private key that only a hook knows.
wireguard a:wg1 address 10.1.0.1/24 listen-port 51821
wg-quick b:wg1 <<
[Interface]
Address = 10.1.0.2/24
PreUp = wg genkey > /run/hook.key
PostUp = wg set %i private-key /run/hook.key listen-port 51821
[Peer]
PublicKey = @a:wg1
PresharedKey = $psk
AllowedIPs = 10.1.0.1/32
>>
peer a:wg1 b:wg1 allowed-ips 10.1.0.2/32 endpoint 192.0.2.2:51821 preshared-key $psk

expect a reaches 10.0.0.2
expect a:wg0 handshake b:wg0
# The keys, to a file of the test's (not to any output).
run b -- sh -c "cp /etc/wireguard/wg0.key $T/b.key && stat -c %a /etc/wireguard/wg0.key > $T/b.mode"
run a -- sh -c "wg show wg0 preshared-keys | cut -f2 > $T/psk"
# A program that prints every secret, and fails so its output is evidence.
run a -- sh -c "cat /etc/wireguard/wg0.key; wg showconf wg0; wg show wg0 private-key; exit 1"
run b -- sh -c "wg showconf wg0 >&2; wg show wg0 preshared-keys; exit 3"
run b -- sh -c "cp /run/hook.key $T/hook.key; cat /run/hook.key; wg showconf wg1; exit 4"
# Glued to a name by '=', in base64 and in hex (as the UAPI prints it).
run b -- sh -c "echo key=\$(cat /run/hook.key) private_key=\$(base64 -d /run/hook.key | od -An -tx1 | tr -d ' \\n'); exit 5"
# A key in a step's own words: the report shows the statement, key hidden.
run a -- sh -c "test $psk != $priv"
# A long line: the evidence's window of the output's end starts inside the
# key, whose last 30 characters would be too short to be seen as a key.
run b -- sh -c "printf %s \$(cat /run/hook.key); printf 'x%.0s' \$(seq 480); echo; exit 6"
LAB
} > "$T/keys.lab"

$WG run -v --json "$T/r.json" --junit "$T/r.xml" --artifacts "$T/art" --capture "$T/keys.lab" \
	> "$T/stdout" 2> "$T/stderr"
[ $? = 1 ] || fail "the scenario should fail (its last steps fail): $(cat "$T/stdout")"
# Each run's hook makes its own key: keep the first run's.
cp "$T/hook.key" "$T/hook1.key" 2> /dev/null
$WG run --tap "$T/keys.lab" > "$T/tap" 2> "$T/tap.err"
[ -s "$T/b.key" ] && [ -s "$T/psk" ] || fail "the keys did not come out of the nodes"
[ "$(cat "$T/b.mode")" = 600 ] || fail "key file mode $(cat "$T/b.mode"), not 600"
ls "$T"/art/secrets/*.log > /dev/null 2>&1 || fail "no logs among the artifacts: $(ls -R "$T/art")"
grep -q '(hidden)' "$T/stdout" || fail "the evidence does not show the hidden keys"

hex() {
	printf '%s' "$1" | base64 -d | od -An -tx1 | tr -d ' \n'
}
[ -s "$T/hook.key" ] && [ -s "$T/hook1.key" ] || fail "the hook's key did not come out of the node"
for h in "$T/hook1.key" "$T/hook.key"; do
	end=$(cut -c15-44 "$h")
	found=$(grep -rlF -- "$end" "$T/stdout" "$T/stderr" "$T/r.json" "$T/r.xml" "$T/tap" "$T/tap.err" \
		"$T/art" 2>/dev/null)
	[ -z "$found" ] || fail "the end of a key appears in: $found"
done
for k in "$priv" "$(cat "$T/b.key")" "$(cat "$T/psk")" "$psk" "$(cat "$T/hook1.key")" "$(cat "$T/hook.key")"; do
	for form in "$k" "$(hex "$k")"; do
		found=$(grep -rlF -- "$form" "$T/stdout" "$T/stderr" "$T/r.json" "$T/r.xml" "$T/tap" \
			"$T/tap.err" "$T/art" 2>/dev/null)
		[ -z "$found" ] || fail "a key appears in: $found"
	done
done

# Mistyped keys, a key in the wrong field, an included key file: the
# errors say where and what, never the key (nor most of it).
k=$(wg genkey)
printf '%s\n' "$k" > "$T/stolen.key"
cat > "$T/typo.lab" <<LAB
lab typo
node a
wg-quick a:wg0 <<
[Interface]
PrivateKey = ${k}x
ListenPort = $k
[Peer]
PublicKey = ${k%=}
PresharedKey = x$k
>>
wireguard a:wg1 private-key ${k}y
peer a:wg1 $k preshared-key ${k}zz
wireguard a:wg2 listen-port $k
include stolen.key
LAB
$WG check "$T/typo.lab" > "$T/typo.out" 2>&1
[ $? = 2 ] || fail "check of mistyped keys: $(cat "$T/typo.out")"
for line in 5 6 8 9 11 12 13 14; do
	grep -q "typo.lab:$line:" "$T/typo.out" || fail "no error at line $line: $(cat "$T/typo.out")"
done
part=$(printf '%s' "$k" | cut -c1-24)
grep -qF -- "$part" "$T/typo.out" && fail "an error quotes the key: $(cat "$T/typo.out")"
$WG run "$T/typo.lab" > "$T/typo.out" 2>&1
grep -qF -- "$part" "$T/typo.out" && fail "run quotes the key: $(cat "$T/typo.out")"

# The lab's keys quoted in its description and a twin's reason (free
# text): hidden in the text report's header, the JSON, TAP, `graph` and
# `check --expand`, which printed them as written; the public key stays.
k=$(wg genkey)
pub=$(printf '%s\n' "$k" | wg pubkey)
psk=$(wg genpsk)
cat > "$T/leak.lab" <<LAB
lab leak "desc $k psk $psk pub $pub"
node a
wireguard a:wg0 address 10.9.0.1/24 private-key $k
wireguard a:wg1 address 10.9.1.1/24
peer a:wg1 $pub preshared-key $psk allowed-ips 10.9.0.1/32
@f run a -- sh -c "exit 1"
twin t "the key $k" <<
fails @f
add @f
>>
LAB
$WG run -v --json "$T/leak.json" --junit "$T/leak.xml" "$T/leak.lab" > "$T/leak.out" 2>&1
$WG run --jobs 2 --json "$T/leak2.json" "$T/leak.lab" "$T/leak.lab" > "$T/leak2.out" 2>&1
$WG run --tap "$T/leak.lab" > "$T/leak.tap" 2>&1
$WG graph "$T/leak.lab" > "$T/leak.dot" 2>&1
$WG check --expand "$T/leak.lab" > "$T/leak.expand" 2>&1
for f in leak.out leak.json leak.xml leak2.out leak2.json leak.tap leak.dot leak.expand; do
	[ -s "$T/$f" ] || fail "$f is empty"
	grep -qF -- "$k" "$T/$f" && fail "the private key in $f: $(cat "$T/$f")"
	grep -qF -- "$psk" "$T/$f" && fail "the preshared key in $f: $(cat "$T/$f")"
done
grep -qF -- "desc (hidden) psk (hidden) pub $pub" "$T/leak.out" || fail "the description: $(cat "$T/leak.out")"
grep -qF -- "pub $pub" "$T/leak.dot" || fail "the public key in graph: $(cat "$T/leak.dot")"
grep -qF -- "peer a:wg1 $pub preshared-key (hidden)" "$T/leak.expand" || fail "check --expand: $(cat "$T/leak.expand")"
exit 0
