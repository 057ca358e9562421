#!/usr/bin/env bash
# Where a capture has a *.decoded.txt (OpenV2G's reading of the same session), every V2G message we decode
# equals its block there, in order: name, bytes, physical values (Value x 10^Multiplier), SoC, response codes,
# session and station ids. The values come from our --json output.
set -euo pipefail
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
for ref in "$CCS_SHARED_DIR"/captures/*.decoded.txt; do
    cap=${ref%.decoded.txt}
    [ -f "$cap" ] || cap=$cap.pcapng
    [ -f "$cap" ] || { echo "FAIL: no capture for $ref"; exit 1; }
    timeout 60 "$CCSPLC" decode --json "$cap" > "$tmp/json" 2> /dev/null
    echo "$(basename "$cap"): $(python3 "$here/decode_check.py" reference "$tmp/json" "$ref")"
    n=$((n + 1))
done
[ "$n" -gt 0 ] || { echo "FAIL: no *.decoded.txt in $CCS_SHARED_DIR/captures"; exit 1; }
