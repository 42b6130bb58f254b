# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 wglab developers.
#
# Helpers for the command-line tests.  Each test is a shell script that
# exits 0 (pass), 1 (fail) or 77 (skipped, with the reason on stderr).

WGLAB=${WGLAB:-build/wglab}
T=$(mktemp -d /tmp/wglab-test.XXXXXX)
trap 'rm -rf "$T"' EXIT

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

need_root() {
	[ "$(id -u)" = 0 ] || { echo "SKIP: needs root" >&2; exit 77; }
}

# Every process the test's wglab starts inherits this variable, so a
# survivor is found by its environment, whatever it exec'd.  Only wglab
# gets it (see WG), not the test's own helpers.
MARK="WGLAB_TEST_MARK=$T"

# Used unquoted ($WG run ...), so that `$WG run ... &` makes $! wglab's
# own pid (a shell function would put a subshell in between).  Neither $T
# nor the path of wglab holds blanks.
WG="env $MARK $WGLAB"

# Processes carrying the mark.
marked_procs() {
	for e in /proc/[0-9]*/environ; do
		p=${e#/proc/}; p=${p%/environ}
		{ tr '\0' '\n' < "$e" | grep -qx "$MARK"; } 2>/dev/null &&
			echo "$p $(cat /proc/$p/comm 2>/dev/null)"
	done | sort
}

# What a run could leave outside its namespaces: named namespaces and lab
# records (of the labs named in $LABS), links in the root namespace, and
# processes it started.  Unnamed namespaces are freed by the kernel once
# no process, fd or mount holds them, so those three cover them.
snapshot() {
	{
		echo "## netns"; ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^(${LABS:-none})-" | sort
		echo "## links"; ip -o link show | awk -F': ' '{print $2}' | sort
		echo "## labs"; ls "${WGLAB_RUN_DIR:-/run/wglab}/labs" 2>/dev/null | grep -Ex "${LABS:-none}" | sort
		echo "## procs"; marked_procs
	} > "$1"
}

# Waits (polls with a deadline) until the snapshot equals the one before:
# namespaces are freed asynchronously by the kernel.
same_as() {
	i=0
	while :; do
		snapshot "$T/after"
		cmp -s "$1" "$T/after" && return 0
		i=$((i + 1))
		[ $i -ge 100 ] && break
		sleep 0.05
	done
	diff "$1" "$T/after" >&2
	return 1
}

# Two nodes A and B on one link (192.0.2.1 and .2), each with a wg-quick
# wg0 (10.0.0.1 and .2, port 51820) peered to the other, A with B as its
# Endpoint, as scenario text on stdout.  A_IF: more [Interface] lines of
# A's (hooks); PEER: more [Peer] lines of both (a PresharedKey); A_KEY: A's
# PrivateKey (default @generate).
#   wgquick_pair A B [A_IF [PEER [A_KEY]]]
wgquick_pair() {
	cat <<LAB
node $1
node $2
link $1:eth0 192.0.2.1/24 -- $2:eth0 192.0.2.2/24
wg-quick $1:wg0 <<
[Interface]
PrivateKey = ${5:-@generate}
Address = 10.0.0.1/24
ListenPort = 51820
${3:-}
[Peer]
PublicKey = @$2:wg0
${4:-}
AllowedIPs = 10.0.0.2/32
Endpoint = 192.0.2.2:51820
>>
wg-quick $2:wg0 <<
[Interface]
PrivateKey = @generate
Address = 10.0.0.2/24
ListenPort = 51820
[Peer]
PublicKey = @$1:wg0
${4:-}
AllowedIPs = 10.0.0.1/32
>>
LAB
}
