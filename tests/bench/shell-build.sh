#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 wglab developers.
#
# The shell baseline of `wglab bench build` (research/perf-anchors.md
# section 1): a star of N nodes built with one `ip` per step (plain) or
# with `ip -batch` (batch), then deleted; teardown ends when the hub has
# no node veth left.  Names carry this shell's pid, and everything is
# removed on exit.
#
#   tests/bench/shell-build.sh N plain|batch
# prints: MODE N build_ms=B teardown_ms=T
set -eu
N=$1
MODE=$2
P=wglb$$
HUB=$P-hub

cleanup() {
	for ns in $(ip netns list | awk -v p="$P-" 'index($1, p) == 1 { print $1 }'); do
		ip netns del "$ns" 2>/dev/null || true
	done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now_ms() { date +%s%3N; }
# Hub end .1, node end .2 of the /30 of node i.
addr() { echo "10.$((1 + ($1 >> 14))).$((($1 >> 6) & 255)).$((($1 & 63) * 4 + $2))"; }

ip netns add "$HUB"
t0=$(now_ms)
i=0
if [ "$MODE" = plain ]; then
	while [ $i -lt "$N" ]; do
		ip netns add "$P-n$i"
		ip -n "$P-n$i" link add eth0 type veth peer name "v$i" netns "$HUB"
		ip -n "$P-n$i" addr add "$(addr $i 2)/30" dev eth0
		ip -n "$P-n$i" link set eth0 up
		ip -n "$HUB" addr add "$(addr $i 1)/30" dev "v$i"
		ip -n "$HUB" link set "v$i" up
		i=$((i + 1))
	done
else
	while [ $i -lt "$N" ]; do
		echo "netns add $P-n$i"
		echo "link add v$i netns $HUB type veth peer name eth0 netns $P-n$i"
		i=$((i + 1))
	done | ip -batch -
	i=0
	while [ $i -lt "$N" ]; do
		echo "addr add $(addr $i 1)/30 dev v$i"
		echo "link set v$i up"
		i=$((i + 1))
	done | ip -n "$HUB" -batch -
	i=0
	while [ $i -lt "$N" ]; do
		printf 'addr add %s/30 dev eth0\nlink set eth0 up\n' "$(addr $i 2)" | ip -n "$P-n$i" -batch -
		i=$((i + 1))
	done
fi
t1=$(now_ms)
i=0
if [ "$MODE" = plain ]; then
	while [ $i -lt "$N" ]; do
		ip netns del "$P-n$i"
		i=$((i + 1))
	done
else
	while [ $i -lt "$N" ]; do
		echo "netns del $P-n$i"
		i=$((i + 1))
	done | ip -batch -
fi
# The kernel frees the namespaces asynchronously: poll the hub (every few
# ms, 120 s at most) until their veth ends are gone.
deadline=$((t1 + 120000))
while ip -n "$HUB" -o link show | grep -q ': v[0-9]*@'; do
	[ "$(now_ms)" -lt $deadline ] || { echo "teardown did not finish" >&2; exit 1; }
	sleep 0.005
done
t2=$(now_ms)
echo "$MODE $N build_ms=$((t1 - t0)) teardown_ms=$((t2 - t1))"
