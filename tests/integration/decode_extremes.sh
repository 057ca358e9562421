#!/usr/bin/env bash
# A capture built here with ISO-20 RationalNumbers at the ends of the Exponent range (-128, 127): `ccsplc decode`
# (every output form) and `ccsplc listen -r` print the exact values (decode_extremes.py).
set -euo pipefail
: "${CCSPLC:?}" "${CCS_SHARED_DIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
timeout 300 python3 "$(dirname "$0")/decode_extremes.py" "$CCSPLC" "$CCS_SHARED_DIR/corpus/iso20.tsv" "$tmp"
