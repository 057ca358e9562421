#!/usr/bin/env bash
# The committed generated codec sources equal what tools/exigen writes from ../shared/schemas today.
set -euo pipefail
: "${CCS_SOURCE_DIR:?}" "${CCS_SHARED_DIR:?}"
command -v python3 >/dev/null || { echo "python3 not installed: skipped"; exit 77; }
python3 "$CCS_SOURCE_DIR/tools/exigen/exigen.py" --check --schemas "$CCS_SHARED_DIR/schemas" --out "$CCS_SOURCE_DIR"
echo "exigen: generated sources are up to date"
