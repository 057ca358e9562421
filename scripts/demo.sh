#!/usr/bin/env bash
# Installs missing packages, builds, and runs the main job: a whole simulated DIN 70121 charging session
# (`ccsplc demo`): charger and car with simulated modems (SLAC, SDP), V2G over loopback TCP, the charging
# physics on a virtual clock, 20 % -> 80 % of a 60 kWh battery. Extra arguments go to `ccsplc demo`.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bash "$here/scripts/build.sh"
ccsplc=${BUILD_DIR:-$here/build}/ccsplc
exec "$ccsplc" demo "$@"
