#!/usr/bin/env bash
# Per capture, `ccsplc decode` counts as many V2G (EXI) messages as there are V2GTP EXI payloads in the TCP
# streams tshark reassembles (counted now, from tshark's "follow,tcp,raw" of every stream).
set -euo pipefail
command -v tshark > /dev/null || { echo "tshark not installed"; exit 77; }
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
total=0
for cap in "$CCS_SHARED_DIR"/captures/*.pcap "$CCS_SHARED_DIR"/captures/*.pcapng; do
    name=$(basename "$cap")
    want=$(timeout 120 python3 "$here/decode_check.py" tshark-count "$cap")
    timeout 60 "$CCSPLC" decode --json "$cap" > "$tmp/json" 2> /dev/null || { echo "FAIL: $name: decode failed"; exit 1; }
    got=$(python3 "$here/decode_check.py" json "$tmp/json")
    [ "$got" = "$want" ] || { echo "FAIL: $name: $got V2G messages, tshark finds $want"; exit 1; }
    echo "ok: $name: $got"
    total=$((total + got))
done
[ "$total" -gt 0 ] || { echo "FAIL: no V2G messages at all"; exit 1; }
