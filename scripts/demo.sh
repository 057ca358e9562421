#!/usr/bin/env bash
# Installs missing packages, builds, and runs the main job. Until the simulated charging session (`ccsplc demo`,
# issue 4) lands, that is decoding real messages of a recorded session: a DIN CurrentDemandReq from a real car
# and the charger's answer, as XML.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bash "$here/scripts/build.sh"
ccsplc=${BUILD_DIR:-$here/build}/ccsplc
corpus=${CCS_SHARED_DIR:-$here/../shared}/corpus/din.tsv
for msg in CurrentDemandReq CurrentDemandRes; do
  hex=$(grep -P "^din\t$msg\t" "$corpus" | head -1 | cut -f3)
  echo "== $msg $hex" >&2
  "$ccsplc" exi decode "$hex"
done
