#!/usr/bin/env bash
# Installs what the CLI needs, builds only the CLI, and runs the main job: a whole simulated DIN 70121 charging
# session (`ccsplc demo`): charger and car with simulated modems (SLAC, SDP), V2G over loopback TCP, the charging
# physics on a virtual clock, 20 % -> 80 % of a 60 kWh battery. Extra arguments go to `ccsplc demo`.
# No tests, benchmarks, Wireshark plugin, Chromium or Cortex-M4 toolchain (scripts/test.sh adds those).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bash "$here/scripts/deps.sh" demo
build=${BUILD_DIR:-$here/build}
# A fresh build directory is configured for the CLI alone; an existing one keeps its options.
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF -DCCS_WIRESHARK=OFF >/dev/null
fi
cmake --build "$build" --target ccsplc -j"$(nproc)" >&2
exec "$build/ccsplc" demo "$@"
