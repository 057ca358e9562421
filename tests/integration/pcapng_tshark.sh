#!/usr/bin/env bash
# The pcapng writer's output opens in tshark with the frames we wrote: real SDP frames unchanged, synthetic
# TCP segments with good checksums, no TCP analysis warnings, payloads equal to the capture they came from.
set -euo pipefail
command -v tshark >/dev/null || { echo "tshark not installed"; exit 77; }
bin="$CCS_BUILD_DIR/tests/test_pcapng"
orig="$CCS_SHARED_DIR/captures/2025-07-22_pyPLC_with_tesla_model_x_plaid_until_charging_loop.pcapng"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out="$tmp/sample.pcapng"
"$bin" "$out"

tcp_frames="frame.number==61 || frame.number==71 || frame.number==73 || frame.number==79"
ts() { tshark -r "$1" -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE "${@:2}" 2>/dev/null; }
fail() { echo "FAIL: $*"; exit 1; }

[ "$(capinfos -t "$out" | awk -F': *' '/File type/{print $2}')" = "Wireshark/... - pcapng" ] || fail "not pcapng"
[ "$(ts "$out" | wc -l)" = 9 ] || fail "expected 9 frames"
# every UDP/TCP checksum verifies (1 = good)
bad=$(ts "$out" -T fields -e udp.checksum.status -e tcp.checksum.status | tr -d '\t' | grep -vc '^1$' || true)
[ "$bad" = 0 ] || fail "$bad frames with a bad or unverified checksum"
# no retransmission / out-of-order / lost-segment analysis flags
[ "$(ts "$out" -Y tcp.analysis.flags | wc -l)" = 0 ] || fail "tshark flags TCP problems"
# directions from epb_flags (1 in, 2 out): SDP in, out, then the car's SYN in, our SYN/ACK out, its ACK in, data in/out/in/out
dirs=$(ts "$out" -T fields -e frame.packet_flags_direction | tr '\n' ' ')
[ "$dirs" = "0x00000001 0x00000002 0x00000001 0x00000002 0x00000001 0x00000001 0x00000002 0x00000001 0x00000002 " ] || fail "directions: $dirs"
# payloads equal the original capture's
[ "$(ts "$out" -Y udp -T fields -e udp.payload)" = "$(ts "$orig" -Y 'frame.number==56 || frame.number==57' -T fields -e udp.payload)" ] \
  || fail "SDP payloads differ"
[ "$(ts "$out" -Y 'tcp.len>0' -T fields -e tcp.payload)" = \
  "$(ts "$orig" -Y "$tcp_frames" -T fields -e tcp.payload)" ] || fail "TCP payloads differ"
[ "$(ts "$out" -Y 'tcp.len>0' -T fields -e frame.time_epoch)" = \
  "$(ts "$orig" -Y "$tcp_frames" -T fields -e frame.time_epoch)" ] || fail "timestamps differ"
echo "ok: $(ts "$out" | wc -l) frames"
