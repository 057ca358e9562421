#!/usr/bin/env bash
# What `ccsplc decode` says: V2G over TLS, SLAC timing from the answered try, HomePlug names, AC stages, HTML
# escaping, a missing file (decode_wording.py; captures made in the test and shared ones).
set -euo pipefail
: "${CCSPLC:?}" "${CCS_SHARED_DIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
timeout 300 python3 "$(dirname "$0")/decode_wording.py" "$CCSPLC" "$CCS_SHARED_DIR" "$tmp"
