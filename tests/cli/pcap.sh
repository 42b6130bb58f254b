#!/bin/sh
# The pcap of a failed run opens with tcpdump -r, and the packet the
# evidence shows is in it, line for line as tcpdump prints it.
. tests/cli/lib.sh
need_root

$WG run --artifacts "$T/art" --json "$T/r.json" tests/selftest/capture.lab > "$T/out" 2>&1
[ $? = 1 ] || fail "the self-test should fail: $(cat "$T/out")"
pcap="$T/art/st-capture/b-eth0.pcap"
[ -s "$pcap" ] || fail "no pcap kept for the failure: $(ls -R "$T/art")"
TZ=UTC tcpdump -n -r "$pcap" > "$T/dump" 2> "$T/dump.err" || fail "tcpdump -r: $(cat "$T/dump.err")"
# "first: 06:39:24.869060 IP 10.0.0.1 > 10.0.1.2: ICMP echo request, ..."
line=$(jq -r '.scenarios[0].expectations[] | select(.label == "onwire") | .evidence' "$T/r.json" |
	sed -n 's/.*; first: //p')
[ -n "$line" ] || fail "no packet in the evidence"
grep -qxF "$line" "$T/dump" || fail "the evidence line is not in the pcap: '$line' not in: $(cat "$T/dump")"
# Every packet the capture counted is in the file.
n=$(jq -r '.scenarios[0].expectations[] | select(.label == "onwire") | .evidence' "$T/r.json" |
	sed -n 's/^[0-9]* of \([0-9]*\) packets.*/\1/p')
[ "$(wc -l < "$T/dump")" -ge "$n" ] || fail "the pcap has fewer packets than the capture counted ($n)"
exit 0
