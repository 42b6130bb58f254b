#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 wglab developers.
#
# The netns.sh way of tests/scale/mesh30.lab, for the ratio in `make
# bench`: N namespaces on /30s to a core router, a wireguard-go and
# `wg set` per peer in each, then every ordered pair proven with one
# `ping` after the other, as a shell script would.  Names carry this
# shell's pid; everything is removed on exit.
#
#   tests/bench/shell-mesh.sh N
# prints: shell-mesh N build_ms=B proof_ms=P failed=F total_ms=T
set -eu
umask 077
N=$1
P=wgsm$$
D=$(mktemp -d /tmp/wglab-shell-mesh.XXXXXX)

cleanup() {
	for f in "$D"/*.pid; do
		[ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true
	done
	for ns in $(ip netns list | awk -v p="$P-" 'index($1, p) == 1 { print $1 }'); do
		ip netns del "$ns" 2>/dev/null || true
	done
	rm -rf "$D"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now_ms() { date +%s%3N; }
ip4() { echo "10.64.$((($1 * 4) >> 8)).$((($1 * 4 + $2) & 255))"; }

t0=$(now_ms)
ip netns add $P-core
ip -n $P-core link set lo up
ip netns exec $P-core sysctl -qw net.ipv4.ip_forward=1
i=1
while [ $i -le $N ]; do
	ns=$P-p$i
	ip netns add $ns
	ip -n $ns link set lo up
	ip link add eth0 netns $ns type veth peer name e$i netns $P-core
	ip -n $ns addr add "$(ip4 $i 2)/30" dev eth0
	ip -n $P-core addr add "$(ip4 $i 1)/30" dev e$i
	ip -n $ns link set eth0 up
	ip -n $P-core link set e$i up
	ip -n $ns route add default via "$(ip4 $i 1)"
	wg genkey > "$D/$i.key"
	wg pubkey < "$D/$i.key" > "$D/$i.pub"
	# A private /run per node, as wglab gives wireguard-go.
	ip netns exec $ns sh -c "mount -t tmpfs none /run && WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1 wireguard-go -f wg0 >/dev/null 2>&1 & echo \$! > $D/$i.pid
		while [ ! -S /run/wireguard/wg0.sock ]; do sleep 0.01; done
		wg set wg0 private-key $D/$i.key listen-port 51820
		ip addr add 10.200.$((i >> 8)).$((i & 255))/16 dev wg0
		ip link set wg0 up
		exec sleep infinity" >/dev/null 2>&1 &
	echo $! > "$D/$i.holder.pid"
	i=$((i + 1))
done
i=1
while [ $i -le $N ]; do
	until ip -n $P-p$i addr show dev wg0 2>/dev/null | grep -q 'state UP\|,UP'; do sleep 0.01; done
	i=$((i + 1))
done
i=1
while [ $i -le $N ]; do
	j=1
	args=""
	while [ $j -le $N ]; do
		[ $i != $j ] && args="$args peer $(cat "$D/$j.pub") allowed-ips 10.200.$((j >> 8)).$((j & 255))/32 endpoint $(ip4 $j 2):51820"
		j=$((j + 1))
	done
	# wg needs the node's /run: enter the holder's mount namespace.
	nsenter -t "$(cat "$D/$i.holder.pid")" -m -n wg set wg0 $args
	i=$((i + 1))
done
t1=$(now_ms)
failed=0
i=1
while [ $i -le $N ]; do
	j=1
	while [ $j -le $N ]; do
		if [ $i != $j ]; then
			ip netns exec $P-p$i ping -c 1 -W 5 -q 10.200.$((j >> 8)).$((j & 255)) >/dev/null 2>&1 ||
				failed=$((failed + 1))
		fi
		j=$((j + 1))
	done
	i=$((i + 1))
done
t2=$(now_ms)
for f in "$D"/*.holder.pid; do kill "$(cat "$f")" 2>/dev/null || true; done
echo "shell-mesh $N build_ms=$((t1 - t0)) proof_ms=$((t2 - t1)) failed=$failed total_ms=$((t2 - t0))"
