#!/usr/bin/env bash
# The faults `ccsplc decode` lists per session (SessionID, FAILED codes, SLAC RunID) on the shared captures,
# derived in decode_faults.py from the records themselves.
set -euo pipefail
: "${CCSPLC:?}" "${CCS_SHARED_DIR:?}"
timeout 300 python3 "$(dirname "$0")/decode_faults.py" "$CCSPLC" "$CCS_SHARED_DIR"
