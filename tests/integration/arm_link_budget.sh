#!/usr/bin/env bash
# The linked Cortex-M4 firmware (scripts/arm-link.sh): the car profile (DIN + ISO-2 DC, external identification)
# within its issue 9 budget, flash <= 64 KB and static RAM <= 16 KB, and no stdio, heap or abort in either image.
set -euo pipefail
: "${CCS_SOURCE_DIR:?}"
command -v arm-none-eabi-gcc >/dev/null || { echo "arm-none-eabi-gcc not installed: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ARM_LINK_ENFORCE=1 timeout 500 bash "$CCS_SOURCE_DIR/scripts/arm-link.sh" "$tmp/out"
